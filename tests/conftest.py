"""Fixtures: an app on a migrated test database, clients, and factories.

The suite runs on SQLite by default and on PostgreSQL when CONSULT_TEST_DATABASE_URL
is set. The schema is built once by the real migrations; each test starts from empty
tables.
"""

from __future__ import annotations

import contextvars
import html
import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer

from consult import create_app
from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation, Response, User
from consult.models.columns import utcnow
from consult.models.vocab import Role
from consult.reviewing import accounts

HERE = Path(__file__).resolve().parent
SMALL_BUNDLE = HERE / "bundles" / "small"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("CONSULT_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'consult-test.db'}"


class BrowserClient(FlaskClient):
    """A test client whose requests run as in production: each in its own app context.

    The test's own app context (and database session) stays apart; after every request
    that session is rolled back, so the test reads what the request committed.
    """

    def open(self, *args, **kwargs):
        result = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context() and db.session.is_active:
            db.session.rollback()
        return result


def make_app(database_url: str, instance_path: Path, **config) -> Flask:
    app = _build_app(database_url, instance_path, **config)
    app.test_client_class = BrowserClient
    return app


def _build_app(database_url: str, instance_path: Path, **config) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance_path),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "SERVER_NAME": "consult.test",
            # Off unless a test is about them (tests/test_limits.py, tests/public/test_guard.py):
            # a suite posting hundreds of forms from one address in seconds looks like a bot.
            "RATELIMIT_ENABLED": False,
            "RESPONSE_MIN_FILL_SECONDS": 0,
            **config,
        }
    )


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Bring the test database to the migrations' head once per run, from nothing."""
    app = make_app(database_url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        with db.engine.begin() as connection:
            sa.MetaData().reflect(connection)  # fail early if unreachable
            _drop_everything(connection)
        upgrade()
        db.engine.dispose()
    return database_url


def _drop_everything(connection: sa.Connection) -> None:
    """A reused local database starts clean: drop what an earlier run left."""
    existing = sa.MetaData()
    existing.reflect(connection)
    if connection.dialect.name == "postgresql":
        for table in existing.tables.values():
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
    else:
        existing.drop_all(connection)


def _empty_tables() -> None:
    tables = list(db.metadata.sorted_tables)
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


def _join_insight_runs() -> None:
    """An analysis a test started from the console ends before its tables are emptied."""
    from consult.systematising import runs

    for thread in list(runs.threads.values()):
        thread.join(timeout=120)


@pytest.fixture
def app(migrated_database: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(migrated_database, tmp_path / "instance")
    with app.app_context():
        yield app
        _join_insight_runs()
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_with(app: Flask, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build another app on the test database with these settings; closed afterwards."""
    built: list[Flask] = []

    def build(**config) -> Flask:
        instance = tmp_path / f"instance-{len(built)}"
        built.append(make_app(app.config["DATABASE_URL"], instance, **config))
        return built[-1]

    yield build
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def enia(app: Flask) -> Consultation:
    """The bundled draft strategy, open now."""
    load_bundle("enia-2021")
    return db.session.scalar(sa.select(Consultation).filter_by(slug="enia-2021"))


@pytest.fixture
def gated(enia: Consultation) -> Consultation:
    """The ENIA with section 5.3 asking first whether to answer it."""
    section = next(s for s in enia.sections if s.key == "5-3")
    section.gate_es = "¿Desea responder la sección sobre educación?"
    section.gate_en = "Do you want to answer the section on education?"
    db.session.commit()
    return enia


@pytest.fixture
def set_window(app: Flask) -> Callable[[Consultation, str], None]:
    """Move a consultation's window so it is "upcoming", "open" or "closed" now."""

    def set_window(consultation: Consultation, state: str) -> None:
        now = utcnow()
        opens, closes = {
            "upcoming": (now + timedelta(days=1), now + timedelta(days=30)),
            "open": (now - timedelta(days=1), now + timedelta(days=30)),
            "closed": (now - timedelta(days=30), now - timedelta(minutes=1)),
        }[state]
        consultation.opens_at, consultation.closes_at = opens, closes
        db.session.commit()

    return set_window


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token a person's browser would send back from ``url``."""
    page = client.get(url)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no form with a CSRF token on {url} ({page.status_code})"
    return match.group(1)


_HIDDEN = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")
_ATTR = re.compile(r'\b(name|value)="([^"]*)"')
#: Hidden fields a page's form carries for the server's own checks, not for the person.
TOKEN_FIELDS = ("csrf_token", "form_token")


def form_tokens(client: FlaskClient, url: str) -> dict[str, str]:
    """The CSRF token (and form token, where there is one) a browser sends back from ``url``."""
    page = client.get(url)
    fields: dict[str, str] = {}
    for tag in _HIDDEN.findall(page.get_data(as_text=True)):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("name") in TOKEN_FIELDS:
            fields.setdefault(attrs["name"], html.unescape(attrs.get("value", "")))
    assert "csrf_token" in fields, f"no form with a CSRF token on {url} ({page.status_code})"
    return fields


def post_form(client: FlaskClient, url: str, data: dict, *, form_url: str | None = None):
    """Submit a form as a browser does: load its page, then post with the page's tokens."""
    return client.post(url, data={**form_tokens(client, form_url or url), **data})


PROFILE_ACADEMIA = {
    "responding_as": "organisation",
    "stakeholder_type": "academia",
    "organisation_name": "Universidad Nacional de Ingeniería",
    "organisation_size": "large",
    "region": "lima_metropolitana",
    "publication": "anonymous",
    "email": "investigadora@example.org",
    "consent": "y",
}


@pytest.fixture
def start_response(client: FlaskClient) -> Callable[..., Response]:
    """Fill the profile step in ``client``'s browser session; return the draft."""

    def start(consultation: Consultation, **overrides) -> Response:
        url = f"/c/{consultation.slug}/profile"
        result = post_form(client, url, {**PROFILE_ACADEMIA, **overrides})
        assert result.status_code == 302, result.get_data(as_text=True)
        return db.session.scalars(sa.select(Response).order_by(Response.id.desc())).first()

    return start


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block, to prove a page's query count is fixed."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


# ---------------------------------------------------------------- coordinators

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
    """A coordinator signed in through the real form."""
    return signed_in_client(app, coordinator.email)


@pytest.fixture
def admin_client(app: Flask, admin: User) -> FlaskClient:
    """An administrator signed in through the real form."""
    return signed_in_client(app, admin.email)
