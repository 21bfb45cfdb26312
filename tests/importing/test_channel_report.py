"""The report counts responses by channel — online, each imported file, paper — in the
page, the CSV, XLSX and JSON downloads (read back), and filters by channel; the open
report pools the channels by the K rule and never names a file."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from tests.factories import make_responses

from . import make_enia_export as export

REPORT = "/console/c/enia-2021/report"
VALID = export.ROWS - len(export.PLANTED)
PAPER_CSV = (
    "Fecha;Responde como;Tipo de actor;Comentarios 5.1\r\n"
    + "".join(
        f"0{day}/02/2021;A título personal;Persona a título individual;"
        f"En el taller de Cusco pedimos más formación, número {n}.\r\n"
        for n, day in enumerate((1, 1, 2, 2, 3, 3, 4), start=1)
    )
).encode("cp1252")
PAPER_MAPPING = """\
channel: paper
timestamp: {column: Fecha, format: "%d/%m/%Y"}
profile:
  responding_as: Responde como
  stakeholder_type: Tipo de actor
  region: {value: cusco}       # every form of the Cusco workshop
comments:
  5-1: Comentarios 5.1
"""


@pytest.fixture
def channels(app, enia, tmp_path):
    """209 rows of the form tool's export, 7 paper forms typed in, 3 online responses."""
    runner = app.test_cli_runner()
    command = ["import-responses", "--consultation", "enia-2021"]
    mapping = export.DATA / "enia-formulario.yaml"
    done = runner.invoke(args=[*command, str(export.DATA / "enia-formulario.csv"),
                               "--mapping", str(mapping), "--skip-invalid"])  # fmt: skip
    assert done.exit_code == 0, done.output
    (tmp_path / "taller-cusco.csv").write_bytes(PAPER_CSV)
    (tmp_path / "taller.yaml").write_text(PAPER_MAPPING, encoding="utf-8")
    done = runner.invoke(args=[*command, str(tmp_path / "taller-cusco.csv"),
                               "--mapping", str(tmp_path / "taller.yaml")])  # fmt: skip
    assert done.exit_code == 0, done.output
    make_responses(enia, 3)
    return enia


EXPECTED = {"online": 3, "import: enia-formulario.csv": VALID, "paper": 7}


def test_the_json_csv_and_xlsx_count_by_channel(channels, coordinator_client):
    query = "audience=confidential&lang=en"
    document = json.loads(coordinator_client.get(f"{REPORT}/report.json?{query}").data)
    rows = document["participation"]["channel"]
    assert {r["channel"]: r["responses"] for r in rows} == EXPECTED
    assert [r["channel"] for r in rows] == list(EXPECTED)  # online, files, paper

    data = coordinator_client.get(f"{REPORT}/report.csv.zip?{query}").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("participation_channel.csv").decode("utf-8-sig")
    lines = [line.split(",") for line in text.strip().splitlines()]
    assert lines[0] == ["channel", "responses"]
    assert {c: int(n) for c, n in lines[1:]} == EXPECTED

    book = openpyxl.load_workbook(
        io.BytesIO(coordinator_client.get(f"{REPORT}/report.xlsx?{query}").data)
    )
    found = {
        row[1]: row[2]
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] == "Channel"  # the breakdown's name, in the report's language
    }
    assert found == EXPECTED


def test_the_report_page_shows_the_channels_and_filters_by_one(channels, coordinator_client):
    page = coordinator_client.get(f"{REPORT}/?lang=en").get_data(as_text=True)
    assert "Responses by channel" in page
    assert "Imported file: enia-formulario.csv" in page and "Paper form" in page
    only_paper = json.loads(
        coordinator_client.get(f"{REPORT}/report.json?audience=confidential&channel=paper").data
    )
    assert only_paper["meta"]["responses"] == 7
    assert only_paper["meta"]["filters"]["channels"] == ["paper"]
    assert {r["channel"]: r["responses"] for r in only_paper["participation"]["channel"]} == {
        "paper": 7
    }
    both = json.loads(
        coordinator_client.get(
            f"{REPORT}/report.json?audience=confidential&channel=online&channel=import"
        ).data
    )
    assert both["meta"]["responses"] == 3 + VALID


def test_the_open_report_pools_channels_and_names_no_file(channels, coordinator_client):
    data = coordinator_client.get(f"{REPORT}/report.json?audience=open&lang=en").data
    rows = json.loads(data)["participation"]["channel"]
    shown = {r["channel"]: r["responses"] for r in rows}
    # 3 online answers are fewer than K = 5: pooled with the smallest other, never alone.
    assert "online" not in shown
    assert shown["import"] == VALID
    assert b"enia-formulario.csv" not in data


def test_the_command_line_report_counts_one_channel(app, channels, tmp_path):
    out = tmp_path / "paper.json"
    args = ["report", "--consultation", "enia-2021", "--format", "json", "--out", str(out)]
    done = app.test_cli_runner().invoke(args=[*args, "--channel", "paper", "--channel", "online"])
    assert done.exit_code == 0, done.output
    assert "Responses counted: 10." in done.output
    document = json.loads(out.read_bytes())
    assert {r["channel"]: r["responses"] for r in document["participation"]["channel"]} == {
        "online": 3,
        "paper": 7,
    }
    assert document["meta"]["filters"]["channels"] == ["online", "paper"]
    wrong = app.test_cli_runner().invoke(args=[*args, "--channel", "fax"])
    assert wrong.exit_code == 2 and "fax" in wrong.output
