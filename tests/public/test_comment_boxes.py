"""Which sections take a comment, and whether a comment says what it contributes to.

Both are the consultation's choice (``Section.comments_enabled``, ``Consultation.
contributions``); the server holds to them whatever a browser posts.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Answer, Comment, Consultation
from consult.models.vocab import ModerationState
from tests.conftest import post_form

SECTION = "/c/enia-2021/s/5-3"


def _comments() -> list[Comment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Comment)))


@pytest.fixture
def without_box(enia: Consultation) -> Consultation:
    """The ENIA with no comment box on section 5.3."""
    next(s for s in enia.sections if s.key == "5-3").comments_enabled = False
    db.session.commit()
    return enia


@pytest.fixture
def without_contributions(enia: Consultation) -> Consultation:
    """The ENIA as a consultation that does not ask what a comment contributes to."""
    enia.contributions = []
    db.session.commit()
    return enia


def test_a_section_without_a_comment_box_shows_none_and_stores_none(
    client, without_box, start_response
):
    response = start_response(without_box)
    page = client.get(SECTION).get_data(as_text=True)
    assert 'name="q_q_5_3_agree"' in page
    assert 'name="comment"' not in page
    assert 'name="contribution"' not in page
    assert "Comentarios publicados" not in page  # no list of comments it cannot have

    sent = post_form(
        client,
        SECTION,
        {"q_q_5_3_agree": "4", "comment": "Colado a mano", "contribution": "other"},
    )
    assert sent.status_code == 302
    assert _comments() == []
    answers = db.session.scalars(sa.select(Answer).filter_by(response_id=response.id)).all()
    assert [a.value for a in answers] == ["4"]

    # The next section still has its box.
    assert 'name="comment"' in client.get("/c/enia-2021/s/5-4").get_data(as_text=True)


def test_a_reader_is_not_promised_a_comment_box(client, without_box):
    page = client.get(SECTION).get_data(as_text=True)
    assert "Esta sección tiene 2 preguntas." in page
    assert "admite un comentario" not in page


def test_without_contributions_no_choice_is_asked_and_none_is_stored(
    client, without_contributions, start_response
):
    start_response(without_contributions)
    page = client.get(SECTION).get_data(as_text=True)
    assert 'name="comment"' in page
    assert 'name="contribution"' not in page
    assert "¿A qué contribuye su comentario?" not in page

    sent = post_form(client, SECTION, {"comment": "Faltan laboratorios.", "go": "review"})
    assert sent.status_code == 302
    [comment] = _comments()
    assert (comment.text, comment.contribution) == ("Faltan laboratorios.", None)

    review = client.get("/c/enia-2021/review").get_data(as_text=True)
    assert "Su comentario</dt>" in review  # no "(…)" after it: nothing to name


def test_a_posted_contribution_is_ignored_where_none_is_asked(
    client, without_contributions, start_response
):
    start_response(without_contributions)
    post_form(client, SECTION, {"comment": "Faltan laboratorios.", "contribution": "other"})
    assert [c.contribution for c in _comments()] == [None]


def test_the_consultations_own_labels_name_a_contribution(client, enia, start_response):
    enia.contributions = [
        {"code": "diagnosis", "es": "Diagnóstico", "en": "Diagnosis"},
        {"code": "proposal", "es": "Propuesta", "en": "Proposal"},
    ]
    db.session.commit()
    start_response(enia)
    page = client.get(SECTION).get_data(as_text=True)
    assert '<label for="contribution-1">Diagnóstico</label>' in page
    assert '<label for="contribution-2">Propuesta</label>' in page

    refused = post_form(client, SECTION, {"comment": "Un aporte.", "contribution": "other"})
    assert refused.status_code == 422
    assert _comments() == []

    post_form(client, SECTION, {"comment": "Un aporte.", "contribution": "proposal"})
    assert [c.contribution for c in _comments()] == ["proposal"]
    review = client.get("/c/enia-2021/review").get_data(as_text=True)
    assert "Su comentario (Propuesta)" in review


def test_a_published_comment_shows_its_contribution_only_where_one_is_asked(
    client, app, enia, start_response
):
    browser = app.test_client()
    start_response(enia)
    post_form(client, SECTION, {"comment": "Más becas.", "contribution": "other"})
    post_form(client, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
    comment = _comments()[0]
    comment.moderation = ModerationState.PUBLISHED
    db.session.commit()
    assert "Contribuye a: Otro" in browser.get(SECTION).get_data(as_text=True)

    enia.contributions = []
    comment.contribution = None
    db.session.commit()
    page = app.test_client().get(SECTION).get_data(as_text=True)
    assert "Más becas." in page
    assert "Contribuye a" not in page
