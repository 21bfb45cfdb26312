"""Build responses with answers and comments straight through the ORM, for report tests.

The public flow is tested on its own; the report tests need exact, hand-chosen data, so it
is written here as the flow would leave it: one Answer per question (likert point or
choice code in ``value``), one AnswerChoice per chosen or ranked option, one Comment per
section.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from consult.extensions import db
from consult.models import (
    Answer,
    AnswerChoice,
    Comment,
    Consultation,
    Response,
    Theme,
    comment_theme,
)
from consult.models.response import hash_token, new_reference
from consult.models.vocab import QuestionType, ResponseStatus

#: A question key → a likert point or choice code, or a list of codes (most important first).
Answers = Mapping[str, str | list[str]]


def add_response(
    consultation: Consultation,
    *,
    submitted_at: datetime | None,
    status: str = "submitted",
    stakeholder_type: str = "academia",
    responding_as: str = "organisation",
    organisation_size: str | None = None,
    region: str = "lima_metropolitana",
    country: str | None = None,
    gender: str | None = None,
    age_band: str | None = None,
    publication: str = "anonymous",
    display_name: str | None = None,
    email: str | None = None,
    answers: Answers | None = None,
    comments: Iterable[Mapping[str, Any]] = (),
) -> Response:
    """A response added to the session and flushed (not committed).

    ``comments`` are dicts with ``section`` (a key), ``text`` and any other Comment column.
    """
    moment = submitted_at or datetime(2024, 3, 1, 12, 0)
    response = Response(
        consultation_id=consultation.id,
        reference=new_reference(),
        token_hash=hash_token(secrets.token_urlsafe(24)),
        status=ResponseStatus(status),
        responding_as=responding_as,
        stakeholder_type=stakeholder_type,
        organisation_name="Organización de prueba" if responding_as == "organisation" else None,
        organisation_size=organisation_size,
        region=region,
        country=country,
        gender=gender,
        age_band=age_band,
        publication=publication,
        display_name=display_name,
        email=email,
        consent_at=moment - timedelta(minutes=10),
        created_at=moment - timedelta(minutes=10),
        submitted_at=submitted_at,
        withdrawn_at=moment if status == "withdrawn" else None,
    )
    questions = {q.key: q for q in consultation.questions}
    for key, value in (answers or {}).items():
        question = questions[key]
        answer = Answer(question_id=question.id)
        if question.type is QuestionType.RANKING:
            answer.choices = [
                AnswerChoice(option=code, position=rank) for rank, code in enumerate(value, 1)
            ]
        elif question.type is QuestionType.MULTIPLE_CHOICE:
            answer.choices = [AnswerChoice(option=code) for code in value]
        else:
            answer.value = value
        response.answers.append(answer)
    sections = {s.key: s for s in consultation.sections}
    for spec in comments:
        values = dict(spec)
        section = sections[values.pop("section")]
        values.setdefault("contribution", "problem_definition")
        values.setdefault("created_at", moment - timedelta(minutes=1))
        response.comments.append(Comment(section_id=section.id, **values))
    db.session.add(response)
    db.session.flush()
    return response


def add_theme(consultation: Consultation, name: str, *comments: Comment) -> Theme:
    """A theme tagging these comments, flushed."""
    theme = Theme(consultation_id=consultation.id, name=name)
    db.session.add(theme)
    for comment in comments:
        comment.themes.append(theme)
    db.session.flush()
    return theme


def comment_in(response: Response, section: str) -> Comment:
    """The response's comment on the section with this key."""
    return next(c for c in response.comments if c.section.key == section)


def delete_responses(consultation: Consultation) -> None:
    """Remove every response of the consultation with its answers, comments and tags."""
    responses = sa.select(Response.id).where(Response.consultation_id == consultation.id)
    answers = sa.select(Answer.id).where(Answer.response_id.in_(responses))
    comments = sa.select(Comment.id).where(Comment.response_id.in_(responses))
    db.session.execute(sa.delete(AnswerChoice).where(AnswerChoice.answer_id.in_(answers)))
    db.session.execute(sa.delete(Answer).where(Answer.response_id.in_(responses)))
    db.session.execute(sa.delete(comment_theme).where(comment_theme.c.comment_id.in_(comments)))
    db.session.execute(sa.delete(Comment).where(Comment.response_id.in_(responses)))
    db.session.execute(sa.delete(Response).where(Response.consultation_id == consultation.id))
    db.session.commit()
    db.session.expire_all()
