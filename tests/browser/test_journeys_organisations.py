"""(k) An organisation takes part fully, in Chromium: it comments on target 5.3 of the
draft and proposes new wording for it, attaches its position paper (a hostile file is
refused on the way, the title typed is kept), submits, and reads the receipt caught by a
real SMTP server on 127.0.0.1; its private link, opened on a phone in English with the
keyboard alone, shows the passage comment and the paper and lets it reword the proposal.
A coordinator downloads the paper (the same bytes), publishes it and the comment, finds
the comment grouped under its passage with the proposal compared word by word; the
public section lists the paper, and the passage's page the comment with its wording.

The organisation's first visit runs without JavaScript. Every page is checked by
``Visit.check`` and, with the other journeys' pages, by the HTML checker
(``test_markup``). The response, its paper and its mail are removed at the end, and the
mail settings put back, so the outcome journey (which sorts after this module) finds the
draft as the other journeys leave it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask

from consult.content.passages import passages
from consult.extensions import db
from consult.mail import send_due
from consult.models import Consultation, Response, Section
from consult.models.papers import PositionPaper
from consult.papers.storage import paper_store
from consult.public.cache import forget_all
from tests.mail.conftest import Collector, free_port
from tests.papers.conftest import make_pdf

from .actors import Keyboard, Pointer
from .conftest import COORDINATOR, PASSWORD
from .journeys import SLUG, SUBMIT, switch_to_english
from .pagecheck import PHONE, Visit

ORGANISATION = "Asociación Peruana de Empresas de Software"
EMAIL = "politicas@apesoft.example.org"
SENDER = "Consulta ENIA <no-responder@consult.test>"
TARGET = "Formar profesionales con competencias"
COMMENT = "La meta no dice cuántos profesionales ni en qué plazo: sin cifras no se puede medir."
PROPOSAL = (
    "Formar 5000 profesionales con competencias para la investigación, el desarrollo y el "
    "uso de la IA en el país hasta 2026."
)
REWORDED = PROPOSAL.replace("5000", "8000")
PAPER_TITLE = "Posición de la asociación sobre la educación en IA"
HOSTILE = b"<html><script>alert(1)</script></html>"
MAIL_SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_DEFAULT_SENDER", "MAIL_TIMEOUT", "PUBLIC_URL")


@pytest.fixture
def mail_server(live_app: Flask, base_url: str) -> Iterator[Collector]:
    """A real SMTP server on 127.0.0.1 for this journey; the app sends through it. At the
    end the settings are put back and the organisation's response (its comments, paper
    and mail go with it) is removed."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: live_app.config.get(key) for key in MAIL_SETTINGS}
    live_app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_DEFAULT_SENDER=SENDER,
        MAIL_TIMEOUT=5,
        PUBLIC_URL=base_url,
    )
    try:
        yield collector
    finally:
        controller.stop()
        live_app.config.update(saved)
        with live_app.app_context():
            ours = sa.select(Response).where(Response.organisation_name == ORGANISATION)
            for response in db.session.scalars(ours):
                _remove_with_papers(response)
            db.session.commit()
            forget_all()
            db.session.remove()


def _remove_with_papers(response: Response) -> None:
    store = paper_store()
    for paper in db.session.scalars(sa.select(PositionPaper).filter_by(response_id=response.id)):
        store.delete(paper.storage_key)
    db.session.delete(response)


def target_anchor(live_app: Flask) -> str:
    """The anchor of section 5.3's target line, as the section page links it."""
    with live_app.app_context():
        section = db.session.scalars(
            sa.select(Section)
            .join(Consultation)
            .where(Consultation.slug == SLUG, Section.key == "5-3")
        ).one()
        found = [p for p in passages(section.body_md_es) if p.text.startswith(TARGET)]
        db.session.remove()
    assert len(found) == 1, found
    return found[0].anchor


