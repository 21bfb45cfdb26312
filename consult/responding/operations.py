"""Operations of the public response flow. Each one is a single transaction.

Views validate input with forms and call these; nothing here knows about ``request``.
The consultation, sections and questions passed in may be the process's shared read-only
copy (``public.cache``): new rows refer to them by id, never through a relationship.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.exceptions import Forbidden

from ..extensions import db
from ..mail import queue_receipt
from ..models import Consultation, Question, Response, Section
from ..models.columns import utcnow
from ..models.response import edit_token_for, hash_address, hash_token, new_reference
from ..models.vocab import ResponseStatus
from ..papers.withdrawal import delete_files, paper_keys, unpublish_papers
from . import saving
from .changes import note_public_change
from .own_response import OwnResponse
from .profile import profile_values, write_traits
from .saving import AnswerValue, CommentInput


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


def ensure_writable(
    consultation: Consultation, response: Response | OwnResponse | None = None
) -> None:
    """Refuse writes outside the window or to a withdrawn response."""
    if not consultation.is_open:
        raise ConsultationClosed()
    if response is not None and response.status is ResponseStatus.WITHDRAWN:
        raise ResponseLocked()


def start_response(
    consultation: Consultation,
    profile: Mapping[str, Any],
    locale: str = "es",
    *,
    form_token: str | None = None,
    address: str | None = None,
) -> tuple[Response | OwnResponse, str]:
    """Create a draft from the profile step; return it and its secret edit token.

    ``form_token`` is the nonce of the form that was sent: sending the same form again
    returns the response it started (the database keeps one row per form token), or
    raises ``FormAlreadyUsed`` once that response has moved on. ``address`` is the
    client address; only its salted hash is kept. A profile outside the consultation's
    lists raises ``ProfileInvalid`` and nothing is stored.
    """
    ensure_writable(consultation)
    checked = profile_values(consultation, profile)
    secret = current_app.config["SECRET_KEY"]
    if form_token is not None:
        token = edit_token_for(form_token, secret)
    else:
        token = secrets.token_urlsafe(32)
    now = utcnow()
    values = {
        "consultation_id": consultation.id,
        "token_hash": hash_token(token),
        "form_token": form_token,
        "address_hash": hash_address(address, secret) if address else None,
        "status": ResponseStatus.DRAFT,
        "locale": locale,
        "draft_version": consultation.current_version,
        "consent_at": now,
        "created_at": now,
        "updated_at": now,
        **checked.columns,
    }
    for _attempt in range(_REFERENCE_TRIES):
        values["reference"] = new_reference()
        # One statement, no look first: a row that already holds this form token (the
        # same form sent again, or its twin at the same moment) or this reference makes
        # the insert do nothing, and the database decides between twins.
        insert = _insert_draft(db.engine.dialect.name)
        started = db.session.connection().execute(insert, values).scalar()
        if started is not None:
            write_traits(consultation.profile, started, checked.traits)
            db.session.commit()
            return OwnResponse.started({**values, "id": started}, consultation), token
        if form_token is not None:
            earlier = _started_by(form_token)
            if earlier is not None:
                return _same_form_again(consultation, earlier, form_token)
    raise RuntimeError("no unused reference found")  # 31⁸ codes: never in practice


#: Attempts at an unused reference before giving up.
_REFERENCE_TRIES = 5


@cache
def _insert_draft(dialect: str) -> sa.Executable:
    insert = saving.dialect_insert(dialect)
    return insert(Response.__table__).on_conflict_do_nothing().returning(Response.__table__.c.id)


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


#: What the public pages show of a response beside its published comments.
_SHOWN = ("publication", "display_name", "stakeholder_type")


def _write_response(response: OwnResponse, **values: Any) -> None:
    """Change the response's row (``updated_at`` moves with it) in the session's transaction.

    A Core statement on the session's connection, which the ORM does not see: the caller
    marks the session when the change shows on public pages (``_changes_public_pages``).
    """
    db.session.connection().execute(
        sa.update(Response.__table__).where(Response.__table__.c.id == response.id).values(**values)
    )


def _changes_public_pages(response: OwnResponse, values: Mapping[str, Any]) -> bool:
    return response.shows_published_comments and any(
        values[name] != getattr(response, name) for name in values if name in (*_SHOWN, "status")
    )


def update_profile(response: OwnResponse, profile: Mapping[str, Any]) -> None:
    ensure_writable(response.consultation, response)
    checked = profile_values(response.consultation, profile)
    values = checked.columns
    _write_response(response, **values)
    write_traits(response.consultation.profile, response.id, checked.traits)
    if _changes_public_pages(response, values):
        note_public_change(db.session)
    db.session.commit()


def save_answers(
    response: Response | OwnResponse,
    questions: Iterable[Question],
    values: Mapping[str, AnswerValue],
    *,
    section: Section | None = None,
    comment: CommentInput | None = None,
) -> None:
    """Replace the response's answers to these questions (and the section comment).

    ``values`` maps question keys to values; an empty value removes the answer. Only what
    changed is written (``saving``), in one transaction.
    """
    ensure_writable(response.consultation, response)
    if saving.write_page(response, questions, values, section, comment):
        note_public_change(db.session)
    db.session.commit()


def submit_response(response: OwnResponse, token: str | None = None) -> None:
    """Turn a draft into a submitted response; a response with nothing in it is refused.

    With the private link's ``token``, its emailed receipt is queued in the same
    transaction (``mail.queue_receipt``: only where the site sends mail and the person
    gave an address); the mail server is never waited for here.
    """
    ensure_writable(response.consultation, response)
    if not response.answers and not response.comments:
        raise NothingToSubmit()
    if response.status is ResponseStatus.DRAFT:
        _write_response(response, status=ResponseStatus.SUBMITTED, submitted_at=utcnow())
        if token is not None:
            queue_receipt(response, token)
        db.session.commit()


def withdraw_response(response: OwnResponse) -> bool:
    """Withdraw a submitted response (kept, left out of everything) or discard a draft.

    Return True when a draft was discarded: nothing of it is kept (the database deletes
    its answers, comments and position papers with it; the papers' files go after the
    commit). A withdrawn response's papers are unpublished at once.
    """
    ensure_writable(response.consultation, response)
    if response.status is ResponseStatus.DRAFT:
        keys = paper_keys(response.id)
        table = Response.__table__
        db.session.connection().execute(table.delete().where(table.c.id == response.id))
        db.session.commit()
        delete_files(keys)
        return True
    values = {"status": ResponseStatus.WITHDRAWN, "withdrawn_at": utcnow()}
    _write_response(response, **values)
    if unpublish_papers(response.id) or _changes_public_pages(response, values):
        note_public_change(db.session)
    db.session.commit()
    return False


def answered_sections(response: OwnResponse) -> set[int]:
    """Ids of the sections the response has an answer or a comment in."""
    ids = {c.section_id for c in response.comments}
    ids.update(a.question.section_id for a in response.answers if a.question.section_id)
    return ids
