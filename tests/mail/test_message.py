"""The receipt's templates: the plain-text part says only what the HTML part says, so the
catalog (extracted from .html templates) translates both."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"


def messages(name: str) -> set[str]:
    return {
        message if isinstance(message, str) else message[0]
        for _line, message, _comments, _context in extract_from_file(
            "jinja2", TEMPLATES / name, keywords={"_": None}
        )
    }


def test_the_text_part_has_no_message_the_html_part_lacks():
    text = messages("receipt.txt")
    assert len(text) >= 5
    assert text <= messages("receipt.html")
