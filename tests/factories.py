"""Build responses as the public flow leaves them, straight through the ORM, fast.

The public flow is tested on its own (tests/public); console, report and security tests
need many responses in exact shapes, so they are written here: one Answer per question
(likert point or choice code in ``value``), one AnswerChoice per chosen or ranked option,
one Comment per section.
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
    GateAnswer,
    Question,
    Response,
    Section,
    Theme,
    comment_theme,
)
from consult.models.columns import utcnow
from consult.models.response import hash_token, new_reference
from consult.models.vocab import (
    ModerationState,
    QuestionType,
    RejectionReason,
    ResponseStatus,
)

#: A comment as (section key, text), or a dict with section, text and any Comment column.
CommentSpec = tuple[str, str] | Mapping[str, Any]
#: A question key → a likert point or choice code, or a list of codes (most important first).
Answers = Mapping[str, str | list[str]]
#: When a report test's draft was last touched, if it says nothing.
DRAFT_MOMENT = datetime(2024, 3, 1, 12, 0)


def build_response(
    consultation: Consultation,
    comments: Iterable[CommentSpec] = (),
    *,
    answers: Answers | None = None,
    gates: Mapping[str, bool] | None = None,
    status: str = "submitted",
    stakeholder_type: str = "academia",
    region: str = "lima_metropolitana",
    responding_as: str = "organisation",
    organisation_name: str | None = None,
    organisation_size: str | None = "medium",
    publication: str = "anonymous",
    display_name: str | None = None,
    submitted_at: datetime | None = None,
    token: str | None = None,
    **profile: Any,
) -> Response:
    """A response added to the session (not committed), with its answers and comments.

    ``submitted_at`` is when it was sent (now if not given; a draft keeps none);
    ``token`` is the secret of the respondent's private link, for tests that open it;
    ``gates`` maps a gated section's key to the yes (True) or no the response gave it.
    """
    moment = submitted_at or utcnow()
    organisation = responding_as == "organisation"
    response = Response(
        consultation_id=consultation.id,
        reference=new_reference(),
        token_hash=hash_token(token or secrets.token_urlsafe(24)),
        status=ResponseStatus(status),
        responding_as=responding_as,
        stakeholder_type=stakeholder_type,
        organisation_name=(organisation_name or "Organización de prueba") if organisation else None,
        organisation_size=organisation_size if organisation else None,
        region=region,
        publication=publication,
        display_name=display_name,
        consent_at=moment - timedelta(minutes=5),
        created_at=moment - timedelta(minutes=5),
        submitted_at=None if status == "draft" else moment,
        withdrawn_at=moment if status == "withdrawn" else None,
        **profile,
    )
    db.session.add(response)
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
    for key, wants in (gates or {}).items():
        response.gates.append(GateAnswer(section_id=sections[key].id, wants=wants))
    for spec in comments:
        values = dict(spec) if isinstance(spec, Mapping) else {"section": spec[0], "text": spec[1]}
        section = sections[values.pop("section")]
        # The consultation's first contribution choice (None where it asks none).
        choices = consultation.contributions or []
        values.setdefault("contribution", choices[0]["code"] if choices else None)
        if values.get("moderation") == ModerationState.REJECTED:
            values.setdefault("rejection_reason", RejectionReason.OFF_TOPIC)
        values.setdefault("created_at", moment - timedelta(minutes=1))
        response.comments.append(Comment(section_id=section.id, **values))
    return response


def add_response(
    consultation: Consultation,
    *,
    submitted_at: datetime | None,
    organisation_size: str | None = None,
    **options: Any,
) -> Response:
    """A response with exactly the profile given (no size unless given), flushed.

    For report tests, which count every field: ``submitted_at`` must be said, and None is
    only for a draft.
    """
    response = build_response(
        consultation,
        options.pop("comments", ()),
        submitted_at=submitted_at or DRAFT_MOMENT,
        organisation_size=organisation_size,
        **options,
    )
    db.session.flush()
    return response


def make_response(consultation: Consultation, *comments: CommentSpec, **options) -> Response:
    """One response, committed."""
    response = build_response(consultation, comments, **options)
    db.session.commit()
    return response


def make_responses(
    consultation: Consultation,
    count: int,
    *,
    section: str = "5-3",
    start: datetime | None = None,
    **options,
) -> list[Response]:
    """``count`` responses a minute apart, each with one comment on ``section``, committed."""
    start = start or utcnow() - timedelta(days=1)
    responses = [
        build_response(
            consultation,
            [(section, f"Comentario número {n:03d}")],
            submitted_at=start + timedelta(minutes=n),
            **options,
        )
        for n in range(count)
    ]
    db.session.commit()
    return responses


def add_theme(consultation: Consultation, name: str, *comments: Comment) -> Theme:
    """A theme with these comments tagged, flushed (no audit entry: this is set-up)."""
    theme = Theme(consultation_id=consultation.id, name=name)
    db.session.add(theme)
    for comment in comments:
        comment.themes.append(theme)
    db.session.flush()
    return theme


def make_theme(consultation: Consultation, name: str, *comments: Comment) -> Theme:
    """A theme with these comments tagged, committed."""
    theme = add_theme(consultation, name, *comments)
    db.session.commit()
    return theme


def comment_of(response: Response, section: str = "5-3") -> Comment:
    """The response's comment on ``section``, read fresh from the database."""
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Comment)
        .join(Comment.section)
        .where(Comment.response_id == response.id)
        .where(Section.key == section)
    ).one()


def comment_in(response: Response, section: str) -> Comment:
    """The response's comment on the section with this key, as loaded."""
    return next(c for c in response.comments if c.section.key == section)


def remove_consultation(slug: str) -> None:
    """Remove a consultation whole: its responses first (what they hold refers to its
    questions and profile), then its content."""
    consultation = db.session.scalars(sa.select(Consultation).filter_by(slug=slug)).one()
    delete_responses(consultation)
    db.session.execute(sa.delete(Question).where(Question.consultation_id == consultation.id))
    db.session.execute(sa.delete(Consultation).where(Consultation.id == consultation.id))
    db.session.commit()


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
