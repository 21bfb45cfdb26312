"""A receipt goes from the submit to a real SMTP server: once, in the person's language,
with the link that opens their response; then its address and link are gone."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from consult.extensions import db
from consult.mail import send_due
from consult.models import OutgoingMail
from consult.models.vocab import MailStatus
from tests.mail.conftest import SENDER, outbox

ES_TITLE = "Estrategia Nacional de Inteligencia Artificial — primer borrador (2021)"
EN_TITLE = "National Artificial Intelligence Strategy — first draft (2021)"


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_submit_queues_one_receipt_and_sends_nothing(mailing, enia, submit):
    response, _link = submit(enia, email="ana@example.org")
    rows = outbox()
    assert [(r.response_id, r.kind, r.status) for r in rows] == [
        (response.id, "receipt", MailStatus.QUEUED)
    ]
    assert rows[0].recipient == "ana@example.org" and rows[0].attempts == 0
    assert mailing.messages == []  # the submit did not talk to the mail server


def test_the_worker_sends_it_once_in_spanish_with_the_private_link(
    mailing, app, enia, submit, client
):
    response, link = submit(enia, email="ana@example.org")
    assert send_due().sent == 1
    assert len(mailing.messages) == 1 and mailing.recipients == [["ana@example.org"]]
    message = mailing.messages[0]
    text, html = parts(message)
    assert message["Content-Language"] == "es"
    assert message["From"] == SENDER and message["To"] == "ana@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@consult.test>") and message["Date"]
    assert response.reference in message["Subject"]
    for body in (text, html):
        assert response.reference in body
        assert ES_TITLE in body
        assert link in body
        assert "Su código de referencia" in body  # a phrase the catalog already had

    # The link is the receipt page's, and it opens the response in another browser.
    assert link.startswith("http://consult.test/c/enia-2021/r/")
    private = client.application.test_client().get(link)
    assert private.status_code == 200
    assert response.reference in private.get_data(as_text=True)

    # Running the worker again sends nothing more.
    again = send_due()
    assert (again.sent, again.failed, again.waiting) == (0, 0, 0)
    assert len(mailing.messages) == 1


def test_every_sentence_of_the_spanish_receipt_is_spanish(mailing, enia, submit):
    """Needs the catalog rebuilt with the receipt's new messages (/work/tr/M.json)."""
    submit(enia, email="ana@example.org")
    send_due()
    text, _html = parts(mailing.messages[0])
    assert "Gracias por participar en la consulta" in text
    assert "Thank you" not in text and "You receive" not in text
    assert mailing.messages[0]["Subject"].startswith("Su respuesta a")


def test_an_english_respondent_gets_it_in_english(mailing, enia, submit):
    response, link = submit(enia, lang="en", email="sam@example.org")
    send_due()
    (message,) = mailing.messages
    text, html = parts(message)
    assert message["Content-Language"] == "en"
    assert EN_TITLE in message["Subject"] and response.reference in message["Subject"]
    for body in (text, html):
        assert EN_TITLE in body and ES_TITLE not in body
        assert "Your reference code" in body and link in body


def test_the_html_part_has_no_image_and_no_other_site(mailing, enia, submit):
    submit(enia, email="ana@example.org")
    send_due()
    message = mailing.messages[0]
    _text, html = parts(message)
    assert "<img" not in html.lower() and "background" not in html.lower()
    assert "<link" not in html.lower() and "<script" not in html.lower()
    hosts = {urlsplit(url).hostname for url in re.findall(r"""(?:https?:)?//[^\s"'<>]+""", html)}
    assert hosts == {"consult.test"}
    kinds = [part.get_content_type() for part in message.walk()]
    assert kinds == ["multipart/alternative", "text/plain", "text/html"]


def test_once_sent_the_address_and_the_sealed_link_are_gone(mailing, enia, submit):
    response, link = submit(enia, email="ana@example.org")
    token = link.rsplit("/", 1)[1]
    (queued,) = outbox()
    assert queued.sealed_token and token not in queued.sealed_token
    send_due()
    (sent,) = outbox()
    assert sent.status is MailStatus.SENT and sent.sent_at is not None
    assert sent.recipient is None and sent.sealed_token is None
    assert sent.last_error is None and sent.claimed_until is None


def test_the_token_is_never_stored_in_clear(mailing, enia, submit):
    _response, link = submit(enia, email="ana@example.org")
    token = link.rsplit("/", 1)[1]
    row = db.session.execute(sa.select(OutgoingMail.__table__)).one()
    assert not any(token in str(value) for value in row)
    if db.engine.dialect.name == "sqlite":  # every table, every row
        dump = "\n".join(db.session.connection().connection.driver_connection.iterdump())
        assert token not in dump


def test_the_receipt_page_says_a_copy_is_on_its_way_without_the_full_address(
    mailing, enia, submit, client
):
    submit(enia, lang="en", email="ana.quispe@example.org")
    page = client.get("/c/enia-2021/receipt").get_data(as_text=True)
    assert "is being sent to your email address (a***@example.org)" in page
    assert "ana.quispe@example.org" not in page
    send_due()
    page = client.get("/c/enia-2021/receipt").get_data(as_text=True)
    assert "was sent to your email address (a***@example.org)" in page
