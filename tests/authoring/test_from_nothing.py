"""A consultation built in the console from nothing: two sections (a part and a sub-part),
one question of each type in both languages; nothing lacks a language, it opens, and a
respondent's answers to every question are stored."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from consult.extensions import db
from consult.models import Answer, Consultation, Question, Response
from consult.models.columns import utcnow
from consult.models.vocab import QuestionType, ResponseStatus, Stage
from tests.authoring.test_consultations import FORM, NEW
from tests.conftest import post_form

SLUG = FORM["slug"]
EDIT = f"/console/c/{SLUG}/edit"
OPTIONS = {
    "options-0-code": "uno",
    "options-0-es": "Uno",
    "options-0-en": "One",
    "options-1-code": "dos",
    "options-1-es": "Dos",
    "options-1-en": "Two",
    "options-2-code": "tres",
    "options-2-es": "Tres",
    "options-2-en": "Three",
}


def section(key: str, number: str, parent: str = "") -> dict[str, str]:
    return {
        "key": key,
        "number": number,
        "parent": parent,
        "title_es": f"Sección {number}",
        "title_en": f"Section {number}",
        "body_md_es": f"Texto de la sección {number}.",
        "body_md_en": f"Text of section {number}.",
        "comments_enabled": "y",
    }


def test_built_in_the_console_opened_and_answered(app, admin_client, admin, client, start_response):
    assert post_form(admin_client, NEW, FORM).status_code == 302
    assert post_form(admin_client, f"{EDIT}/sections/new", section("marco", "1")).status_code == 302
    sub = section("marco-datos", "1.1", parent="marco")
    assert post_form(admin_client, f"{EDIT}/sections/new", sub).status_code == 302
    for i, kind in enumerate(QuestionType):
        question = {
            "key": f"q-{kind.value.replace('_', '-')}",
            "type": kind.value,
            "section": "marco" if i % 2 == 0 else "marco-datos",
            "prompt_es": f"Pregunta {kind.value}",
            "prompt_en": f"Question {kind.value}",
            **(OPTIONS if kind.has_options else {}),
        }
        reply = post_form(admin_client, f"{EDIT}/questions/new", question)
        assert reply.status_code == 302, reply.get_data(as_text=True)

    page = admin_client.get(f"{EDIT}/translations?lang=en").get_data(as_text=True)
    assert "Every text is written in every language" in page

    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=SLUG))
    consultation.opens_at = utcnow() - timedelta(hours=1)  # its dates: open now
    db.session.commit()
    moved = post_form(
        admin_client, f"/console/admin/c/{SLUG}/stage", {"stage": Stage.RUNNING.value}
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Consultation.stage).filter_by(slug=SLUG)) is Stage.RUNNING

    start_response(consultation)
    first = {
        "q_q_likert": "4",
        "q_q_multiple_choice": ["uno", "tres"],
        "q_q_short_text": "Corta",
        "comment": "Un comentario.",
        "go": "next",
    }
    reply = post_form(client, f"/c/{SLUG}/s/marco", first)
    assert reply.status_code == 302, reply.get_data(as_text=True)
    second = {
        "q_q_single_choice": "dos",
        "q_q_ranking": ["2", "1", ""],
        "q_q_long_text": "Larga\nrespuesta",
        "go": "review",
    }
    reply = post_form(client, f"/c/{SLUG}/s/marco-datos", second)
    assert reply.status_code == 302, reply.get_data(as_text=True)
    sent = post_form(client, f"/c/{SLUG}/submit", {}, form_url=f"/c/{SLUG}/review")
    assert sent.status_code == 302

    response = db.session.scalar(sa.select(Response).filter_by(consultation_id=consultation.id))
    assert response.status is ResponseStatus.SUBMITTED
    answered = set(
        db.session.scalars(sa.select(Question.key).join(Answer, Answer.question_id == Question.id))
    )
    assert answered == {f"q-{kind.value.replace('_', '-')}" for kind in QuestionType}
