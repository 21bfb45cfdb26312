"""Report downloads in the console: signed-in only, each format, confidential or open."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.console.conftest import create_account, goes_to_sign_in, signed_in_client
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


@pytest.fixture
def coordinator_client(app: Flask) -> FlaskClient:
    create_account("coordinadora@example.org")
    return signed_in_client(app, "coordinadora@example.org")


def responses_counted(fmt: str, data: bytes) -> int:
    """The "responses counted" figure as each format prints it."""
    if fmt == "csv":
        readme = read_zip(data)["README.txt"]
        line = next(x for x in readme.splitlines() if x.startswith("Responses counted: "))
        return int(line.removeprefix("Responses counted: "))
    if fmt == "json":
        return json.loads(data)["meta"]["responses"]
    if fmt == "xlsx":
        summary = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
        return next(
            r[1] for r in summary.iter_rows(values_only=True) if r[0] == "Responses counted"
        )
    text = pdf_text(data)
    line = next(x for x in text.splitlines() if x.startswith("Respuestas contabilizadas: "))
    return int(line.removeprefix("Respuestas contabilizadas: "))


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_downloads_need_a_signed_in_coordinator(client, enia, fmt):
    path = DOWNLOADS[fmt][0]
    assert goes_to_sign_in(client.get(f"{BASE}/{path}"))
    assert goes_to_sign_in(client.get(f"{BASE}/{path}?audience=open"))


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_confidential_download(coordinator_client, dataset, fmt):
    path, mimetype, extension = DOWNLOADS[fmt]
    reply = coordinator_client.get(f"{BASE}/{path}")
    assert reply.status_code == 200
    assert reply.mimetype == mimetype
    assert reply.headers["Cache-Control"] == "no-store"
    disposition = reply.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename=enia-2021-confidential-" in disposition
    assert disposition.endswith(f".{extension}")
    data = reply.get_data()
    assert responses_counted(fmt, data) == COUNTED
    if fmt == "csv":
        files = read_zip(data)
        assert "CONFIDENTIAL — coordinators only" in files["README.txt"]
        assert "persona00@example.org" in files["raw/responses.csv"]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert "Raw responses" in book.sheetnames
    if fmt == "pdf":
        assert "CONFIDENCIAL" in pdf_text(data)


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_open_download(coordinator_client, dataset, fmt):
    path, _mimetype, extension = DOWNLOADS[fmt]
    reply = coordinator_client.get(f"{BASE}/{path}?audience=open")
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
    assert "<5" in text


def test_filters_from_the_query_string(coordinator_client, dataset):
    reply = coordinator_client.get(
        f"{BASE}/report.json?stakeholder_type=academia&stakeholder_type=nonsense"
    )
    document = json.loads(reply.get_data())
    assert document["meta"]["responses"] == 6
    assert document["meta"]["filters"]["stakeholder_types"] == "academia"
    assert document["meta"]["ignored_filters"] == ["stakeholder_type"]
    likert = {r["group"]: r for r in document["likert"] if r["question"] == LIKERT}
    assert set(likert) == {"all", "academia"} and likert["all"]["n"] == 6


def test_unknown_audience_or_consultation(coordinator_client, dataset):
    assert coordinator_client.get(f"{BASE}/report.json?audience=public").status_code == 400
    assert coordinator_client.get("/console/c/nothing/report/report.json").status_code == 404
