"""A gated section's base in the report: the respondents who chose to answer it.

Data (``answered``): six academia responses said yes to section 5.3 and answered it;
five companies said no; one more academia response was never asked (it answered
another section only); a draft said yes but is not counted.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from flask_babel import force_locale

from consult.extensions import db
from consult.models import Consultation
from consult.reports.frames import build_report
from consult.reports.privacy import open_report
from consult.reports.writers import to_csv_zip, to_json, to_pdf, to_xlsx
from tests.factories import add_response
from tests.reports.test_writers import csv_records, pdf_text, read_zip, sheet

DAY = datetime(2024, 3, 10, 15, 0)
REPORT = "/console/c/enia-2021/report/"


@pytest.fixture
def answered(gated: Consultation) -> Consultation:
    for n in range(6):
        add_response(
            gated,
            stakeholder_type="academia",
            submitted_at=DAY.replace(minute=n),
            gates={"5-3": True},
            answers={"q-5-3-agree": "4" if n < 4 else "2"},
        )
    for n in range(5):
        add_response(
            gated,
            stakeholder_type="company",
            submitted_at=DAY.replace(minute=10 + n),
            gates={"5-3": False},
            answers={"q-5-4-agree": "3"},
        )
    add_response(gated, submitted_at=DAY.replace(minute=20), answers={"q-5-4-agree": "5"})
    add_response(gated, status="draft", submitted_at=None, gates={"5-3": True})
    db.session.commit()
    return gated


def _base(frame, group: str = "all") -> int | None:
    rows = frame[(frame["section"] == "5-3") & (frame["group"] == group)]
    return None if rows.empty else int(rows["chose_to_answer"].iloc[0])


def test_the_base_counts_the_counted_respondents_who_said_yes(answered):
    report = build_report(answered)
    assert report.responses == 12
    assert _base(report.gates) == 6
    assert _base(report.gates, "academia") == 6
    assert _base(report.gates, "business") is None  # no company said yes
    likert = report.likert[report.likert["question"] == "q-5-3-agree"]
    assert int(likert[likert["group"] == "all"]["n"].iloc[0]) == 6  # its results: the six


def test_a_gated_section_nobody_chose_has_a_base_of_zero(gated):
    add_response(gated, submitted_at=DAY, gates={"5-3": False}, answers={"q-5-4-agree": "3"})
    db.session.commit()
    assert _base(build_report(gated).gates) == 0


def test_an_open_report_shows_a_base_only_from_k_respondents(answered):
    opened = open_report(build_report(answered, audience="open"), 5)
    assert _base(opened.gates) == 6
    # Academia and business both count K or more respondents: each shown on its own.
    assert _base(opened.gates, "academia") == 6

    withheld = open_report(build_report(answered, audience="open"), 7)
    assert _base(withheld.gates) is None  # six chose: fewer than K, the table is withheld


def test_every_download_carries_the_base(answered):
    report = build_report(answered)
    gates = csv_records(read_zip(to_csv_zip(report))["gates.csv"])
    assert {"section": "5-3", "group": "all", "chose_to_answer": "6"} in [
        {k: r[k] for k in ("section", "group", "chose_to_answer")} for r in gates
    ]
    document = json.loads(to_json(report))
    assert {"section": "5-3", "group": "all", "chose_to_answer": 6} in document["gates"]
    with force_locale("en"):
        workbook = to_xlsx(report)
        text = pdf_text(to_pdf(report))
    rows = sheet(workbook, "Sections asking first")
    assert 6 in rows["Chose to answer"].tolist()
    assert "Respondents who chose to answer each section that asks first" in text


def test_the_report_page_states_the_base_beside_the_sections_results(coordinator_client, answered):
    body = coordinator_client.get(f"{REPORT}?lang=en").get_data(as_text=True)
    assert "Sections that ask first whether to answer them" in body
    assert 'id="gates-table"' in body
    assert "Respondents who chose to answer this section: 6" in body
