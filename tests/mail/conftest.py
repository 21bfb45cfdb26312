"""A real SMTP server on 127.0.0.1 (aiosmtpd), and respondents who submit through the
public pages with an email address."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Consultation, OutgoingMail, Response
from tests.conftest import post_form

SENDER = "Consulta <no-responder@consult.test>"


def free_port() -> int:
    """A port nothing listens on (the kernel's choice, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """aiosmtpd's handler: keep every message, or refuse each with ``refuse`` (e.g. 550)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse: str | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    """A mail server on 127.0.0.1 at a free port; the messages it received."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


class Accounts:
    """aiosmtpd's authenticator: one user name and password."""

    def __init__(self, login: str, password: str) -> None:
        self.expected = (login.encode(), password.encode())

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        given = (auth_data.login, auth_data.password)
        return AuthResult(success=given == self.expected, handled=False)


@pytest.fixture
def smtp_with_login() -> Iterator[tuple[Collector, int]]:
    """A mail server that offers a login and refuses a wrong password (over plain TCP: a
    test; requiring the login too makes aiosmtpd warn that TLS is off)."""
    collector = Collector()
    port = free_port()
    controller = Controller(
        collector,
        hostname="127.0.0.1",
        port=port,
        authenticator=Accounts("consult", "correct-password"),
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


@pytest.fixture
def mailing(app: Flask, smtp: tuple[Collector, int]) -> Collector:
    """The app sends mail through the test's server."""
    collector, port = smtp
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_DEFAULT_SENDER=SENDER,
        MAIL_TIMEOUT=5,
    )
    return collector


@pytest.fixture
def submit(client: FlaskClient, start_response) -> Callable[..., tuple[Response, str]]:
    """A respondent starts in ``lang``, answers one question, submits; the response and
    the private link their receipt page shows."""

    def submit(consultation: Consultation, lang: str = "es", **profile) -> tuple[Response, str]:
        client.get(f"/c/{consultation.slug}/?lang={lang}")
        response = start_response(consultation, **profile)
        post_form(client, f"/c/{consultation.slug}/s/5-3", {"q_q_5_3_agree": "4", "go": "next"})
        slug = consultation.slug
        done = post_form(client, f"/c/{slug}/submit", {}, form_url=f"/c/{slug}/review")
        assert done.status_code == 302, done.get_data(as_text=True)
        receipt = client.get(done.headers["Location"]).get_data(as_text=True)
        start = receipt.index('class="private-link" href="') + len('class="private-link" href="')
        db.session.expire_all()
        return db.session.get(Response, response.id), receipt[start : receipt.index('"', start)]

    return submit


def outbox() -> list[OutgoingMail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))
