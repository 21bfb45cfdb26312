"""(j) Data in and out, in Chromium: a coordinator imports a form tool's export of the
draft (212 rows, three with problems) through the console's wizard, in Spanish with the
mouse at 1280 px; the same file uploaded again in English, at 360 px with the keyboard
alone, is recognised row by row and adds nothing; the report counts the imported file
by channel and filters by it. Then a demonstration consultation (``make_demo``) is read
by an anonymous reader, in both languages at 360 and 1280 px, and by the coordinator in
the console: every page of it says the responses are invented.

Every page is checked by ``Visit.check`` and, with the other journeys' pages, by the HTML
checker (``test_markup``). The imported responses, the import's record and the demo are
removed at the end, so the outcome journey finds the draft as the other journeys leave it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from consult.demo.writing import clear, make_demo
from consult.extensions import db
from consult.models import Consultation, ConsultationEditor, Response, ResponseImport
from consult.models.vocab import Role
from consult.public.cache import forget_all
from consult.reviewing import accounts
from tests.factories import remove_consultation

from .actors import Keyboard, Pointer
from .conftest import PASSWORD
from .journeys import SLUG, SUBMIT, switch_to_english
from .pagecheck import PHONE, Visit

IMPORTER = "importadora@example.org"
CSV = Path(__file__).resolve().parents[1] / "importing" / "data" / "enia-formulario.csv"
#: The file's rows with problems, as a spreadsheet numbers them (the header is row 1):
#: a date that is none, a label the coordinator leaves without an option, no region.
PROBLEM_LINES = ["59", "125", "172"]
ROWS, VALID = 212, 209
#: The one label whose suggestion (the scale's top point) the coordinator does not accept.
UNKNOWN_LABEL = "Bastante de acuerdo"
DEMO = "enia-2021-demo"
DEMO_RESPONSES = 300
BANNER = {
    "es": "Consulta de demostración: las respuestas son inventadas",
    "en": "Demonstration consultation: the responses are invented",
}
CHANNELS = {"es": "Respuestas por canal", "en": "Responses by channel"}


@pytest.fixture(scope="module")
def importer(live_app: Flask, base_url: str) -> Iterator[str]:
    """A coordinator given the draft to edit, for this module; at its end the responses
    imported into the draft and the record of their files are removed again."""
    with live_app.app_context():
        user, _password = accounts.create_user(IMPORTER, Role.COORDINATOR, PASSWORD)
        draft = db.session.scalars(sa.select(Consultation).filter_by(slug=SLUG)).one()
        db.session.add(ConsultationEditor(consultation_id=draft.id, user_id=user.id))
        db.session.commit()
        db.session.remove()
    yield base_url
    with live_app.app_context():
        draft = db.session.scalars(sa.select(Consultation).filter_by(slug=SLUG)).one()
        files = sa.select(ResponseImport.id).where(ResponseImport.consultation_id == draft.id)
        db.session.execute(sa.delete(Response).where(Response.import_id.in_(files)))
        db.session.execute(sa.delete(ResponseImport).where(ResponseImport.id.in_(files)))
        db.session.commit()
        forget_all()
        db.session.remove()


@pytest.fixture
def demo(live_app: Flask, importer: str) -> Iterator[str]:
    """The demo beside the draft, as ``consult demo --responses 300`` makes it; then gone."""
    with live_app.app_context():
        make_demo(DEMO, DEMO_RESPONSES, 2021)
        db.session.remove()
    yield importer
    with live_app.app_context():
        demo = db.session.scalars(sa.select(Consultation).filter_by(slug=DEMO)).one_or_none()
        if demo is not None:
            clear(demo)  # its themes, decisions and analyses, which the factory does not know
            db.session.commit()
            remove_consultation(DEMO)
        forget_all()
        db.session.remove()


def sign_in(visit: Visit, actor: Pointer, *, english: bool = False) -> str:
    visit.goto("/console/")
    visit.check("sign-in", lang="es")
    lang = switch_to_english(visit, actor, "sign-in") if english else "es"
    actor.type("#email", IMPORTER)
    actor.type("#password", PASSWORD)
    actor.press(SUBMIT)
    visit.check("console", lang=lang)
    return lang


def figures(page) -> list[str]:
    """The check page's summary: rows read, to add, already imported, with problems."""
    return [t.strip() for t in page.locator("#summary-title ~ ul.figures strong").all_inner_texts()]


