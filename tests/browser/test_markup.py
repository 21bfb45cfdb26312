"""Every page the journeys showed is valid HTML, by the Nu HTML Checker (vnu-jar).

The checker runs once over all the pages (Java starts slowly); this module sorts after
``test_journeys.py``, so pytest runs it last.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from .tools import VNU


def test_every_page_visited_is_valid_html(recorder):
    files = [str(page.html) for page in recorder.pages]
    if not files:
        pytest.skip("no page was visited: run it with test_journeys.py")
    run = subprocess.run(
        ["java", "-Xss1m", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(run.stderr)["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors == [], f"{len(errors)} HTML errors in {len(files)} pages:\n" + "\n".join(errors)
