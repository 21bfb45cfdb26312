"""The consultation's time zone in reports: days counted in it, every output naming it.

A response sent at 02:30 UTC on 15 January 2027 was sent on the evening of the 14th in
Santiago (three hours behind in its summer) and in the small hours of the 15th in
Madrid. One sent at 03:30 UTC on 15 July was sent at 23:30 on the 14th in Santiago's
winter (four hours behind): counted with January's offset it would land on the 15th.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import openpyxl
import pytest
from flask_babel import force_locale

from consult.extensions import db
from consult.models import Consultation
from consult.reports.filters import ReportFilters
from consult.reports.frames import build_report
from consult.reports.privacy import open_report
from consult.reports.writers import raw_rows, to_csv_zip, to_json, to_pdf, to_xlsx
from tests.factories import add_response
from tests.reports.test_writers import csv_records, pdf_text, read_zip

JANUARY = datetime(2027, 1, 15, 2, 30)
JULY = datetime(2027, 7, 15, 3, 30)
#: A time said to be UTC, as people must never be shown one: "10:00 UTC", "UTC 10:00".
SHOWN_IN_UTC = re.compile(r"\d\s*UTC\b|\bUTC\s*\d|\(UTC\)|\bUTC\.")


@pytest.fixture
def santiago(enia: Consultation) -> Consultation:
    """The ENIA held in Santiago, with one response in January and one in July."""
    enia.time_zone = "America/Santiago"
    add_response(enia, submitted_at=JANUARY, email="enero@example.org")
    add_response(enia, submitted_at=JULY, email="julio@example.org")
    db.session.commit()
    return enia


def move(consultation: Consultation, zone: str) -> None:
    consultation.time_zone = zone
    db.session.commit()


def days(consultation: Consultation, **filters) -> dict[str, int]:
    frame = build_report(consultation, ReportFilters(**filters)).participation["day"]
    return dict(zip(frame["day"], frame["responses"], strict=True))


# ---------------------------------------------------------------- days


def test_responses_are_counted_on_the_consultations_own_days(santiago):
    assert days(santiago) == {"2027-01-14": 1, "2027-07-14": 1}


def test_the_same_responses_fall_on_other_days_in_another_zone(santiago):
    move(santiago, "Europe/Madrid")
    assert days(santiago) == {"2027-01-15": 1, "2027-07-15": 1}


def test_lima_has_no_summer_time(santiago):
    move(santiago, "America/Lima")
    # 21:30 on 14 January and 22:30 on 14 July: five hours behind all year.
    assert days(santiago) == {"2027-01-14": 1, "2027-07-14": 1}


def test_date_filters_take_the_consultations_days(santiago):
    assert build_report(santiago, ReportFilters(date_to=date(2027, 1, 14))).responses == 1
    assert build_report(santiago, ReportFilters(date_from=date(2027, 1, 15))).responses == 1
    assert days(santiago, date_from=date(2027, 7, 14), date_to=date(2027, 7, 14)) == {
        "2027-07-14": 1
    }
    move(santiago, "Europe/Madrid")
    assert build_report(santiago, ReportFilters(date_to=date(2027, 1, 14))).responses == 0


def test_filters_at_the_ends_of_the_calendar_narrow_nothing(santiago):
    move(santiago, "Asia/Tokyo")  # midnight of 1 January of year 1 is in year 0 in UTC
    whole = ReportFilters(date_from=date.min, date_to=date.max)
    assert build_report(santiago, whole).responses == 2


def test_the_dashboard_counts_the_same_days(santiago, coordinator_client):
    page = coordinator_client.get("/console/c/enia-2021/").get_data(as_text=True)
    assert "hora de America/Santiago" in page
    assert "14 ene 2027" in page and "15 ene 2027" not in page
    assert "date_from=2027-01-14&amp;date_to=2027-01-14" in page


def test_the_responses_list_filters_by_the_consultations_days(santiago, coordinator_client):
    listed = coordinator_client.get(
        "/console/c/enia-2021/responses?date_from=2027-01-14&date_to=2027-01-14"
    ).get_data(as_text=True)
    assert "Respuestas encontradas: 1." in listed
    # Shown in Santiago's time, named: 23:30 of the 14th, never 02:30.
    assert "14 de enero de 2027, 23:30 (hora de America/Santiago)" in listed


# ---------------------------------------------------------------- what every output says


@pytest.fixture(params=["es", "en"])
def language(request, app):
    with force_locale(request.param):
        yield request.param


ZONE_WORDS = {
    "es": "hora de America/Santiago",
    "en": "America/Santiago time",
}


def assert_no_time_in_utc(text: str) -> None:
    shown = SHOWN_IN_UTC.search(text)
    assert shown is None, text[max(0, shown.start() - 80) : shown.end() + 80]
    for peru in ("Peru time", "hora del Perú", "hora de Perú"):
        assert peru not in text


def test_the_pdf_names_the_zone(santiago, language):
    text = pdf_text(to_pdf(build_report(santiago)))
    assert ZONE_WORDS[language] in text  # "Computed at: … (hora de America/Santiago)"
    assert "America/Santiago:" in text  # the time-zone line of the front page
    assert_no_time_in_utc(text)


def test_the_csv_gives_times_in_the_zone_with_their_offset(santiago, language):
    report = build_report(santiago)
    files = read_zip(to_csv_zip(report, raw_rows=raw_rows(santiago, report.filters)))
    readme = files["README.txt"]
    assert ZONE_WORDS[language] in readme
    assert "America/Santiago" in readme and report.computed_at.isoformat()[:19] in readme
    assert_no_time_in_utc("\n".join(files.values()))
    sent = {r["email"]: r["submitted_at"] for r in csv_records(files["raw/responses.csv"])}
    assert sent == {
        "enero@example.org": "2027-01-14T23:30:00-03:00",
        "julio@example.org": "2027-07-14T23:30:00-04:00",
    }
    per_day = csv_records(files["participation_day.csv"])
    assert [r["day"] for r in per_day] == ["2027-01-14", "2027-07-14"]


def test_the_json_names_the_zone_and_carries_offsets(santiago, language):
    report = build_report(santiago)
    meta = json.loads(to_json(report))["meta"]
    assert meta["time_zone"] == "America/Santiago"
    assert datetime.fromisoformat(meta["computed_at"]).utcoffset() is not None
    assert meta["computed_at"] == report.computed_at.isoformat()
    assert "America/Santiago" in meta["time_zone_note"]
    assert_no_time_in_utc(to_json(report).decode())


def test_the_workbook_names_the_zone(santiago, language):
    report = build_report(santiago)
    data = to_xlsx(report, raw_rows=raw_rows(santiago, report.filters))
    book = openpyxl.load_workbook(io.BytesIO(data))
    text = "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
    assert ZONE_WORDS[language] in text and "2027-01-14T23:30:00-03:00" in text
    assert_no_time_in_utc(text)


def test_an_open_report_names_the_zone_too(santiago, language):
    report = open_report(build_report(santiago, audience="open"), 5)
    for text in (pdf_text(to_pdf(report)), to_json(report).decode()):
        assert "America/Santiago" in text
        assert_no_time_in_utc(text)


# ---------------------------------------------------------------- pages and the command line


def test_the_report_page_shows_its_time_and_days_in_the_zone(santiago, coordinator_client):
    page = coordinator_client.get("/console/c/enia-2021/report/").get_data(as_text=True)
    assert "(hora de America/Santiago)" in page
    assert "Respuestas por día de envío (hora de America/Santiago)" in page
    assert_no_time_in_utc(page)


def test_the_published_results_show_the_zone(santiago, client):
    santiago.summary_published = True
    db.session.commit()
    page = client.get("/c/enia-2021/results?lang=en").get_data(as_text=True)
    assert "(America/Santiago time)" in page
    assert_no_time_in_utc(page)


def test_consult_report_writes_in_the_zone(app, santiago, tmp_path):
    out = tmp_path / "report.csv.zip"
    args = ["report", "--consultation", "enia-2021", "--format", "csv", "--out", str(out)]
    days = ["--from", "2027-01-14", "--to", "2027-01-14"]
    result = app.test_cli_runner().invoke(args=[*args, *days])
    assert result.exit_code == 0, result.output
    assert "Responses counted: 1." in result.output
    files = read_zip(out.read_bytes())
    assert "hora de America/Santiago" in files["README.txt"]
    assert csv_records(files["raw/responses.csv"])[0]["submitted_at"].endswith("-03:00")
