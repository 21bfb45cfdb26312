"""Fixtures for the console: accounts, and clients signed in through the real form."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlparse

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from consult.models import User
from consult.models.columns import utcnow
from consult.models.vocab import Role
from consult.reviewing import accounts
from tests.conftest import post_form

PASSWORD = "correct horse battery"
SIGN_IN = "/auth/sign-in"


def create_account(email: str, role: str = "coordinator", password: str = PASSWORD) -> User:
    user, _generated = accounts.create_user(email, Role(role), password)
    return user


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    """Post the sign-in form as a browser does; return the reply."""
    return post_form(client, SIGN_IN, {"email": email, "password": password})


def signed_in_client(app: Flask, email: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    reply = sign_in(client, email, password)
    assert reply.status_code == 302, reply.get_data(as_text=True)
    return client


def session_csrf_token(app: Flask, client: FlaskClient) -> str:
    """A valid CSRF token for ``client``'s session, as Flask-WTF puts in every form."""
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", secrets.token_hex(20))
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


def goes_to_sign_in(reply) -> bool:
    return reply.status_code == 302 and urlparse(reply.location).path == SIGN_IN


class Clock:
    """A stand-in for ``utcnow`` that moves only when told."""

    def __init__(self) -> None:
        self.now: datetime = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    return create_account


@pytest.fixture
def coordinator(app: Flask) -> User:
    return create_account("coordinadora@example.org", "coordinator")


@pytest.fixture
def admin(app: Flask) -> User:
    return create_account("admin@example.org", "admin")


@pytest.fixture
def coordinator_client(app: Flask, coordinator: User) -> FlaskClient:
    return signed_in_client(app, coordinator.email)


@pytest.fixture
def admin_client(app: Flask, admin: User) -> FlaskClient:
    return signed_in_client(app, admin.email)
