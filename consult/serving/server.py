"""``consult serve``: gunicorn on the app object, with consult's worker, logger and trust.

The command line builds the app once (after ``consult init``'s work), so gunicorn is run
on that object rather than on an import path. The options:

- ``worker_class``: ``worker.BufferingWorker`` (requests read whole on an event loop, the
  app on ``--threads`` threads);
- ``logger_class``: ``logs.Logger`` (the access log hides private links' tokens);
- ``forwarded_allow_ips`` empty and no ``secure_scheme_headers``: gunicorn believes no
  ``X-Forwarded-*`` header from anyone, not even 127.0.0.1 (its default). The app's
  ``PROXY_COUNT`` alone says how many proxies to believe (``web/limits.py``), so a local
  client cannot switch HSTS and ``Secure`` cookies on.
"""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication

from .logs import quiet_development_log


class Gunicorn(BaseApplication):
    """gunicorn's master on an app object built here, with the given options."""

    def __init__(self, app: Flask, options: dict) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def options(*, host: str, port: int, workers: int, threads: int, access_log: bool) -> dict:
    """gunicorn's settings for ``consult serve``."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "consult.serving.worker.BufferingWorker",
        "logger_class": "consult.serving.logs.Logger",
        "accesslog": "-" if access_log else None,
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
    }


def serve(app: Flask, **settings) -> None:
    """Run gunicorn until it is stopped (``settings``: see ``options``)."""
    Gunicorn(app, options(**settings)).run()


def serve_development(app: Flask, *, host: str, port: int) -> None:
    """Flask's development server with its debugger: never in production."""
    quiet_development_log()
    app.run(host=host, port=port, debug=True, use_reloader=False)
