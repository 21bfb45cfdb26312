"""``consult send-mail``, the thread ``consult serve`` starts, and the purge."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from consult import cli
from consult.mail import sending
from consult.mail.outbox import PURGED_ERROR
from consult.models.vocab import MailStatus
from consult.serving import server
from tests.mail.conftest import outbox


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_send_mail_once_sends_what_is_due_and_counts(mailing, app, enia, submit):
    submit(enia, email="ana@example.org")
    result = run(app, "send-mail", "--once")
    assert result.exit_code == 0, result.output
    assert "sent: 1, failed: 0, waiting: 0" in result.output
    assert "ana@example.org" not in result.output
    assert len(mailing.messages) == 1
    again = run(app, "send-mail", "--once")
    assert "sent: 0, failed: 0, waiting: 0" in again.output and len(mailing.messages) == 1


def test_send_mail_counts_failures_and_waiting_messages(mailing, app, enia, submit):
    mailing.refuse = "451 try later"
    submit(enia, email="ana@example.org")
    result = run(app, "send-mail", "--once")
    assert "sent: 0, failed: 1, waiting: 1" in result.output


def test_send_mail_refuses_without_a_mail_server(app):
    result = run(app, "send-mail", "--once")
    assert result.exit_code == 1 and "MAIL_SERVER is not set" in result.output


def test_send_mail_refuses_rather_than_write_a_link_without_the_sites_address(
    mailing, app, enia, submit
):
    submit(enia, email="ana@example.org")
    app.config.update(SERVER_NAME=None, PUBLIC_URL=None)
    result = run(app, "send-mail", "--once")
    assert result.exit_code == 1 and "set PUBLIC_URL" in result.output
    assert mailing.messages == [] and outbox()[0].attempts == 0


def test_the_link_is_written_under_public_url(mailing, app, enia, submit):
    _response, link = submit(enia, email="ana@example.org")
    app.config.update(SERVER_NAME=None, PUBLIC_URL="https://consulta.example.gob.pe/")
    assert run(app, "send-mail", "--once").exit_code == 0
    token = link.rsplit("/", 1)[1]
    expected = f"https://consulta.example.gob.pe/c/enia-2021/r/{token}"
    assert expected in mailing.messages[0].get_body(("plain",)).get_content()


def test_the_serving_thread_sends_and_stops(mailing, app, enia, submit):
    app.config["MAIL_POLL_SECONDS"] = 0.1
    submit(enia, email="ana@example.org")
    stop = threading.Event()
    thread = sending.start_thread(app, stop)
    assert thread.daemon
    deadline = time.monotonic() + 10
    while not mailing.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(mailing.messages) == 1
    assert outbox()[0].status is MailStatus.SENT


@pytest.fixture
def serving(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``consult serve`` with gunicorn not really started; what it did about mail."""
    seen: list[str] = []
    monkeypatch.setattr(cli, "initialise", lambda: None)
    monkeypatch.setattr(server.Gunicorn, "run", lambda self: seen.append("gunicorn"))
    monkeypatch.setattr(sending, "start_thread", lambda app: seen.append("mail thread"))
    return seen


def test_serve_starts_the_mail_thread_in_its_own_process(mailing, app, serving):
    result = run(app, "serve")
    assert result.exit_code == 0, result.output
    assert serving == ["mail thread", "gunicorn"]


@pytest.mark.parametrize(
    ("config", "args"),
    [({}, ["--no-mail"]), ({"MAIL_WORKER": False}, []), ({"MAIL_SERVER": None}, [])],
)
def test_serve_leaves_mail_alone_when_told_or_without_a_server(mailing, app, serving, config, args):
    app.config.update(config)
    result = run(app, "serve", *args)
    assert result.exit_code == 0, result.output
    assert serving == ["gunicorn"]


def test_serve_warns_when_receipts_cannot_be_sent(mailing, app, serving):
    app.config["MAIL_DEFAULT_SENDER"] = None
    result = run(app, "serve")
    assert serving == ["gunicorn"] and "MAIL_DEFAULT_SENDER" in result.output


def test_the_purge_takes_the_address_and_link_of_a_receipt_not_sent(mailing, app, enia, submit):
    submit(enia, email="ana@example.org")
    result = run(app, "purge-personal-data", "--consultation", "enia-2021", "--force")
    assert result.exit_code == 0, result.output
    assert "receipt by email (address, link): 1" in result.output
    (row,) = outbox()
    assert row.recipient is None and row.sealed_token is None
    assert row.status is MailStatus.FAILED and row.last_error == PURGED_ERROR
    assert run(app, "send-mail", "--once").output.startswith("sent: 0, failed: 0")
    assert mailing.messages == []
