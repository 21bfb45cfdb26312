"""Report downloads in the console: signed-in only, each format, confidential or open."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from flask.testing import FlaskClient

from tests.conftest import goes_to_sign_in
from tests.reports.test_writers import COUNTED, LIKERT, make_dataset, pdf_text, read_zip

BASE = "/console/c/enia-2021/report"
DOWNLOADS = {
    "csv": ("report.csv.zip", "application/zip", "csv.zip"),
    "xlsx": (
        "report.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "json": ("report.json", "application/json", "json"),
    "pdf": ("report.pdf", "application/pdf", "pdf"),
}


@pytest.fixture
def dataset(enia):
    return make_dataset(enia)


def download(client: FlaskClient, url: str):
    """GET a download whole, its body read as the server sends it."""
    return client.get(url, buffered=True)


COUNTED_LABEL = {"es": "Respuestas contabilizadas", "en": "Responses counted"}


def responses_counted(fmt: str, data: bytes, lang: str = "es") -> int | str:
    """The "responses counted" figure as each format prints it ("<5" where hidden)."""
    label = COUNTED_LABEL[lang]
    if fmt == "json":
        return json.loads(data)["meta"]["responses"]
    if fmt == "xlsx":
        summary = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        return next(r[1] for r in summary.iter_rows(values_only=True) if r[0] == label)
    text = read_zip(data)["README.txt"] if fmt == "csv" else pdf_text(data)
    value = next(x for x in text.splitlines() if x.startswith(f"{label}: "))
    value = value.removeprefix(f"{label}: ")
    return int(value) if value.isdigit() else value


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_downloads_need_a_signed_in_coordinator(client, enia, fmt):
    path = DOWNLOADS[fmt][0]
    assert goes_to_sign_in(client.get(f"{BASE}/{path}"))
    assert goes_to_sign_in(client.get(f"{BASE}/{path}?audience=open"))


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_confidential_download(coordinator_client, dataset, fmt):
    path, mimetype, extension = DOWNLOADS[fmt]
    reply = download(coordinator_client, f"{BASE}/{path}")
    assert reply.status_code == 200
    assert reply.mimetype == mimetype
    assert reply.headers["Cache-Control"] == "no-store, private"
    disposition = reply.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename=enia-2021-confidential-" in disposition
    assert disposition.endswith(f".{extension}")
    data = reply.get_data()
    assert responses_counted(fmt, data) == COUNTED
    # The zip goes out as it is written: no length is known when it starts.
    assert ("Content-Length" in reply.headers) is (fmt != "csv")
    if fmt == "csv":
        files = read_zip(data)
        assert "CONFIDENCIAL — solo para coordinadores" in files["README.txt"]
        assert "persona00@example.org" in files["raw/responses.csv"]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert "Filas de respuestas" in book.sheetnames
    if fmt == "pdf":
        assert "CONFIDENCIAL" in pdf_text(data)


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_open_download(coordinator_client, dataset, fmt):
    path, _mimetype, extension = DOWNLOADS[fmt]
    reply = download(coordinator_client, f"{BASE}/{path}?audience=open")
    assert reply.status_code == 200
    assert "filename=enia-2021-open-" in reply.headers["Content-Disposition"]
    data = reply.get_data()
    assert responses_counted(fmt, data) == COUNTED
    if fmt == "csv":
        text = "\n".join(read_zip(data).values())
        assert not any(n.startswith("raw/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert not any(name.startswith("Raw") for name in book.sheetnames)
        text = "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
    elif fmt == "json":
        text = data.decode()
    else:
        text = pdf_text(data)
    assert "@example.org" not in text
    # The rule, stated in every open output, in the report's language.
    assert "Los grupos con menos de 5 respuestas se muestran juntos como" in " ".join(text.split())


def test_filters_from_the_query_string(coordinator_client, dataset):
    reply = coordinator_client.get(
        f"{BASE}/report.json?stakeholder_type=academia&stakeholder_type=nonsense"
    )
    document = json.loads(reply.get_data())
    assert document["meta"]["responses"] == 6
    assert document["meta"]["filters"]["stakeholder_types"] == ["academia"]
    assert document["meta"]["ignored_filters"] == ["stakeholder_type"]
    likert = {r["group"]: r for r in document["likert"] if r["question"] == LIKERT}
    assert set(likert) == {"all", "academia"} and likert["all"]["n"] == 6


def test_unknown_audience_or_consultation(coordinator_client, dataset):
    assert download(coordinator_client, f"{BASE}/report.json?audience=public").status_code == 400
    assert download(coordinator_client, "/console/c/nothing/report/report.json").status_code == 404


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_downloads_speak_the_coordinators_language(coordinator_client, dataset, fmt):
    coordinator_client.get("/console/?lang=en")
    path = DOWNLOADS[fmt][0]
    data = download(coordinator_client, f"{BASE}/{path}?audience=open").get_data()
    assert responses_counted(fmt, data, "en") == COUNTED
    if fmt == "json":
        assert json.loads(data)["meta"]["language"] == "en"
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[:2] == [
            "Summary",
            "Participation",
        ]
    else:
        text = read_zip(data)["README.txt"] if fmt == "csv" else pdf_text(data)
        assert "OPEN — aggregates for publication" in text
        assert "Stakeholder types: All" in text


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_open_downloads_hide_a_small_number_of_responses(coordinator_client, dataset, fmt):
    # Citizens: 2 individuals. The open header must not print 2.
    path = DOWNLOADS[fmt][0]
    query = "?audience=open&stakeholder_type=individual"
    assert responses_counted(
        fmt, download(coordinator_client, f"{BASE}/{path}{query}").get_data()
    ) == ("<5")
    query = "?audience=confidential&stakeholder_type=individual"
    assert (
        responses_counted(fmt, download(coordinator_client, f"{BASE}/{path}{query}").get_data())
        == 2
    )


def test_a_workbook_built_on_the_web_leaves_long_raw_files_to_the_csv(
    app, coordinator_client, dataset
):
    app.config["REPORT_WEB_XLSX_RAW_ROWS"] = 20
    data = download(coordinator_client, f"{BASE}/report.xlsx").get_data()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Filas de respuestas" in book.sheetnames  # 12 rows
    assert "Filas de respuestas a preguntas" not in book.sheetnames  # 43 rows
    notes = [r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r[1]]
    assert any(
        "answers.csv: 43 filas, demasiadas para un libro generado en la web" in str(n)
        and "consult report --format xlsx" in str(n)
        for n in notes
    )
    # The CSV download still holds them all.
    files = read_zip(download(coordinator_client, f"{BASE}/report.csv.zip").get_data())
    assert len(files["raw/answers.csv"].splitlines()) == 44


def test_the_csv_zip_is_sent_as_it_is_written(app, coordinator_client, dataset):
    reply = coordinator_client.get(f"{BASE}/report.csv.zip")  # the body is not read yet
    assert reply.is_streamed and "Content-Length" not in reply.headers
    files = read_zip(reply.get_data())  # read afterwards, as a slow client would
    assert "persona00@example.org" in files["raw/responses.csv"]
    assert "Respuestas contabilizadas: 12" in files["README.txt"]
    # A client that goes away before reading anything leaves nothing open behind it.
    coordinator_client.get(f"{BASE}/report.csv.zip?lang=en").close()
    english = coordinator_client.get(f"{BASE}/report.csv.zip").get_data()
    assert "Responses counted: 12" in read_zip(english)["README.txt"]
