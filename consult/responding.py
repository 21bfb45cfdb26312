"""Operations of the public response flow. Each one is a single transaction.

Views validate input with forms and call these; nothing here knows about ``request``.
The consultation, sections and questions passed in may be the process's shared read-only
copy (``public.cache``): new rows refer to them by id, never through a relationship.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Forbidden

from .extensions import db
from .models import Answer, AnswerChoice, Comment, Consultation, Question, Response, Section
from .models.columns import utcnow
from .models.response import edit_token_for, hash_address, hash_token, new_reference
from .models.vocab import Contribution, ModerationState, QuestionType, ResponseStatus

#: Profile attributes a respondent sets on the first step, and may change later.
PROFILE_FIELDS = (
    "responding_as",
    "stakeholder_type",
    "organisation_name",
    "organisation_size",
    "region",
    "country",
    "gender",
    "age_band",
    "publication",
    "display_name",
    "email",
)

#: An answer value: a code or text, or a list of codes (multiple choice, ranking in order).
AnswerValue = str | list[str] | None


class ConsultationClosed(Forbidden):
    """A write outside the consultation's window: refused, nothing stored."""

    description = "closed"


class ResponseLocked(Forbidden):
    """A write to a withdrawn response."""

    description = "locked"


class NothingToSubmit(Exception):
    """Submitting a response with no answer and no comment."""


class FormAlreadyUsed(Exception):
    """The form that started a response was sent again after that response moved on."""


#: How long sending the same profile form again returns the response it started.
REPLAY_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class CommentInput:
    text: str
    contribution: Contribution


def ensure_writable(consultation: Consultation, response: Response | None = None) -> None:
    """Refuse writes outside the window or to a withdrawn response."""
    if not consultation.is_open:
        raise ConsultationClosed()
    if response is not None and response.status is ResponseStatus.WITHDRAWN:
        raise ResponseLocked()


#: Every request of a respondent runs this: built once. Two queries: the response with its
#: comments, then its answers with their choices.
_BY_TOKEN = (
    sa.select(Response)
    .where(Response.consultation_id == sa.bindparam("consultation_id"))
    .where(Response.token_hash == sa.bindparam("token_hash"))
    .options(selectinload(Response.answers).joinedload(Answer.choices))
    .options(joinedload(Response.comments))
)


def find_response(consultation: Consultation, token: str | None) -> Response | None:
    """The response a secret token opens, within this consultation only."""
    if not token or len(token) > 128:
        return None
    return db.session.scalar(
        _BY_TOKEN, {"consultation_id": consultation.id, "token_hash": hash_token(token)}
    )


def _clean_profile(profile: Mapping[str, Any]) -> dict[str, Any]:
    """Drop the fields that do not apply, so the stored profile is consistent."""
    values = {name: profile.get(name) or None for name in PROFILE_FIELDS}
    if values["responding_as"] != "organisation":
        values["organisation_name"] = values["organisation_size"] = None
    if values["region"] != "abroad":
        values["country"] = None
    if values["publication"] != "named":
        values["display_name"] = None
    return values


def start_response(
    consultation: Consultation,
    profile: Mapping[str, Any],
    locale: str = "es",
    *,
    form_token: str | None = None,
    address: str | None = None,
) -> tuple[Response, str]:
    """Create a draft from the profile step; return it and its secret edit token.

    ``form_token`` is the nonce of the form that was sent: sending the same form again
    returns the response it started (the database refuses a second row with it), or
    raises ``FormAlreadyUsed`` once that response has moved on. ``address`` is the
    client address; only its salted hash is kept.
    """
    ensure_writable(consultation)
    secret = current_app.config["SECRET_KEY"]
    if form_token is not None:
        earlier = _started_by(form_token)
        if earlier is not None:
            return _same_form_again(consultation, earlier, form_token)
        token = edit_token_for(form_token, secret)
    else:
        token = secrets.token_urlsafe(32)
    response = Response(
        consultation_id=consultation.id,
        reference=_unused_reference(),
        token_hash=hash_token(token),
        form_token=form_token,
        address_hash=hash_address(address, secret) if address else None,
        status=ResponseStatus.DRAFT,
        locale=locale,
        consent_at=utcnow(),
        **_clean_profile(profile),
    )
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:
        # The same form, sent twice at once: the other request's row won the race.
        db.session.rollback()
        earlier = _started_by(form_token) if form_token is not None else None
        if earlier is None:
            raise
        return _same_form_again(consultation, earlier, form_token)
    return response, token


def _started_by(form_token: str) -> Response | None:
    return db.session.scalar(sa.select(Response).where(Response.form_token == form_token))


