"""The bare stack consult is measured against: Flask and the database, nothing of consult.

``http_bench.py`` compares consult with this app request for request. It has two routes:

- ``GET /page/<name>`` returns a fixed body (the bytes consult served for the same page,
  gzipped if they were), so the only work left is Flask's own: routing, the request and
  response objects;
- ``POST /write`` reads the submitted form and inserts one row into a SQLite database in
  WAL mode (the pragmas consult sets on its own connections), then redirects, as a
  browser-facing write does.

Each thread keeps one connection open, as a connection pool would. Run it under
gunicorn with ``REFERENCE_PAGES`` (a folder of ``<name>.html`` files) and
``REFERENCE_DATABASE`` (a SQLite file) set::

    gunicorn 'reference_app:from_environment()'
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from flask import Flask, Response, abort, redirect, request

GZIP_MAGIC = b"\x1f\x8b"
SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""


def connect(database: str) -> sqlite3.Connection:
    """A connection tuned as consult tunes its own (WAL, NORMAL sync, busy timeout)."""
    connection = sqlite3.connect(database, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA busy_timeout=5000")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def create_reference_app(pages: dict[str, bytes], database: str) -> Flask:
    """Serve ``pages`` by name and write rows into ``database`` (created if needed)."""
    with connect(database) as connection:
        connection.execute(SCHEMA)
    local = threading.local()
    app = Flask(__name__)

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "connection"):
            local.connection = connect(database)
        return local.connection

    @app.get("/page/<name>")
    def page(name: str):
        body = pages.get(name)
        if body is None:
            abort(404)
        response = Response(body, mimetype="text/html")
        if body[:2] == GZIP_MAGIC:  # consult sent the page gzipped: so does the reference
            response.headers["Content-Encoding"] = "gzip"
        return response

    @app.post("/write")
    def write():
        form = request.form
        name = form.get("name", "")
        body = "\n".join(f"{key}={value}" for key, value in form.items(multi=True))
        db = connection()
        with db:  # one transaction, committed
            db.execute("INSERT INTO entry (name, body) VALUES (?, ?)", (name, body))
        return redirect("/page/done", code=302)

    return app


def from_environment() -> Flask:
    """The app gunicorn loads: pages and database named by environment variables."""
    folder = Path(os.environ["REFERENCE_PAGES"])
    pages = {path.stem: path.read_bytes() for path in folder.glob("*.html")}
    return create_reference_app(pages, os.environ["REFERENCE_DATABASE"])