def upload_to_check(visit: Visit, actor_type: type[Pointer], *, english: bool = False) -> str:
    """Sign in, upload the file from the dashboard's link, accept the columns, leave the
    one unknown label without an option, and reach the check page (nothing written)."""
    page = visit.page
    actor = actor_type(page)
    lang = sign_in(visit, actor, english=english)
    visit.goto(f"/console/c/{SLUG}/")
    visit.check("dashboard", lang=lang)
    actor.follow(f'main a[href$="/console/c/{SLUG}/import"]')
    visit.check("upload", lang=lang)
    page.set_input_files("#file", str(CSV))
    actor.choose("input[name=channel][value=import]")
    actor.press(f'form[action$="/console/c/{SLUG}/import"] button[type=submit]')
    visit.check("columns", lang=lang)
    assert f"{CSV.name}: {ROWS}" in page.inner_text("main")
    assert page.locator("select[id^=column-]").count() == 35
    assert page.locator("#timestamp_format").input_value() == "%d/%m/%Y %H:%M:%S"
    actor.press('form[action$="/import/labels"] button[type=submit]')
    visit.check("labels", lang=lang)
    label = page.locator("form label", has_text=re.compile(f"^{UNKNOWN_LABEL}$"))
    assert label.count() == 1, "the unknown label is offered for matching"
    select = "#" + label.get_attribute("for")
    assert page.locator(select).input_value() == "5", "suggested as the scale's top point"
    actor.select(select, "")
    actor.press('form[action$="/import/check"] button[type=submit]')
    visit.check("check", lang=lang)
    lines = page.locator("#problems-title ~ .table-wrap tbody td.num").all_inner_texts()
    assert lines == PROBLEM_LINES, lines
    return lang


def import_the_file(visit: Visit, actor_type: type[Pointer]) -> None:
    """(j) in Spanish: the check page lists the three problem rows; imported leaving them
    out; the list of imported files shows the file and the 209 rows it added."""
    page = visit.page
    actor = actor_type(page)
    upload_to_check(visit, actor_type)
    assert figures(page) == [str(ROWS), str(VALID), "0", "3"], figures(page)
    assert "Todavía no se ha escrito nada." in page.inner_text("main")
    actor.choose("#consent")
    actor.choose("#skip_invalid")
    actor.press('form[action$="/import/confirm"] button[type=submit]')
    visit.check("imported", lang="es")
    assert page.url.endswith(f"/console/c/{SLUG}/imports"), page.url
    rows = page.locator("tbody tr")
    assert rows.count() == 1, page.inner_text("main")
    assert rows.locator("th").inner_text().strip() == CSV.name
    assert rows.locator("td.num").all_inner_texts() == [str(VALID), "0"]
    # Taking the file back is offered, and asks first (nothing is deleted here).
    actor.press('tbody a[href$="/remove"]')
    visit.check("take-back", lang="es")
    assert page.locator("button.danger").inner_text().strip() == f"Eliminar {VALID} respuestas"


def upload_it_again(visit: Visit, actor_type: type[Pointer]) -> None:
    """(j) in English, at 360 px with the keyboard: every valid row is already imported,
    there is nothing to add; the list still holds the one file."""
    page = visit.page
    lang = upload_to_check(visit, actor_type, english=True)
    assert figures(page) == [str(ROWS), "0", str(VALID), "3"], figures(page)
    button = page.locator('form[action$="/import/confirm"] button[type=submit]')
    assert button.inner_text().strip() == "Import 0 responses"
    visit.goto(f"/console/c/{SLUG}/imports")
    visit.check("imports-unchanged", lang=lang)
    assert page.locator("tbody tr").count() == 1


def report_by_channel(visit: Visit, actor_type: type[Pointer]) -> None:
    """The report's table of responses by channel names the file and its 209 rows; the
    report filtered to imported responses counts those 209."""
    page = visit.page
    actor = actor_type(page)
    sign_in(visit, actor)
    visit.goto(f"/console/c/{SLUG}/")
    visit.check("dashboard", lang="es")
    actor.follow(f'.console-nav a[href$="/console/c/{SLUG}/report/"]')
    visit.check("report", lang="es")
    everyone = int(page.inner_text(".report-count strong").strip())
    assert everyone > VALID, everyone
    row = _channel_row(page, "es", f"Archivo importado: {CSV.name}")
    assert row.locator("td").inner_text().strip() == str(VALID)

    actor.choose("#f-channel-import")
    actor.press(".report-filters button[type=submit]")
    visit.check("report-imported", lang="es")
    assert "channel=import" in page.url, page.url
    assert page.inner_text(".report-count strong").strip() == str(VALID)
    row = _channel_row(page, "es", f"Archivo importado: {CSV.name}")
    assert row.locator("td").inner_text().strip() == str(VALID)


