"""Coordinator accounts: hashed passwords, throttled sign-in, sessions that end, the audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from consult.extensions import db
from consult.models import AuditEntry, SignInFailure, User
from consult.models.vocab import Role
from consult.reviewing import accounts
from tests.conftest import (
    PASSWORD,
    Clock,
    create_account,
    goes_to_sign_in,
    session_csrf_token,
    sign_in,
    signed_in_client,
)

EMAIL = "ana@example.org"
CONSOLE = "/console/"


@pytest.fixture
def ana(app: Flask) -> User:
    return create_account(EMAIL)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Sign-in time that moves only when the test says so."""
    clock = Clock()
    monkeypatch.setattr("consult.reviewing.accounts.utcnow", clock)
    return clock


@pytest.fixture
def boss(app: Flask) -> User:
    """An administrator who changes other accounts."""
    return create_account("jefa@example.org", "admin")


def audit_entries() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def failures_of(email: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(SignInFailure).filter_by(email=email)
    )


def fail(client, email: str = EMAIL, address: str = "127.0.0.1"):
    client.environ_base["REMOTE_ADDR"] = address
    return sign_in(client, email, "wrong password!")


# ---------------------------------------------------------------- passwords and sign-in


def test_passwords_are_stored_hashed(ana):
    stored = db.session.scalar(sa.select(User.password_hash).filter_by(email=EMAIL))
    assert PASSWORD not in stored and stored.startswith("scrypt:")
    assert ana.check_password(PASSWORD) and not ana.check_password(PASSWORD.upper())


def test_short_passwords_and_duplicate_emails_are_refused(ana):
    with pytest.raises(accounts.AccountError, match="12 characters"):
        accounts.create_user("otra@example.org", Role.COORDINATOR, "short")
    with pytest.raises(accounts.AccountError, match="exists already"):
        accounts.create_user(" ANA@example.org ", Role.ADMIN, PASSWORD)


def test_sign_in_succeeds_with_the_right_password(client, ana):
    reply = sign_in(client, "  Ana@Example.ORG ", PASSWORD)
    assert reply.status_code == 302 and reply.location.endswith(CONSOLE)
    assert client.get(CONSOLE).status_code == 200
    db.session.expire_all()
    assert db.session.get(User, ana.id).last_sign_in_at is not None


def test_a_wrong_password_or_unknown_email_gets_the_same_message(client, ana):
    client.get("/?lang=en")
    for email in (EMAIL, "nadie@example.org"):
        reply = sign_in(client, email, "wrong password!")
        assert reply.status_code == 401
        assert "That email and password do not match an active account." in reply.text
    assert goes_to_sign_in(client.get(CONSOLE))


def test_after_a_few_failures_the_next_attempt_must_wait(app, client, ana, clock):
    for _ in range(app.config["SIGN_IN_SLOW_AFTER"]):
        assert fail(client).status_code == 401
    reply = sign_in(client, EMAIL, PASSWORD)  # even the right password
    assert reply.status_code == 429
    client.get("/?lang=en")
    reply = sign_in(client, EMAIL, PASSWORD)
    assert reply.status_code == 429
    assert "Please wait 2 second(s) before trying again." in reply.text
    clock.advance(seconds=2)
    assert sign_in(client, EMAIL, PASSWORD).status_code == 302


def lock(app: Flask, client, clock: Clock, email: str = EMAIL) -> None:
    """Fail as often as it takes to lock, waiting each time as long as asked."""
    slow_after = app.config["SIGN_IN_SLOW_AFTER"]
    for attempt in range(app.config["SIGN_IN_LOCK_AFTER"]):
        if attempt >= slow_after:
            clock.advance(seconds=2 ** (attempt - slow_after + 1))
        assert fail(client, email).status_code == 401, attempt


def test_after_more_failures_the_account_is_locked_for_a_while(app, client, ana, clock):
    client.get("/?lang=en")
    lock(app, client, clock)
    minutes = app.config["SIGN_IN_LOCK_MINUTES"]
    reply = sign_in(client, EMAIL, PASSWORD)
    assert reply.status_code == 429
    assert f"sign-in is locked for {minutes} more minute(s)" in reply.text
    clock.advance(minutes=minutes - 1)
    reply = sign_in(client, EMAIL, PASSWORD)
    assert reply.status_code == 429 and "locked for 1 more minute(s)" in reply.text
    clock.advance(minutes=minutes, seconds=1)
    assert sign_in(client, EMAIL, PASSWORD).status_code == 302
    assert goes_to_sign_in(app.test_client().get(CONSOLE))  # others are not signed in


