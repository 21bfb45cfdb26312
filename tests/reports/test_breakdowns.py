"""Reports by the consultation's own profile: its lists, its further questions, any breakdown.

A test consultation (tests/bundles/profiled) asks its own regions and age bands and a
further question, education. Its report counts and names those categories, breaks
agreement down by any of them (``by=``, on the page, in the downloads and in ``consult
report``), and an open report pools a category of fewer than K in that breakdown too.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation, RespondentTrait
from consult.reports.filters import ReportFilters
from consult.reports.frames import build_report
from consult.reports.grouping import OTHER
from consult.reports.privacy import open_report
from consult.reports.writers import to_json, to_pdf, to_xlsx
from tests.factories import add_response

from .disclosure import audit
from .disclosure_people import Lists
from .test_views import row, tables_of
from .test_writers import csv_records, pdf_text, read_zip, sheet

BUNDLE = Path(__file__).parents[1] / "bundles" / "profiled"
REPORT = "/console/c/profiled-test/report/"
#: (stakeholder type, region, age band, education, likert answer) of each respondent.
PEOPLE = [
    *[("academia", "lima_metropolitana", "under_40", "university", "5")] * 4,
    *[("academia", "cusco", "40_plus", "university", "4")] * 2,
    *[("individual", "lima_metropolitana", "40_plus", "school", "2")] * 3,
    *[("individual", "cusco", None, "school", "1")] * 2,
    ("company", "abroad", "under_40", "technical", "3"),
    ("company", "abroad", None, "technical", "dk"),
    ("academia", "lima_metropolitana", None, None, "4"),
]
K = 5


@pytest.fixture
def profiled(app: Flask) -> Consultation:
    """The test consultation, with PEOPLE's responses and their education."""
    load_bundle(BUNDLE)
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug="profiled-test"))
    education = consultation.profile["education"]
    start = datetime(2030, 1, 5, 15, 0)
    for i, (kind, region, age, level, point) in enumerate(PEOPLE):
        individual = kind == "individual"
        response = add_response(
            consultation,
            submitted_at=start + timedelta(hours=i),
            stakeholder_type=kind,
            responding_as="individual" if individual else "organisation",
            organisation_size=None if individual else "medium",
            region=region,
            age_band=age,
            answers={"agree": point},
        )
        if level:
            db.session.add(RespondentTrait(response_id=response.id, field_id=education.id,
                                           code=level))  # fmt: skip
    db.session.commit()
    return consultation


def counts(frame, key: str) -> dict[str, int]:
    return dict(zip(frame[key], frame["responses"], strict=True))


def likert_rows(report, column: str = "group") -> dict[str, dict]:
    return {r[column]: r for r in report.likert.to_dict("records")}


# ---------------------------------------------------------------- participation


def test_participation_covers_the_consultations_own_fields_in_its_order(profiled):
    report = build_report(profiled)
    assert list(report.participation) == [
        "group", "responding_as", "stakeholder_type", "organisation_size", "region",
        "age_band", "education", "day", "sections_covered", "channel",
    ]  # fmt: skip
    # Its own lists, none of Peru's departments, no gender (it does not ask it).
    assert counts(report.participation["region"], "region") == {
        "lima_metropolitana": 8, "cusco": 4, "abroad": 2,
    }  # fmt: skip
    assert counts(report.participation["age_band"], "age_band") == {
        "under_40": 5, "40_plus": 5, "not_given": 4,
    }  # fmt: skip
    assert counts(report.participation["education"], "education") == {
        "school": 5, "technical": 2, "university": 6, "not_given": 1,
    }  # fmt: skip
    assert counts(report.participation["group"], "group") == {
        "academia": 7, "citizens": 5, "other": 2,
    }  # fmt: skip


def test_the_report_page_names_its_categories_by_the_consultations_labels(
    coordinator_client, profiled
):
    coordinator_client.get("/console/?lang=en")
    body = coordinator_client.get(REPORT).get_data(as_text=True)
    tables = tables_of(body)
    participation = [t for name, t in tables.items() if name.startswith("participation-")]
    captions = {t[0][0]: t for t in participation}
    assert row(captions["Region"], "Outside Peru")[1] == "2"
    assert row(captions["Age"], "Under 40")[1] == "5"
    assert row(captions["Answer"], "University")[1] == "6"  # education: its prompt above
    assert "Highest level of education" in body
    assert "Amazonas" not in body and "Gender" not in body
    # The filter form lists its own regions, and what results can be broken down by.
    assert 'value="abroad"' in body and 'value="education"' in body


# ---------------------------------------------------------------- a breakdown by any field


def test_agreement_by_a_further_question(profiled):
    report = build_report(profiled, ReportFilters(by="education"))
    rows = likert_rows(report)
    assert set(rows) == {"all", "school", "technical", "university", "not_given"}
    assert rows["university"]["n"] == 6 and rows["university"]["agree"] == 1.0
    assert rows["school"]["n"] == 5 and rows["school"]["disagree"] == 1.0
    assert rows["technical"]["dk"] == 1 and rows["not_given"]["n"] == 1
    assert rows["all"]["n"] == len(PEOPLE)


