"""Runs of the analyses: one at a time per consultation, recorded, never left running."""

from __future__ import annotations

import types
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import InsightRun
from consult.models.columns import utcnow
from consult.models.vocab import RunStatus
from consult.systematising import runs
from tests.factories import make_response


def _comments(enia, *texts: str) -> None:
    for text in texts:
        make_response(enia, ("5-3", text))


def test_a_second_run_is_refused_while_one_is_running(app, enia, coordinator):
    first = runs.start_run(enia, ["copies"], coordinator)
    with pytest.raises(runs.RunRefused):
        runs.start_run(enia, ["themes"], coordinator)
    runs.execute(first.id)
    second = runs.start_run(enia, ["themes"], coordinator)
    assert second.status == RunStatus.RUNNING and second.started_by_id == coordinator.id


def test_a_run_silent_for_too_long_is_ended_when_the_next_one_starts(app, enia):
    stale = runs.start_run(enia, ["copies"])
    stale.heartbeat_at = utcnow() - timedelta(minutes=app.config["INSIGHT_STALE_MINUTES"] + 1)
    db.session.commit()
    fresh = runs.start_run(enia, ["copies"])
    db.session.expire_all()
    assert db.session.get(InsightRun, stale.id).status == RunStatus.FAILED
    assert db.session.get(InsightRun, stale.id).error == "stopped answering"
    assert fresh.status == RunStatus.RUNNING


def test_a_run_records_its_parts_settings_counts_and_time(app, enia):
    _comments(enia, "Que se capaciten los docentes.", "Que se capaciten los docentes.")
    run = runs.start_run(enia, ["groups", "copies"], parameters={"copy_threshold": 0.9})
    assert run.parts == "copies,groups"  # always in the order of a full run
    assert run.parameters["copy_threshold"] == 0.9
    assert run.parameters["max_groups"] == app.config["INSIGHT_MAX_GROUPS"]
    seen: list[tuple[int, str]] = []
    done = runs.execute(run.id, on_progress=lambda percent, stage: seen.append((percent, stage)))
    assert done.status == RunStatus.DONE, done.error
    assert done.progress == 100 and done.finished_at is not None
    assert done.counts["seconds"] >= 0
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(stage.startswith("copies") for _, stage in seen)
    assert any(stage.startswith("groups") for _, stage in seen)


def test_a_failing_part_is_recorded_and_nothing_stays_running(app, enia, monkeypatch):
    def analyse(consultation, run, progress):
        progress(0.5, "halfway")
        raise RuntimeError("the disk is full")

    real_import = runs.importlib.import_module
    monkeypatch.setattr(
        runs.importlib,
        "import_module",
        lambda name: (
            types.SimpleNamespace(analyse=analyse)
            if name.endswith(".themes")
            else real_import(name)
        ),
    )
    run = runs.start_run(enia, ["themes"])
    done = runs.execute(run.id)
    assert done.status == RunStatus.FAILED
    assert "the disk is full" in done.error
    assert runs.current_run(enia) is None
    assert runs.start_run(enia, ["themes"]).status == RunStatus.RUNNING


def test_a_background_run_finishes_on_its_own_thread(app, enia):
    _comments(enia, "Más conectividad en Puno.", "Más conectividad en Puno.")
    run = runs.start_run(enia, ["copies"])
    runs.run_in_background(app, run.id).join(timeout=60)
    db.session.expire_all()
    done = db.session.get(InsightRun, run.id)
    assert done.status == RunStatus.DONE, done.error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InsightRun)) == 1
