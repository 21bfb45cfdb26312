"""A consultation's stages: what people see, who may move it, and what a move leaves behind."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consult.content import ContentError, load_bundle
from consult.extensions import db
from consult.models import AuditEntry, Consultation
from consult.models.vocab import Stage
from consult.outcome import stages
from consult.outcome.stages import Shown
from tests.conftest import post_form, session_csrf_token
from tests.content.test_bundles import copy_bundle, edit_yaml

NOW = datetime(2027, 3, 1, 12, 0)
HOME = "/c/enia-2021/"
STAGE = "/console/admin/c/enia-2021/stage"


def consultation(stage: Stage, opens_in: int, closes_in: int) -> Consultation:
    return Consultation(
        stage=stage,
        opens_at=NOW + timedelta(days=opens_in),
        closes_at=NOW + timedelta(days=closes_in),
    )


@pytest.mark.parametrize(
    ("stage", "opens_in", "closes_in", "expected", "next_at"),
    [
        (Stage.PREPARATION, 3, 30, Shown.PREPARATION, 3),
        (Stage.PREPARATION, -3, 30, Shown.PREPARATION, None),
        (Stage.RUNNING, 3, 30, Shown.UPCOMING, 3),
        (Stage.RUNNING, -3, 30, Shown.OPEN, 30),
        (Stage.RUNNING, -30, -3, Shown.CLOSED, None),
        (Stage.ANALYSIS, -30, -3, Shown.ANALYSIS, None),
        (Stage.OUTCOME, -30, -3, Shown.OUTCOME, None),
    ],
)
def test_the_stage_shown_follows_the_decision_and_while_running_the_dates(
    app, stage, opens_in, closes_in, expected, next_at
):
    c = consultation(stage, opens_in, closes_in)
    assert stages.shown(c, NOW) is expected
    step = stages.next_step(c, NOW)
    if expected is Shown.OUTCOME:
        assert step is None
    else:
        assert step is not None and step.text
        assert step.at == (NOW + timedelta(days=next_at) if next_at is not None else None)


def test_a_consultation_in_preparation_takes_no_responses(app):
    c = consultation(Stage.PREPARATION, -3, 30)
    assert c.status(NOW).value == "open" and not c.is_open


def test_in_preparation_the_public_gets_404_and_a_coordinator_a_preview(
    client, coordinator_client, enia
):
    enia.stage = Stage.PREPARATION
    db.session.commit()
    for url in (HOME, "/c/enia-2021/s/5-3", "/c/enia-2021/profile"):
        assert client.get(url).status_code == 404, url
    assert "enia-2021" not in client.get("/").get_data(as_text=True)
    coordinator_client.get("/?lang=en")
    reply = coordinator_client.get(HOME)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "Preview: not public yet." in page
    dashboard = coordinator_client.get("/console/c/enia-2021/").get_data(as_text=True)
    assert "In preparation" in dashboard and "Preview: not public yet." in dashboard
    assert "Start your response" not in page
    assert "private" in reply.headers["Cache-Control"]
    enia.summary_published = True
    db.session.commit()
    results = coordinator_client.get("/c/enia-2021/results")
    assert results.status_code == 200 and "private" in results.headers["Cache-Control"]
    assert "Preview: not public yet." in results.get_data(as_text=True)
    assert client.get("/c/enia-2021/results").status_code == 404
    # The public still cannot see it after the coordinator's visit (nothing kept for them).
    assert client.get(HOME).status_code == 404


def audit_entries() -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).filter_by(action="consultation.stage")).all()


def test_an_admin_moves_it_with_one_audit_entry_and_the_public_loses_it(client, admin_client, enia):
    assert client.get(HOME).status_code == 200
    reply = post_form(admin_client, STAGE, {"stage": "preparation"})
    assert reply.status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).stage is Stage.PREPARATION
    [entry] = audit_entries()
    assert (entry.before, entry.after) == ({"stage": "running"}, {"stage": "preparation"})
    assert client.get(HOME).status_code == 404


def test_a_coordinator_cannot_move_it(app, coordinator_client, enia):
    assert coordinator_client.get(STAGE).status_code == 403
    token = session_csrf_token(app, coordinator_client)
    data = {"csrf_token": token, "stage": "preparation"}
    assert coordinator_client.post(STAGE, data=data).status_code == 403
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).stage is Stage.RUNNING
    assert audit_entries() == []


def test_analysis_before_it_has_closed_is_refused_and_changes_nothing(admin_client, enia):
    admin_client.get("/?lang=en")
    reply = post_form(admin_client, STAGE, {"stage": "analysis"})
    assert reply.status_code == 302
    page = admin_client.get(STAGE).get_data(as_text=True)
    assert "Nothing was changed" in page and "only once it has closed" in page
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).stage is Stage.RUNNING
    assert audit_entries() == []


def test_after_closing_it_goes_into_analysis_then_outcome_and_back(admin_client, enia, set_window):
    set_window(enia, "closed")
    for to in ("analysis", "outcome", "analysis", "running"):
        post_form(admin_client, STAGE, {"stage": to})
        db.session.expire_all()
        assert db.session.get(Consultation, enia.id).stage.value == to
    assert len(audit_entries()) == 4
    post_form(admin_client, STAGE, {"stage": "outcome"})  # not from running
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).stage is Stage.RUNNING


def test_public_pages_say_the_stage_and_what_happens_next(client, enia, set_window):
    client.get("/?lang=en")
    page = client.get(HOME).get_data(as_text=True)
    assert "Open for responses" in page and "It closes for responses on" in page
    set_window(enia, "closed")
    enia.stage = Stage.ANALYSIS
    enia.summary_published = True
    db.session.commit()
    results = client.get("/c/enia-2021/results").get_data(as_text=True)
    assert "In analysis" in results and "outcome published" in results


def test_a_bundle_may_start_in_preparation_and_a_reload_does_not_move_it(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / "consultation.yaml", lambda m: m.update(stage="preparation"))
    load_bundle(bundle)
    small = db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))
    assert small.stage is Stage.PREPARATION
    small.stage = Stage.RUNNING
    db.session.commit()
    load_bundle(bundle)
    db.session.expire_all()
    assert db.session.get(Consultation, small.id).stage is Stage.RUNNING
    edit_yaml(bundle / "consultation.yaml", lambda m: m.update(stage="outcome"))
    with pytest.raises(ContentError, match="stage must be preparation or running"):
        load_bundle(bundle)
