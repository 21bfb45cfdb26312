"""Decisions on a theme and on a section: the operations, which decision applies to each
comment, and the console pages where they are made."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import AuditEntry, Comment, Section
from consult.models.outcome import OutcomeDecision
from consult.models.vocab import Decision
from consult.outcome import decisions
from consult.outcome.decisions import Level
from tests.conftest import post_form, statements
from tests.factories import comment_of, make_response, make_theme

BASE = "/console/c/enia-2021"


def section(consultation, key: str) -> Section:
    return next(s for s in consultation.sections if s.key == key)


def audit_entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def stored() -> list[tuple]:
    db.session.expire_all()
    return list(
        db.session.execute(
            sa.select(
                OutcomeDecision.theme_id,
                OutcomeDecision.section_id,
                OutcomeDecision.decision,
                OutcomeDecision.reason_es,
                OutcomeDecision.reason_en,
            ).order_by(OutcomeDecision.id)
        )
    )


@pytest.fixture
def console(coordinator_client: FlaskClient) -> FlaskClient:
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


# ---------------------------------------------------------------- the operations


def test_a_theme_decision_is_recorded_with_one_audit_entry(enia, coordinator):
    theme = make_theme(enia, "Formación docente")
    changed = decisions.decide_theme(
        theme, Decision.ACCEPTED, " Lo incluimos. ", "We included it.", coordinator
    )
    assert changed
    assert stored() == [(theme.id, None, Decision.ACCEPTED, "Lo incluimos.", "We included it.")]
    (entry,) = audit_entries("theme.decide")
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "theme",
        theme.id,
        coordinator.id,
    )
    assert entry.before is None
    assert entry.after == {
        "decision": "accepted",
        "reason_es": "Lo incluimos.",
        "reason_en": "We included it.",
    }


def test_a_section_decision_changes_then_clears_each_time_audited(enia, coordinator):
    target = section(enia, "5-3")
    decisions.decide_section(target, Decision.PARTLY, "En parte.", "In part.", coordinator)
    decisions.decide_section(target, Decision.ALREADY, "Ya está.", "Already there.", coordinator)
    assert stored() == [(None, target.id, Decision.ALREADY, "Ya está.", "Already there.")]
    assert decisions.decide_section(target, None, "", "", coordinator)
    assert stored() == []
    entries = audit_entries("section.decide")
    assert [
        (e.before and e.before["decision"], e.after and e.after["decision"]) for e in entries
    ] == [
        (None, "partly"),
        ("partly", "already_in_draft"),
        ("already_in_draft", None),
    ]
    assert {(e.object_type, e.object_id) for e in entries} == {("section", target.id)}


def test_an_unchanged_decision_writes_nothing(enia, coordinator):
    target = section(enia, "5-3")
    decisions.decide_section(target, Decision.PARTLY, "En parte.", "In part.", coordinator)
    decided_at = db.session.scalar(sa.select(OutcomeDecision.decided_at))
    assert not decisions.decide_section(
        target, Decision.PARTLY, "En parte. ", " In part.", coordinator
    )
    assert not decisions.decide_section(section(enia, "5-4"), None, "", "", coordinator)
    assert len(audit_entries("section.decide")) == 1
    assert db.session.scalar(sa.select(OutcomeDecision.decided_at)) == decided_at


@pytest.mark.parametrize(
    ("reason_es", "reason_en", "field"),
    [("", "In part.", "reason_es"), ("En parte.", "  ", "reason_en"), ("", "", "reason_es")],
)
def test_a_decision_needs_a_reason_in_both_languages(
    enia, coordinator, reason_es, reason_en, field
):
    theme = make_theme(enia, "Formación docente")
    with pytest.raises(decisions.DecisionRefused) as refused:
        decisions.decide_theme(theme, Decision.PARTLY, reason_es, reason_en, coordinator)
    assert refused.value.field == field
    assert stored() == [] and audit_entries("theme.decide") == []


def test_an_unknown_decision_is_refused(enia, coordinator):
    with pytest.raises(decisions.DecisionRefused) as refused:
        decisions.decide_section(section(enia, "5-3"), "maybe", "Sí.", "Yes.", coordinator)
    assert refused.value.field == "decision"
    assert stored() == []


# ---------------------------------------------------------------- what applies to a comment


def test_own_decision_comes_first_then_each_confirmed_theme_then_the_section(enia, coordinator):
    own = comment_of(
        make_response(
            enia,
            {"section": "5-3", "text": "A", "decision": "accepted", "decision_reason": "Sí."},
        )
    )
    themed = comment_of(make_response(enia, ("5-3", "B")))
    suggested_only = comment_of(make_response(enia, ("5-3", "C")))
    undecided_theme = comment_of(make_response(enia, ("5-3", "D")))
    elsewhere = comment_of(make_response(enia, ("5-4", "E")), "5-4")
    teachers = make_theme(enia, "Formación docente", own, themed)
    data = make_theme(enia, "Datos abiertos", themed)
    make_theme(enia, "Sin decidir", undecided_theme)
    suggested = make_theme(enia, "Sugerido")
    db.session.execute(
        sa.insert(decisions.comment_theme).values(
            comment_id=suggested_only.id, theme_id=suggested.id, suggested=True
        )
    )
    db.session.commit()
    for theme, choice in ((teachers, Decision.PARTLY), (data, Decision.ACCEPTED)):
        decisions.decide_theme(theme, choice, f"es {theme.name}", f"en {theme.name}", coordinator)
    decisions.decide_theme(suggested, Decision.NOT_ACCEPTED, "No.", "No.", coordinator)
    decisions.decide_section(section(enia, "5-3"), Decision.ALREADY, "Ya.", "Already.", coordinator)
    comments = [own, themed, suggested_only, undecided_theme, elsewhere]
    for comment in comments:
        db.session.refresh(comment)  # loaded before counting: only the reading is counted

    with statements() as seen:
        applied = decisions.applied_decisions(comments)
    assert len(seen) <= 3

    (mine,) = applied[own.id]
    assert (mine.level, mine.decision, mine.reason_es, mine.reason_en) == (
        Level.COMMENT,
        Decision.ACCEPTED,
        "Sí.",
        "Sí.",
    )
    assert [(a.level, a.theme_name, a.decision) for a in applied[themed.id]] == [
        (Level.THEME, "Datos abiertos", Decision.ACCEPTED),
        (Level.THEME, "Formación docente", Decision.PARTLY),
    ]
    # A suggested tag is no theme of the comment's; an undecided theme leaves the section's.
    for comment in (suggested_only, undecided_theme):
        (by_section,) = applied[comment.id]
        assert (by_section.level, by_section.section_number, by_section.reason_en) == (
            Level.SECTION,
            "5.3",
            "Already.",
        )
    assert applied[elsewhere.id] == []


def test_applied_decisions_of_no_comment_asks_nothing(app):
    with statements() as seen:
        assert decisions.applied_decisions([]) == {}
    assert seen == []


# ---------------------------------------------------------------- the console pages


def test_a_coordinator_decides_on_a_theme_from_the_themes_page(console, enia, coordinator):
    theme = make_theme(enia, "Formación docente", comment_of(make_response(enia, ("5-3", "A"))))
    themes = console.get(f"{BASE}/themes").get_data(as_text=True)
    url = f"{BASE}/themes/{theme.id}/decision"
    assert url in themes
    page = console.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<fieldset" in body and "<legend>Decision</legend>" in body
    assert 'for="reason_es"' in body and 'for="reason_en"' in body
    reply = post_form(
        console,
        url,
        {"decision": "partly", "reason_es": "Se recoge en parte.", "reason_en": "Partly taken up."},
    )
    assert reply.status_code == 302 and reply.location.endswith(f"{BASE}/themes")
    assert "Decision saved." in console.get(reply.location).get_data(as_text=True)
    assert stored() == [
        (theme.id, None, Decision.PARTLY, "Se recoge en parte.", "Partly taken up.")
    ]
    assert "Partly accepted" in console.get(f"{BASE}/themes").get_data(as_text=True)
    assert "Se recoge en parte." in console.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"decision": "accepted", "reason_es": "Sí."},
            "A decision needs a public reason in English.",
        ),
        (
            {"decision": "accepted", "reason_en": "Yes."},
            "A decision needs a public reason in Spanish.",
        ),
        ({"decision": "maybe", "reason_es": "Sí.", "reason_en": "Yes."}, "choose a decision"),
        ({"decision": "accepted", "reason_es": "x" * 1001, "reason_en": "Yes."}, "1000"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(console, enia, data, message):
    url = f"{BASE}/outcome/sections/5-3"
    reply = post_form(console, url, data)
    assert reply.status_code == 400
    body = reply.get_data(as_text=True)
    assert message in body
    assert stored() == [] and audit_entries("section.decide") == []


def test_a_coordinator_decides_on_a_section_and_clears_it(console, enia):
    make_response(enia, ("5-3", "A"))
    make_response(enia, ("5-3", "B"))
    listing = console.get(f"{BASE}/outcome/sections")
    assert listing.status_code == 200
    body = listing.get_data(as_text=True)
    assert "<caption" in body and 'scope="row"' in body
    assert all(f"{BASE}/outcome/sections/{s.key}" in body for s in enia.sections)
    url = f"{BASE}/outcome/sections/5-3"
    assert console.get(url).status_code == 200
    reply = post_form(
        console, url, {"decision": "out_of_scope", "reason_es": "Fuera.", "reason_en": "Outside."}
    )
    assert reply.status_code == 302 and reply.location.endswith(f"{BASE}/outcome/sections")
    listed = console.get(reply.location).get_data(as_text=True)
    assert "Decision saved." in listed and "Outside the scope" in listed
    target = section(enia, "5-3")
    assert stored() == [(None, target.id, Decision.OUT_OF_SCOPE, "Fuera.", "Outside.")]
    reply = post_form(console, url, {"decision": ""})
    assert reply.status_code == 302
    assert "Decision removed." in console.get(reply.location).get_data(as_text=True)
    assert stored() == []
    assert len(audit_entries("section.decide")) == 2


def _decided_meanwhile(monkeypatch, enia, coordinator, target) -> None:
    """Another coordinator's decision on ``target``, written after this one's read: the
    read finds none (``_target`` answers None), so this one inserts a second row."""
    decisions.decide_section(target, Decision.ACCEPTED, "Primero.", "First.", coordinator)
    monkeypatch.setattr(decisions, "_target", lambda column, target_id: None)


def test_two_decisions_on_one_section_at_once_refuse_the_second(monkeypatch, enia, coordinator):
    target = section(enia, "5-3")
    _decided_meanwhile(monkeypatch, enia, coordinator, target)
    with pytest.raises(decisions.DecisionRefused, match="en el mismo momento"):
        decisions.decide_section(target, Decision.NOT_ACCEPTED, "Segundo.", "Second.", coordinator)
    assert stored() == [(None, target.id, Decision.ACCEPTED, "Primero.", "First.")]
    assert len(audit_entries("section.decide")) == 1


def test_two_decisions_on_one_theme_at_once_refuse_the_second(monkeypatch, enia, coordinator):
    theme = make_theme(enia, "Formación docente")
    decisions.decide_theme(theme, Decision.ACCEPTED, "Primero.", "First.", coordinator)
    monkeypatch.setattr(decisions, "_target", lambda column, target_id: None)
    with pytest.raises(decisions.DecisionRefused, match="en el mismo momento"):
        decisions.decide_theme(theme, Decision.NOT_ACCEPTED, "Segundo.", "Second.", coordinator)
    assert [row[2] for row in stored()] == [Decision.ACCEPTED]


def test_the_console_says_so_when_someone_decided_at_the_same_moment(
    monkeypatch, console, enia, coordinator
):
    _decided_meanwhile(monkeypatch, enia, coordinator, section(enia, "5-3"))
    reply = post_form(
        console,
        f"{BASE}/outcome/sections/5-3",
        {"decision": "not_accepted", "reason_es": "Segundo.", "reason_en": "Second."},
    )
    assert reply.status_code == 400
    assert "Someone else decided on this at the same moment." in reply.get_data(as_text=True)
    assert [row[2] for row in stored()] == [Decision.ACCEPTED]


def test_an_unknown_section_or_anothers_theme_is_not_found(console, enia):
    assert console.get(f"{BASE}/outcome/sections/no-such").status_code == 404
    assert console.get(f"{BASE}/themes/999999/decision").status_code == 404


def test_the_comment_page_says_which_decision_applies_when_it_has_none(console, enia, coordinator):
    comment = comment_of(make_response(enia, ("5-3", "Formar docentes.")))
    theme = make_theme(enia, "Formación docente", comment)
    url = f"{BASE}/comments/{comment.id}"
    assert "No decision of its own" not in console.get(url).get_data(as_text=True)
    decisions.decide_section(section(enia, "5-3"), Decision.ALREADY, "Ya.", "Already.", coordinator)
    body = console.get(url).get_data(as_text=True)
    assert "No decision of its own" in body and "Decision on section 5.3" in body
    decisions.decide_theme(theme, Decision.ACCEPTED, "Sí.", "Yes, included.", coordinator)
    body = console.get(url).get_data(as_text=True)
    assert "Decision on its theme «Formación docente»" in body and "Yes, included." in body
    assert "Decision on section 5.3" not in body
    own = db.session.get(Comment, comment.id)
    own.decision, own.decision_reason = Decision.NOT_ACCEPTED, "No."
    db.session.commit()
    assert "No decision of its own" not in console.get(url).get_data(as_text=True)
