"""The open-data package: valid Frictionless data (folder and zip), the open report's own
figures, nothing private, small counts withheld, the same bytes for the same data."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Response
from consult.models.vocab import Stage
from consult.opendata import OpenDataRefused, build_package, to_zip, write_package
from consult.opendata.package import data_as_of
from consult.reports.downloads import export
from consult.reports.filters import ReportFilters
from tests.outcome.outcome_data import PENDING_TEXT, PRIVATE_TEXT

from .conftest import FORMULA, MULTILINE, PRIVATE_EMAIL, PRIVATE_NAME
from .exports import errors, read_zip, records

TABLES = [
    "sections", "questions", "options", "contributions", "participation",
    "participation_by_day", "likert", "choices", "ranking", "comment_counts",
    "passage_comment_counts", "gates",
    "comments", "themes", "comment_themes", "decisions", "decision_counts",
]  # fmt: skip


def test_the_package_is_valid_frictionless_data_in_a_folder_and_in_a_zip(published, tmp_path):
    folder = tmp_path / "open-data"
    write_package(published, folder)
    assert errors(folder / "datapackage.json") == []
    write_package(published, tmp_path / "open-data.zip")
    with zipfile.ZipFile(tmp_path / "open-data.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    assert errors(tmp_path / "unzipped" / "enia-2021" / "datapackage.json") == []
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == TABLES
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    assert descriptor["title_es"].startswith("Estrategia Nacional de Inteligencia Artificial")
    assert descriptor["min_cell"] == 5
    comments = next(r for r in descriptor["resources"] if r["name"] == "comments")
    fields = {f["name"]: f for f in comments["schema"]["fields"]}
    assert fields["text"]["title_es"] == "Texto"
    assert "other_actor" in fields["stakeholder_group"]["constraints"]["enum"]
    assert "demo" not in descriptor and "DEMONSTRATION" not in descriptor["description"]


def test_a_demonstrations_package_says_its_responses_are_invented(published, tmp_path):
    published.is_demo = True
    db.session.commit()
    write_package(published, tmp_path / "demo")
    descriptor = json.loads((tmp_path / "demo" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["demo"] is True
    assert "DEMONSTRATION: the responses are invented" in descriptor["description"]
    assert "DEMOSTRACIÓN: las respuestas son inventadas" in descriptor["description_es"]
    assert errors(tmp_path / "demo" / "datapackage.json") == []


def test_frictionless_finds_a_row_that_breaks_the_schema(published, tmp_path):
    """The check is worth something: a code outside its list is an error."""
    folder = tmp_path / "open-data"
    write_package(published, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource.pop("hash"), resource.pop("bytes")
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    likert = (folder / "likert.csv").read_text(encoding="utf-8")
    (folder / "likert.csv").write_text(likert.replace(",academia,", ",nobody,"), "utf-8")
    assert [e[0] for e in errors(folder / "datapackage.json")] == ["constraint-error"]


def _open_json(consultation) -> dict:
    data, _report = export(consultation, ReportFilters(), fmt="json", audience="open", min_cell=5)
    return json.loads(data)


def _same(csv_value: str, json_value) -> bool:
    if json_value is None:
        return csv_value == ""
    if isinstance(json_value, float):
        return abs(float(csv_value) - json_value) < 1e-12
    return csv_value == str(json_value)


RENAMED = {**{str(p): f"count_{p}" for p in range(1, 6)}, "dk": "count_dk"}


@pytest.mark.parametrize(
    ("table", "frame"),
    [("likert", "likert"), ("choices", "choices"), ("ranking", "ranking"),
     ("comment_counts", "comments"), ("passage_comment_counts", "passages"),
     ("gates", "gates")],
)  # fmt: skip
def test_the_results_are_the_open_reports_figures(published, table, frame):
    files = build_package(published)[0]
    document = _open_json(published)
    rows = records(files, table)
    expected = document[frame]
    assert len(rows) == len(expected)
    if table in ("likert", "choices", "ranking"):
        assert rows, "the test data answers every kind of question"
    for row, record in zip(rows, expected, strict=True):
        for key, value in record.items():
            if key.endswith("_label"):
                continue  # labels live in options.csv
            assert _same(row[RENAMED.get(key, key)], value), (table, key, row, record)


def test_participation_is_the_open_reports(published):
    files = build_package(published)[0]
    document = _open_json(published)
    rows = {(r["field"], r["category"]): r for r in records(files, "participation")}
    assert rows[("all", "all")]["responses"] == str(document["meta"]["responses"])
    for name, table in document["participation"].items():
        if name == "day":
            continue
        for record in table:
            key = next(iter(record))
            assert rows[(name, str(record[key]))]["responses"] == str(record["responses"])
    # Two public-sector respondents: pooled, never a row of their own.
    assert ("group", "public_sector") not in rows
    assert ("group", "other_groups") in rows


def test_nothing_private_is_in_the_package(published):
    files = build_package(published)[0]
    everything = b"".join(files.values()).decode("utf-8")
    emails = db.session.scalars(sa.select(Response.email).where(Response.email.is_not(None)))
    for secret in [PRIVATE_EMAIL, PRIVATE_NAME, PENDING_TEXT, PRIVATE_TEXT, *emails]:
        assert secret not in everything
    assert "Un comentario privado" not in everything
    assert "Organización de prueba" not in everything  # organisations' names stay private
    comments = records(files, "comments")
    assert {c["author"] for c in comments} == {"", "Rosa Quispe", "Ana Pública"}


def test_small_groups_are_never_named_and_small_counts_are_withheld(published):
    files = build_package(published)[0]
    comments = records(files, "comments")
    by_ana = [c for c in comments if c["author"] == "Ana Pública"]
    assert len(by_ana) == 2
    assert {(c["stakeholder_type"], c["stakeholder_group"]) for c in by_ana} == {
        ("", "other_actor")
    }
    for table in ("likert", "choices", "ranking", "comment_counts"):
        assert "public_sector" not in {r["group"] for r in records(files, table)}
    counts = {r["decision"]: r for r in records(files, "decision_counts")}
    # Three comments answered "not accepted" one by one: fewer than K.
    assert counts["not_accepted"]["answered_individually"] == ""
    assert counts["not_accepted"]["answered_individually_suppressed"] == "true"
    themes = {r["name"]: r for r in records(files, "themes")}
    assert themes["Formación docente"]["comments"] == "10"
    assert themes["Formación docente"]["comments_suppressed"] == "false"
    assert themes["Formación docente"]["reason_en"] == "A teacher training programme was added."


def test_text_is_written_exactly_as_published(published):
    """Open data is read by programs: no spreadsheet-formula prefix, line breaks kept."""
    files = build_package(published)[0]
    texts = [c["text"] for c in records(files, "comments")]
    assert FORMULA in texts and "'" + FORMULA not in texts
    assert MULTILINE in texts
    assert files["comments.csv"].startswith(b"comment,section,")
    assert b"\r\n" in files["comments.csv"]


def test_the_same_data_gives_the_same_bytes(published, tmp_path):
    first, as_of = build_package(published)
    second, _ = build_package(published)
    assert first == second
    assert to_zip(first, as_of, "x") == to_zip(second, as_of, "x")
    write_package(published, tmp_path / "a.zip")
    write_package(published, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO((tmp_path / "a.zip").read_bytes())) as archive:
        dates = {info.date_time for info in archive.infolist()}
    # A zip's clock ticks every two seconds: an odd second is written as the one before.
    as_of = data_as_of(published)
    assert dates == {as_of.replace(second=as_of.second - as_of.second % 2).timetuple()[:6]}
    assert read_zip((tmp_path / "a.zip").read_bytes()) == first


def test_no_open_data_before_the_results_are_published(published):
    published.summary_published = False
    db.session.commit()
    with pytest.raises(OpenDataRefused):
        build_package(published)


def test_before_the_outcome_its_tables_are_there_with_their_header_only(published, tmp_path):
    published.stage = Stage.ANALYSIS
    db.session.commit()
    folder = tmp_path / "open-data"
    files = write_package(published, folder)
    for table in ("themes", "comment_themes", "decisions", "decision_counts"):
        assert files[f"{table}.csv"].count(b"\r\n") == 1, table
    assert records(files, "comments")  # published comments are public before the outcome
    assert errors(folder / "datapackage.json") == []
