"""Sending what the outbox holds: claim, send over SMTP, mark sent or schedule a retry.

Several workers may run at once (``consult send-mail`` beside ``consult serve``'s thread,
or on two machines): a message is claimed by a conditional UPDATE, committed before the
mail server is called, so only one of them sends it. A worker that dies holding a claim
lets it go after CLAIM_SECONDS.
"""

from __future__ import annotations

import functools
import logging
import os
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from ..extensions import db
from ..models import Consultation, OutgoingMail, Response
from ..models.columns import utcnow
from ..models.vocab import MailStatus
from .message import NoSiteAddress, receipt_message, site_address_known
from .outbox import mask_address
from .sealing import SealBroken, unseal

log = logging.getLogger(__name__)

#: How long a claim holds: well beyond one SMTP exchange (MAIL_TIMEOUT per step).
CLAIM_SECONDS = 600
#: Longest wait between two attempts, in minutes (1, 2, 4 … then this).
MAX_BACKOFF_MINUTES = 240
#: Messages claimed per pass of the worker.
BATCH = 50
#: Engines whose forked children drop the inherited connections (``start_thread``).
_fork_safe: set[int] = set()
_MAIL = OutgoingMail.__table__


class MailNotConfigured(Exception):
    """A setting the worker needs is missing; nothing was claimed or sent."""


@dataclass
class SendReport:
    sent: int = 0
    #: Attempts that failed in this pass (retried later, or given up).
    failed: int = 0
    #: Messages still queued after this pass (not due yet, or due again).
    waiting: int = 0


