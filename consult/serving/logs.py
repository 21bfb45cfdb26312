"""Logs of ``consult serve`` that never show a private link's token.

gunicorn's access log writes the request line, the referrer (a page opened from the private
link sends it as ``Referer``) and whatever the format names of the request's environment and
headers. ``Logger`` is gunicorn's logger with every such text passed through
``hide_tokens`` first, so the line keeps gunicorn's format and its ``--access-log`` switch.
``quiet_development_log`` does the same for Flask's development server (``--debug``).
"""

from __future__ import annotations

import logging

from gunicorn import glogging

from ..web.private_paths import hide_tokens


class Logger(glogging.Logger):
    """gunicorn's logger; private links in the access log's fields show ``***``."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str):
                atoms[key] = hide_tokens(value)
        return atoms


class _HideTokens(logging.Filter):
    """Werkzeug's request lines arrive as arguments of the record: hide their tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                hide_tokens(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def quiet_development_log() -> None:
    """Hide tokens in the development server's request log (once per process)."""
    log = logging.getLogger("werkzeug")
    if not any(isinstance(f, _HideTokens) for f in log.filters):
        log.addFilter(_HideTokens())
