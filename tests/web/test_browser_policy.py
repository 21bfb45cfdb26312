"""A real browser loads the pages under the policy and reports no violation.

Headless Chromium is used where it is installed (``apt-get install chromium``); elsewhere
this test is skipped and the header tests still check the policy and the markup.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.public.test_results import many_responses, publish

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed"),
    # `chromium --dump-dom` exits as soon as the page has loaded, dropping connections
    # that still carry a static file (the icon); werkzeug's development server then leaves
    # that file to the garbage collector. The app's own replies are not at fault.
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <_io.FileIO name='[^']*/static/"
        r":pytest.PytestUnraisableExceptionWarning"
    ),
]


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on a free local port, for the browser."""
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def browser_console(url: str, tmp_path) -> tuple[str, str]:
    """The page's DOM after load, and what the browser logged about it."""
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    return done.stdout, done.stderr


def test_the_browser_applies_the_policy_without_violations(served, enia, tmp_path):
    many_responses(enia)
    publish(enia)
    for path in ("/c/enia-2021/", "/c/enia-2021/s/5-3", "/c/enia-2021/results", "/nowhere"):
        dom, log = browser_console(served + path + "?lang=en", tmp_path)
        assert "</html>" in dom, log[-2000:]
        assert "Content Security Policy" not in log, log
        if path.endswith("results"):
            assert re.search(r'<img alt="" src="[^"]*svg', dom)  # the charts, as images
