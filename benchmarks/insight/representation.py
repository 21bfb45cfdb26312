"""Who is missing: are planted gaps found, and how fast is the page at scale?

* quality: 1,000,000 respondents drawn from Peru's 2017 census by region, except three
  regions left out, three at 0.3 of their share and Tacna at 3 times its share
  (the others take up the rest); ``insight.representation.compare`` must list exactly the
  three absent as missing, the three thinned as under-represented, Tacna as
  over-represented and every other region as roughly in proportion;
* speed: the bundled draft filled with N synthetic submitted responses (report_scale's
  fill, SQLite in a temporary folder; the fill is timed apart), then what the console's
  page and dashboard compute (``reports.representation.representation``: one GROUP BY
  per field and the comparison) and the dashboard's box alone (region only).

    python benchmarks/insight/representation.py [--responses 200000] [--database URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from consult.insight.representation import (  # noqa: E402
    IN_PROPORTION,
    OVER_REPRESENTED,
    UNDER_REPRESENTED,
    compare,
    peru_tables,
)

ABSENT = ("madre_de_dios", "moquegua", "pasco")
THINNED = ("puno", "cajamarca", "loreto")
FAVOURED = "tacna"


def quality(respondents: int = 1_000_000, seed: int = 15) -> dict:
    """Plant gaps in a census-shaped sample; check the comparison finds exactly them."""
    table = peru_tables()["region"]
    codes = list(table.population)
    weights = np.array([table.population[c] for c in codes], dtype=float)
    weights /= weights.sum()
    planted = weights.copy()
    for i, code in enumerate(codes):
        if code in ABSENT:
            planted[i] = 0
        elif code in THINNED:
            planted[i] *= 0.3
        elif code == FAVOURED:
            planted[i] *= 3
    others = [i for i, c in enumerate(codes) if c not in (*ABSENT, *THINNED, FAVOURED)]
    planted_share = planted.sum() - planted[others].sum()
    planted[others] *= (1 - planted_share) / planted[others].sum()  # the others take the rest
    rng = np.random.default_rng(seed)
    drawn = rng.choice(len(codes), size=respondents, p=planted / planted.sum())
    counts = dict(zip(codes, np.bincount(drawn, minlength=len(codes)).tolist(), strict=True))
    started = time.perf_counter()
    comparison = compare("region", counts, table)
    seconds = time.perf_counter() - started
    said = dict(zip(comparison.table["code"], comparison.table["verdict"], strict=True))
    found_right = (
        comparison.missing == [c for c in codes if c in ABSENT]
        and all(said[c] == UNDER_REPRESENTED for c in THINNED)
        and said[FAVOURED] == OVER_REPRESENTED
        and all(said[codes[i]] == IN_PROPORTION for i in others)
    )
    first = list(comparison.table["code"][: len(ABSENT) + len(THINNED)])
    return {
        "respondents": respondents,
        "missing_found": comparison.missing,
        "under_first": sorted(first) == sorted((*ABSENT, *THINNED)),
        "all_verdicts_right": found_right,
        "compare_ms": seconds * 1000,
    }


def speed(responses: int, database: str | None = None) -> dict:
    """Fill the bundled draft, then time the page's and the dashboard's computation."""
    import report_scale

    with tempfile.TemporaryDirectory() as folder:
        url = database or f"sqlite:///{folder}/consult.db"
        filled = report_scale.prepare(url, folder, responses, 15, 20_000)
        try:
            return {"responses": responses, "fill_s": filled["fill_s"], **_timed(url, folder)}
        finally:
            if database:
                report_scale.drop(url, folder)


def _timed(url: str, folder: str) -> dict:
    import report_scale
    import sqlalchemy as sa

    from consult.extensions import db
    from consult.models import Consultation
    from consult.reports.representation import representation

    app = report_scale.make_app(url, folder)
    with app.test_request_context():
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug="enia-2021"))
        started = time.perf_counter()
        page = representation(consultation)
        page_s = time.perf_counter() - started
        started = time.perf_counter()
        box = representation(consultation, ("region",))
        box_s = time.perf_counter() - started
        db.engine.dispose()
    return {
        "page_s": page_s,
        "dashboard_box_s": box_s,
        "regions_missing": len(box["region"].missing),
        "fields": sorted(page),
    }


def main(
    responses: int = 200_000, respondents: int = 1_000_000, database: str | None = None
) -> dict:
    """Measure, print and return the figures."""
    figures = {"quality": quality(respondents), "speed": speed(responses, database)}
    q, s = figures["quality"], figures["speed"]
    print(f"who is missing — quality on {q['respondents']:,} planted respondents:")
    print(f"  absent regions listed as missing: {', '.join(q['missing_found'])}")
    print(f"  most under-represented first: {q['under_first']}")
    print(f"  every region's verdict right: {q['all_verdicts_right']}")
    print(f"  compare(): {q['compare_ms']:.1f} ms")
    print(f"who is missing — speed on {s['responses']:,} submitted responses:")
    print(f"  (fill, not the target: {s['fill_s']:.1f} s)")
    print(f"  console page (region and gender): {s['page_s']:.2f} s")
    print(f"  dashboard box (region): {s['dashboard_box_s']:.2f} s")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--database", help="an empty database of its own (default: SQLite)")
    args = parser.parse_args()
    main(args.responses, args.respondents, args.database)