def check_settings() -> None:
    """Refuse to send with a setting missing, rather than send a wrong message."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise MailNotConfigured("MAIL_SERVER is not set: this site sends no email")
    if not config.get("MAIL_DEFAULT_SENDER"):
        raise MailNotConfigured("set MAIL_DEFAULT_SENDER, the address receipts come from")
    if not site_address_known():
        raise MailNotConfigured(
            "set PUBLIC_URL (the site's public address, e.g. https://consulta.example.gob.pe):"
            " without it a receipt's private link cannot be written"
        )


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 1, 2, 4 … minutes, capped."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


def _due(now) -> sa.ColumnElement[bool]:
    return sa.and_(
        _MAIL.c.status == MailStatus.QUEUED.value,
        _MAIL.c.next_attempt_at <= now,
        sa.or_(_MAIL.c.claimed_until.is_(None), _MAIL.c.claimed_until < now),
    )


def claim(mail_id: int) -> bool:
    """Take one message for this worker (committed); False when another has it or it
    is no longer due."""
    now = utcnow()
    result = db.session.execute(
        sa.update(_MAIL)
        .where(_MAIL.c.id == mail_id, _due(now))
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def send_due(*, on_claimed: Callable[[int], None] | None = None) -> SendReport:
    """Send every message due now, each claimed first; count what happened.

    ``on_claimed`` is called with each claimed id before it is sent (tests use it to run
    a second worker at that very moment).
    """
    check_settings()
    report = SendReport()
    candidates = db.session.scalars(
        sa.select(_MAIL.c.id).where(_due(utcnow())).order_by(_MAIL.c.next_attempt_at).limit(BATCH)
    ).all()
    db.session.commit()
    for mail_id in candidates:
        if not claim(mail_id):
            continue
        if on_claimed is not None:
            on_claimed(mail_id)
        if _send_one(mail_id):
            report.sent += 1
        else:
            report.failed += 1
    report.waiting = db.session.scalar(
        sa.select(sa.func.count()).where(_MAIL.c.status == MailStatus.QUEUED.value)
    )
    db.session.commit()
    return report


def _send_one(mail_id: int) -> bool:
    """Send one claimed message and record the result (one transaction); True when sent."""
    config = current_app.config
    mail = db.session.get(OutgoingMail, mail_id)
    of_response = sa.select(Response.reference, Response.consultation_id).where(
        Response.id == (mail.response_id if mail else None)
    )
    row = db.session.execute(of_response).one_or_none()
    if mail is None or row is None:  # deleted with its response since it was claimed
        db.session.rollback()
        return False
    consultation = db.session.get(Consultation, row.consultation_id)
    recipient = mail.recipient
    try:
        if not recipient or not mail.sealed_token:
            raise _GiveUp("nothing to send: the address or the private link is gone")
        try:
            token = unseal(mail.sealed_token, config["SECRET_KEY"])
        except SealBroken as broken:
            raise _GiveUp(f"{broken} (was SECRET_KEY changed?)") from broken
        message = receipt_message(
            consultation=consultation,
            reference=row.reference,
            token=token,
            locale=mail.locale,
            sender=config["MAIL_DEFAULT_SENDER"],
            recipient=recipient,
        )
        _deliver(message)
    except _GiveUp as reason:
        _record_failure(mail, str(reason), give_up=True)
        return False
    except (smtplib.SMTPException, OSError, NoSiteAddress) as error:
        _record_failure(mail, _describe(error, recipient))
        return False
    mail.status = MailStatus.SENT
    mail.sent_at = utcnow()
    mail.recipient = None
    mail.sealed_token = None
    mail.claimed_until = None
    mail.last_error = None
    db.session.commit()
    return True


class _GiveUp(Exception):
    """A failure no retry can mend."""


def _deliver(message) -> None:
    """One SMTP conversation: STARTTLS when MAIL_USE_TLS, a login when MAIL_USERNAME."""
    config = current_app.config
    timeout = config.get("MAIL_TIMEOUT", 30)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=timeout) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def _record_failure(mail: OutgoingMail, error: str, *, give_up: bool = False) -> None:
    mail.attempts += 1
    mail.last_error = error[:500]
    mail.claimed_until = None
    if give_up or mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        mail.status = MailStatus.FAILED
    else:
        mail.next_attempt_at = utcnow() + backoff(mail.attempts)
    db.session.commit()
    log.warning("receipt %s not sent (attempt %s): %s", mail.id, mail.attempts, mail.last_error)


def _describe(error: BaseException, recipient: str | None) -> str:
    """The server's refusal or the connection's error, short, with neither the address
    (a server may echo it) nor the password."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, said = next(iter(error.recipients.values()))
        text = f"{code} {_text(said)}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, OSError) and error.strerror:
        text = f"{type(error).__name__}: {error.strerror}"
    else:
        text = f"{type(error).__name__}: {error}"
    secrets = [current_app.config.get("MAIL_PASSWORD")]
    for secret in filter(None, secrets):
        text = text.replace(str(secret), "***")
    if recipient:
        text = text.replace(recipient, mask_address(recipient))
    return " ".join(text.split())[:200]


def _text(said: bytes | str) -> str:
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)


def run_forever(stop: threading.Event | None = None) -> None:
    """Send what is due every MAIL_POLL_SECONDS until ``stop`` is set (in an app context)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            send_due()
        except MailNotConfigured as missing:
            log.error("receipts are not sent: %s", missing)
        except Exception:  # a database hiccup must not end the loop
            log.exception("the mail worker's pass failed; trying again later")
        finally:
            db.session.remove()
        stop.wait(current_app.config["MAIL_POLL_SECONDS"])


def start_thread(app: Flask, stop: threading.Event | None = None) -> threading.Thread:
    """Run the worker on a daemon thread of this process (``consult serve``'s master).

    gunicorn forks its workers after this: each child drops the connections it inherited
    from this process's pool rather than share them with the thread.
    """
    with app.app_context():
        engine = db.engine
    if id(engine) not in _fork_safe:
        os.register_at_fork(after_in_child=functools.partial(engine.dispose, close=False))
        _fork_safe.add(id(engine))

    def work() -> None:
        with app.app_context():
            run_forever(stop)

    thread = threading.Thread(target=work, name="consult-mail", daemon=True)
    thread.start()
    return thread
