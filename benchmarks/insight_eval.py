"""The insight analyses measured against what is known: campaigns, themes, opinion groups.

Runs each evaluation in ``benchmarks/insight/`` in a fresh Python process (so that each
one's peak memory is its own, not the sum of those before it), prints its figures as it
goes, then a summary of every target; exits non-zero if one is missed.

    python benchmarks/insight_eval.py                 # everything (about ten minutes)
    python benchmarks/insight_eval.py copies themes   # some of them

* ``copies``: 20 campaigns of 5–500 copies planted among distinct comments (precision,
  recall, distinct comments wrongly merged) and 100,000 comments timed;
* ``themes``: a labelled corpus of Spanish comments on ten topics (adjusted Rand index,
  topics recovered as one suggestion) and 100,000 comments timed;
* ``groups``: planted opinion groups in synthetic answers (adjusted Rand index) and
  1,000,000 respondents timed;
* ``representation``: planted gaps in census-shaped respondents found, and timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent / "insight"
PARTS = ("copies", "themes", "groups", "representation")
_MARK = "INSIGHT-EVAL-FIGURES "

_CHILD = f"""
import json, sys
sys.path.insert(0, {str(HERE)!r})
sys.path.insert(0, {str(HERE.parent.parent)!r})
module = __import__(sys.argv[1])
print({_MARK!r} + json.dumps(module.main(), default=str), flush=True)
"""


def evaluate(part: str) -> dict:
    """Run one evaluation in its own process; its figures (the printed lines pass through)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _CHILD, part], stdout=subprocess.PIPE, text=True
    )
    figures: dict = {}
    for line in process.stdout:
        if line.startswith(_MARK):
            figures = json.loads(line[len(_MARK) :])
        else:
            print(line, end="", flush=True)
    if process.wait() != 0 or not figures:
        return {"failed": True}
    figures["wall_seconds"] = round(time.perf_counter() - started, 1)
    return figures


def targets(figures: dict, prefix: str = "") -> dict[str, bool]:
    """Every ``*_met`` flag, however deep the figures nest it."""
    found = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            found.update(targets(value, f"{prefix}{key}."))
        elif key.endswith("_met") and isinstance(value, bool):
            found[prefix + key] = value
    return found


def main(argv: list[str]) -> int:
    chosen = [p for p in PARTS if p in argv] or list(PARTS)
    unknown = set(argv) - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown part(s) {', '.join(sorted(unknown))}; choose among {PARTS}")
    summary: dict[str, dict[str, bool]] = {}
    for part in chosen:
        print(f"== {part} ==", flush=True)
        figures = evaluate(part)
        summary[part] = {"ran": False} if figures.get("failed") else targets(figures)
    print("\n== targets ==")
    missed = 0
    for part, flags in summary.items():
        for name, met in flags.items():
            missed += not met
            print(f"  {part}: {name.removesuffix('_met')}: {'met' if met else 'NOT MET'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
