"""Texts written in the editors carrying markup are shown as typed (titles, wording, option
labels) or sanitised (Markdown bodies) on every page that shows them, and run nothing."""

from __future__ import annotations

from consult.extensions import db
from consult.models.vocab import Stage
from tests.conftest import post_form
from tests.security.pages import active_content, visible_text

SLUG = "enia-2021"
EDIT = f"/console/c/{SLUG}/edit"
TITLE = '"><script>alert("t")</script>'
PROMPT = "<img src=x onerror=alert(1)> ¿Pregunta?"
LABEL = "<b onclick=alert(2)>Sí</b>"


def test_markup_typed_in_the_editors_is_shown_as_typed(admin_client, enia):
    enia.stage = Stage.PREPARATION  # previewed by the admin, written freely
    db.session.commit()
    section = {
        "key": "marcado",
        "number": "9",
        "title_es": TITLE,
        "title_en": TITLE,
        "body_md_es": "<script>alert(3)</script> [x](javascript:alert(4)) **ok**",
        "body_md_en": "text",
    }
    assert post_form(admin_client, f"{EDIT}/sections/new", section).status_code == 302
    question = {
        "key": "q-marcado",
        "type": "single_choice",
        "section": "marcado",
        "prompt_es": PROMPT,
        "prompt_en": PROMPT,
        "options-0-code": "si",
        "options-0-es": LABEL,
        "options-0-en": LABEL,
        "options-1-code": "no",
        "options-1-es": "No",
        "options-1-en": "No",
    }
    assert post_form(admin_client, f"{EDIT}/questions/new", question).status_code == 302
    pages = {
        f"{EDIT}/sections": [TITLE],
        f"{EDIT}/sections/marcado": [TITLE],
        f"{EDIT}/sections/marcado/delete": [TITLE],
        f"{EDIT}/questions": [TITLE, PROMPT],
        f"{EDIT}/questions/q-marcado": [],
        f"{EDIT}/translations": [TITLE, PROMPT, LABEL],
        f"/c/{SLUG}/s/marcado": [TITLE],
    }
    for url, texts in pages.items():
        reply = admin_client.get(url)
        assert reply.status_code == 200, url
        body = reply.get_data(as_text=True)
        assert active_content(body) == [], url
        shown = visible_text(body)
        for text in texts:
            assert text in shown, (url, text)
    public = admin_client.get(f"/c/{SLUG}/s/marcado").get_data(as_text=True)
    assert "<strong>ok</strong>" in public and 'href="javascript' not in public