def test_agreement_by_region_and_by_age(profiled):
    by_region = likert_rows(build_report(profiled, ReportFilters(by="region")))
    assert {g: r["n"] for g, r in by_region.items()} == {
        "all": 14, "lima_metropolitana": 8, "cusco": 4, "abroad": 2,
    }  # fmt: skip
    by_age = likert_rows(build_report(profiled, ReportFilters(by="age_band")))
    assert by_age["not_given"]["n"] == 4


def test_an_open_report_pools_small_categories_of_the_breakdown(profiled):
    """Technical (2) and not given (1) are fewer than K: pooled, with school to reach K."""
    report = build_report(profiled, ReportFilters(by="education"), audience="open")
    opened = open_report(report, K)
    rows = likert_rows(opened)
    assert set(rows) == {"all", "university", OTHER}
    assert rows[OTHER]["n"] == 8  # 2 + 1, and the smallest shown category (school, 5)
    assert counts(opened.participation["education"], "education") == {
        "university": 6, OTHER: 8,
    }  # fmt: skip
    # The auditor, knowing this consultation's lists, finds nothing to pin down.
    truth = json.loads(to_json(report))
    document = json.loads(to_json(opened))
    assert audit(document, truth=truth, lists=Lists.of(profiled.profile)) == []


def test_the_auditor_reads_a_breakdown_by_region_of_an_open_report(profiled):
    report = build_report(profiled, ReportFilters(by="region"), audience="open")
    document = json.loads(to_json(open_report(report, 3)))
    assert document["meta"]["filters"]["by"] == "region"
    # Abroad (2) is fewer than 3: pooled, with the smallest shown region (Cusco, 4).
    assert {r["region"] for r in document["likert"]} == {"all", "lima_metropolitana", OTHER}
    truth = json.loads(to_json(report))
    assert audit(document, truth=truth, lists=Lists.of(profiled.profile)) == []


def test_the_report_page_breaks_results_down_by_the_chosen_field(coordinator_client, profiled):
    coordinator_client.get("/console/?lang=en")
    reply = coordinator_client.get(REPORT + "?by=education")
    assert reply.status_code == 200
    body = reply.get_data(as_text=True)
    agreement = tables_of(body)["q-agree-1"]
    assert agreement[0][0] == "Highest level of education"
    assert row(agreement, "University")[1] == "6"
    assert row(agreement, "Not given")[1] == "1"
    assert "Results broken down by" in body
    # The downloads keep the breakdown.
    assert "by=education" in body.split('id="downloads"')[1]


def test_an_unknown_breakdown_is_named_and_the_groups_shown(coordinator_client, profiled):
    coordinator_client.get("/console/?lang=en")
    reply = coordinator_client.get(REPORT + "?by=gender")  # a field it does not ask
    assert reply.status_code == 200
    body = reply.get_data(as_text=True)
    assert "no such question to break results down by" in body
    assert row(tables_of(body)["q-agree-1"], "Academia")[1] == "7"
    csv = coordinator_client.get(REPORT + "report.csv.zip?by=nonsense&audience=open")
    assert csv.status_code == 200
    assert "by" in read_zip(csv.data)["README.txt"].split("Filter values ignored")[1]


def test_downloads_name_the_breakdowns_column_after_its_field(coordinator_client, profiled):
    reply = coordinator_client.get(REPORT + "report.csv.zip?by=region&audience=confidential")
    files = read_zip(reply.data)
    likert = csv_records(files["likert.csv"])
    assert {r["region"] for r in likert} == {"all", "lima_metropolitana", "cusco", "abroad"}
    assert "group" not in likert[0]
    responses = csv_records(files["raw/responses.csv"])
    assert sorted(r["education"] for r in responses).count("university") == 6
    document = coordinator_client.get(REPORT + "report.json?by=education").get_json()
    assert document["meta"]["filters"]["by"] == "education"
    assert {r["education"] for r in document["likert"]} >= {"school", "university"}


def test_the_workbook_and_the_pdf_print_the_breakdowns_labels(app, profiled):
    report = build_report(profiled, ReportFilters(by="education"))
    with force_locale("en"):
        workbook = to_xlsx(report)
        text = pdf_text(to_pdf(report))
    agreement = sheet(workbook, "Agreement")
    assert "Highest level of education" in agreement.columns
    assert set(agreement["Highest level of education"]) >= {"University", "School", "Not given"}
    participation = sheet(workbook, "Participation")
    assert "Outside Peru" in set(participation["Category"])
    assert "Highest level of education" in text and "University" in text


# ---------------------------------------------------------------- consult report


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["report", "--consultation", "profiled-test", *args])


def test_consult_report_breaks_down_by_a_field(app, profiled, tmp_path):
    out = tmp_path / "report.json"
    result = run(app, "--format", "json", "--by", "education", "--out", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["meta"]["filters"]["by"] == "education"
    filtered = run(app, "--format", "json", "--region", "cusco", "--out", str(out))
    assert filtered.exit_code == 0, filtered.output
    assert json.loads(out.read_text())["meta"]["responses"] == 4


def test_consult_report_checks_codes_against_the_consultation(app, profiled, tmp_path):
    out = str(tmp_path / "report.json")
    result = run(app, "--format", "json", "--by", "gender", "--out", out)
    assert result.exit_code == 2
    assert "gender is not one of profiled-test's codes" in result.output
    assert "education" in result.output  # what it can be
    result = run(app, "--format", "json", "--region", "amazonas", "--out", out)
    assert result.exit_code == 2 and "lima_metropolitana, cusco, abroad" in result.output
