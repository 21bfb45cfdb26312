"""Where the browser suite's tools live, and what is missing to run it.

Debian's Chromium (never Playwright's own download), Playwright for Python, and from
``npm ci``: axe-core (accessibility rules run inside each page) and vnu-jar (the Nu HTML
Checker, run with Java).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CONSULT_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "screenshots" / "browser"

#: The issue's flags: headless, and nothing that would reach out to the network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Set by .ci/run: a missing tool then fails the suite instead of skipping it.
REQUIRED = os.environ.get("CONSULT_BROWSER_TESTS") == "1"


def missing() -> list[str]:
    """What is not installed, each with how to install it; empty when all is there."""
    gaps = []
    if not CHROMIUM.is_file():
        gaps.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        gaps.append("Playwright for Python (pip install '.[test]')")
    if not AXE.is_file() or not VNU.is_file():
        gaps.append("axe-core and vnu-jar (npm ci)")
    if shutil.which("java") is None:
        gaps.append("Java for the HTML checker (apt-get install default-jre-headless)")
    return gaps
