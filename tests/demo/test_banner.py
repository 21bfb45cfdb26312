"""The demo says so on every page of it, in both languages, and only on its pages."""

from __future__ import annotations

import pytest

from consult.demo.writing import make_demo

BANNER = {
    "es": "Consulta de demostración: las respuestas son inventadas",
    "en": "Demonstration consultation: the responses are invented",
}
PUBLIC = ["/c/{slug}/", "/c/{slug}/s/5-3", "/c/{slug}/profile", "/c/{slug}/results"]
CONSOLE = [
    "/console/c/{slug}/",
    "/console/c/{slug}/responses",
    "/console/c/{slug}/comments",
    "/console/c/{slug}/themes",
    "/console/c/{slug}/report/",
]


@pytest.fixture
def demo(app, enia):
    make_demo("enia-2021-demo", 30, seed=1)
    return "enia-2021-demo"


def text_of(client, url: str, lang: str) -> str:
    reply = client.get(f"{url}?lang={lang}")
    assert reply.status_code == 200, (url, reply.status_code)
    return reply.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_public_pages_of_the_demo_carry_the_banner_and_the_real_ones_do_not(client, demo, lang):
    for url in PUBLIC:
        page = text_of(client, url.format(slug=demo), lang)
        assert BANNER[lang] in page, url
        assert 'class="demo-banner"' in page
    enia_pages = [u for u in PUBLIC if "results" not in u]  # the real one's are unpublished
    for url in enia_pages:
        assert BANNER[lang] not in text_of(client, url.format(slug="enia-2021"), lang), url


@pytest.mark.parametrize("lang", ["es", "en"])
def test_console_and_report_pages_of_the_demo_carry_the_banner(admin_client, demo, lang):
    for url in CONSOLE:
        assert BANNER[lang] in text_of(admin_client, url.format(slug=demo), lang), url
        assert BANNER[lang] not in text_of(admin_client, url.format(slug="enia-2021"), lang), url


def test_the_home_page_marks_the_demo_in_its_list(client, demo):
    page = text_of(client, "/", "es")
    demo_card = page[page.index("(demostración)") :]
    assert "demo-tag" in demo_card.split("</li>")[0]
    assert page.count(BANNER["es"]) == 1  # on its card only; the home page is not the demo's