def test_one_address_is_slowed_across_different_emails(app, ana, clock):
    guesser = app.test_client()
    for n in range(app.config["SIGN_IN_SLOW_AFTER"] * 2):
        assert fail(guesser, f"guess{n}@example.org", "203.0.113.9").status_code == 401
    assert sign_in(guesser, EMAIL, PASSWORD).status_code == 429  # an untouched account
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.4"
    assert sign_in(elsewhere, EMAIL, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_account_failures(app, ana, clock):
    slow_after = app.config["SIGN_IN_SLOW_AFTER"]
    for _ in range(slow_after - 1):
        fail(app.test_client())
    assert sign_in(app.test_client(), EMAIL, PASSWORD).status_code == 302
    assert failures_of(EMAIL) == 0
    for _ in range(slow_after - 1):
        assert fail(app.test_client()).status_code == 401
    # Without the clearing these would be too many failures in a row, and slowed.
    assert sign_in(app.test_client(), EMAIL, PASSWORD).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, ana, boss):
    accounts.update_user(ana, actor=boss, active=False)
    assert sign_in(client, EMAIL, PASSWORD).status_code == 401
    assert goes_to_sign_in(client.get(CONSOLE))


@pytest.mark.parametrize("change", [{"active": False}, {"role": Role.ADMIN}])
def test_changing_an_account_ends_its_open_sessions(app, ana, boss, change):
    ana_client = signed_in_client(app, EMAIL)
    assert ana_client.get(CONSOLE).status_code == 200
    accounts.update_user(db.session.get(User, ana.id), actor=boss, **change)
    assert goes_to_sign_in(ana_client.get(CONSOLE))


# ---------------------------------------------------------------- console sessions


@pytest.fixture
def session_clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("consult.auth.sessions.utcnow", clock)
    return clock


def test_a_console_session_ends_after_being_idle(app, ana, session_clock):
    ana_client = signed_in_client(app, EMAIL)
    idle = app.config["CONSOLE_IDLE_MINUTES"]
    session_clock.advance(minutes=idle - 1)
    assert ana_client.get(CONSOLE).status_code == 200
    session_clock.advance(minutes=idle + 1)
    reply = ana_client.get(CONSOLE)
    assert goes_to_sign_in(reply)
    assert goes_to_sign_in(ana_client.get(CONSOLE))  # for good, not just once


def test_a_console_session_ends_after_its_lifetime_even_when_busy(app, ana, session_clock):
    ana_client = signed_in_client(app, EMAIL)
    step = app.config["CONSOLE_IDLE_MINUTES"] - 1
    busy = 0
    while busy + step <= app.config["CONSOLE_SESSION_HOURS"] * 60:
        session_clock.advance(minutes=step)
        busy += step
        assert ana_client.get(CONSOLE).status_code == 200, busy
    session_clock.advance(minutes=step)
    assert goes_to_sign_in(ana_client.get(CONSOLE))


def sign_out(app: Flask, client):
    return client.post("/auth/sign-out", data={"csrf_token": session_csrf_token(app, client)})


def test_signing_out_ends_the_session(app, ana):
    ana_client = signed_in_client(app, EMAIL)
    assert goes_to_sign_in(sign_out(app, ana_client))
    assert goes_to_sign_in(ana_client.get(CONSOLE))


def test_signing_in_starts_a_new_session(app, client, ana):
    client.get("/?lang=en")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    planted = client.get_cookie("session", domain="consult.test").value
    assert sign_in(client, EMAIL, PASSWORD).status_code == 302
    assert client.get_cookie("session", domain="consult.test").value != planted
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"


# ---------------------------------------------------------------- the audit trail


def test_each_sign_in_event_writes_exactly_one_audit_entry(app, client, ana):
    fail(client)
    assert [
        (e.action, e.actor_id, e.actor_email, e.after, e.address) for e in audit_entries()[1:]
    ] == [("user.sign_in_failed", ana.id, EMAIL, {"reason": "invalid"}, "127.0.0.1")]
    sign_in(client, "nadie@example.org", "wrong password!")
    unknown = audit_entries()[-1]
    assert (unknown.action, unknown.actor_id, unknown.actor_email) == (
        "user.sign_in_failed",
        None,
        "nadie@example.org",
    )
    count = len(audit_entries())
    sign_in(client, EMAIL, PASSWORD)
    sign_out(app, client)
    new = audit_entries()[count:]
    assert [(e.action, e.actor_id, e.object_id) for e in new] == [
        ("user.sign_in", ana.id, ana.id),
        ("user.sign_out", ana.id, ana.id),
    ]
    assert new[0].address == "127.0.0.1"


def test_creating_and_changing_a_user_write_one_audit_entry_each(boss):
    count = len(audit_entries())
    user, _password = accounts.create_user("luis@example.org", Role.COORDINATOR, actor=boss)
    accounts.update_user(user, actor=boss, active=False)
    accounts.update_user(user, actor=boss, active=False)  # no change, no entry
    new = audit_entries()[count:]
    assert [(e.action, e.actor_id, e.actor_email, e.object_id) for e in new] == [
        ("user.create", boss.id, boss.email, user.id),
        ("user.update", boss.id, boss.email, user.id),
    ]
    assert new[0].before is None
    assert new[0].after == {"email": "luis@example.org", "role": "coordinator"}
    assert new[1].before == {"role": "coordinator", "active": True}
    assert new[1].after == {"role": "coordinator", "active": False}


def test_audit_entries_cannot_be_changed_or_deleted(ana):
    entry = audit_entries()[0]
    entry.action = "user.nothing_happened"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    entry = audit_entries()[0]
    db.session.delete(entry)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert [e.action for e in audit_entries()] == ["user.create"]