def organisation_responds(visit: Visit, actor_type: type[Pointer], anchor: str) -> str:
    """Profile as an organisation; a comment and new wording on target 5.3; a hostile
    file refused, the real paper attached; submitted. Returns the reference."""
    page = visit.page
    actor = actor_type(page)
    visit.goto(f"/c/{SLUG}/")
    visit.check("home", lang="es")
    actor.follow('main a.button[href$="/profile"]')
    visit.check("profile", lang="es")
    actor.choose("input[name=responding_as][value=organisation]")
    actor.choose("input[name=stakeholder_type][value=business_association]")
    actor.type("#organisation_name", ORGANISATION)
    actor.choose("input[name=organisation_size][value=small]")
    actor.select("#region", "lima_metropolitana")
    actor.choose("input[name=publication][value=named]")
    actor.type("#display_name", ORGANISATION)
    actor.type("#email", EMAIL)
    actor.choose("#consent")
    actor.press(SUBMIT)
    visit.check("first-section", lang="es")

    visit.goto(f"/c/{SLUG}/s/5-3")
    visit.check("section", lang="es")
    target = page.locator(f"#{anchor}")
    assert target.count() == 1 and TARGET in target.inner_text()
    link = f'a.passage-link[href$="/p/{anchor}"]'
    assert page.locator(link).count() == 1
    actor.follow(link)
    visit.check("passage", lang="es")
    assert TARGET in page.inner_text("#passage-text")
    # The proposal starts as the draft's words, ready to be edited.
    assert page.locator("#proposal").input_value().startswith(TARGET)
    actor.type("#comment", COMMENT)
    actor.choose("input[name=contribution][value=objective_formulation]")
    actor.type("#proposal", PROPOSAL)
    actor.press(SUBMIT)
    visit.check("section-commented", lang="es")
    assert urlsplit(page.url).path.endswith("/s/5-3"), page.url

    visit.goto(f"/c/{SLUG}/review")
    visit.check("review", lang="es")
    review = page.inner_text("main")
    assert COMMENT in review and PROPOSAL in review
    actor.follow(f'main a[href$="/c/{SLUG}/papers"]')
    visit.check("papers", lang="es")

    # A web page renamed .pdf: refused with the reason; the title typed is still there.
    upload = f'form[action$="/c/{SLUG}/papers"] button[type=submit]'
    page.set_input_files(
        "#file", {"name": "posicion.pdf", "mimeType": "application/pdf", "buffer": HOSTILE}
    )
    actor.type("#title", PAPER_TITLE)
    actor.press(upload)
    visit.check("paper-refused", lang="es", status=422)
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#file-error").count() == 1
    assert page.locator("#title").input_value() == PAPER_TITLE

    section_option = page.locator("#section option", has_text="5.3.")
    actor.select("#section", section_option.get_attribute("value"))
    actor.choose("#may_publish")
    page.set_input_files(
        "#file", {"name": "posicion-apesoft.pdf", "mimeType": "application/pdf", "buffer": PAPER}
    )
    actor.press(upload)
    visit.check("paper-attached", lang="es")
    listed = page.inner_text(".paper-list")
    assert PAPER_TITLE in listed and "posicion-apesoft.pdf" in listed and "5.3." in listed

    visit.goto(f"/c/{SLUG}/review")
    visit.check("review-with-paper", lang="es")
    assert PAPER_TITLE in page.inner_text(".papers-box")
    actor.press(".submit-box button[type=submit]")
    visit.check("receipt", lang="es")
    reference = page.inner_text(".reference").strip()
    note = page.inner_text(".mail-note")
    assert "Se está enviando" in note and EMAIL not in note, note
    return reference


def read_the_receipt(collector: Collector, live_app: Flask, reference: str, base_url: str) -> str:
    """The worker sends the receipt once, in Spanish, with the private link."""
    with live_app.app_context():
        report = send_due()
        again = send_due()
        db.session.remove()
    assert (report.sent, again.sent) == (1, 0), (report, again)
    assert collector.recipients == [[EMAIL]]
    message = collector.messages[0]
    assert message["Content-Language"] == "es"
    assert reference in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Su código de referencia" in text and reference in text
    assert "<img" not in html.lower()
    links = re.findall(re.escape(base_url) + r"/c/" + SLUG + r"/r/[\w-]+", text)
    assert len(set(links)) == 1, text
    assert links[0] in html
    return links[0]


def reword_on_a_phone(visit: Visit, actor_type: type[Pointer], link: str, anchor: str) -> None:
    """The mail's private link in another browser, English, 360 px, keyboard: the page
    shows the passage comment and the paper; the proposal is reworded and kept."""
    page = visit.page
    actor = actor_type(page)
    visit.goto(link)
    visit.check("private", lang="es")
    lang = switch_to_english(visit, actor, "private")
    private = page.inner_text("main")
    assert COMMENT in private and PROPOSAL in private and PAPER_TITLE in private
    actor.press('form[action$="/edit"] button')
    visit.check("review-submitted", lang=lang)
    visit.goto(f"/c/{SLUG}/s/5-3")
    visit.check("section", lang=lang)
    actor.follow(f'a.passage-link[href$="/p/{anchor}"]')
    visit.check("passage", lang=lang)
    assert page.locator("#comment").input_value() == COMMENT
    assert page.locator("#proposal").input_value() == PROPOSAL
    actor.type("#proposal", REWORDED)
    actor.press(SUBMIT)
    visit.check("section-reworded", lang=lang)
    visit.goto(f"/c/{SLUG}/papers")
    visit.check("papers", lang=lang)
    assert PAPER_TITLE in page.inner_text(".paper-list")
    visit.goto(f"/c/{SLUG}/review")
    visit.check("review", lang=lang)
    assert REWORDED in page.inner_text("main")


