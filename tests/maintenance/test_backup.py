"""`consult backup` and `consult restore`: a copy taken while people respond holds every
acknowledged response, and comes back into a fresh instance whole."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from consult.extensions import db
from consult.maintenance.backup import postgresql_instructions
from tests.conftest import PROFILE_ACADEMIA, make_app, post_form


def on_sqlite(app: Flask) -> bool:
    return db.engine.dialect.name == "sqlite"


@pytest.fixture
def sqlite_only(app: Flask) -> None:
    if not on_sqlite(app):
        pytest.skip("SQLite's online backup; PostgreSQL users are told about pg_dump")


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


class Respondents(threading.Thread):
    """People completing responses through the app, one after another, until stopped.

    ``acknowledged`` lists the emails of responses whose submission the server confirmed
    (the redirect to the receipt), in order, with the moment the confirmation arrived.
    """

    def __init__(self, app: Flask) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.acknowledged: list[tuple[float, str]] = []
        self.failures: list[str] = []
        self.stop = threading.Event()

    def respond(self, n: int) -> None:
        client = self.app.test_client()
        email = f"writer-{n}@example.org"
        started = post_form(client, "/c/enia-2021/profile", {**PROFILE_ACADEMIA, "email": email})
        saved = post_form(client, "/c/enia-2021/s/5-3", {"q_q_5_3_agree": str(1 + n % 5)})
        submitted = post_form(client, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
        codes = (started.status_code, saved.status_code, submitted.status_code)
        if codes == (302, 302, 302) and "/receipt" in submitted.headers["Location"]:
            self.acknowledged.append((time.monotonic(), email))
        else:
            self.failures.append(f"{email}: {codes}")

    def run(self) -> None:
        n = 0
        while not self.stop.is_set() and n < 500:
            self.respond(n)
            n += 1

    def acknowledged_before(self, moment: float) -> set[str]:
        return {email for at, email in self.acknowledged if at < moment}


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_backup_during_writes_restores_every_acknowledged_response(
    app, enia, sqlite_only, tmp_path
):
    writers = Respondents(app)
    writers.start()
    try:
        wait_for(lambda: len(writers.acknowledged) >= 5)
        started = time.monotonic()
        made = run(app, "backup", str(tmp_path / "copy.db"))
        count_at_end = len(writers.acknowledged)
        wait_for(lambda: len(writers.acknowledged) >= count_at_end + 3)  # writes went on
    finally:
        writers.stop.set()
        writers.join(timeout=60)
    assert made.exit_code == 0, made.output
    assert "passes SQLite's integrity check" in made.output
    assert writers.failures == []
    expected = writers.acknowledged_before(started)

    fresh = make_app(f"sqlite:///{tmp_path / 'fresh' / 'consult.db'}", tmp_path / "fresh")
    with fresh.app_context():
        restored = run(fresh, "restore", str(tmp_path / "copy.db"))
        assert restored.exit_code == 0, restored.output
        with closing(sqlite3.connect(tmp_path / "fresh" / "consult.db")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = db.session.execute(
            sa.text(
                "SELECT r.email, r.status, count(a.id) FROM response r"
                " LEFT JOIN answer a ON a.response_id = r.id GROUP BY r.id"
            )
        ).all()
        db.engine.dispose()
    submitted = {email for email, status, _answers in rows if status == "submitted"}
    assert expected and expected <= submitted
    # A copy of one moment: nothing half-written, every submitted response has its answer.
    assert all(answers == 1 for _email, status, answers in rows if status == "submitted")


def test_restore_refuses_to_replace_a_database_without_yes(app, enia, sqlite_only, tmp_path):
    assert run(app, "backup", str(tmp_path / "copy.db")).exit_code == 0
    post_form(app.test_client(), "/c/enia-2021/profile", PROFILE_ACADEMIA)
    before = db.session.scalar(sa.text("SELECT count(*) FROM response"))
    assert before == 1

    refused = run(app, "restore", str(tmp_path / "copy.db"))
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert db.session.scalar(sa.text("SELECT count(*) FROM response")) == 1

    replaced = run(app, "restore", str(tmp_path / "copy.db"), "--yes")
    assert replaced.exit_code == 0, replaced.output
    assert db.session.scalar(sa.text("SELECT count(*) FROM response")) == 0
    kept = Path(re.search(r"kept as (\S+)\.\n", replaced.output).group(1))
    with closing(sqlite3.connect(kept)) as conn:
        assert conn.execute("SELECT count(*) FROM response").fetchone() == (1,)
    kept.unlink()


def test_backup_never_overwrites_a_file(app, enia, sqlite_only, tmp_path):
    target = tmp_path / "taken.db"
    target.write_text("an older backup")
    result = run(app, "backup", str(target))
    assert result.exit_code != 0 and "exists already" in result.output
    assert target.read_text() == "an older backup"


def test_restore_checks_the_file_before_touching_anything(app, enia, sqlite_only, tmp_path):
    copy = tmp_path / "copy.db"
    assert run(app, "backup", str(copy)).exit_code == 0

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    old = tmp_path / "old.db"
    shutil.copy(copy, old)
    with closing(sqlite3.connect(old)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = 'c4be1a3baaf4'")
    corrupt = tmp_path / "corrupt.db"
    data = bytearray(copy.read_bytes())
    data[4096 * 3 : 4096 * 3 + 512] = b"\xff" * 512  # clobber an interior page
    corrupt.write_bytes(bytes(data))

    cases = {
        garbage: "not a readable SQLite database",
        other: "not a consult database",
        old: "expects",
        corrupt: "",
        tmp_path / "missing.db": "no such file",
    }
    for path, reason in cases.items():
        result = run(app, "restore", str(path), "--yes")
        assert result.exit_code != 0, path
        assert reason in result.output, result.output
    assert db.session.scalar(sa.text("SELECT count(*) FROM consultation")) == 1
    assert not list(Path(db.engine.url.database).parent.glob("*.before-restore-*"))


def test_postgresql_users_are_told_how_to_use_its_tools(app, enia):
    url = sa.make_url("postgresql+psycopg://consult:s3cret@db.internal:5432/consult")
    text = postgresql_instructions(url, "/backups/consult.dump", restoring=False)
    assert "pg_dump --format=custom --file=/backups/consult.dump" in text
    assert "'postgresql://consult@db.internal:5432/consult'" in text
    assert "pg_restore" in text and "s3cret" not in text
    if not on_sqlite(app):  # the suite runs on PostgreSQL: the commands refuse and explain
        for command in ("backup", "restore"):
            result = run(app, command, str(Path("/tmp/never-written.dump")))
            assert result.exit_code != 0 and "pg_dump" in result.output
        assert not Path("/tmp/never-written.dump").exists()
