"""``consult report``: writes each format, confidential or open, with filters."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest
from click.testing import Result
from flask import Flask

from tests.reports.test_writers import COUNTED, make_dataset, pdf_text, read_zip


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["report", *args])


@pytest.fixture
def dataset(enia):
    return make_dataset(enia)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json", "pdf"])
def test_writes_each_format(app, dataset, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = run(app, "--consultation", "enia-2021", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    assert f"Responses counted: {COUNTED}." in result.output
    data = out.read_bytes()
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        summary = {r[0]: r[1] for r in book["Resumen"].iter_rows(values_only=True) if r[0]}
        assert summary["Respuestas contabilizadas"] == COUNTED
        assert "Filas de respuestas" in book.sheetnames
    elif fmt == "csv":
        files = read_zip(data)
        assert "CONFIDENCIAL" in files["README.txt"]
        assert "persona00@example.org" in files["raw/responses.csv"]
    elif fmt == "json":
        assert json.loads(data)["meta"]["audience"] == "confidential"
    else:
        assert "CONFIDENCIAL" in pdf_text(data)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json", "pdf"])
def test_lang_chooses_the_reports_language(app, dataset, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    args = ("--consultation", "enia-2021", "--format", fmt, "--open", "--out", str(out))
    result = run(app, *args, "--lang", "en")
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        assert book.sheetnames[:3] == ["Summary", "Participation", "Agreement"]
        text = "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
    elif fmt == "csv":
        text = read_zip(data)["README.txt"]
    elif fmt == "json":
        text = json.dumps(json.loads(data)["meta"], ensure_ascii=False)
    else:
        text = pdf_text(data)
    assert "OPEN — aggregates for publication" in text
    assert "Groups with fewer than 5 responses are shown together" in " ".join(text.split())
    assert run(app, *args, "--lang", "fr").exit_code != 0


def test_open_report_has_no_raw_rows(app, dataset, tmp_path):
    out = tmp_path / "open.zip"
    result = run(app, "--consultation", "enia-2021", "--format", "csv", "--open", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "open csv" in result.output
    names = zipfile.ZipFile(out).namelist()
    assert not any(name.startswith("raw/") for name in names)
    assert "@example.org" not in "\n".join(read_zip(out.read_bytes()).values())


def test_filters(app, dataset, tmp_path):
    out = tmp_path / "academia.json"
    result = run(
        app,
        *("--consultation", "enia-2021", "--format", "json", "--out", str(out)),
        *("--stakeholder-type", "academia", "--region", "lima_metropolitana"),
        *("--region", "cusco", "--from", "2000-01-01", "--to", "2999-12-31"),
    )
    assert result.exit_code == 0, result.output
    assert "Responses counted: 6." in result.output
    meta = json.loads(out.read_bytes())["meta"]
    assert meta["filters"]["regions"] == ["lima_metropolitana", "cusco"]
    assert ["Regiones", "Lima Metropolitana, Cusco"] in meta["filters_described"]
    assert (meta["filters"]["date_from"], meta["filters"]["date_to"]) == (
        "2000-01-01",
        "2999-12-31",
    )


def test_unknown_consultation(app, tmp_path):
    out = tmp_path / "x.json"
    result = run(app, "--consultation", "nowhere", "--format", "json", "--out", str(out))
    assert result.exit_code != 0
    assert "No consultation with the slug 'nowhere'" in result.output
    assert not out.exists()
