"""Signing out ends the session on the server, not only in the browser that asked.

Flask's session is a signed cookie: clearing it in the reply does nothing to a copy of
it kept elsewhere (a proxy log, a shared computer's profile, a stolen cookie). Each
console session is therefore a row on the server that signing out deletes; a copied
cookie replayed afterwards must be turned away on every console request, reads,
downloads and writes alike.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Theme, User
from consult.models.vocab import Role
from consult.reviewing import accounts
from tests.conftest import post_form

SLUG = "enia-2021"
EMAIL = "sesiones@example.org"
PASSWORD = "tres tristes tigres comen trigo"
HOST = "consult.test"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def user(app: Flask, enia) -> User:
    user, _generated = accounts.create_user(EMAIL, Role.COORDINATOR, PASSWORD)
    return user


def signed_in(app: Flask) -> FlaskClient:
    browser = app.test_client()
    reply = post_form(browser, "/auth/sign-in", {"email": EMAIL, "password": PASSWORD})
    assert reply.status_code == 302 and reply.location.endswith("/console/")
    return browser


def csrf_of(browser: FlaskClient, url: str) -> str:
    match = _CSRF.search(browser.get(url).get_data(as_text=True))
    assert match, url
    return match.group(1)


def sign_out(browser: FlaskClient) -> None:
    token = csrf_of(browser, f"/console/c/{SLUG}/themes")
    reply = browser.post("/auth/sign-out", data={"csrf_token": token})
    assert reply.status_code == 302 and reply.location.endswith("/auth/sign-in")


def with_cookie(app: Flask, cookie: str) -> FlaskClient:
    """Another browser that sends a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie, domain=HOST)
    return other


def sent_to_sign_in(reply) -> bool:
    return reply.status_code == 302 and "/auth/sign-in" in reply.location


def themes() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Theme.name)))


def test_a_cookie_copied_before_sign_out_opens_nothing_afterwards(app, user):
    browser = signed_in(app)
    token = csrf_of(browser, f"/console/c/{SLUG}/themes")  # a write's token, taken too
    copied = browser.get_cookie("session", domain=HOST).value
    # The copy works while the session lives: the replay below is not refused for a
    # reason of its own.
    assert with_cookie(app, copied).get(f"/console/c/{SLUG}/responses").status_code == 200

    sign_out(browser)

    replay = with_cookie(app, copied)
    assert sent_to_sign_in(replay.get(f"/console/c/{SLUG}/responses"))
    download = replay.get(f"/console/c/{SLUG}/report/report.csv.zip")
    assert sent_to_sign_in(download)
    write = replay.post(
        f"/console/c/{SLUG}/themes", data={"csrf_token": token, "name": "Tema fantasma"}
    )
    assert sent_to_sign_in(write)
    assert themes() == []


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, user):
    laptop, shared_computer = signed_in(app), signed_in(app)
    sign_out(shared_computer)
    assert laptop.get(f"/console/c/{SLUG}/responses").status_code == 200
    assert sent_to_sign_in(shared_computer.get(f"/console/c/{SLUG}/responses"))


def test_a_session_is_a_row_holding_a_hash_that_sign_out_deletes(app, user):
    from consult.models import ConsoleSession

    browser = signed_in(app)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsoleSession)) == 1
    stored = db.session.scalar(sa.select(ConsoleSession.token_hash))
    assert stored not in browser.get_cookie("session", domain=HOST).value  # only a hash kept
    sign_out(browser)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsoleSession)) == 0
