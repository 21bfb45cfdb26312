"""(i) A consultation run from the console, in Chromium: an administrator creates it and
gives a coordinator access; the coordinator builds it from nothing (two sections and one
question of each type, in Spanish and English), previews it in both languages while it is
in preparation and opens it; an anonymous respondent answers it at 360 px with the
keyboard alone and JavaScript off; the coordinator's report counts that response, and
the consultation downloaded as a bundle and uploaded to the import page changes nothing.

Every page is checked by ``Visit.check`` and, with the other journeys' pages, by the HTML
checker (``test_markup``). The consultation has its own address and is removed at the end,
so the other journeys still find the draft strategy alone on the home page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask

from consult.extensions import db
from consult.models import Consultation
from consult.models.vocab import QuestionType, Role
from consult.reviewing import accounts
from tests.factories import remove_consultation

from .actors import Keyboard, Pointer
from .conftest import PASSWORD
from .journeys import SUBMIT
from .pagecheck import PHONE, Visit

AUTHORING_SLUG = "datos-abiertos-2027"
AUTHOR_ADMIN = "administracion-autoria@example.org"
AUTHOR = "autora@example.org"
FIELDS = {
    "title_es": "Plan regional de datos abiertos",
    "title_en": "Regional open data plan",
    "organiser_es": "Gobierno Regional de Cusco",
    "organiser_en": "Regional Government of Cusco",
    "summary_md_es": "Una consulta **breve** sobre el plan de datos abiertos.",
    "summary_md_en": "A **short** consultation on the open data plan.",
    "privacy_md_es": "Sus datos se tratan según la *Ley 29733*.",
    "privacy_md_en": "Your data is handled under *Law 29733*.",
    "contact": "datos@example.gob.pe",
}
#: Two sections: a part and its sub-part, keyed as their addresses end.
SECTIONS = [
    ("marco", "1", "", "Marco del plan", "Framework of the plan"),
    ("marco-portal", "1.1", "marco", "El portal de datos", "The data portal"),
]
OPTIONS = [("uno", "Uno", "One"), ("dos", "Dos", "Two"), ("tres", "Tres", "Three")]
SHORT_ANSWER = "Publicar los presupuestos"
LONG_ANSWER = "Que el portal tenga datos por provincia y se actualice cada mes."


#: Each type named in the wording of its question, in Spanish and English.
NAMES = {
    QuestionType.LIKERT: ("escala de acuerdo", "agreement scale"),
    QuestionType.SINGLE_CHOICE: ("opción única", "single choice"),
    QuestionType.MULTIPLE_CHOICE: ("opción múltiple", "multiple choice"),
    QuestionType.RANKING: ("orden de prioridad", "ranking"),
    QuestionType.SHORT_TEXT: ("texto breve", "short text"),
    QuestionType.LONG_TEXT: ("texto largo", "long text"),
}


def question_key(kind: QuestionType) -> str:
    return "q-" + kind.value.replace("_", "-")


def field_name(kind: QuestionType) -> str:
    """The answer's field on the public page: ``q_`` and the key with underscores."""
    return "q_" + question_key(kind).replace("-", "_")


#: Where each type is asked: likert, multiple choice and short text in the part; the
#: rest in its sub-part.
WHERE = {kind: SECTIONS[i % 2][0] for i, kind in enumerate(QuestionType)}


def sign_in(visit: Visit, actor: Pointer, email: str, lang: str = "es") -> None:
    visit.goto("/console/")
    visit.check("sign-in", lang=lang)
    actor.type("#email", email)
    actor.type("#password", PASSWORD)
    actor.press(SUBMIT)
    visit.check("console", lang=lang)


