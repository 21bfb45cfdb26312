"""Rate limits on every write and on sign-in (Flask-Limiter), counted per client address.

The limits are read from the config at each request (``RATELIMIT_WRITE``,
``RATELIMIT_START_RESPONSE``, ``RATELIMIT_SIGN_IN``, ``RATELIMIT_API``), so a deployment or
a test changes them without code. A refusal raises a 429, which ``errors.py`` renders as
the bilingual page; the limiter adds ``Retry-After``.

Where the counts live (``RATELIMIT_STORAGE_URL``): by default in a SQLite file of the
instance folder (``SQLiteStorage``), which every worker process of ``consult serve`` shares,
so a limit holds for the whole server and no other service is needed; ``redis://…`` when
several machines serve the site; ``memory://`` counts in each process alone. If the
storage fails, each process falls back to counting in memory rather than refusing everyone.
"""

from __future__ import annotations

import ipaddress
import os
import sqlite3
import threading
import time
from pathlib import Path

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits.storage import Storage
from werkzeug.middleware.proxy_fix import ProxyFix

#: Methods that change something; reading is never limited.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_address() -> str:
    """Where the request came from; an IPv6 address counts by its /64 network.

    One IPv6 host usually owns a whole /64, so counting single addresses would let it
    rotate through millions of them.
    """
    raw = request.remote_addr or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _configured(name: str):
    return lambda: current_app.config[name]


def _not_a_write() -> bool:
    return request.method not in WRITE_METHODS


limiter = Limiter(
    key_func=client_address,
    application_limits=[_configured("RATELIMIT_WRITE")],
    application_limits_exempt_when=_not_a_write,
    headers_enabled=True,
    key_prefix="consult",
    # A broken Redis must not stop responses from being saved: count in memory instead.
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)

#: Stricter limit on posting the sign-in form.
sign_in_limit = limiter.limit(_configured("RATELIMIT_SIGN_IN"), methods=["POST"])
#: Stricter limit on the profile step, which starts a response.
start_response_limit = limiter.limit(_configured("RATELIMIT_START_RESPONSE"), methods=["POST"])
#: Every request to the public JSON API, reads included, all its endpoints counted together
#: (``api_limit(bp)`` on its blueprint).
api_limit = limiter.shared_limit(_configured("RATELIMIT_API"), scope="api")


@limiter.request_filter
def _switched_off() -> bool:
    """Honour each app's own switch (the limiter object is shared by every app in a process)."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def init_app(app: Flask) -> None:
    """Trust the configured proxies, point the limiter at its storage and bind it."""
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.config["RATELIMIT_ENABLED"] = _as_bool(app.config.get("RATELIMIT_ENABLED", True))
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("RATELIMIT_STORAGE_URL") or (
        f"{SQLiteStorage.STORAGE_SCHEME[0]}://{Path(app.instance_path) / 'ratelimits.db'}"
    )
    limiter.init_app(app)


def _as_bool(value: object) -> bool:
    """``CONSULT_RATELIMIT_ENABLED=false`` arrives parsed; "off"/"no"/"0" as text are false too."""
    if isinstance(value, str):
        return value.strip().lower() not in {"", "0", "false", "no", "off"}
    return bool(value)


class SQLiteStorage(Storage):
    """Rate-limit counts in a SQLite file, shared by every process that opens it.

    The ``limits`` library finds a storage by the scheme of its URL
    (``consult+sqlite:///path/to/ratelimits.db``): subclassing ``Storage`` with
    ``STORAGE_SCHEME`` registers it. It serves the fixed-window strategy, Flask-Limiter's
    default: one row per key with its count and when its window ends; one UPSERT counts a
    hit and starts a new window once the old one is over. Counts are not worth an fsync
    (a crash forgets the last ones), so writes are not synced. Each thread of each process
    opens its own connection (SQLite connections must not cross a fork).
    """

    STORAGE_SCHEME = ["consult+sqlite"]
    #: Expired windows are deleted once every this many hits of a process.
    PURGE_EVERY = 1000

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        self.path = uri.split("://", 1)[1]
        self._local = threading.local()
        self._hits = 0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS ratelimit (key TEXT PRIMARY KEY,"
                " hits INTEGER NOT NULL, window_end REAL NOT NULL) WITHOUT ROWID"
            )
            local.db, local.pid = db, os.getpid()
        return local.db

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        (hits,) = (
            self._db()
            .execute(
                "INSERT INTO ratelimit (key, hits, window_end) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET"
                " hits = CASE WHEN window_end <= ? THEN excluded.hits"
                " ELSE hits + excluded.hits END,"
                " window_end = CASE WHEN window_end <= ? THEN excluded.window_end"
                " ELSE window_end END"
                " RETURNING hits",
                (key, amount, now + expiry, now, now),
            )
            .fetchall()[0]
        )
        self._hits += 1
        if self._hits % self.PURGE_EVERY == 0:
            self._db().execute("DELETE FROM ratelimit WHERE window_end <= ?", (now,))
        return hits

    def _current(self, key: str) -> tuple[int, float] | None:
        rows = (
            self._db()
            .execute(
                "SELECT hits, window_end FROM ratelimit WHERE key = ? AND window_end > ?",
                (key, time.time()),
            )
            .fetchall()
        )
        return rows[0] if rows else None

    def get(self, key: str) -> int:
        current = self._current(key)
        return current[0] if current else 0

    def get_expiry(self, key: str) -> float:
        current = self._current(key)
        return current[1] if current else time.time()

    def check(self) -> bool:
        return self._db().execute("SELECT 1").fetchall() == [(1,)]

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM ratelimit").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM ratelimit WHERE key = ?", (key,))
