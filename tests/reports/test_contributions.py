"""Comments in the report name their contribution by the consultation's own labels, and
a consultation that asks none reports its comments per section alone."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from flask_babel import force_locale

from consult.extensions import db
from consult.models import Consultation
from consult.public.results import comment_summary
from consult.reports.frames import build_report
from consult.reports.privacy import open_report
from consult.reports.tables import comment_tables, quotes_by_section, section_labels
from consult.reports.writers import to_csv_zip, to_json, to_pdf, to_xlsx
from tests.factories import add_response
from tests.reports.test_writers import csv_records, pdf_text, read_zip

DAY = datetime(2024, 3, 10, 15, 0)


def _comment(contribution: str | None) -> dict:
    return {"section": "5-1", "text": "Datos abiertos.", "moderation": "published",
            "contribution": contribution}  # fmt: skip


@pytest.fixture
def relabelled(enia: Consultation) -> Consultation:
    enia.contributions = [
        {"code": "diagnosis", "es": "Diagnóstico", "en": "Diagnosis"},
        {"code": "proposal", "es": "Propuesta", "en": "Proposal"},
    ]
    for n in range(6):
        code = "diagnosis" if n < 4 else "proposal"
        add_response(enia, submitted_at=DAY.replace(minute=n), comments=[_comment(code)])
    db.session.commit()
    return enia


@pytest.fixture
def unasked(enia: Consultation) -> Consultation:
    enia.contributions = []
    for n in range(6):
        add_response(enia, submitted_at=DAY.replace(minute=n), comments=[_comment(None)])
    db.session.commit()
    return enia


def test_tables_quotes_and_downloads_use_the_consultations_labels(relabelled):
    report = build_report(relabelled)
    table = comment_tables(report, section_labels(report))["5-1"]
    assert table.columns == ["Grupo", "Diagnóstico", "Propuesta", "Total"]
    assert table.rows[0][1] == [4, 2, 6]
    assert {q["contribution_label"] for q in quotes_by_section(report)["5-1"]} == {
        "Diagnóstico",
        "Propuesta",
    }
    rows = csv_records(read_zip(to_csv_zip(report))["comments.csv"])
    assert {(r["contribution"], r["contribution_label"]) for r in rows} == {
        ("diagnosis", "Diagnóstico"),
        ("proposal", "Propuesta"),
    }
    with force_locale("en"):
        assert "Diagnosis" in pdf_text(to_pdf(report))


def test_without_contributions_comments_are_counted_per_section(unasked):
    report = build_report(unasked)
    overall = report.comments[report.comments["group"] == "all"]
    assert overall["n"].tolist() == [6]
    assert overall["contribution"].isna().all()

    table = comment_tables(report, section_labels(report))["5-1"]
    assert table.columns == ["Grupo", "Comentarios"]
    assert table.rows[0][1] == [6]

    opened = open_report(build_report(unasked, audience="open"), 5)
    summary = comment_summary(opened, section_labels(opened))
    assert summary.columns == ["Sección", "Comentarios"]
    assert summary.rows[0][1] == [6]

    document = json.loads(to_json(report))
    assert {(r["contribution"], r["contribution_label"]) for r in document["comments"]} == {
        (None, None)
    }
    assert to_xlsx(report)  # every sheet writes
    assert "«Datos abiertos.»" in pdf_text(to_pdf(report))
