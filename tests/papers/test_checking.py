"""The checks of an uploaded file, on bytes alone: every refusal, and a real paper."""

from __future__ import annotations

import time

import pytest

from consult.papers import checking
from consult.papers.checking import PaperRefused, Refusal, check_pdf
from tests.papers.conftest import (
    encrypted_pdf,
    flate_bomb,
    javascript_pdf,
    make_pdf,
    padded_pdf,
    zip_bomb,
)

LIMIT = 5 * 1024 * 1024


def refusal(data: bytes, limit: int = LIMIT) -> Refusal:
    with pytest.raises(PaperRefused) as refused:
        check_pdf(data, max_bytes=limit)
    return refused.value.reason


def test_a_real_paper_is_accepted_with_its_pages_text_and_sha256():
    data = make_pdf(pages=4, words="gobernanza de datos")
    checked = check_pdf(data, max_bytes=LIMIT)
    assert checked.pages == 4
    assert checked.size == len(data)
    assert "gobernanza de datos" in checked.text and "Page 4" in checked.text
    import hashlib

    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500,  # a Windows executable
        b"\x7fELF\x02\x01\x01" + b"\x00" * 500,  # a Linux one
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"",
        b" %PDF-1.7 but not at the start",
    ],
    ids=["exe", "elf", "html", "empty", "late-signature"],
)
def test_what_does_not_start_as_a_pdf_is_refused(data):
    assert refusal(data) is Refusal.NOT_PDF


def test_a_zip_bomb_renamed_pdf_is_refused_as_not_a_pdf():
    assert refusal(zip_bomb()) is Refusal.NOT_PDF


def test_a_file_over_the_limit_is_refused_before_anything_else():
    assert refusal(padded_pdf(6 * 1024 * 1024)) is Refusal.TOO_LARGE
    assert refusal(padded_pdf(LIMIT + 1)) is Refusal.TOO_LARGE
    assert check_pdf(padded_pdf(LIMIT), max_bytes=LIMIT).pages == 1


def test_a_pdf_with_a_password_is_refused():
    assert refusal(encrypted_pdf()) is Refusal.ENCRYPTED


@pytest.mark.parametrize("where", ["open_action", "names", "page_aa"])
def test_a_pdf_with_javascript_is_refused(where):
    assert refusal(javascript_pdf(where)) is Refusal.SCRIPTS


def test_a_script_behind_an_escaped_name_is_found():
    """``/J#61vaScript`` is ``/JavaScript`` to a reader: pypdf decodes it, so do we."""
    data = make_pdf(1).replace(
        b"/Type /Catalog", b"/Type /Catalog /AA << /WC << /S /J#61vaScript /J#53 (x) >> >>", 1
    )
    assert refusal(data) is Refusal.SCRIPTS


def test_a_flate_bomb_is_refused_quickly_without_inflating_it():
    data = flate_bomb(120 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # a tiny file …
    started = time.monotonic()
    assert refusal(data) is Refusal.TOO_COMPLEX  # … that would inflate to 120 MB
    assert time.monotonic() - started < 5


def test_many_streams_that_inflate_a_little_each_are_bounded_in_total(monkeypatch):
    monkeypatch.setattr(checking, "MAX_INFLATED_BYTES", 1024 * 1024)
    assert refusal(flate_bomb(4 * 1024 * 1024)) is Refusal.TOO_COMPLEX


def test_a_damaged_pdf_is_refused_as_unreadable():
    assert refusal(b"%PDF-1.7\n" + b"\x00\xff garbage " * 200) is Refusal.UNREADABLE
    assert refusal(make_pdf(2)[:300]) is Refusal.UNREADABLE


def test_the_text_is_bounded_in_pages_and_characters(monkeypatch):
    monkeypatch.setattr(checking, "MAX_TEXT_PAGES", 2)
    checked = check_pdf(make_pdf(pages=5), max_bytes=LIMIT)
    assert checked.pages == 5
    assert "Page 2" in checked.text and "Page 3" not in checked.text
    monkeypatch.setattr(checking, "MAX_TEXT_CHARS", 50)
    assert len(check_pdf(make_pdf(pages=5), max_bytes=LIMIT).text) == 50