def _channel_row(page, lang: str, name: str):
    table = page.locator("table", has=page.locator("caption", has_text=CHANNELS[lang]))
    assert table.count() == 1, f"no table {CHANNELS[lang]!r}"
    row = table.locator("tbody tr", has=page.locator("th", has_text=name))
    assert row.count() == 1, table.inner_text()
    return row


def read_the_demo(visit: Visit, actor_type: type[Pointer]) -> None:
    """An anonymous reader: the home page marks the demo; its page, a section and its
    results carry the banner; then the same in English."""
    page = visit.page
    actor = actor_type(page)
    for lang in ("es", "en"):
        visit.goto("/")
        visit.check(f"home-{lang}", lang=lang)
        card = page.locator("li.card", has=page.locator(f'a[href$="/c/{DEMO}/"]'))
        assert card.locator(".demo-tag").count() == 1
        assert BANNER[lang] in card.inner_text()
        real = page.locator("li.card", has=page.locator(f'a[href$="/c/{SLUG}/"]'))
        assert real.locator(".demo-tag").count() == 0
        actor.follow(f'main li.card a[href$="/c/{DEMO}/"]')
        visit.check(f"demo-{lang}", lang=lang)
        _has_banner(page, lang)
        actor.follow(f'.toc a[href$="/c/{DEMO}/s/5-3"]')
        visit.check(f"demo-section-{lang}", lang=lang)
        _has_banner(page, lang)
        visit.goto(f"/c/{DEMO}/")
        visit.check(f"demo-again-{lang}", lang=lang)
        actor.follow(f'main a[href$="/c/{DEMO}/results"]')
        visit.check(f"demo-results-{lang}", lang=lang)
        _has_banner(page, lang)
        if lang == "es":
            switch_to_english(visit, actor, "demo-results")


def _has_banner(page, lang: str) -> None:
    banner = page.locator("p.demo-banner")
    assert banner.count() == 1, "no demo banner"
    assert BANNER[lang] in banner.inner_text()


def demo_in_the_console(visit: Visit, actor_type: type[Pointer]) -> None:
    """The coordinator: the console lists both; the demo's dashboard and report say it is
    a demonstration, in Spanish and English."""
    page = visit.page
    actor = actor_type(page)
    sign_in(visit, actor)
    listed = f'main h1 ~ ul a[href$="/console/c/{DEMO}/"]'
    assert page.locator(listed).count() == 1, page.url
    actor.follow(listed)
    visit.check("demo-dashboard", lang="es")
    _has_banner(page, "es")
    actor.follow(f'.console-nav a[href$="/console/c/{DEMO}/report/"]')
    visit.check("demo-report", lang="es")
    _has_banner(page, "es")
    assert int(page.inner_text(".report-count strong").strip()) > 0
    switch_to_english(visit, actor, "demo-report")
    _has_banner(page, "en")
    visit.goto(f"/console/c/{DEMO}/")
    visit.check("demo-dashboard-en", lang="en")
    _has_banner(page, "en")


def test_j_responses_are_imported_counted_by_channel_and_not_imported_twice(
    browser, importer, recorder
):
    coordinator = Visit(browser, importer, recorder, "j-import")
    try:
        import_the_file(coordinator, Pointer)
    finally:
        coordinator.close()
    again = Visit(browser, importer, recorder, "j-import-again-en", viewport=PHONE)
    try:
        upload_it_again(again, Keyboard)
    finally:
        again.close()
    report = Visit(browser, importer, recorder, "j-report")
    try:
        report_by_channel(report, Pointer)
    finally:
        report.close()


def test_j_a_demo_says_so_on_every_page(browser, demo, recorder):
    for viewport, name in ((PHONE, "phone"), (None, "desktop")):
        options = {"viewport": viewport} if viewport else {}
        reader = Visit(browser, demo, recorder, f"j-demo-reader-{name}", **options)
        try:
            read_the_demo(reader, Pointer)
        finally:
            reader.close()
    coordinator = Visit(browser, demo, recorder, "j-demo-console")
    try:
        demo_in_the_console(coordinator, Pointer)
    finally:
        coordinator.close()
