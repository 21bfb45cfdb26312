"""The respondent's operations on gated sections, comment boxes and contribution codes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult import responding
from consult.extensions import db
from consult.models import Answer, Comment, Consultation, GateAnswer, Response
from consult.models.vocab import ModerationState
from tests.factories import make_response


def _section(consultation: Consultation, key: str):
    return next(s for s in consultation.sections if s.key == key)


def _questions(consultation: Consultation, key: str):
    return [q for q in consultation.questions if q.section_id == _section(consultation, key).id]


def _fresh(response: Response) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response.id)


@pytest.fixture
def gated(enia: Consultation) -> Consultation:
    section = _section(enia, "5-3")
    section.gate_es, section.gate_en = "¿Desea responderla?", "Do you want to answer it?"
    db.session.commit()
    return enia


def test_a_no_deletes_the_sections_answers_and_comment_only(gated):
    response = make_response(
        gated,
        ("5-3", "Faltan docentes."),
        ("5-4", "Otra sección."),
        answers={"q-5-3-agree": "4", "q-5-4-agree": "2"},
    )
    section = _section(gated, "5-3")

    deleted = responding.answer_gate(response, section, False)

    assert deleted is True
    response = _fresh(response)
    assert [(g.section_id, g.wants) for g in response.gates] == [(section.id, False)]
    assert [a.question.key for a in response.answers] == ["q-5-4-agree"]
    assert [c.section.key for c in response.comments] == ["5-4"]
    assert responding.wants_section(response, section) is False


def test_a_yes_keeps_what_was_written_and_can_follow_a_no(gated):
    response = make_response(gated, answers={"q-5-3-agree": "4"})
    section = _section(gated, "5-3")
    assert responding.answer_gate(response, _section(gated, "5-3"), True) is False
    assert len(_fresh(response).answers) == 1

    responding.answer_gate(_fresh(response), section, False)
    responding.answer_gate(_fresh(response), section, True)
    response = _fresh(response)
    assert responding.gate_answers(response) == {section.id: True}
    assert response.answers == []  # the "no" in between deleted the answer
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GateAnswer)) == 1


def test_a_section_without_a_gate_takes_no_yes_or_no(enia):
    response = make_response(enia)
    with pytest.raises(responding.NotGated):
        responding.answer_gate(response, _section(enia, "5-3"), False)


def test_a_no_deletes_a_published_comment_too(gated):
    response = make_response(
        gated, {"section": "5-3", "text": "Publicado.", "moderation": "published"}
    )
    comment = db.session.scalar(sa.select(Comment))
    assert comment.moderation is ModerationState.PUBLISHED

    responding.answer_gate(response, _section(gated, "5-3"), False)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_a_section_without_a_comment_box_keeps_no_new_comment_and_no_old_one_is_lost(enia):
    response = make_response(enia, ("5-3", "Escrito cuando había caja."))
    section = _section(enia, "5-3")
    section.comments_enabled = False
    db.session.commit()

    responding.save_answers(
        _fresh(response),
        _questions(enia, "5-3"),
        {"q-5-3-agree": "5"},
        section=section,
        comment=responding.CommentInput("Nuevo texto", "other"),
    )
    texts = db.session.scalars(sa.select(Comment.text)).all()
    assert texts == ["Escrito cuando había caja."]
    assert db.session.scalar(sa.select(Answer.value)) == "5"


def test_a_contribution_code_the_consultation_does_not_list_is_refused(enia):
    response = make_response(enia)
    with pytest.raises(ValueError, match="flattery"):
        responding.save_answers(
            response,
            _questions(enia, "5-3"),
            {},
            section=_section(enia, "5-3"),
            comment=responding.CommentInput("Texto", "flattery"),
        )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_a_consultation_without_contributions_stores_none(enia):
    enia.contributions = []
    db.session.commit()
    response = make_response(enia)
    responding.save_answers(
        response,
        _questions(enia, "5-3"),
        {},
        section=_section(enia, "5-3"),
        comment=responding.CommentInput("Texto", "other"),
    )
    assert db.session.scalar(sa.select(Comment.contribution)) is None
