"""The journeys of the issue, written once for any actor (pointer or keyboard).

Controls are found by what they are (names, values, link targets), never by their
words, so the same journey runs in Spanish and in English; each page is checked by
``Visit.check`` as soon as it is shown.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from .actors import Keyboard, Pointer
from .conftest import COORDINATOR, PASSWORD, VALLE
from .pagecheck import Visit

SLUG = "enia-2021"
SUBMIT = "main form button[type=submit]"
CHANGED_TEXT = "Faltan metas con plazos y presupuesto para las regiones."
COMMENT = "Los entornos de prueba deben incluir a universidades de regiones."


def switch_to_english(visit: Visit, actor: Pointer, name: str) -> str:
    actor.follow("header a[hreflang=en]")
    visit.check(name + "-en", lang="en")
    return "en"


def respond(visit: Visit, actor_type: type[Pointer], *, english: bool = False) -> None:
    """(a): profile, two sections, leave and return, review, submit, receipt link, edit."""
    page = visit.page
    actor = actor_type(page)
    lang = "es"
    visit.goto("/")
    visit.check("home", lang=lang)
    if isinstance(actor, Keyboard):
        _skip_link_moves_focus(page)
    if english:
        lang = switch_to_english(visit, actor, "home")

    actor.follow('main a.button[href$="/profile"]')
    visit.check("profile", lang=lang)
    _send_empty_profile_then_follow_first_error(visit, actor, lang)
    actor.choose("input[name=responding_as][value=organisation]")
    actor.choose("input[name=stakeholder_type][value=academia]")
    actor.type("#organisation_name", "Universidad Nacional de San Antonio Abad del Cusco")
    actor.choose("input[name=organisation_size][value=large]")
    actor.select("#region", "cusco")
    actor.choose("input[name=publication][value=anonymous]")
    actor.type("#email", "investigadora@example.org")
    actor.choose("#consent")
    actor.press(SUBMIT)
    visit.check("first-section", lang=lang)

    actor.follow(".breadcrumbs a")
    visit.check("home-started", lang=lang)
    actor.follow(f'.toc a[href$="/c/{SLUG}/s/5-1"]')
    visit.check("section", lang=lang)
    actor.choose("input[name=q_q_5_1_agree][value='4']")
    actor.type("#q_q_5_1_change", CHANGED_TEXT)
    actor.type("#comment", COMMENT)
    actor.choose("input[name=contribution][value=problem_definition]")
    actor.press("button[name=go][value=next]")
    visit.check("next-section", lang=lang)
    assert page.url.endswith("/s/5-2"), page.url
    actor.choose("input[name=q_q_5_2_agree][value='2']")
    actor.press("button[name=go][value=next]")
    visit.check("third-section", lang=lang)

    # Leave: close the tab; come back later to the site's address.
    page = visit.new_tab()
    actor = actor_type(page)
    visit.goto("/")
    visit.check("home-return", lang=lang)
    actor.follow('main a.button[href$="/review"]')
    visit.check("review", lang=lang)
    assert CHANGED_TEXT in page.inner_text("main") and COMMENT in page.inner_text("main")

    actor.press(".submit-box button[type=submit]")
    visit.check("receipt", lang=lang)
    reference = page.inner_text(".reference").strip()
    assert re.fullmatch(r"[A-Z0-9-]{6,}", reference), reference

    actor.follow("a.private-link")
    visit.check("private", lang=lang)
    assert reference in page.inner_text("h1")
    actor.press('form[action$="/edit"] button')
    visit.check("review-submitted", lang=lang)
    actor.follow(f'.blank-pages a[href$="/c/{SLUG}/general"]')
    visit.check("general", lang=lang)
    actor.select("#q_q_ranking_priority_areas-3", "1")
    actor.select("#q_q_ranking_priority_areas-5", "2")
    actor.choose("input[name=q_q_overall_fit][value=partly]")
    actor.choose("input[name=q_q_strengthen][value=budget-funding]")
    actor.choose("input[name=q_q_strengthen][value=regional-inclusion]")
    actor.press("button[name=go][value=review]")
    visit.check("review-edited", lang=lang)
    answered = page.inner_text("main")
    ranked = page.locator(".review-row ol li").all_inner_texts()
    assert len(ranked) == 2, ranked
    assert "Cusco" in answered
    actor.follow('main a.button[href$="/receipt"]')
    visit.check("receipt-again", lang=lang)


def respond_elsewhere(visit: Visit, actor_type: type[Pointer]) -> None:
    """(f): another country's consultation, its own profile, a gated section said no to,
    then its published results in its own categories and time zone."""
    page = visit.page
    actor = actor_type(page)
    visit.goto(f"/c/{VALLE}/")
    visit.check("valle-home", lang="es")
    actor.follow('main a.button[href$="/profile"]')
    visit.check("valle-profile", lang="es")
    profile = page.inner_text("main")
    assert "Ley N.º 19.628" in profile and "29733" not in profile
    assert page.locator("#country").count() == 0 and page.locator("[name=gender]").count() == 0
    actor.choose("input[name=responding_as][value=individual]")
    actor.choose("input[name=stakeholder_type][value=resident]")
    actor.select("#region", "los_sauces")
    actor.choose("input[name=age_band][value=over_65]")
    actor.choose("input[name=p_education][value=technical]")
    actor.choose("input[name=publication][value=anonymous]")
    actor.choose("#consent")
    actor.press(SUBMIT)
    visit.check("valle-first-section", lang="es")
    assert page.url.endswith("/s/tramites"), page.url
    assert page.locator("input[name=contribution]").count() == 0  # not asked here
    actor.choose("input[name=q_v_tramites_agree][value='5']")
    actor.type("#comment", "Que el municipio siga atendiendo en persona.")
    actor.press("button[name=go][value=next]")
    visit.check("valle-no-comment-box", lang="es")
    assert page.locator("#comment").count() == 0
    actor.choose("input[name=q_v_conectividad_agree][value='4']")
    actor.press("button[name=go][value=next]")
    visit.check("valle-gated-section", lang="es")
    assert page.url.endswith("/s/datos-abiertos"), page.url
    assert page.locator("input[name=q_v_datos_agree]").count() == 0  # asked first
    actor.choose("input[name=gate][value=no]")
    actor.press("button[name=go][value=next]")
    visit.check("valle-after-skipping", lang="es")
    assert not page.url.endswith("/s/datos-abiertos"), page.url
    visit.goto(f"/c/{VALLE}/review")
    visit.check("valle-review", lang="es")
    review = page.inner_text("main")
    assert "Los Sauces" in review and "Técnica superior" in review
    actor.press(".submit-box button[type=submit]")
    visit.check("valle-receipt", lang="es")

    visit.goto(f"/c/{VALLE}/results")
    visit.check("valle-results", lang="es")
    results = page.inner_text("main")
    for own in ("Centro", "Cerro Alto", "De 26 a 40 años", "Nivel educativo más alto alcanzado"):
        assert own in results, own
    assert "Fuera del Perú" not in results and "UTC" not in results
    assert "hora de America/Santiago" in results
    assert "Los porcentajes son de todas las personas que respondieron la pregunta" in results
    assert "Personas que eligieron responder" in results


def _skip_link_moves_focus(page) -> None:
    """The first Tab shows the skip link; Enter puts the focus on the main content."""
    page.keyboard.press("Tab")
    link = page.evaluate_handle("document.activeElement")
    assert page.evaluate("el => el.classList.contains('skip-link')", link)
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"skip link not shown: {box}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _send_empty_profile_then_follow_first_error(visit: Visit, actor: Pointer, lang: str) -> None:
    """An empty profile: the error summary lists each field and its link leads to it."""
    page = visit.page
    actor.press(SUBMIT)
    visit.check("profile-errors", lang=lang, status=422)
    links = page.locator(".error-summary a")
    targets = [href.lstrip("#") for href in links.evaluate_all("as => as.map(a => a.hash)")]
    assert {"responding_as", "stakeholder_type", "region", "publication", "consent"} <= set(
        targets
    ), targets
    for target in targets:
        assert page.locator(f"#{target}").count() == 1, f"error link to missing #{target}"
    actor.jump(".error-summary li:first-child a")
    assert page.evaluate("location.hash") == "#" + targets[0]
    if isinstance(actor, Keyboard):
        # The link moved the keyboard's starting point: the next Tab lands in that field.
        page.keyboard.press("Tab")
        inside = f"document.getElementById('{targets[0]}').contains(document.activeElement)"
        assert page.evaluate(inside), "Tab after the error link left the field"
        page.keyboard.press("Shift+Tab")


def coordinate(
    visit: Visit, actor_type: type[Pointer], theme: str, *, english: bool = False
) -> None:
    """(b): sign in, moderate, tag a theme, open the report, download the XLSX."""
    page = visit.page
    actor = actor_type(page)
    lang = "es"
    visit.goto("/console/")
    visit.check("sign-in", lang=lang)
    if english:
        lang = switch_to_english(visit, actor, "sign-in")
    actor.type("#email", COORDINATOR)
    actor.type("#password", PASSWORD)
    actor.press(SUBMIT)
    visit.check("dashboard", lang=lang)

    actor.follow('.figures a[href$="moderation=pending"]')
    visit.check("comments-pending", lang=lang)
    actor.follow('.comment-item:first-child a[href*="/comments/"]')
    visit.check("comment", lang=lang)
    comment_url = page.url
    text = page.inner_text("blockquote")
    actor.choose("input[name=state][value=published]")
    actor.press('form[action$="/moderate"] button[type=submit]')
    visit.check("comment-published", lang=lang)

    actor.follow('.console-nav a[href$="/themes"]')
    visit.check("themes", lang=lang)
    actor.type("#name", theme)
    actor.press('form[action$="/themes"]:not(.inline) button[type=submit]')
    visit.check("theme-created", lang=lang)
    visit.goto(comment_url)
    visit.check("comment-again", lang=lang)
    value = page.locator("#theme option", has_text=theme).get_attribute("value")
    actor.select("#theme", value)
    actor.press('form[action$="/themes"]:not(.inline) button[type=submit]')
    visit.check("comment-tagged", lang=lang)
    assert theme in page.inner_text("#themes + ul")

    actor.follow('.console-nav a[href$="/report/"]')
    visit.check("report", lang=lang)
    if page.locator('input[name=published][value="1"]').count():
        actor.press('form[action$="/report/publish"] button')
        visit.check("report-published", lang=lang)
    with page.expect_download() as download:
        page.locator('a[href*="report.xlsx"][href*="audience=open"]').click()
    _is_a_workbook(download.value)

    actor.follow(f'main a[href$="/c/{SLUG}/results"]')
    visit.check("results", lang=lang)
    visit.goto(f"/c/{SLUG}/s/5-1")
    visit.check("section-with-comments", lang=lang)
    assert text.strip() in page.inner_text("#published-comments")


def _is_a_workbook(download) -> None:
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert zipfile.is_zipfile(io.BytesIO(data))
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    assert len(workbook.sheetnames) > 1, workbook.sheetnames


#: The campaign letter the insight journey confirms (its copies seeded by ``insight_seed``).
LETTER = (
    "Pedimos que la Red Dorsal de Fibra Óptica llegue a todas las capitales de provincia "
    "antes de 2026 y que los centros de datos públicos se instalen también en regiones, "
    "con personal local capacitado y presupuesto propio para su mantenimiento."
)


def systematise(visit: Visit, actor_type: type[Pointer], theme: str) -> None:
    """(g): run the analyses, confirm a campaign and see it counted once in the report,
    rename and accept a suggested theme and confirm its tags, read the opinion groups and
    who is missing; then the read-only pages again in English."""
    page = visit.page
    actor = actor_type(page)
    lang = "es"
    visit.goto("/console/")
    visit.check("sign-in", lang=lang)
    actor.type("#email", COORDINATOR)
    actor.type("#password", PASSWORD)
    actor.press(SUBMIT)
    visit.check("dashboard", lang=lang)

    actor.follow(f'.console-nav a[href$="/c/{SLUG}/insight/"]')
    visit.check("insight", lang=lang)
    actor.press(f'form[action$="/c/{SLUG}/insight/runs"] button[type=submit]')
    visit.check("insight-started", lang=lang)
    for _ in range(60):  # the run goes on in the server's thread: look again, as a person would
        if not page.locator("#run-progress").count():
            break
        page.wait_for_timeout(1000)
        actor.follow('section[aria-labelledby="running-title"] a')
    visit.check("insight-done", lang=lang)
    assert not page.locator("#run-progress").count(), "the run did not end within a minute"

    actor.follow(f'nav a[href$="/c/{SLUG}/insight/campaigns/"]')
    visit.check("campaigns", lang=lang)
    row = page.locator("tbody tr", has_text=LETTER[:40])
    with page.expect_navigation():
        row.locator("a").first.click()
    visit.check("campaign", lang=lang)
    actor.press('form[action$="/confirm"] button[type=submit]')
    visit.check("campaign-confirmed", lang=lang)
    visit.goto(f"/console/c/{SLUG}/report/")
    visit.check("report-with-campaign", lang=lang)
    table = page.locator(
        "table", has=page.locator("caption", has_text=re.compile("campaña|campaign"))
    )
    assert table.count() == 1, "the report shows no raw and de-duplicated counts"

    actor.follow(f'.console-nav a[href$="/c/{SLUG}/insight/"]')
    actor.follow(f'nav a[href$="/c/{SLUG}/insight/themes/"]')
    visit.check("suggestions", lang=lang)
    education = page.locator("section", has=page.locator("h2", has_text="5.3"))
    first = education.locator("article.suggestion").first
    first.locator("summary").click()
    first.locator('form[action$="/rename"] input[type=text]').fill(theme)
    with page.expect_navigation():
        first.locator('form[action$="/rename"] button[type=submit]').click()
    visit.check("suggestion-renamed", lang=lang)
    renamed = page.locator("article.suggestion", has=page.locator("h3", has_text=theme))
    with page.expect_navigation():
        renamed.locator('form[action$="/accept"] button[type=submit]').click()
    visit.check("suggestion-accepted", lang=lang)  # its comments, tagged as suggested
    assert theme in page.inner_text("h1")
    assert page.locator("ul.suggested-tags li").count() > 0
    actor.press('form[action$="/suggested/confirm-all"] button[type=submit]')
    visit.check("tags-confirmed", lang=lang)
    assert not page.locator("ul.suggested-tags li").count()

    for name in ("groups", "representation"):
        visit.goto(f"/console/c/{SLUG}/insight/{name}/")
        visit.check(name, lang=lang)
    lang = switch_to_english(visit, actor, "representation")
    for name in ("", "campaigns/", "themes/", "groups/"):
        visit.goto(f"/console/c/{SLUG}/insight/{name}")
        visit.check(f"insight-{name.rstrip('/') or 'runs'}-en", lang=lang)
