"""Languages: the switch offers every configured language, and a new one needs no code."""

from __future__ import annotations

import re

SWITCH = re.compile(r'<nav aria-label="[^"]+" class="lang-switch">(.*?)</nav>', re.S)


def switch_of(page: str) -> str:
    match = SWITCH.search(page)
    assert match, "no language switch"
    return " ".join(match[1].split())


def test_the_switch_keeps_the_page_and_names_each_language_in_itself(client, enia):
    page = client.get("/c/enia-2021/s/5-3").get_data(as_text=True)
    assert '<html lang="es">' in page
    switch = switch_of(page)
    assert '<span aria-current="true" lang="es">Español</span>' in switch
    assert '<a href="/c/enia-2021/s/5-3?lang=en" lang="en" hreflang="en">English</a>' in switch
    english = client.get("/c/enia-2021/s/5-3?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Education and skills" in english
    # Remembered: the next page, without ?lang=, is still in English.
    assert '<html lang="en">' in client.get("/c/enia-2021/").get_data(as_text=True)


def test_a_third_language_comes_from_configuration_with_content_falling_back_to_spanish(
    app, client, enia
):
    app.config["LANGUAGES"] = ("es", "en", "qu")
    page = client.get("/c/enia-2021/?lang=qu").get_data(as_text=True)
    assert '<html lang="qu">' in page
    assert '<span aria-current="true" lang="qu">Runasimi</span>' in switch_of(page)
    # No Quechua text for the consultation yet: its Spanish text is shown.
    assert enia.title_es in page
    # A language that is not configured is not taken up.
    assert '<html lang="qu">' in client.get("/c/enia-2021/?lang=fr").get_data(as_text=True)
