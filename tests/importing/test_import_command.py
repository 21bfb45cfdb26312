"""``consult import-responses`` on a realistic 212-row export of the ENIA consultation
(tests/importing/data, written by make_enia_export.py): a dry run lists exactly the planted
problems with their lines, a real import refuses while they remain, ``--skip-invalid``
imports the valid rows as the web form would have stored them, and a second import adds
nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import (
    Answer,
    AnswerChoice,
    AuditEntry,
    Comment,
    Response,
    ResponseImport,
)
from consult.models.vocab import Channel, ModerationState, Publication, ResponseStatus

from . import make_enia_export as export

DATA = export.DATA
CSV = DATA / "enia-formulario.csv"
MAPPING = DATA / "enia-formulario.yaml"
VALID = export.ROWS - len(export.PLANTED)


def run(app, *args):
    return app.test_cli_runner().invoke(
        args=["import-responses", "--consultation", "enia-2021", *map(str, args)]
    )


def count(model=Response) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_committed_export_is_what_the_rules_write():
    assert CSV.read_bytes() == export.csv_bytes()
    assert export.ROWS >= 200


def test_a_dry_run_lists_exactly_the_planted_problems_and_writes_nothing(app, enia):
    result = run(app, CSV, "--mapping", MAPPING, "--dry-run", "--lang", "en")
    assert result.exit_code == 2
    problems = [line for line in result.output.splitlines() if line.startswith("line ")]
    assert [p.split(",")[0] for p in problems] == [f"line {n}" for n in sorted(export.PLANTED)]
    assert "“31/11/2020 25:61:00” is not a date and time as %d/%m/%Y %H:%M:%S" in problems[0]
    assert "“Bastante de acuerdo” is not one of the options" in problems[1]
    assert "column “Región”: A value is required here" in problems[2]
    assert f"Rows read: {export.ROWS}" in result.output
    assert f"To add: {VALID}" in result.output
    assert "Refused (with problems): 3" in result.output
    assert count() == 0 and count(ResponseImport) == 0


def test_the_messages_are_in_spanish_by_default(app, enia):
    result = run(app, CSV, "--mapping", MAPPING, "--dry-run")
    assert "línea 125" in result.output
    assert "no es una de las opciones" in result.output


def test_a_real_import_is_refused_while_problems_remain(app, enia):
    result = run(app, CSV, "--mapping", MAPPING, "--lang", "en")
    assert result.exit_code == 2
    assert "Nothing was written" in result.output
    assert count() == 0 and count(ResponseImport) == 0 and count(AuditEntry) == 0


@pytest.fixture
def xlsx(tmp_path):
    """The same rows as the CSV in a workbook (dates as date cells), made by the export's
    own rules: a binary file is not kept in git."""
    path = tmp_path / "enia-formulario.xlsx"
    path.write_bytes(export.xlsx_bytes())
    return path


def test_skip_invalid_imports_the_valid_rows_and_a_second_import_adds_nothing(app, enia, xlsx):
    result = run(app, CSV, "--mapping", MAPPING, "--skip-invalid", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"Added: {VALID}" in result.output
    assert count() == VALID
    imported = db.session.scalar(sa.select(ResponseImport))
    assert (imported.file_name, imported.rows_added, imported.channel) == (
        "enia-formulario.csv",
        VALID,
        Channel.IMPORT,
    )
    statuses = set(db.session.scalars(sa.select(Response.status)))
    assert statuses == {ResponseStatus.SUBMITTED}
    assert set(db.session.scalars(sa.select(Response.import_id))) == {imported.id}
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="responses.import"))
    assert entry.after["added"] == VALID and entry.after["refused"] == 3

    again = run(app, CSV, "--mapping", MAPPING, "--skip-invalid", "--lang", "en")
    assert "Added: 0" in again.output
    assert f"Already imported (skipped): {VALID}" in again.output
    assert count() == VALID
    # The same rows in the XLSX (dates as date cells) are recognised too.
    xlsx = run(app, xlsx, "--mapping", MAPPING, "--skip-invalid", "--lang", "en")
    assert f"Already imported (skipped): {VALID}" in xlsx.output, xlsx.output
    assert count() == VALID


def test_a_row_is_stored_as_the_web_form_would_store_it(app, enia):
    run(app, CSV, "--mapping", MAPPING, "--skip-invalid")
    rows = export.rows()
    first = rows[0]
    response = db.session.scalars(sa.select(Response).order_by(Response.submitted_at)).first()
    # 15/12/2020 11:42:37 in Lima (UTC-5) is 16:42:37 UTC, stored naive.
    local = first["Marca temporal"]
    assert response.submitted_at == datetime(
        local.year, local.month, local.day, local.hour + 5, local.minute, local.second
    )
    assert response.consent_at == response.submitted_at
    assert response.channel is Channel.IMPORT
    assert response.draft_version == enia.current_version
    assert response.email == first["Dirección de correo electrónico"]
    assert response.region == "lima_metropolitana"
    assert response.stakeholder_type == "public_sector"  # the mapping's own label
    assert response.publication is Publication.ANONYMOUS
    assert response.row_hash and len(response.row_hash) == 64
    assert len(response.reference) == 9 and len(response.token_hash) == 64
    # Every comment awaits moderation, like a comment sent through the form.
    states = set(db.session.scalars(sa.select(Comment.moderation)))
    assert states == {ModerationState.PENDING}


def test_answers_labels_and_lists_become_codes(app, enia):
    run(app, CSV, "--mapping", MAPPING, "--skip-invalid")
    question = {q.key: q.id for q in enia.questions}
    values = set(
        db.session.scalars(
            sa.select(Answer.value).where(Answer.question_id == question["q-5-1-agree"])
        )
    )
    assert values <= {"1", "2", "3", "4", "5", "dk"} and len(values) >= 4
    chosen = set(
        db.session.scalars(
            sa.select(AnswerChoice.option)
            .join(Answer)
            .where(Answer.question_id == question["q-strengthen"])
        )
    )
    assert chosen <= {
        "targets-deadlines",
        "budget-funding",
        "governance",
        "regional-inclusion",
        "ethics-rights",
        "data-infrastructure",
        "talent-education",
        "monitoring-evaluation",
    }
    assert len(chosen) == 8
    # A named publication keeps the name given; the others none.
    named = db.session.scalars(sa.select(Response).filter_by(publication=Publication.NAMED)).all()
    assert named and all(r.display_name for r in named)
    contributions = set(db.session.scalars(sa.select(Comment.contribution)))
    assert {"problem_definition", "objective_formulation", "other", None} >= contributions
    assert "problem_definition" in contributions or "objective_formulation" in contributions


def test_paper_channel_from_the_command_line(app, enia, xlsx):
    result = run(app, xlsx, "--mapping", MAPPING, "--skip-invalid", "--channel", "paper")
    assert result.exit_code == 0, result.output
    assert set(db.session.scalars(sa.select(Response.channel))) == {Channel.PAPER}


def test_a_suggested_mapping_reads_the_file_as_the_hand_written_one(app, enia, tmp_path):
    suggested = tmp_path / "suggested.yaml"
    result = run(app, CSV, "--suggest-mapping", suggested)
    assert result.exit_code == 0, result.output
    text = suggested.read_text(encoding="utf-8")
    assert "q-5-10-agree: 5.10 Estoy de acuerdo" in text
    assert "Puntuación" in text.split("ignore:")[1]
    dry = run(app, CSV, "--mapping", suggested, "--dry-run", "--lang", "en")
    # The suggestion maps the file's own wordings by similarity ("Sector público (…)");
    # it also maps the unknown "Bastante de acuerdo" to a point, for a person to check.
    assert f"To add: {VALID + 1}" in dry.output, dry.output


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("questions: {q-nothing: Región}\n", "This consultation has no question “q-nothing”"),
        ("questions: {q-5-1-agree: No such column}\n", "The file has no column “No such column”"),
        ("channel: online\nquestions: {q-5-1-agree: Región}\n", "channel: import or paper"),
        ("- a list\n", "must be a YAML mapping"),
        ("questions: [\n", "not valid YAML"),
    ],
)
def test_a_bad_mapping_is_named_and_nothing_is_written(app, enia, tmp_path, mapping, message):
    path = tmp_path / "mapping.yaml"
    path.write_text(mapping, encoding="utf-8")
    result = run(app, CSV, "--mapping", path, "--lang", "en")
    assert result.exit_code == 2
    assert message in result.output
    assert count() == 0
