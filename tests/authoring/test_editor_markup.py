"""The editors' pages (sections, questions, translations, with their errors, preview and
refusals) are valid HTML by the Nu HTML Checker and axe finds nothing in them, at 360 and
1280 px, with one h1, choices in fieldsets and no sideways scrolling.

Needs the browser suite's tools (tests/browser/tools.py); skipped without them.
"""

from __future__ import annotations

import json
import subprocess
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Section
from tests.browser import tools
from tests.browser.pagecheck import _AXE_RUN, _STRUCTURE
from tests.conftest import post_form
from tests.factories import make_response

pytestmark = pytest.mark.skipif(
    bool(tools.missing()) and not tools.REQUIRED, reason="browser tools missing"
)

EDIT = "/console/c/enia-2021/edit"
PAGES = {
    "sections": "/sections",
    "new_section": "/sections/new",
    "edit_section": "/sections/5-3",
    "delete_refused": "/sections/5-3/delete",
    "delete_asked": "/sections/5-5/delete",
    "questions": "/questions",
    "new_question": "/questions/new",
    "answered_question": "/questions/q-5-3-agree",
    "translations": "/translations",
}


def editor_pages(client) -> dict[str, tuple[str, bytes]]:
    pages = {}
    for name, path in PAGES.items():
        reply = client.get(f"{EDIT}{path}")
        assert reply.status_code == 200, path
        pages[name] = (EDIT + path, reply.get_data())
    section = {
        "number": "5.3",
        "title_es": "Educación",
        "title_en": "Education",
        "body_md_es": "# Hola\n\n*x*\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "body_md_en": "b",
    }
    preview = post_form(client, f"{EDIT}/sections/5-3", {**section, "preview": "1"})
    pages["preview"] = (f"{EDIT}/sections/5-3", preview.get_data())
    wrong = {"type": "single_choice", "prompt_es": "x", "options-0-code": "A B"}
    errors = post_form(client, f"{EDIT}/questions/new", wrong)
    assert errors.status_code == 422
    pages["question_errors"] = (f"{EDIT}/questions/new", errors.get_data())
    errors = post_form(client, f"{EDIT}/sections/new", {"number": ""})
    assert errors.status_code == 422
    pages["section_errors"] = (f"{EDIT}/sections/new", errors.get_data())
    return pages


def test_the_editors_pages_pass_the_html_checker_and_axe(admin_client, enia, tmp_path):
    make_response(enia, ("5-3", "Un comentario"), answers={"q-5-3-agree": "4"})
    db.session.scalar(sa.select(Section).filter_by(key="5-4")).title_en = ""
    db.session.commit()
    pages = editor_pages(admin_client)

    files = []
    for name, (_url, html) in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files.append(str(path))
    run = subprocess.run(
        ["java", "-Xss1m", "-jar", str(tools.VNU), "--format", "json", "--exit-zero-always"]
        + files,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(run.stderr)["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors == []

    from playwright.sync_api import sync_playwright

    problems = []
    shown = [b""]

    def serve(route) -> None:
        path = urlsplit(route.request.url).path
        if path.startswith("/static/") or path == "/favicon.ico":
            reply = admin_client.get(path, buffered=True)
            reply.close()
            route.fulfill(
                status=reply.status_code, body=reply.get_data(), content_type=reply.content_type
            )
        else:
            route.fulfill(body=shown[0], content_type="text/html; charset=utf-8")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(tools.CHROMIUM), args=tools.CHROMIUM_FLAGS
        )
        try:
            for width in (360, 1280):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.route("**/*", serve)
                for name, (url, html) in pages.items():
                    shown[0] = html
                    page.goto(f"http://consult.test{url}")
                    page.evaluate(tools.AXE.read_text())
                    violations = page.evaluate(_AXE_RUN)
                    structure = page.evaluate(_STRUCTURE, False)
                    wide = page.evaluate("document.documentElement.scrollWidth") > width + 1
                    if violations or structure["h1"] != 1 or structure["loose"] or wide:
                        problems.append((width, name, violations, structure, wide))
        finally:
            browser.close()
    assert problems == []
