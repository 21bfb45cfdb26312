"""Consistent copies of the database while the app serves, and bringing one back.

SQLite is copied with its online backup API in a single step: one read transaction, so
the copy is the database as it stood at one moment, every response committed before that
moment included; in WAL mode the people responding meanwhile are not held up. A restore
checks the copy first (a consult database, at the schema the code expects, passing
SQLite's integrity and foreign-key checks), keeps the current database aside, then writes
the copy in with the same API, so other connections see the old or the new database,
never a mixture. PostgreSQL has its own tools for both; we explain them instead.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.engine import URL

from ..extensions import db

#: Tables whose presence says a file is a consult database.
_REQUIRED_TABLES = {"alembic_version", "consultation", "response", "answer", "comment"}
#: How long to wait for writers to let go before giving up (seconds).
_LOCK_TIMEOUT = 30.0


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    """What a database file holds, as checked before it is trusted."""

    path: Path
    revision: str
    consultations: int
    responses: int
    size: int


def _url() -> URL:
    return db.engine.url


def sqlite_file() -> Path | None:
    """The live SQLite database file, or None when the database is not a SQLite file."""
    url = _url()
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve()


def postgresql_instructions(url: URL, path: str, *, restoring: bool) -> str:
    """How to do the same with PostgreSQL's own tools, which also copy a consistent snapshot."""
    plain = URL.create(
        url.get_backend_name(), url.username, None, url.host, url.port, url.database, url.query
    ).render_as_string()
    lines = [
        f"The database is {url.get_backend_name()}, not a SQLite file: "
        "use PostgreSQL's own tools, which copy one consistent snapshot while the app serves.",
        "",
        "Back up:",
        f"  pg_dump --format=custom --file={path} '{plain}'",
        "",
        "Restore (stop consult first; this replaces what the database holds):",
        "  pg_restore --clean --if-exists --no-owner --single-transaction"
        f" --dbname='{plain}' {path}",
        "",
        "Give the password with PGPASSWORD or ~/.pgpass, not on the command line.",
    ]
    if restoring:
        lines.append("A dump made with pg_dump is restored only with pg_restore.")
    return "\n".join(lines)


def head_revision() -> str:
    """The migration the code expects the database to be at."""
    directory = current_app.extensions["migrate"].directory
    heads = ScriptDirectory(directory).get_heads()
    if len(heads) != 1:
        raise BackupError(f"the migrations have {len(heads)} heads; expected one")
    return heads[0]


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=_LOCK_TIMEOUT, isolation_level=None)


def inspect_file(path: Path) -> Snapshot:
    """Check that ``path`` is a sound consult database at the current schema."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with closing(_connect(path)) as conn:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            missing = _REQUIRED_TABLES - tables
            if missing:
                raise BackupError(
                    f"{path}: not a consult database (no {', '.join(sorted(missing))} table)"
                )
            if integrity != ["ok"]:
                raise BackupError(f"{path}: fails SQLite's integrity check: {integrity[:5]}")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise BackupError(f"{path}: {len(broken)} rows point at rows that do not exist")
            revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
            consultations = conn.execute("SELECT count(*) FROM consultation").fetchone()[0]
            responses = conn.execute("SELECT count(*) FROM response").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a readable SQLite database ({exc})") from exc
    head = head_revision()
    if revisions != [head]:
        raise BackupError(
            f"{path}: its schema is at migration {', '.join(revisions) or 'none'}, this version"
            f" of consult expects {head}. Restore it with the consult version that made it,"
            " then run `consult db upgrade`."
        )
    return Snapshot(path, head, consultations, responses, path.stat().st_size)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy every page in one step: one read transaction, one consistent moment."""
    source.backup(target, pages=-1)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_copy(source: Path, target: Path) -> None:
    """Copy the database at ``source`` into a new single file at ``target``, atomically."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        with closing(_connect(source)) as src, closing(_connect(partial)) as out:
            _copy(src, out)
            out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _fsync(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def backup(path: str | Path) -> Snapshot:
    """Write a consistent copy of the live SQLite database to a new file at ``path``."""
    live = sqlite_file()
    if live is None:
        raise BackupError(postgresql_instructions(_url(), str(path), restoring=False))
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    if not live.exists():
        raise BackupError(f"{live}: there is no database yet (run `consult init`)")
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_copy(live, target)
    return inspect_file(target)


@dataclass(frozen=True)
class Restored:
    snapshot: Snapshot
    #: Where the database that was replaced was kept, if there was one.
    previous: Path | None


def _holds_tables(path: Path) -> bool:
    with closing(_connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def restore(path: str | Path, *, overwrite: bool = False) -> Restored:
    """Replace the live SQLite database with the checked copy at ``path``.

    An existing database is replaced only with ``overwrite``, and is first copied beside
    itself (``consult.db.before-restore-<UTC time>``).
    """
    live = sqlite_file()
    if live is None:
        raise BackupError(postgresql_instructions(_url(), str(path), restoring=True))
    source = Path(path).resolve()
    if source == live:
        raise BackupError(f"{source} is the live database itself")
    inspect_file(source)
    db.engine.dispose()  # this process holds no connection while the file changes
    previous = None
    if live.exists() and _holds_tables(live):
        if not overwrite:
            raise BackupError(
                f"{live} already holds a database; pass --yes to replace it"
                " (it is kept beside itself first)"
            )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        previous = live.with_name(f"{live.name}.before-restore-{stamp}")
        _write_copy(live, previous)
    if live.exists():
        with closing(_connect(source)) as src, closing(_connect(live)) as out:
            _copy(src, out)
    else:
        live.parent.mkdir(parents=True, exist_ok=True)
        _write_copy(source, live)
    return Restored(inspect_file(live), previous)
