"""``consult serve --debug``: Flask's development server logs requests, tokens hidden too."""

from __future__ import annotations

import logging

from consult.serving.logs import quiet_development_log


def test_the_development_server_log_hides_tokens(caplog):
    quiet_development_log()
    quiet_development_log()  # once is enough, however often it is called
    werkzeug = logging.getLogger("werkzeug")
    assert len(werkzeug.filters) == len(set(map(type, werkzeug.filters)))
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        # How werkzeug's request handler logs a request line.
        werkzeug.info('127.0.0.1 - - [now] "%s" %s %s', "GET /c/x/r/S3cret HTTP/1.1", 200, "-")
    assert "S3cret" not in caplog.text
    assert '"GET /c/x/r/*** HTTP/1.1" 200 -' in caplog.text
