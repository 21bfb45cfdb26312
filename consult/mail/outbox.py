"""The outbox's rows: queued at submit, read by the receipt page and the console.

Each change here runs in the caller's transaction (``queue_receipt``, ``forget_personal_data``)
or is one transaction of its own with its audit entry (``retry_now``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Protocol

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Consultation, OutgoingMail, Response, User
from ..models.columns import utcnow
from ..models.vocab import MailStatus
from ..reviewing import audit
from .sealing import seal

#: The one kind of message so far: the receipt of a submitted response.
RECEIPT = "receipt"

_MAIL = OutgoingMail.__table__


class Submitted(Protocol):
    """What queuing needs of a response (a model or the respondent's ``OwnResponse``)."""

    id: int
    email: str | None
    locale: str


def sends_mail() -> bool:
    """Whether this site sends email at all (``MAIL_SERVER`` is set)."""
    return bool(current_app.config.get("MAIL_SERVER"))


@cache
def _insert_once(dialect: str) -> sa.Executable:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(_MAIL).on_conflict_do_nothing(index_elements=["response_id", "kind"])


def queue_receipt(response: Submitted, token: str) -> bool:
    """Queue the receipt of a response in the current transaction; True when queued now.

    Nothing is queued when the site sends no mail or the respondent gave no address. One
    receipt per response: submitting again (or a retried request) adds nothing, decided by
    the database's unique (response, kind).
    """
    if not sends_mail() or not response.email:
        return False
    now = utcnow()
    values = {
        "response_id": response.id,
        "kind": RECEIPT,
        "recipient": response.email,
        "locale": response.locale,
        "sealed_token": seal(token, current_app.config["SECRET_KEY"]),
        "status": MailStatus.QUEUED,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    result = db.session.connection().execute(_insert_once(db.engine.dialect.name), values)
    return result.rowcount == 1


def mask_address(address: str) -> str:
    """An address as a page may show it to its owner: ``j***@example.org``."""
    local, _at, domain = address.rpartition("@")
    if not local:
        return "***"
    return f"{local[0]}***@{domain}"


@dataclass(frozen=True)
class ReceiptMail:
    """What the receipt page says about the emailed copy."""

    #: "no_email"; "off" (the site sends no mail); "none" (none was queued for it);
    #: "queued", "sent" or "failed" (given up).
    state: str
    #: The address, masked; None without one.
    masked: str | None = None


def receipt_state(response: Submitted) -> ReceiptMail:
    """Whether the response's receipt is on its way, sent, given up, or not sent at all."""
    if not response.email:
        return ReceiptMail("no_email")
    if not sends_mail():
        return ReceiptMail("off", mask_address(response.email))
    masked = mask_address(response.email)
    status = db.session.scalar(
        sa.select(OutgoingMail.status).where(
            OutgoingMail.response_id == response.id, OutgoingMail.kind == RECEIPT
        )
    )
    if status is None:  # submitted while the site sent no mail, or before it did
        return ReceiptMail("none", masked)
    return ReceiptMail(MailStatus(status).value, masked)


@dataclass(frozen=True)
class WaitingMail:
    """A message of the console's list: never its address nor its sealed link."""

    id: int
    response_id: int
    reference: str
    status: MailStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[MailStatus, int]
    #: Failed first, then those waiting, oldest first.
    waiting: list[WaitingMail]


def outbox_summary(consultation: Consultation, limit: int = 200) -> OutboxSummary:
    """Counts by status of a consultation's messages, and those not sent (two queries)."""
    mine = (Response.consultation_id == consultation.id,)
    counts = dict(
        db.session.execute(
            sa.select(OutgoingMail.status, sa.func.count())
            .join(Response, Response.id == OutgoingMail.response_id)
            .where(*mine)
            .group_by(OutgoingMail.status)
        ).all()
    )
    rows = db.session.execute(
        sa.select(
            OutgoingMail.id,
            OutgoingMail.response_id,
            Response.reference,
            OutgoingMail.status,
            OutgoingMail.attempts,
            OutgoingMail.last_error,
            OutgoingMail.next_attempt_at,
            OutgoingMail.created_at,
        )
        .join(Response, Response.id == OutgoingMail.response_id)
        .where(*mine, OutgoingMail.status != MailStatus.SENT)
        .order_by(
            sa.case((OutgoingMail.status == MailStatus.FAILED, 0), else_=1),
            OutgoingMail.next_attempt_at,
            OutgoingMail.id,
        )
        .limit(limit)
    )
    return OutboxSummary(
        counts={status: counts.get(status, 0) for status in MailStatus},
        waiting=[WaitingMail(*row) for row in rows],
    )


class RetryRefused(Exception):
    """Only a message that was given up on can be tried again now."""


def retry_now(consultation: Consultation, mail_id: int, actor: User) -> None:
    """Put a failed message back in the queue, due now: one more attempt (audited)."""
    mail = db.session.scalar(
        sa.select(OutgoingMail)
        .join(Response, Response.id == OutgoingMail.response_id)
        .where(OutgoingMail.id == mail_id, Response.consultation_id == consultation.id)
    )
    if mail is None:
        raise LookupError(mail_id)
    if mail.status is not MailStatus.FAILED:
        raise RetryRefused()
    before = audit.snapshot(mail, "status", "attempts", "last_error")
    mail.status = MailStatus.QUEUED
    mail.next_attempt_at = utcnow()
    mail.claimed_until = None
    audit.record(
        actor,
        "mail.retry",
        "outgoing_mail",
        mail.id,
        before=before,
        after={"status": MailStatus.QUEUED, "response_id": mail.response_id},
    )
    db.session.commit()


#: What a message's last error says once the purge took its address and link.
PURGED_ERROR = "personal data purged before it was sent"


def forget_personal_data(consultation: Consultation) -> int:
    """Drop the addresses and sealed links of a consultation's messages (the caller's
    transaction); one not sent yet is given up. Return how many rows held any."""
    held = sa.or_(_MAIL.c.recipient.is_not(None), _MAIL.c.sealed_token.is_not(None))
    mine = _MAIL.c.response_id.in_(
        sa.select(Response.id).where(Response.consultation_id == consultation.id)
    )
    result = db.session.execute(
        sa.update(_MAIL)
        .where(mine, held)
        .values(
            recipient=None,
            sealed_token=None,
            claimed_until=None,
            status=sa.case(
                (_MAIL.c.status == MailStatus.SENT.value, _MAIL.c.status),
                else_=sa.literal(MailStatus.FAILED.value),
            ),
            last_error=sa.case(
                (_MAIL.c.status == MailStatus.SENT.value, _MAIL.c.last_error),
                else_=sa.literal(PURGED_ERROR),
            ),
        )
    )
    return result.rowcount
