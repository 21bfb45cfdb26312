"""The outcome's page and final report translate whole sentences with placeholders, never
words glued together (a translator cannot reorder "theme" … "comments:")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from flask_babel import force_locale

from consult.reports.outcome import outcome_pdf
from tests.outcome.outcome_data import TAXES, TEACHERS, build_outcome
from tests.reports.test_writers import pdf_text

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
#: A lone lowercase word, with or without a colon: a piece of a sentence, not a message.
FRAGMENT = re.compile(r"^[a-z]+:?$")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("templates/public/outcome.html", "jinja2"),
        ("consult/reports/writers/outcome_pdf.py", "python"),
    ],
)
def test_no_message_is_a_fragment(path, method):
    messages = [
        message if isinstance(message, str) else message[0]
        for _line, message, _comments, _ctx in extract_from_file(
            method, ROOT / path, keywords=KEYWORDS
        )
    ]
    assert messages
    assert [m for m in messages if FRAGMENT.match(m)] == []


def test_the_page_names_each_theme_a_change_answers_in_one_sentence(client, enia):
    build_outcome(enia)
    page = client.get("/c/enia-2021/outcome?lang=en").get_data(as_text=True)
    assert f"theme <em>{TEACHERS}</em> — comments: 10" in page
    assert f"<strong>Theme: {TAXES}</strong> (comments: 6) — Outside the scope. Why:" in page
    assert "<strong>Section: 5.4. Specific areas and sectors</strong> — Not accepted. Why:" in page
    assert "Comments to which “Not accepted” applies: &lt;5 (answered one by one: &lt;5)" in page


def test_the_report_says_what_was_not_taken_up_in_whole_sentences(app, enia):
    build_outcome(enia)
    with force_locale("en"):
        data, _report = outcome_pdf(enia, min_cell=5)
    text = " ".join(pdf_text(data).split())
    assert f"Theme: {TAXES} — Outside the scope (comments: 6)" in text
    assert "Section: 5.4" in text
