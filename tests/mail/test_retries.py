"""A mail server that refuses or is not there: attempts counted, waits growing, given up
after MAIL_MAX_ATTEMPTS and shown in the console; two workers never send one message twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from consult.extensions import db
from consult.mail import send_due
from consult.mail.sending import claim
from consult.models import AuditEntry, OutgoingMail
from consult.models.columns import utcnow
from consult.models.vocab import MailStatus
from tests.conftest import post_form
from tests.mail.conftest import free_port, outbox


def make_due() -> None:
    """Let the clock run past the back-off: the message is due again."""
    db.session.execute(
        sa.update(OutgoingMail).values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


def test_a_refusal_is_retried_later_and_later_then_given_up(mailing, app, enia, submit):
    app.config.update(MAIL_MAX_ATTEMPTS=4, MAIL_USERNAME=None, MAIL_PASSWORD="hunter2-secret")
    mailing.refuse = "550 5.1.1 <ana.quispe@example.org> unknown here (hunter2-secret)"
    submit(enia, email="ana.quispe@example.org")
    waits = []
    for attempt in (1, 2, 3):
        before = utcnow()
        report = send_due()
        assert (report.sent, report.failed, report.waiting) == (0, 1, 1)
        (row,) = outbox()
        assert row.status is MailStatus.QUEUED and row.attempts == attempt
        waits.append(row.next_attempt_at - before)
        assert send_due().failed == 0  # not due again before its time
        make_due()
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 2, 4]
    assert row.last_error.startswith("550 5.1.1")
    assert "ana.quispe@example.org" not in row.last_error and "a***@example.org" in row.last_error
    assert "hunter2-secret" not in row.last_error
    report = send_due()
    (row,) = outbox()
    assert row.status is MailStatus.FAILED and row.attempts == 4
    assert (report.failed, report.waiting) == (1, 0)
    make_due()
    assert send_due().failed == 0  # given up: the worker leaves it alone
    assert mailing.messages == []


def test_no_server_listening_is_a_failure_like_any_other(mailing, app, enia, submit):
    app.config["MAIL_PORT"] = free_port()
    submit(enia, email="ana@example.org")
    assert send_due().failed == 1
    (row,) = outbox()
    assert row.attempts == 1 and row.status is MailStatus.QUEUED
    assert "refused" in row.last_error.lower()
    assert row.sealed_token and row.recipient  # kept for the next attempt


def test_the_console_lists_it_and_tries_again_now(
    mailing, app, enia, submit, coordinator_client, coordinator
):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    mailing.refuse = "554 no thanks"
    response, link = submit(enia, email="ana@example.org")
    send_due()
    (row,) = outbox()
    assert row.status is MailStatus.FAILED

    page = coordinator_client.get("/console/c/enia-2021/mail?lang=en").get_data(as_text=True)
    assert "Receipts by email" in page
    assert f'/console/c/enia-2021/responses/{response.id}">{response.reference}</a>' in page
    assert "554 no thanks" in page and "Not sent: gave up after retrying" in page
    assert "ana@example.org" not in page and row.sealed_token not in page
    assert link.rsplit("/", 1)[1] not in page
    nav = coordinator_client.get("/console/c/enia-2021/").get_data(as_text=True)
    assert 'href="/console/c/enia-2021/mail"' in nav

    retried = post_form(
        coordinator_client,
        f"/console/c/enia-2021/mail/{row.id}/retry",
        {},
        form_url="/console/c/enia-2021/mail",
    )
    assert retried.status_code == 302
    (row,) = outbox()
    assert row.status is MailStatus.QUEUED and row.next_attempt_at <= utcnow()
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="mail.retry"))
    assert entry.actor_id == coordinator.id and entry.object_id == row.id
    assert entry.before["status"] == "failed" and "ana@example.org" not in str(entry.after)

    mailing.refuse = None
    assert send_due().sent == 1 and len(mailing.messages) == 1
    page = coordinator_client.get("/console/c/enia-2021/mail?lang=en").get_data(as_text=True)
    assert "No message is waiting or given up." in page


def test_only_a_given_up_message_is_tried_again(mailing, enia, submit, coordinator_client):
    submit(enia, email="ana@example.org")
    (row,) = outbox()
    post_form(
        coordinator_client,
        f"/console/c/enia-2021/mail/{row.id}/retry",
        {},
        form_url="/console/c/enia-2021/mail",
    )
    assert db.session.scalar(sa.select(AuditEntry).filter_by(action="mail.retry")) is None
    assert outbox()[0].status is MailStatus.QUEUED
    missing = post_form(
        coordinator_client,
        "/console/c/enia-2021/mail/999999/retry",
        {},
        form_url="/console/c/enia-2021/mail",
    )
    assert missing.status_code == 404


def test_a_claimed_message_is_left_alone_by_another_worker(mailing, app, enia, submit):
    submit(enia, email="ana@example.org")
    (row,) = outbox()
    others = []

    def second_worker() -> None:
        with app.app_context():
            others.append(send_due())
            db.session.remove()

    def while_claimed(_mail_id: int) -> None:
        thread = threading.Thread(target=second_worker)
        thread.start()
        thread.join()

    first = send_due(on_claimed=while_claimed)
    assert first.sent == 1 and others[0].sent == 0
    assert len(mailing.messages) == 1


def test_a_claim_is_taken_once_and_a_dead_workers_claim_expires(mailing, enia, submit):
    submit(enia, email="ana@example.org")
    (row,) = outbox()
    assert claim(row.id) is True
    assert claim(row.id) is False
    db.session.execute(
        sa.update(OutgoingMail).values(claimed_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert send_due().sent == 1


def test_it_logs_in_when_a_user_name_is_set(app, smtp_with_login, enia, submit):
    collector, port = smtp_with_login
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_DEFAULT_SENDER="no-responder@consult.test",
        MAIL_USERNAME="consult",
        MAIL_PASSWORD="wrong-password",
    )
    submit(enia, email="ana@example.org")
    assert send_due().failed == 1
    (row,) = outbox()
    assert row.last_error.startswith("535") and "wrong-password" not in row.last_error
    app.config["MAIL_PASSWORD"] = "correct-password"
    make_due()
    assert send_due().sent == 1 and len(collector.messages) == 1


def test_the_receipt_page_says_when_the_copy_was_given_up(mailing, app, enia, submit, client):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    mailing.refuse = "550 no"
    submit(enia, lang="en", email="ana@example.org")
    send_due()
    page = client.get("/c/enia-2021/receipt").get_data(as_text=True)
    assert "could not be sent to your email address: copy your private link now" in page
