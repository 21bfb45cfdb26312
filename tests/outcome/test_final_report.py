"""The final report, "Informe de la consulta": the open results report, then the themes,
decisions, changes and what was not taken up, read back from the PDF; from the CLI too."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from consult.models.vocab import Stage
from consult.reports.outcome import outcome_pdf
from consult.reports.writers.pdf import QUOTE_CHARS, one_line
from tests.outcome.outcome_data import (
    EXPLANATION,
    PENDING_TEXT,
    PRIVATE_TEXT,
    SECTION_REASON,
    TAXES,
    TAXES_REASON,
    TEACHERS,
    TEACHERS_REASON,
    build_outcome,
)
from tests.reports.test_writers import pdf_text


def flat(data: bytes) -> str:
    """The PDF's text with its line breaks undone."""
    return " ".join(pdf_text(data).split())


@pytest.mark.parametrize(("language", "i"), [("es", 0), ("en", 1)])
def test_the_pdf_holds_the_decisions_reasons_themes_and_changes(app, enia, language, i):
    build_outcome(enia)
    with force_locale(language):
        data, report = outcome_pdf(enia, min_cell=5)
    text = flat(data)
    for expected in (
        TEACHERS,
        TAXES,
        TEACHERS_REASON[i],
        TAXES_REASON[i],
        SECTION_REASON[i],
        EXPLANATION[i],
        "Rosa Quispe",
    ):
        assert expected in text, expected
    assert PENDING_TEXT not in text and PRIVATE_TEXT not in text
    assert report.audience == "open" and report.min_cell == 5
    if language == "en":  # the Spanish words come with the catalog the lead compiles
        for words in (
            "Consultation report",
            "OPEN — aggregates for publication",
            "1. Participation",
            "7. What people said: the main themes and what was decided",
            "8. Decisions on each section",
            "9. Changes made in the new version of the draft",
            "10. What was not taken up, and why",
            "Accepted",
            "Outside the scope",
            "Not accepted",
        ):
            assert words in text, words
        assert "Public sector" not in text  # 2 respondents: pooled with others


def test_a_consultation_with_nothing_decided_says_so(app, enia):
    with force_locale("en"):
        data, _report = outcome_pdf(enia, min_cell=5)
    text = flat(data)
    assert "No comment has been tagged with a theme." in text
    assert "No change to the draft has been published." in text
    assert "Nothing was recorded as not accepted or outside the scope." in text


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["report", "--consultation", "enia-2021", *args])


def test_the_cli_writes_it_in_each_language(app, enia, tmp_path):
    build_outcome(enia)
    for language, i in (("es", 0), ("en", 1)):
        out = tmp_path / f"informe-{language}.pdf"
        result = run(app, "--format", "pdf", "--outcome", "--lang", language, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert "final report" in result.output and "not published" not in result.output
        text = flat(out.read_bytes())
        assert TAXES_REASON[i] in text and EXPLANATION[i] in text and TEACHERS in text


def test_the_cli_writes_it_before_publication_with_a_note(app, enia, tmp_path):
    build_outcome(enia, stage=Stage.ANALYSIS)
    out = tmp_path / "informe.pdf"
    result = run(app, "--format", "pdf", "--outcome", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "not published yet" in result.output
    assert TEACHERS_REASON[0] in flat(out.read_bytes())


@pytest.mark.parametrize(
    "extra",
    [
        ("--format", "xlsx"),
        ("--format", "pdf", "--region", "cusco"),
        ("--format", "pdf", "--by", "region"),
    ],
)
def test_the_cli_refuses_it_in_another_format_or_narrowed(app, enia, tmp_path, extra):
    out = tmp_path / "informe"
    result = run(app, *extra, "--outcome", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "--outcome" in result.output
    assert not out.exists()


def test_words_people_typed_over_lines_print_as_one_capped_line():
    assert one_line("Una razón\nen  dos\tlíneas\x0b") == "Una razón en dos líneas"
    long = one_line("x" * (QUOTE_CHARS + 50))
    assert len(long) == QUOTE_CHARS and long.endswith("…")


def test_the_rule_of_which_responses_a_report_counts_is_written_once():
    """Spam and duplicates leave their response out of every published figure: the
    reports, the outcome's counts and the opinion groups read one rule."""
    root = Path(__file__).resolve().parents[2] / "consult"
    defined = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "RejectionReason.SPAM, RejectionReason.DUPLICATE" in path.read_text(encoding="utf-8")
    ]
    assert defined == ["models/response.py"]
