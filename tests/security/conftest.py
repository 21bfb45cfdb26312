"""Fixtures of the security suite: an app whose throttles stay out of the way, the two
consultations, respondents, and a signed-in browser for each console role.

The rate limits and the minimum fill time are defences of their own, tested where they
are built; here they would turn every fast, repeated test request into a 429 or a
refusal, so this suite switches them off and tests what lies behind them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation, User
from consult.models.columns import utcnow
from tests.conftest import SMALL_BUNDLE, _empty_tables, make_app
from tests.console.conftest import create_account, signed_in_client
from tests.console.factories import make_response

from .people import Respondent, open_with_private_link
from .routes import World

#: Defences that count or time requests, switched off (their own tests switch them on).
RELAXED = {"RATELIMIT_ENABLED": False, "RESPONSE_MIN_FILL_SECONDS": 0}


@pytest.fixture
def app(migrated_database: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(migrated_database, tmp_path / "instance", **RELAXED)
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


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


@pytest.fixture
def world(app, enia, small, make_respondent, coordinator_client, admin_client) -> World:
    """The draft strategy (summary published) beside a second consultation; both roles in."""
    enia.summary_published = True
    db.session.commit()
    return World(
        app, enia, {"coordinator": coordinator_client, "admin": admin_client}, make_respondent
    )
