"""``consult serve``: gunicorn sized to the machine, overridable by flags and environment.

What the server then does with slow clients, limits, logs and forwarded headers is tested
against real ``consult serve`` processes in ``tests/serving/``.
"""

from __future__ import annotations

import os

import pytest
from flask import Flask

from consult import cli
from consult.serving import server


@pytest.fixture
def started(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """What each ``consult serve`` handed gunicorn (which is not really started)."""
    seen: list[dict] = []
    monkeypatch.setattr(cli, "initialise", lambda: None)
    monkeypatch.setattr(server.Gunicorn, "run", lambda self: seen.append(dict(self.options)))
    for name in ("CONSULT_WORKERS", "CONSULT_THREADS", "CONSULT_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    return seen


def serve(app: Flask, *args: str, env: dict[str, str] | None = None):
    result = app.test_cli_runner().invoke(args=["serve", *args], env=env)
    assert result.exit_code == 0, result.output
    return result


def test_by_default_one_worker_per_core_with_threads_and_an_access_log(app, started):
    serve(app)
    options = started[-1]
    assert options["workers"] == (os.cpu_count() or 1)
    assert options["threads"] == 4
    assert options["worker_class"] == "consult.serving.worker.BufferingWorker"
    assert options["logger_class"] == "consult.serving.logs.Logger"
    assert options["accesslog"] == "-"
    assert options["bind"] == "127.0.0.1:5000"


def test_gunicorn_itself_believes_no_forwarded_header(app, started):
    """Only the app's PROXY_COUNT decides (tests/serving/test_forwarded.py)."""
    serve(app)
    assert started[-1]["forwarded_allow_ips"] == ""
    assert started[-1]["secure_scheme_headers"] == {}


def test_flags_win_over_the_environment_which_wins_over_the_defaults(app, started):
    env = {"CONSULT_WORKERS": "3", "CONSULT_THREADS": "8", "CONSULT_ACCESS_LOG": "false"}
    serve(app, env=env)
    assert (started[-1]["workers"], started[-1]["threads"]) == (3, 8)
    assert started[-1]["accesslog"] is None
    serve(app, "--workers", "5", "--threads", "2", "--access-log", "--port", "8080", env=env)
    assert (started[-1]["workers"], started[-1]["threads"]) == (5, 2)
    assert started[-1]["accesslog"] == "-" and started[-1]["bind"] == "127.0.0.1:8080"


def test_nonsense_sizes_are_refused(app, started):
    result = app.test_cli_runner().invoke(args=["serve", "--workers", "0"])
    assert result.exit_code != 0 and "0" in result.output
    assert started == []


def test_debug_runs_the_development_server_not_gunicorn(app, started, monkeypatch):
    ran: list[dict] = []
    monkeypatch.setattr(Flask, "run", lambda self, **kwargs: ran.append(kwargs))
    serve(app, "--debug", "--port", "5001")
    assert started == []
    assert ran == [{"host": "127.0.0.1", "port": 5001, "debug": True, "use_reloader": False}]
