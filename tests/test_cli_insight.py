"""``consult insight``: the analyses from the command line, recorded like a console run."""

from __future__ import annotations

from consult.extensions import db
from consult.models import CopyCluster
from consult.models.vocab import RunStatus, Verdict
from consult.systematising import runs
from tests.factories import make_response
from tests.test_cli import run


def test_insight_runs_every_part_and_stores_suggestions(app, enia):
    letter = "Pedimos fibra óptica en todas las capitales de provincia de Puno antes de 2026."
    for _ in range(4):
        make_response(enia, ("5-5", letter))
    result = run(app, "insight", "--consultation", "enia-2021")
    assert result.exit_code == 0, result.output
    assert "done in" in result.output and "clusters: 1" in result.output
    assert "confirm it in the console" in result.output
    [record] = runs.latest_runs(enia)
    assert record.status == RunStatus.DONE and record.started_by_id is None
    assert record.parts == "copies,themes,groups"
    [cluster] = db.session.query(CopyCluster).all()
    assert cluster.size == 4 and cluster.verdict == Verdict.SUGGESTED


def test_insight_only_one_part(app, enia):
    result = run(app, "insight", "--consultation", "enia-2021", "--only", "groups")
    assert result.exit_code == 0, result.output
    assert runs.latest_runs(enia)[0].parts == "groups"


def test_insight_refuses_an_unknown_consultation_and_a_second_run(app, enia):
    result = run(app, "insight", "--consultation", "nope")
    assert result.exit_code != 0 and "No consultation with the slug 'nope'" in result.output
    runs.start_run(enia, ["copies"])
    result = run(app, "insight", "--consultation", "enia-2021")
    assert result.exit_code != 0 and "wait for it to end" in result.output
