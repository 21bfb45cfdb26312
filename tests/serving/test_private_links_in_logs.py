"""No log of ``consult serve`` shows a private link's token.

The private link (``/c/<slug>/r/<token>``) opens, changes and withdraws a response; the
access log recorded it whole. Now the access log (request line and referrer) and the
app's error lines show ``/c/<slug>/r/***``, also for a path written with escapes.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path


@contextmanager
def table_away(database: Path, table: str) -> Iterator[None]:
    """The table renamed for the block, so a view reading it fails (a 500 to log)."""
    with closing(sqlite3.connect(database, timeout=10)) as db:
        db.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
        db.commit()
    try:
        yield
    finally:
        with closing(sqlite3.connect(database, timeout=10)) as db:
            db.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
            db.commit()


def test_tokens_are_hidden_in_the_access_log_and_the_error_log(server):
    token = "Tk" + secrets.token_urlsafe(24)
    link = f"/c/enia-2021/r/{token}"
    assert server.request("GET", link).status == 404
    referred = {"Referer": f"http://127.0.0.1:{server.port}{link}"}
    assert server.request("GET", f"{link}/withdraw", headers=referred).status == 404
    assert server.request("GET", f"/c/enia-2021/%72/{token}").status == 404
    with table_away(server.instance / "consult.db", "response"):
        assert server.request("GET", link).status == 500

    log = server.log_once('"GET /c/enia-2021/r/*** HTTP/1.1" 500')
    assert token not in log
    assert log.count('"GET /c/enia-2021/r/*** HTTP/1.1" 404') == 2
    assert '"GET /c/enia-2021/r/***/withdraw HTTP/1.1" 404' in log
    assert f'"http://127.0.0.1:{server.port}/c/enia-2021/r/***"' in log
    assert "Unhandled error on GET /c/enia-2021/r/*** [request " in log
