"""Commands on a database without consult's tables set it up; on an older one, they say so."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade

from consult import create_app
from consult.extensions import db
from consult.models import Consultation


def fresh_app(tmp_path: Path, name: str = "fresh.db"):
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / name}",
            "SECRET_KEY": "schema-test",
        }
    )


def test_load_consultation_on_a_new_instance_sets_the_database_up_first(tmp_path):
    app = fresh_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["load-consultation", "enia-2021"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "creating its tables first" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Consultation.slug)) == "enia-2021"
        db.engine.dispose()


def test_create_user_on_a_new_instance_works_too(tmp_path):
    app = fresh_app(tmp_path)
    args = ["create-user", "ana@example.org", "--role", "admin", "--generate-password"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()


def test_an_older_database_is_named_in_one_line_and_left_alone(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.app_context():
        downgrade(revision="-1")
        before = sa.inspect(db.engine).get_table_names()
    result = runner.invoke(args=["load-consultation", "enia-2021"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        "Error: The database is older than this version of consult: run `consult init` to"
        " upgrade it, then try again."
    ]
    with app.app_context():
        assert sa.inspect(db.engine).get_table_names() == before
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 1
        db.engine.dispose()
