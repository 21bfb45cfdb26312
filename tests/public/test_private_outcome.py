"""A respondent's private link, once the outcome is published: the decision on each of
their comments (their own, their theme's or their section's) and the change it led to."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Comment, Section, Theme, comment_theme
from consult.models.outcome import DraftChange, DraftVersion, OutcomeDecision
from consult.models.vocab import Decision, ModerationState, Stage
from consult.responding.changes import note_public_change
from tests.conftest import statements
from tests.factories import comment_of, make_response, make_theme

TOKEN = "el-secreto-de-una-persona-que-respondio"
PAGE = f"/c/enia-2021/r/{TOKEN}"


def section(consultation, key: str) -> Section:
    return next(s for s in consultation.sections if s.key == key)


def set_stage(consultation, stage: Stage) -> None:
    consultation.stage = stage
    note_public_change(db.session)
    db.session.commit()


def decide(**target) -> None:
    db.session.add(
        OutcomeDecision(
            decision=target.pop("decision"),
            reason_es=target.pop("es"),
            reason_en=target.pop("en"),
            **target,
        )
    )
    db.session.commit()


def version_two(consultation, key: str, es: str, en: str, *, themes=(), comments=()) -> None:
    """Version 2 of the draft with one change to section ``key``, linked as told."""
    version = DraftVersion(consultation_id=consultation.id, number=2)
    db.session.add(version)
    change = DraftChange(
        version=version,
        section_id=section(consultation, key).id,
        explanation_es=es,
        explanation_en=en,
    )
    change.themes = list(themes)
    change.comments = list(comments)
    db.session.add(change)
    consultation.current_version = 2
    note_public_change(db.session)
    db.session.commit()


def page(client, language: str) -> str:
    reply = client.get(f"{PAGE}?lang={language}")
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


@pytest.fixture
def answered(enia):
    """A submitted response with comments on 5.3 (in a theme) and 5.4 (refused)."""
    response = make_response(
        enia,
        ("5-3", "Formen a los docentes."),
        {"section": "5-4", "text": "Texto rechazado.", "moderation": ModerationState.REJECTED},
        token=TOKEN,
    )
    return comment_of(response, "5-3"), comment_of(response, "5-4")


def test_nothing_of_the_outcome_shows_before_it_is_published(client, enia, answered):
    teachers, _refused = answered
    make_theme(enia, "Formación docente", teachers)
    decide(section_id=section(enia, "5-3").id, decision=Decision.ACCEPTED, es="Sí.", en="Yes.")
    for stage in (Stage.RUNNING, Stage.ANALYSIS):
        set_stage(enia, stage)
        body = page(client, "en")
        assert "What became of your comments" not in body and "Yes." not in body


def test_each_comment_shows_the_decision_that_applies_in_the_page_language(client, enia, answered):
    teachers, refused = answered
    theme = make_theme(enia, "Formación docente", teachers)
    decide(theme_id=theme.id, decision=Decision.PARTLY, es="Se recoge en parte.", en="Partly.")
    decide(section_id=section(enia, "5-3").id, decision=Decision.ACCEPTED, es="Sí.", en="Yes.")
    decide(
        section_id=section(enia, "5-4").id,
        decision=Decision.OUT_OF_SCOPE,
        es="Fuera del alcance.",
        en="Outside the scope of this strategy.",
    )
    set_stage(enia, Stage.OUTCOME)

    english = page(client, "en")
    assert "What became of your comments" in english
    assert "Decision on the theme «Formación docente», which your comment is part of" in english
    assert "Partly." in english and "Se recoge en parte." not in english
    assert "Yes." not in english  # the theme's decision comes before the section's
    # The refused comment is still its author's: its section's decision shows.
    assert "Decision on section 5.4" in english
    assert "Outside the scope of this strategy." in english
    assert "No change to the draft is linked to this comment." in english

    spanish = page(client, "es")
    assert "Se recoge en parte." in spanish and "Partly." not in spanish
    assert "Fuera del alcance." in spanish

    comment = db.session.get(Comment, refused.id)
    comment.decision, comment.decision_reason = Decision.NOT_ACCEPTED, "No es viable."
    db.session.commit()
    english = page(client, "en")
    assert "Decision on your comment" in english and "No es viable." in english
    assert "Outside the scope of this strategy." not in english


def test_the_change_a_comment_led_to_is_shown_through_its_theme_or_itself(client, enia, answered):
    teachers, refused = answered
    theme = make_theme(enia, "Formación docente", teachers)
    version_two(
        enia,
        "5-3",
        "Se añade la formación docente.",
        "Teacher training is added.",
        themes=[db.session.get(Theme, theme.id)],
        comments=[db.session.get(Comment, refused.id)],
    )
    set_stage(enia, Stage.OUTCOME)
    english = page(client, "en")
    assert english.count("Teacher training is added.") == 2
    assert "Made in answer to the theme «Formación docente»." in english
    assert "Your comment is among those it answers." in english
    assert "in version 2 of the draft" in english
    if "public.section_changes" in client.application.view_functions:
        assert 'href="/c/enia-2021/s/5-3/changes' in english
    assert "Se añade la formación docente." in page(client, "es")


def test_a_change_of_the_version_answered_is_not_one_it_led_to(client, enia, answered):
    teachers, _refused = answered
    response = db.session.get(Comment, teachers.id).response
    response.draft_version = 2
    db.session.commit()
    version_two(
        enia, "5-3", "Cambio.", "A change.", comments=[db.session.get(Comment, teachers.id)]
    )
    set_stage(enia, Stage.OUTCOME)
    english = page(client, "en")
    assert "A change." not in english


def test_a_suggested_theme_leads_to_nothing(client, enia, answered):
    teachers, _refused = answered
    theme = make_theme(enia, "Sugerido")
    db.session.execute(
        sa.insert(comment_theme).values(comment_id=teachers.id, theme_id=theme.id, suggested=True)
    )
    db.session.commit()
    decide(theme_id=theme.id, decision=Decision.ACCEPTED, es="Sí.", en="Yes, suggested.")
    version_two(enia, "5-3", "Cambio.", "A change.", themes=[db.session.get(Theme, theme.id)])
    set_stage(enia, Stage.OUTCOME)
    english = page(client, "en")
    assert "Yes, suggested." not in english and "A change." not in english
    assert "No decision has been published on this comment." in english


def test_the_page_costs_no_query_more_before_the_outcome_and_a_few_after(client, enia, answered):
    page(client, "en")  # the shared consultation loaded
    with statements() as before:
        page(client, "en")
    set_stage(enia, Stage.OUTCOME)
    page(client, "en")
    with statements() as after:
        page(client, "en")
    assert len(after) - len(before) <= 5
