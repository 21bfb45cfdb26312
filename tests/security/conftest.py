"""Fixtures of the security suite: a second consultation beside the draft strategy,
respondents who hold their own response, and the world every route is tried in.

The app, the draft strategy and the signed-in coordinator and administrator come from
tests/conftest.py, whose app already switches the rate limits and the minimum fill time
off (their own tests switch them on).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation, ConsultationEditor
from consult.models.columns import utcnow
from tests.conftest import SMALL_BUNDLE, create_account, signed_in_client
from tests.factories import make_response

from .people import Respondent, open_with_private_link
from .routes import World


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
def small(app: Flask) -> Consultation:
    """The small test bundle, open now: a second consultation beside the draft strategy."""
    load_bundle(SMALL_BUNDLE, opens=utcnow() - timedelta(days=1))
    return db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))


@pytest.fixture
def editor_client(app: Flask, enia: Consultation) -> FlaskClient:
    """A coordinator an admin gave the draft strategy to edit, signed in."""
    editor = create_account("editora@example.org", "coordinator")
    db.session.add(ConsultationEditor(consultation_id=enia.id, user_id=editor.id))
    db.session.commit()
    return signed_in_client(app, editor.email)


@pytest.fixture
def world(
    app, enia, small, make_respondent, coordinator_client, editor_client, admin_client
) -> World:
    """The draft strategy (summary published) beside a second consultation; every signed-in
    role in: a coordinator who may edit nothing, one who may edit it, an administrator."""
    enia.summary_published = True
    db.session.commit()
    signed_in = {"coordinator": coordinator_client, "editor": editor_client, "admin": admin_client}
    return World(app, enia, signed_in, make_respondent)