def create_and_give_access(visit: Visit, actor_type: type[Pointer], slug: str) -> None:
    """The administrator: a new consultation (open since yesterday, Peru time), then
    access for the coordinator who writes it."""
    page = visit.page
    actor = actor_type(page)
    sign_in(visit, actor, AUTHOR_ADMIN)
    actor.follow('.console-nav a[href$="/console/admin/consultations/new"]')
    visit.check("new-consultation", lang="es")
    lima = datetime.now(ZoneInfo("America/Lima"))
    actor.type("#slug", slug)
    for name, text in FIELDS.items():
        actor.type(f"#{name}", text)
    actor.type("#time_zone", "America/Lima")
    page.locator("#opens_at").fill((lima - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#closes_at").fill((lima + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    actor.press('form[action$="/consultations/new"] button[type=submit]')
    visit.check("created", lang="es")
    assert page.url.endswith(f"/console/c/{slug}/edit"), page.url

    actor.follow(f'main a[href$="/console/admin/c/{slug}/editors"]')
    visit.check("editors", lang="es")
    row = page.locator("tbody tr", has=page.locator("th", has_text=AUTHOR))
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    visit.check("access-given", lang="es")
    assert row.locator('input[name=action][value="take"]').count() == 1


def build_preview_and_open(visit: Visit, actor_type: type[Pointer], slug: str) -> None:
    """The coordinator: two sections and six questions in both languages, nothing missing
    on the translations page, a preview in each language, then "Open the consultation"."""
    page = visit.page
    actor = actor_type(page)
    sign_in(visit, actor, AUTHOR)
    edit = f'a[href$="/console/c/{slug}/edit"]'
    actor.follow(f"main {edit}" if page.locator(f"main {edit}").count() else f".console-nav {edit}")
    visit.check("edit", lang="es")

    actor.follow(f'main a[href$="/console/c/{slug}/edit/sections"]')
    visit.check("sections-empty", lang="es")
    for key, number, parent, title_es, title_en in SECTIONS:
        if parent:
            actor.follow(f'main a[href$="/edit/sections/new?parent={parent}"]')
        else:
            actor.follow(f'main a[href$="/console/c/{slug}/edit/sections/new"]')
        visit.check(f"new-section-{key}", lang="es")
        assert page.locator("#parent").input_value() == parent
        actor.type("#key", key)
        actor.type("#number", number)
        actor.type("#title_es", title_es)
        actor.type("#body_md_es", f"El texto de la sección {number}, con **negritas**.")
        actor.type("#title_en", title_en)
        actor.type("#body_md_en", f"The text of section {number}, in **bold**.")
        actor.press("button[name=preview]")
        visit.check(f"section-preview-{key}", lang="es")
        assert page.locator('section[aria-labelledby="preview-title"] strong').count() == 2
        actor.press("button[name=save]")
        visit.check(f"section-added-{key}", lang="es")
        assert page.locator(f"#section-{key}").count() == 1

    actor.follow('.sub-nav a[href$="/edit/questions"]')
    visit.check("questions-empty", lang="es")
    for kind in QuestionType:
        actor.follow(f'main a[href$="/edit/questions/new?section={WHERE[kind]}"]')
        visit.check(f"new-question-{kind.value}", lang="es")
        actor.type("#key", question_key(kind))
        actor.choose(f"input[name=type][value={kind.value}]")
        actor.type("#prompt_es", f"Pregunta de {NAMES[kind][0]}")
        actor.type("#prompt_en", f"Question of {NAMES[kind][1]}")
        actor.type("#help_es", "Responda si lo desea.")
        actor.type("#help_en", "Answer if you wish.")
        if kind.has_options:
            for n, (code, es, en) in enumerate(OPTIONS):
                actor.type(f"#options-{n}-code", code)
                actor.type(f"#options-{n}-es", es)
                actor.type(f"#options-{n}-en", en)
        actor.press("form[novalidate] .actions button[type=submit]")
        visit.check(f"question-added-{kind.value}", lang="es")
        assert page.locator(f"#question-{question_key(kind)}").count() == 1

    actor.follow('.sub-nav a[href$="/edit/translations"]')
    visit.check("translations", lang="es")
    assert page.locator("#missing").count() == 0, page.inner_text("#missing")

    # As a respondent sees it, in each language: public pages, marked as a preview.
    visit.goto(f"/console/c/{slug}/edit")
    visit.check("edit-before-preview", lang="es")
    for lang in ("es", "en"):
        actor.follow(f'main a[hreflang={lang}][href*="/c/{slug}/"]')
        visit.check(f"preview-{lang}", lang=lang)
        assert page.locator("div.notice.preview[role=note]").count() == 1
        actor.follow(f'.toc a[href$="/c/{slug}/s/marco-portal"]')
        visit.check(f"preview-section-{lang}", lang=lang)
        assert page.locator("div.notice.preview[role=note]").count() == 1
        title = SECTIONS[1][3] if lang == "es" else SECTIONS[1][4]
        assert title in page.inner_text("h1")
        assert page.locator(f"select[name={field_name(QuestionType.RANKING)}]").count() == 3
        visit.goto(f"/console/c/{slug}/edit")
        visit.check(f"edit-after-preview-{lang}", lang=lang)

    actor.press(f'form[action$="/console/c/{slug}/open"] button[type=submit]')
    visit.check("opened", lang="en")
    assert page.locator(f'form[action$="/console/c/{slug}/open"]').count() == 0


def answer_it(visit: Visit, actor_type: type[Pointer], slug: str) -> str:
    """An anonymous respondent: the profile, both sections, the review, submit. Returns
    the reference."""
    page = visit.page
    actor = actor_type(page)
    visit.goto(f"/c/{slug}/")
    visit.check("home", lang="es")
    assert page.locator(".notice.preview").count() == 0
    actor.follow('main a.button[href$="/profile"]')
    visit.check("profile", lang="es")
    assert "Ley 29733" in page.inner_text("main")
    actor.choose("input[name=responding_as][value=individual]")
    actor.choose("input[name=stakeholder_type][value=individual]")
    actor.select("#region", "cusco")
    actor.choose("input[name=publication][value=anonymous]")
    actor.choose("#consent")
    actor.press(SUBMIT)
    visit.check("first-section", lang="es")
    assert page.url.endswith(f"/s/{SECTIONS[0][0]}"), page.url

    actor.choose(f"input[name={field_name(QuestionType.LIKERT)}][value='4']")
    for code in ("uno", "tres"):
        actor.choose(f"input[name={field_name(QuestionType.MULTIPLE_CHOICE)}][value={code}]")
    actor.type(f"#{field_name(QuestionType.SHORT_TEXT)}", SHORT_ANSWER)
    actor.press("button[name=go][value=next]")
    visit.check("second-section", lang="es")
    assert page.url.endswith(f"/s/{SECTIONS[1][0]}"), page.url

    actor.choose(f"input[name={field_name(QuestionType.SINGLE_CHOICE)}][value=dos]")
    ranking = field_name(QuestionType.RANKING)
    actor.select(f"#{ranking}-2", "1")
    actor.select(f"#{ranking}-1", "2")
    actor.type(f"#{field_name(QuestionType.LONG_TEXT)}", LONG_ANSWER)
    actor.press("button[name=go][value=review]")
    visit.check("review", lang="es")
    reviewed = page.inner_text("main")
    for expected in (SHORT_ANSWER, LONG_ANSWER, "Uno", "Tres", "Dos"):
        assert expected in reviewed, expected
    assert page.locator(".review-row ol li").all_inner_texts() == ["Dos", "Uno"]

    actor.press(".submit-box button[type=submit]")
    visit.check("receipt", lang="es")
    return page.inner_text(".reference").strip()


def count_in_the_report(
    visit: Visit, actor_type: type[Pointer], slug: str, bundle: Path | None = None
) -> None:
    """The coordinator's report of that consultation: one response, and its answers; the
    consultation downloaded as a bundle (to ``bundle``) from its dashboard."""
    page = visit.page
    actor = actor_type(page)
    sign_in(visit, actor, AUTHOR)
    visit.goto(f"/console/c/{slug}/")
    visit.check("dashboard", lang="es")
    if bundle is not None:
        with page.expect_download() as download:
            page.locator(f'main a[href$="/console/c/{slug}/bundle.zip"]').click()
        download.value.save_as(bundle)
    actor.follow(f'.console-nav a[href$="/console/c/{slug}/report/"]')
    visit.check("report", lang="es")
    assert page.inner_text(".report-count strong").strip() == "1"
    report = page.inner_text("main")
    for prompt in (f"Pregunta de {NAMES[k][0]}" for k in QuestionType if k.has_options):
        assert prompt in report, prompt
    single = page.locator(
        "table", has=page.locator("caption", has_text=NAMES[QuestionType.SINGLE_CHOICE][0])
    )
    assert single.count() == 1
    assert "1 (100" in single.locator("tr", has_text="Dos").inner_text()


def import_unchanged(visit: Visit, actor_type: type[Pointer], bundle: Path) -> None:
    """The administrator uploads the downloaded bundle: the summary finds nothing added,
    changed or removed, and offers nothing to confirm."""
    page = visit.page
    actor = actor_type(page)
    sign_in(visit, actor, AUTHOR_ADMIN)
    actor.follow('.console-nav a[href$="/console/admin/import"]')
    visit.check("import", lang="es")
    page.set_input_files("#bundle", str(bundle))
    actor.press('form[action$="/console/admin/import"] button[type=submit]')
    visit.check("import-summary", lang="es")
    for part in ("added", "changed", "removed"):
        assert page.inner_text(f"#{part}-title").endswith("(0)"), page.inner_text("main")
    assert page.locator('form[action$="/import/confirm"]').count() == 0


def test_i_a_consultation_is_written_in_the_console_opened_and_answered(
    browser, base_url, recorder, live_app: Flask, tmp_path: Path
):
    with live_app.app_context():
        accounts.create_user(AUTHOR_ADMIN, Role.ADMIN, PASSWORD)
        accounts.create_user(AUTHOR, Role.COORDINATOR, PASSWORD)
        db.session.remove()
    try:
        admin = Visit(browser, base_url, recorder, "i-authoring-admin")
        try:
            create_and_give_access(admin, Pointer, AUTHORING_SLUG)
        finally:
            admin.close()
        author = Visit(browser, base_url, recorder, "i-authoring-coordinator")
        try:
            build_preview_and_open(author, Pointer, AUTHORING_SLUG)
        finally:
            author.close()
        respondent = Visit(
            browser, base_url, recorder, "i-authoring-respondent", viewport=PHONE, javascript=False
        )
        try:
            answer_it(respondent, Keyboard, AUTHORING_SLUG)
        finally:
            respondent.close()
        report = Visit(browser, base_url, recorder, "i-authoring-report")
        try:
            count_in_the_report(report, Pointer, AUTHORING_SLUG, tmp_path / "bundle.zip")
        finally:
            report.close()
        admin = Visit(browser, base_url, recorder, "i-authoring-import")
        try:
            import_unchanged(admin, Pointer, tmp_path / "bundle.zip")
        finally:
            admin.close()
    finally:
        with live_app.app_context():
            if db.session.scalar(sa.select(Consultation.id).filter_by(slug=AUTHORING_SLUG)):
                remove_consultation(AUTHORING_SLUG)
            db.session.remove()
