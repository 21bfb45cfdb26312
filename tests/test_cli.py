"""The ``consult`` command line: init, load-consultation, and the installed entry point."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from click.testing import Result
from flask import Flask

from consult.content import ContentError, load_bundle
from consult.extensions import db
from consult.models import Consultation, ProfileField, Question, Section
from tests.conftest import SMALL_BUNDLE

CONTENT_TABLES = (Consultation, Section, Question)


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def slugs() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(sa.select(Consultation.slug)))


def content_rows() -> dict[str, list[tuple]]:
    """Every column of every content row, so any write shows."""
    db.session.expire_all()
    out = {}
    for model in CONTENT_TABLES:
        table = model.__table__
        query = sa.select(table).order_by(*table.primary_key.columns)
        out[table.name] = [tuple(r) for r in db.session.execute(query)]
    return out


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# ---------------------------------------------------------------- init


def test_init_loads_the_bundled_draft_once(app):
    assert slugs() == []
    first = run(app, "init")
    assert first.exit_code == 0, first.output
    assert slugs() == [app.config["DEFAULT_BUNDLE"]]
    assert count(Section) > 0 and count(Question) > 0
    before = content_rows()

    second = run(app, "init")

    assert second.exit_code == 0, second.output
    assert "nothing" in second.output.lower()
    assert second.output != first.output
    assert content_rows() == before


def test_init_leaves_a_database_that_already_has_a_consultation(app):
    load_bundle(SMALL_BUNDLE)
    result = run(app, "init")
    assert result.exit_code == 0, result.output
    assert slugs() == ["small-test"]


# ---------------------------------------------------------------- load-consultation


def test_load_consultation_creates_then_reports_nothing_changed(app, monkeypatch):
    monkeypatch.chdir(SMALL_BUNDLE.parents[2])  # the path as typed from the project folder
    first = run(app, "load-consultation", "tests/bundles/small")
    assert first.exit_code == 0, first.output
    assert slugs() == ["small-test"]
    created = 1 + count(ProfileField) + count(Section) + count(Question)  # a field per line
    assert re.search(rf"\b{created} created\b", first.output), first.output
    assert re.search(r"\b0 updated\b", first.output) and re.search(r"\b0 deleted\b", first.output)
    before = content_rows()

    second = run(app, "load-consultation", "tests/bundles/small")

    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert content_rows() == before


def test_load_consultation_takes_a_shipped_bundles_name(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no folder of that name here: it must be the shipped one
    result = run(app, "load-consultation", "enia-2021")
    assert result.exit_code == 0, result.output
    assert slugs() == ["enia-2021"]
    assert count(Section) > 0


def test_load_consultation_reads_dates_in_peru_time(app):
    result = run(
        app,
        "load-consultation",
        str(SMALL_BUNDLE),
        "--opens",
        "2031-03-01",
        "--closes",
        "2031-04-15T23:30",
    )
    assert result.exit_code == 0, result.output
    small = db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))
    # Lima is UTC-5 all year round.
    assert small.opens_at == datetime(2031, 3, 1, 5, 0)
    assert small.closes_at == datetime(2031, 4, 16, 4, 30)


def _assert_refused_cleanly(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, ContentError)  # reported, not crashed
    assert [count(m) for m in CONTENT_TABLES] == [0, 0, 0]


def test_load_consultation_refuses_a_missing_folder(app, tmp_path):
    missing = tmp_path / "no-such-bundle"
    _assert_refused_cleanly(run(app, "load-consultation", str(missing)), "no-such-bundle")


def test_load_consultation_refuses_a_bad_bundle_with_its_message(app, tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(SMALL_BUNDLE, bundle)
    one = bundle / "sections" / "01-one.yaml"
    data = yaml.safe_load(one.read_text(encoding="utf-8"))
    data["questions"][0]["type"] = "essay"
    one.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    _assert_refused_cleanly(run(app, "load-consultation", str(bundle)), "01-one.yaml", "essay")


def test_load_consultation_refuses_a_window_that_closes_before_it_opens(app):
    result = run(
        app,
        "load-consultation",
        str(SMALL_BUNDLE),
        "--opens",
        "2031-04-15",
        "--closes",
        "2031-03-01",
    )
    _assert_refused_cleanly(result, "close")


# ---------------------------------------------------------------- the installed command


def _consult_script() -> str:
    beside_python = shutil.which("consult", path=str(Path(sys.executable).parent))
    script = beside_python or shutil.which("consult")
    if script is None:
        pytest.skip("the `consult` console script is not installed (pip install -e .)")
    return script


def _environment(instance: Path, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONSULT_", "FLASK_"))}
    env["CONSULT_INSTANCE_PATH"] = str(instance)
    env["CONSULT_DATABASE_URL"] = f"sqlite:///{database}"
    return env


def _consultations(database: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT c.slug, (SELECT count(*) FROM section s WHERE s.consultation_id = c.id)"
            " FROM consultation c"
        ).fetchall()


def test_installed_consult_command_lists_its_commands_and_initialises_a_database(tmp_path):
    consult = _consult_script()
    database = tmp_path / "consult.db"
    # --help and the first init are independent: run them side by side to save time.
    with subprocess.Popen(
        [consult, "--help"],
        env=_environment(tmp_path / "help-instance", tmp_path / "help.db"),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as helping:
        first = subprocess.run(
            [consult, "init"],
            env=_environment(tmp_path / "instance", database),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        help_out, help_err = helping.communicate(timeout=120)

    assert helping.returncode == 0, help_err
    listed = re.findall(r"^  (\S+)", help_out.split("Commands:", 1)[-1], re.MULTILINE)
    assert {"init", "load-consultation", "serve", "db", "routes"} <= set(listed), help_out

    assert first.returncode == 0, first.stderr
    assert database.is_file()
    loaded = _consultations(database)
    assert [slug for slug, _ in loaded] == ["enia-2021"] and loaded[0][1] > 0

    second = subprocess.run(
        [consult, "init"],
        env=_environment(tmp_path / "instance", database),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    assert "nothing" in second.stdout.lower()
    assert _consultations(database) == loaded
