"""Coordinator accounts: creation, sign-in with throttling, sessions, and administration.

Every change is audited. Failed sign-ins are counted per account and per address:
after a few the next attempt must wait (growing), after more the account or address is
locked for a while, correct password or not.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash

from ..extensions import db
from ..models import ConsoleSession, Consultation, SignInFailure, User
from ..models.columns import utcnow
from ..models.vocab import Role
from . import audit, passwords


class AccountError(Exception):
    """A refused account operation; the message says why."""


class WeakPassword(AccountError):
    """A refused password: ``messages`` say why and how to choose one (in the person's
    language when shown); the exception's text has them in every language."""

    def __init__(self, reason) -> None:
        self.messages = (reason, passwords.ADVICE)
        super().__init__(passwords.in_both_languages(*self.messages))


@dataclass(frozen=True)
class SignInRefused(Exception):
    """Sign-in refused: bad credentials, or too many failures (wait ``seconds``)."""

    reason: str  # "invalid", "slowed" or "locked"
    seconds: int = 0


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    email: str, role: Role, password: str | None = None, *, actor: User | None = None
) -> tuple[User, str | None]:
    """Create an account; without a password one is generated and returned (once)."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address")
    if db.session.scalar(sa.select(User.id).filter_by(email=email)) is not None:
        raise AccountError(f"an account for {email} exists already")
    generated = None
    if password is None:  # 120 random bits: nothing for the policy to refuse
        password = generated = secrets.token_urlsafe(15)
    else:
        check_new_password(password, email)
    user = User(email=email, role=Role(role), active=True, session_version=1)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.create",
        "user",
        user.id,
        after=audit.snapshot(user, "email", "role"),
        actor_email=None if actor else "command line",
    )
    db.session.commit()
    return user, generated


def check_new_password(password: str, email: str) -> None:
    """Raise ``WeakPassword`` unless ``password`` may be set on the account of ``email``.

    Every place that sets a password calls this; the rules are in ``passwords``. The
    consultations' names and organisers count like the site's name.
    """
    names = db.session.execute(
        sa.select(
            Consultation.slug,
            Consultation.title_es,
            Consultation.title_en,
            Consultation.organiser_es,
            Consultation.organiser_en,
        )
    )
    problem = passwords.password_problem(password, email, [text for row in names for text in row])
    if problem is not None:
        raise WeakPassword(problem)


def _failures_since(column, value: str, since) -> tuple[int, object]:
    count, last = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(SignInFailure.at)).where(
            column == value, SignInFailure.at >= since
        )
    ).one()
    return count, last


def _check_throttle(email: str, address: str) -> None:
    """Refuse an attempt that comes too soon after failures, or while locked."""
    config = current_app.config
    now = utcnow()
    window = timedelta(minutes=config["SIGN_IN_LOCK_MINUTES"])
    for column, value, slow_after, lock_after in (
        (SignInFailure.email, email, config["SIGN_IN_SLOW_AFTER"], config["SIGN_IN_LOCK_AFTER"]),
        (
            SignInFailure.address,
            address,
            config["SIGN_IN_SLOW_AFTER"] * 2,
            config["SIGN_IN_LOCK_AFTER"] * 4,
        ),
    ):
        count, last = _failures_since(column, value, now - window)
        if count >= lock_after:
            remaining = (last + window - now).total_seconds()
            raise SignInRefused("locked", max(1, int(remaining)))
        if count >= slow_after:
            wait = min(60, 2 ** (count - slow_after + 1))
            remaining = (last + timedelta(seconds=wait) - now).total_seconds()
            if remaining > 0:
                raise SignInRefused("slowed", max(1, int(remaining + 0.999)))


@functools.cache
def _dummy_hash() -> str:
    """A hash of no one's password, made once per process as real ones are made."""
    return User.hash_password(secrets.token_urlsafe(16))


def _password_matches(user: User | None, password: str) -> bool:
    """Check ``password`` against ``user``'s hash, or a dummy one when there is no user.

    Hashing is nearly all of a sign-in's time: without it an unknown email was answered
    some fifteen times faster, which told which emails have accounts.
    """
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


def authenticate(email: str, password: str, address: str) -> User:
    """Check a sign-in; record and audit the outcome. Raise SignInRefused on failure."""
    email = normalise_email(email)[:254]
    user = db.session.scalar(sa.select(User).filter_by(email=email))
    try:
        _check_throttle(email, address)
        if not _password_matches(user, password) or not user.active:
            raise SignInRefused("invalid")
    except SignInRefused as refusal:
        if refusal.reason != "slowed":
            db.session.add(SignInFailure(email=email, address=address, at=utcnow()))
        audit.record(
            user,
            "user.sign_in_failed",
            "user",
            user.id if user else None,
            after={"reason": refusal.reason},
            actor_email=email,
            address=address,
        )
        db.session.commit()
        raise
    db.session.execute(sa.delete(SignInFailure).where(SignInFailure.email == email))
    user.last_sign_in_at = utcnow()
    audit.record(user, "user.sign_in", "user", user.id, address=address)
    db.session.commit()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _session_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["CONSOLE_SESSION_HOURS"])


def open_session(user: User) -> str:
    """Start a console session on the server; return the token for the browser's cookie.

    The user's sessions that have outlived ``CONSOLE_SESSION_HOURS`` are deleted here, so
    the table holds only sessions that could still be used.
    """
    db.session.execute(
        sa.delete(ConsoleSession).where(
            ConsoleSession.user_id == user.id,
            ConsoleSession.created_at < utcnow() - _session_lifetime(),
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(ConsoleSession(user_id=user.id, token_hash=_token_hash(token)))
    db.session.commit()
    return token


def close_session(token: str | None, *, signed_out: User | None = None) -> None:
    """End one console session on the server (the others of its user go on).

    With ``signed_out``, the person asked for it: the sign-out is audited in the same
    transaction. Without, the session had grown too old or idle.
    """
    if token:
        db.session.execute(
            sa.delete(ConsoleSession).where(ConsoleSession.token_hash == _token_hash(token))
        )
    if signed_out is not None:
        audit.record(signed_out, "user.sign_out", "user", signed_out.id)
    db.session.commit()


def load_session_user(session_id: str, token: str | None) -> User | None:
    """The user of a console session, if it is open on the server and the account current.

    ``session_id`` is "<id>:<version>" (``User.get_id``); ``token`` is the browser's
    session token, whose row signing out deletes.
    """
    user_id, _, version = session_id.partition(":")
    if not token or not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.scalar(
        sa.select(User)
        .join(ConsoleSession, ConsoleSession.user_id == User.id)
        .where(
            User.id == int(user_id),
            ConsoleSession.token_hash == _token_hash(token),
            ConsoleSession.created_at >= utcnow() - _session_lifetime(),
        )
    )
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def update_user(
    user: User, *, actor: User, role: Role | None = None, active: bool | None = None
) -> None:
    """Change an account's role or active flag; either change ends its sessions."""
    before = audit.snapshot(user, "role", "active")
    if user.id == actor.id and (active is False or (role and Role(role) is not Role.ADMIN)):
        raise AccountError("you cannot deactivate or demote your own account")
    if role is not None:
        user.role = Role(role)
    if active is not None:
        user.active = active
    after = audit.snapshot(user, "role", "active")
    if after == before:
        return
    user.end_sessions()
    db.session.execute(sa.delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
    audit.record(actor, "user.update", "user", user.id, before=before, after=after)
    db.session.commit()