def coordinator_reviews(visit: Visit, actor_type: type[Pointer], live_app: Flask, anchor: str):
    """Download the paper (the same bytes), publish it; the comment under its passage,
    its proposal compared word by word, published."""
    page = visit.page
    actor = actor_type(page)
    with live_app.app_context():
        response_id = db.session.scalars(
            sa.select(Response.id).where(Response.organisation_name == ORGANISATION)
        ).one()
        db.session.remove()
    visit.goto("/console/")
    visit.check("sign-in", lang="es")
    actor.type("#email", COORDINATOR)
    actor.type("#password", PASSWORD)
    actor.press(SUBMIT)
    visit.check("dashboard", lang="es")

    visit.goto(f"/console/c/{SLUG}/responses/{response_id}")
    visit.check("response", lang="es")
    papers = page.locator("#papers")
    assert PAPER_TITLE in papers.inner_text()
    with page.expect_download() as download:
        papers.locator("a", has_text=PAPER_TITLE).click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(PAPER).hexdigest()
    actor.press('#papers form[action$="/publish"] button')
    visit.check("paper-published", lang="es")
    assert page.locator('#papers form[action$="/unpublish"]').count() == 1

    visit.goto(f"/console/c/{SLUG}/passages?section=5-3")
    visit.check("passages", lang="es")
    group = page.locator(".passage-group", has=page.locator(f"#group-{anchor}"))
    assert group.count() == 1, page.inner_text("main")
    assert TARGET in group.locator("blockquote").inner_text()
    actor.follow(f'#group-{anchor} ~ ul a[href*="/comments/"]')
    visit.check("comment", lang="es")
    # Word by word: the figure and the deadline inserted, the rest of the target kept.
    comparison = page.locator(".passage-comment .comparison")
    inserted = [t.split("\n")[-1] for t in comparison.locator("ins").all_inner_texts()]
    deleted = [t.split("\n")[-1] for t in comparison.locator("del").all_inner_texts()]
    assert inserted[0] == "8000" and inserted[-1].endswith("hasta 2026."), inserted
    assert not any("Formar" in words or "profesionales" in words for words in deleted), deleted
    # While the consultation is open, wording is not adopted yet: the page says why.
    assert page.locator('form[action$="/adopt"]').count() == 0
    actor.choose("input[name=state][value=published]")
    actor.press('form[action$="/moderate"] button[type=submit]')
    visit.check("comment-published", lang="es")


def public_reads(visit: Visit, actor_type: type[Pointer], anchor: str) -> None:
    """The section lists the published paper (a PDF anyone may download) and the passage
    its comment; the passage's page shows the comment, the organisation and its wording."""
    page = visit.page
    actor = actor_type(page)
    visit.goto(f"/c/{SLUG}/s/5-3")
    visit.check("section-published", lang="es")
    papers = page.locator(".published-papers")
    assert PAPER_TITLE in papers.inner_text() and ORGANISATION in papers.inner_text()
    href = papers.locator("a", has_text=PAPER_TITLE).get_attribute("href")
    fetched = page.request.get(href)
    assert fetched.ok and fetched.body() == PAPER
    link = page.locator(f'a.passage-link[href$="/p/{anchor}"]')
    assert "(1 comentario)" in link.inner_text(), link.inner_text()
    actor.follow(f'a.passage-link[href$="/p/{anchor}"]')
    visit.check("passage-published", lang="es")
    shown = page.inner_text("#published-comments")
    assert COMMENT in shown and REWORDED in shown and ORGANISATION in shown
    assert EMAIL not in page.content()


PAPER = make_pdf(4, "la educación en inteligencia artificial")


def test_k_an_organisation_comments_on_a_target_attaches_a_paper_and_gets_a_receipt(
    browser, base_url, live_app, mail_server, recorder
):
    anchor = target_anchor(live_app)
    organisation = Visit(browser, base_url, recorder, "k-organisation", javascript=False)
    try:
        reference = organisation_responds(organisation, Pointer, anchor)
    finally:
        organisation.close()
    link = read_the_receipt(mail_server, live_app, reference, base_url)

    phone = Visit(browser, base_url, recorder, "k-organisation-phone-en", viewport=PHONE)
    try:
        reword_on_a_phone(phone, Keyboard, link, anchor)
    finally:
        phone.close()

    coordinator = Visit(browser, base_url, recorder, "k-coordinator")
    try:
        coordinator_reviews(coordinator, Pointer, live_app, anchor)
    finally:
        coordinator.close()

    reader = Visit(browser, base_url, recorder, "k-reader", viewport=PHONE)
    try:
        public_reads(reader, Pointer, anchor)
    finally:
        reader.close()
