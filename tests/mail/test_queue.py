"""What is queued at submit, and when nothing is."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.mail import sealing
from consult.mail.outbox import mask_address
from consult.models import Response
from consult.models.vocab import MailStatus, ResponseStatus
from consult.responding.operations import submit_response
from consult.responding.own_response import load_own_response
from tests.conftest import post_form
from tests.mail.conftest import outbox


def test_without_mail_server_nothing_is_queued_and_the_receipt_says_so(app, enia, submit, client):
    assert not app.config["MAIL_SERVER"]
    submit(enia, lang="en", email="ana@example.org")
    assert outbox() == []
    page = client.get("/c/enia-2021/receipt").get_data(as_text=True)
    assert "This site does not send email: copy your private link now" in page
    assert "ana@example.org" not in page


def test_without_an_address_nothing_is_queued_nor_said(mailing, enia, submit, client):
    submit(enia, lang="en", email="")
    assert outbox() == []
    page = client.get("/c/enia-2021/receipt").get_data(as_text=True)
    assert "email address" not in page and "does not send email" not in page


def test_submitting_again_queues_nothing_more(mailing, enia, submit, client):
    response, link = submit(enia, email="ana@example.org")
    # The same browser posts the submit again (a double click, a retried request) …
    again = post_form(client, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
    assert again.status_code == 302
    # … and the operation itself is asked again for the submitted response.
    token = link.rsplit("/", 1)[1]
    submit_response(load_own_response(enia, token), token=token)
    rows = outbox()
    assert len(rows) == 1 and rows[0].status is MailStatus.QUEUED


def test_the_receipt_is_queued_in_the_submits_transaction(
    mailing, enia, start_response, client, monkeypatch
):
    """A failure while queuing leaves the response a draft: one transaction, both or none."""
    from consult.responding import operations

    def broken(*_args, **_kwargs):
        raise RuntimeError("the outbox is unwritable")

    monkeypatch.setattr(operations, "queue_receipt", broken)
    response = start_response(enia, email="ana@example.org")
    post_form(client, "/c/enia-2021/s/5-3", {"q_q_5_3_agree": "4", "go": "next"})
    failed = post_form(client, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
    assert failed.status_code == 500
    db.session.expire_all()
    assert db.session.get(Response, response.id).status is ResponseStatus.DRAFT
    assert outbox() == []


def test_sealed_links_open_only_with_the_same_secret_key():
    sealed = sealing.seal("the-token", "secret one")
    assert "the-token" not in sealed
    assert sealing.unseal(sealed, "secret one") == "the-token"
    assert sealing.seal("the-token", "secret one") != sealed  # a fresh nonce each time
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(sealed, "secret two")
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(sealed[:-4] + "AAAA", "secret one")


@pytest.mark.parametrize(
    ("address", "shown"),
    [("ana.quispe@example.org", "a***@example.org"), ("j@x.pe", "j***@x.pe"), ("bad", "***")],
)
def test_addresses_are_masked(address, shown):
    assert mask_address(address) == shown


def test_submitting_never_talks_to_the_mail_server(mailing, enia, submit, monkeypatch):
    import smtplib

    def refuse(*_args, **_kwargs):
        raise AssertionError("the submit connected to the mail server")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    submit(enia, email="ana@example.org")
    assert len(outbox()) == 1
