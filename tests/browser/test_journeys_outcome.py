"""(h) Closing the loop in Chromium: an administrator decides on a theme and a section,
loads version 2 of the draft as a zipped bundle, links a change to the theme and
publishes the outcome; an anonymous reader reads the comparison, the decisions and the
final report; a respondent's private link shows the decision on their comment.

Every page is checked by ``Visit.check`` (axe-core, structure, weight, no request leaving
the site, screenshots at 360 and 1280 px) and, with the journeys' pages, by the HTML
checker (``test_markup``, which sorts after this module). The readers' pages are read at
360 px (axe at that width) and at 1280 px, in Spanish and English.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader

from consult.extensions import db
from consult.models import Consultation, OutcomeDecision
from consult.models.columns import utcnow
from consult.models.vocab import Decision, ModerationState, Role, Stage
from consult.reviewing import accounts
from tests.factories import add_response, add_theme

from .actors import Pointer
from .conftest import PASSWORD
from .journeys import SLUG, SUBMIT, switch_to_english
from .pagecheck import PHONE, Visit

ADMIN = "administradora@example.org"
THEME = "Capacitación de docentes"
THEME_REASON = (
    "Se añadió una meta de formación docente en IA a la sección 5.3.",
    "A target on teacher training in AI was added to section 5.3.",
)
SECTION_REASON = (
    "La sección se amplió en parte: la conectividad escolar queda para otra política.",
    "The section was partly widened: school connectivity is left to another policy.",
)
EXPLANATION = (
    "Se incluye un programa nacional de formación docente en IA.",
    "A national programme of teacher training in AI is now included.",
)
NOT_TAKEN = "Los impuestos no son materia de esta estrategia."
VERSION_2 = Path(__file__).resolve().parents[1] / "bundles" / "enia-2021-v2"
MINE = "Los docentes de Puno necesitan formación en inteligencia artificial para el aula."


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    return buffer.getvalue()


@pytest.fixture
def outcome_seed(live_app: Flask, base_url: str, tmp_path: Path) -> dict:
    """The draft as the other journeys leave it, seeded by ``seed_outcome``; the zipped
    version 2 on disk."""
    with live_app.app_context():
        consultation = db.session.scalars(sa.select(Consultation).filter_by(slug=SLUG)).one()
        if consultation.stage is not Stage.RUNNING or consultation.current_version != 1:
            pytest.skip("the outcome journey needs the draft as the other journeys leave it")
        token = seed_outcome(consultation)
        db.session.remove()
    bundle = tmp_path / "enia-2021-v2.zip"
    bundle.write_bytes(zipped(VERSION_2))
    return {"token": token, "bundle": bundle}


def seed_outcome(consultation: Consultation) -> str:
    """An administrator's account; the draft closed for responses, with one respondent's
    comment on 5.3 (the secret of their private link returned) and six published comments
    on teacher training, all seven tagged by hand with a theme; section 5.4 decided "not
    accepted" beforehand."""
    accounts.create_user(ADMIN, Role.ADMIN, PASSWORD)
    token = secrets.token_urlsafe(32)
    start = utcnow() - timedelta(days=2)
    mine = add_response(
        consultation,
        submitted_at=start,
        stakeholder_type="academia",
        responding_as="individual",
        region="puno",
        token=token,
        comments=[{"section": "5-3", "text": MINE}],
    ).comments[0]
    comments = [mine]
    for n in range(6):
        other = add_response(
            consultation,
            submitted_at=start + timedelta(hours=n + 1),
            stakeholder_type=["academia", "civil_society", "company"][n % 3],
            responding_as="organisation",
            organisation_size="small",
            region=["cusco", "piura", "loreto"][n % 3],
            comments=[
                {
                    "section": "5-3",
                    "text": f"Formar a los docentes en IA es urgente (opinión {n + 1}).",
                    "moderation": ModerationState.PUBLISHED,
                }
            ],
        )
        comments.append(other.comments[0])
    add_theme(consultation, THEME, *comments)
    sections = {s.key: s for s in consultation.sections}
    db.session.add(
        OutcomeDecision(
            section_id=sections["5-4"].id,
            decision=Decision.NOT_ACCEPTED,
            reason_es=NOT_TAKEN,
            reason_en="Taxes are not a matter for this strategy.",
        )
    )
    consultation.opens_at = min(consultation.opens_at, start - timedelta(days=30))
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    return token


def test_h_the_outcome_is_decided_published_and_read(browser, base_url, recorder, outcome_seed):
    staff = Visit(browser, base_url, recorder, "h-outcome-staff")
    try:
        decide_revise_and_publish(staff, Pointer, outcome_seed["bundle"])
    finally:
        staff.close()
    for viewport, name in ((PHONE, "phone"), (None, "desktop")):
        options = {"viewport": viewport} if viewport else {}
        reader = Visit(browser, base_url, recorder, f"h-outcome-reader-{name}", **options)
        try:
            read_the_outcome(reader, Pointer)
        finally:
            reader.close()
    respondent = Visit(browser, base_url, recorder, "h-outcome-respondent", viewport=PHONE)
    try:
        see_what_became_of_my_comment(respondent, outcome_seed["token"])
    finally:
        respondent.close()