def _same_form_again(
    consultation: Consultation, earlier: Response, form_token: str
) -> tuple[Response, str]:
    """Give back the response a form started, while that can only be the same person's retry.

    A double click or a retry comes within moments, before anything is answered. Later,
    the same form is more likely a shared computer's back button: the response is not
    handed over.
    """
    fresh = utcnow() - earlier.created_at < REPLAY_WINDOW
    untouched = (
        earlier.status is ResponseStatus.DRAFT and not earlier.answers and not earlier.comments
    )
    if earlier.consultation_id != consultation.id or not (fresh and untouched):
        raise FormAlreadyUsed()
    return earlier, edit_token_for(form_token, current_app.config["SECRET_KEY"])


def _unused_reference() -> str:
    while True:
        reference = new_reference()
        taken = db.session.scalar(sa.select(Response.id).filter_by(reference=reference))
        if taken is None:
            return reference


def update_profile(response: Response, profile: Mapping[str, Any]) -> None:
    ensure_writable(response.consultation, response)
    for name, value in _clean_profile(profile).items():
        setattr(response, name, value)
    db.session.commit()


def save_answers(
    response: Response,
    questions: Iterable[Question],
    values: Mapping[str, AnswerValue],
    *,
    section: Section | None = None,
    comment: CommentInput | None = None,
) -> None:
    """Replace the response's answers to these questions (and the section comment).

    ``values`` maps question keys to values; an empty value removes the answer.
    """
    ensure_writable(response.consultation, response)
    questions = list(questions)
    try:
        _apply_answers(response, questions, values, section, comment)
        db.session.commit()
    except IntegrityError:
        # A double click: the twin request inserted the same answer or comment rows
        # first. Its rows are now visible; write the same values over them, once.
        db.session.rollback()
        _apply_answers(response, questions, values, section, comment)
        db.session.commit()


def _apply_answers(
    response: Response,
    questions: list[Question],
    values: Mapping[str, AnswerValue],
    section: Section | None,
    comment: CommentInput | None,
) -> None:
    existing = {a.question_id: a for a in response.answers}
    for question in questions:
        value = values.get(question.key)
        answer = existing.get(question.id)
        if _is_empty(value):
            if answer is not None:
                response.answers.remove(answer)
            continue
        if answer is None:
            answer = Answer(question_id=question.id)
            response.answers.append(answer)
        _set_value(answer, question, value)
    if section is not None:
        _set_comment(response, section, comment)
    response.updated_at = utcnow()


def _is_empty(value: AnswerValue) -> bool:
    return value is None or value == "" or value == []


def _set_value(answer: Answer, question: Question, value: AnswerValue) -> None:
    if question.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING):
        ranked = question.type is QuestionType.RANKING
        codes = list(value) if isinstance(value, list) else [value]
        wanted = {code: (i + 1 if ranked else None) for i, code in enumerate(codes)}
        for choice in list(answer.choices):
            if choice.option not in wanted:
                answer.choices.remove(choice)
            else:
                choice.position = wanted.pop(choice.option)
        for code, position in wanted.items():
            answer.choices.append(AnswerChoice(option=code, position=position))
        answer.value = None
    else:
        answer.value = value if isinstance(value, str) else None


def _set_comment(response: Response, section: Section, comment: CommentInput | None) -> None:
    current = next((c for c in response.comments if c.section_id == section.id), None)
    if comment is None or not comment.text.strip():
        if current is not None:
            response.comments.remove(current)
        return
    if current is None:
        current = Comment(section_id=section.id, text="", contribution=comment.contribution)
        response.comments.append(current)
    text = comment.text.strip()
    if current.text and text != current.text:
        # Changed words need a fresh look before anyone reads them publicly.
        current.moderation = ModerationState.PENDING
        current.rejection_reason = current.redacted_text = None
    current.text = text
    current.contribution = comment.contribution


def submit_response(response: Response) -> None:
    """Turn a draft into a submitted response; a response with nothing in it is refused."""
    ensure_writable(response.consultation, response)
    if not response.answers and not response.comments:
        raise NothingToSubmit()
    if response.status is ResponseStatus.DRAFT:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = utcnow()
    db.session.commit()


def withdraw_response(response: Response) -> bool:
    """Withdraw a submitted response (kept, left out of everything) or discard a draft.

    Return True when a draft was discarded: nothing of it is kept.
    """
    ensure_writable(response.consultation, response)
    if response.status is ResponseStatus.DRAFT:
        db.session.delete(response)
        db.session.commit()
        return True
    response.status = ResponseStatus.WITHDRAWN
    response.withdrawn_at = utcnow()
    db.session.commit()
    return False


def answered_sections(response: Response) -> set[int]:
    """Ids of the sections the response has an answer or a comment in."""
    ids = {c.section_id for c in response.comments}
    ids.update(a.question.section_id for a in response.answers if a.question.section_id)
    return ids
