"""Fixtures of the security suite: an app whose throttles stay out of the way, clients for
each role, a snapshot of the whole database, and the suite's hypothesis settings.

The rate limits and the minimum fill time are defences of their own, tested where they
are built; here they would turn every fast, repeated test request into a 429 or a
refusal, so this suite switches them off and tests what lies behind them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation, Response, User
from consult.models.columns import utcnow
from tests.conftest import SMALL_BUNDLE, _empty_tables, make_app
from tests.console.conftest import create_account, session_csrf_token, signed_in_client
from tests.console.factories import make_response

#: Defences that count or time requests, switched off (their own tests switch them on).
RELAXED = {"RATELIMIT_ENABLED": False, "RESPONSE_MIN_FILL_SECONDS": 0}

# Examples are few by default, so the suite stays fast on a shared machine; run
# CONSULT_SECURITY_PROFILE=security-deep pytest tests/security for a longer search.
# Each example builds what it needs (a fresh respondent, a fresh CSRF token) and compares
# its own before and after, so sharing the test's function-scoped app between examples
# is sound: that is why the function_scoped_fixture health check is suppressed.
_SHARED = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "print_blob": True,
}
#: Examples per test are multiplied by the profile's scale.
SCALE = {"security": 1, "security-deep": 10}
for _name in SCALE:
    settings.register_profile(_name, **_SHARED)
PROFILE = os.environ.get("CONSULT_SECURITY_PROFILE", "security")


def fuzz(examples: int) -> settings:
    """Hypothesis settings for a test worth ``examples`` examples in the default profile."""
    return settings(settings.get_profile(PROFILE), max_examples=examples * SCALE[PROFILE])


@pytest.fixture
def app(migrated_database: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(migrated_database, tmp_path / "instance", **RELAXED)
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- the database


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, so any write shows (console tests read the same way)."""
    db.session.rollback()
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    db.session.rollback()
    return rows


def changed_tables(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after.get(name)}


# ---------------------------------------------------------------- people


@dataclass
class Respondent:
    """A person's browser tied to their response, and the secret of their private link."""

    client: FlaskClient
    response: Response
    token: str

    @property
    def private_url(self) -> str:
        return f"/c/{self.response.consultation.slug}/r/{self.token}"


def open_with_private_link(app: Flask, consultation: Consultation, token: str) -> FlaskClient:
    """A browser that opened its response through the private link, as a returning person."""
    browser = app.test_client()
    url = f"/c/{consultation.slug}/r/{token}/edit"
    reply = browser.post(url, data={"csrf_token": session_csrf_token(app, browser)})
    assert reply.status_code == 302, (url, reply.status_code)
    return browser


@pytest.fixture
def make_respondent(app: Flask) -> Callable[..., Respondent]:
    """A response written as the flow leaves it, and a browser that holds it."""

    def make(consultation: Consultation, *comments, **options) -> Respondent:
        token = secrets.token_urlsafe(32)
        response = make_response(consultation, *comments, token=token, **options)
        browser = open_with_private_link(app, consultation, token)
        return Respondent(browser, response, token)

    return make


@pytest.fixture
def enia(app: Flask) -> Consultation:
    """The bundled draft strategy, open now."""
    load_bundle("enia-2021")
    return db.session.scalar(sa.select(Consultation).filter_by(slug="enia-2021"))


@pytest.fixture
def small(app: Flask) -> Consultation:
    """The small test bundle, open now: a second consultation beside the draft strategy."""
    load_bundle(SMALL_BUNDLE, opens=utcnow() - timedelta(days=1))
    return db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))


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


def same_browser(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another tab of ``client``'s browser: a new client holding the same cookies.

    Signing in hashes a password (slow on purpose); tabs let a test reuse one sign-in.
    """
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name, domain=app.config["SERVER_NAME"])
    assert cookie is not None, "the browser has no session yet"
    tab = app.test_client()
    tab.set_cookie(name, cookie.value, domain=cookie.domain, path=cookie.path)
    return tab