def decide_revise_and_publish(visit: Visit, actor_type: type[Pointer], bundle: Path) -> None:
    page = visit.page
    actor = actor_type(page)
    lang = "es"
    visit.goto("/console/")
    visit.check("sign-in", lang=lang)
    actor.type("#email", ADMIN)
    actor.type("#password", PASSWORD)
    actor.press(SUBMIT)
    visit.check("dashboard", lang=lang)

    # A decision on the theme, from the themes page.
    actor.follow('.console-nav a[href$="/themes"]')
    visit.check("themes", lang=lang)
    row = page.locator("tr", has_text=THEME)
    with page.expect_navigation():
        row.locator('a[href$="/decision"]').click()
    visit.check("theme-decision", lang=lang)
    actor.choose("input[name=decision][value=accepted]")
    actor.type("#reason_es", THEME_REASON[0])
    actor.type("#reason_en", THEME_REASON[1])
    actor.press('form[action$="/decision"] button[type=submit]')
    visit.check("theme-decided", lang=lang)
    assert THEME in page.inner_text("main")

    # A decision on a section, from the list of sections.
    visit.goto(f"/console/c/{SLUG}/outcome/sections")
    visit.check("sections", lang=lang)
    actor.follow('main a[href$="/outcome/sections/5-3"]')
    visit.check("section-decision", lang=lang)
    actor.choose("input[name=decision][value=partly]")
    actor.type("#reason_es", SECTION_REASON[0])
    actor.type("#reason_en", SECTION_REASON[1])
    actor.press('form[action$="/outcome/sections/5-3"] button[type=submit]')
    visit.check("section-decided", lang=lang)

    # Into analysis (it closed by its dates), then version 2 as a zipped bundle.
    _move_to(visit, actor, "analysis", lang)
    visit.goto(f"/console/admin/c/{SLUG}/versions/new")
    visit.check("version-upload", lang=lang)
    page.set_input_files("#bundle", str(bundle))
    actor.type("#note_es", "Segunda versión, tras la consulta")
    actor.type("#note_en", "Second version, after the consultation")
    actor.press('form[action$="/versions/new"] button[type=submit]')
    visit.check("version-loaded", lang=lang)

    # The change to 5.3 explained and linked to the theme.
    visit.goto(f"/console/c/{SLUG}/versions/2")
    visit.check("version-2", lang=lang)
    form = page.locator('form[action$="/s/5-3/change"]')
    form.locator("textarea[name$=explanation_es]").fill(EXPLANATION[0])
    form.locator("textarea[name$=explanation_en]").fill(EXPLANATION[1])
    form.locator("label", has_text=THEME).click()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    visit.check("change-linked", lang=lang)
    assert f"{THEME} — 7" in page.inner_text("main")

    _move_to(visit, actor, "outcome", lang)


def _move_to(visit: Visit, actor: Pointer, stage: str, lang: str) -> None:
    visit.goto(f"/console/admin/c/{SLUG}/stage")
    visit.check(f"stage-before-{stage}", lang=lang)
    actor.select("#stage", stage)
    actor.press('form[action$="/stage"] button[type=submit]')
    visit.check(f"stage-{stage}", lang=lang)


def read_the_outcome(visit: Visit, actor_type: type[Pointer]) -> None:
    """An anonymous reader: the home page leads to "You said, we did", the comparison and
    the final report; then the same in English."""
    page = visit.page
    actor = actor_type(page)
    for lang in ("es", "en"):
        visit.goto(f"/c/{SLUG}/")
        visit.check(f"home-{lang}", lang=lang)
        if lang == "en":
            assert page.evaluate("document.documentElement.lang") == "en"
        actor.follow(f'main a[href$="/c/{SLUG}/outcome"]')
        visit.check(f"outcome-{lang}", lang=lang)
        text = page.inner_text("main")
        index = 0 if lang == "es" else 1
        for expected in (THEME, THEME_REASON[index], SECTION_REASON[index], EXPLANATION[index]):
            assert expected in text, (lang, expected)
        with page.expect_download() as download:
            page.locator('main a[href$="/outcome.pdf"]').first.click()
        pdf = _pdf_text(download.value)
        for expected in (THEME, THEME_REASON[index], EXPLANATION[index]):
            assert " ".join(expected.split()) in pdf, (lang, expected)

        actor.follow(f'main a[href$="/c/{SLUG}/changes"]')
        visit.check(f"changes-{lang}", lang=lang)
        actor.follow(f'main a[href$="/c/{SLUG}/s/5-3/changes"]')
        visit.check(f"section-changes-{lang}", lang=lang)
        assert page.locator("main ins").count() > 0, "no insertion is marked"
        assert EXPLANATION[index] in page.inner_text("main")
        hidden = page.locator("main ins .visually-hidden").first.inner_text()
        assert hidden.strip(), "an insertion is not said to a screen reader"

        visit.goto(f"/c/{SLUG}/s/5-4/outcome")
        visit.check(f"section-not-taken-up-{lang}", lang=lang)
        if lang == "es":
            assert NOT_TAKEN in page.inner_text("main")
            switch_to_english(visit, actor, "section-not-taken-up")


def _pdf_text(download) -> str:
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def see_what_became_of_my_comment(visit: Visit, token: str) -> None:
    page = visit.page
    visit.goto(f"/c/{SLUG}/r/{token}")
    visit.check("private-link", lang="es")
    text = page.inner_text("main")
    assert MINE in text and THEME_REASON[0] in text and EXPLANATION[0] in text
    assert page.locator(f'main a[href$="/c/{SLUG}/s/5-3/changes"]').count() > 0
    visit.goto(f"/c/{SLUG}/r/{token}?lang=en")
    visit.check("private-link-en", lang="en")
    assert THEME_REASON[1] in page.inner_text("main")
