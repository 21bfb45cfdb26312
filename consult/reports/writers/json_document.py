"""The JSON download: one document, ``meta`` first, then every frame as records.

Machine-readable first: filters as codes, counts as numbers (an open report's pooled
groups in rows of their own, ``other_groups``; null where a figure cannot be computed),
codes with ``option_label`` beside options. Times are ISO 8601 with the offset of the
consultation's time zone (``meta.time_zone``), and days are that zone's days.
Likert rows carry both counts (``n``, everyone who answered the question; ``valid``, those
who took a position) and the ``share_base`` their shares divide by, as ``meta`` states.
The words a person reads (banner, filters in words, privacy note) are in the report's
language.
"""

from __future__ import annotations

import json

import pandas as pd

from ..frames import Report
from ..labels import banner, demo_note, language, privacy_note, share_note, time_zone_note
from .tidy import FRAMES, frame_of


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))


def to_json(report: Report) -> bytes:
    """One JSON document: ``meta``, then every frame as a list of records (NaN as null)."""
    document = {
        "meta": {
            "slug": report.slug,
            "title": report.title_in(language()),
            "language": language(),
            # A demonstration's responses are invented (``consult demo``).
            "demo": report.demo,
            **({"demo_note": demo_note()} if report.demo else {}),
            "audience": report.audience,
            "banner": banner(report.audience),
            "filters": report.filters.codes(),
            "filters_described": [list(line) for line in report.filters.describe(report.profile)],
            "ignored_filters": list(report.filters.notes),
            "responses": report.responses,
            "computed_at": report.computed_at.isoformat(),
            "time_zone": report.time_zone,
            "time_zone_note": time_zone_note(report.time_zone),
            "min_cell": report.min_cell,
            "privacy_note": privacy_note(report),
            "share_base": report.share_base.value,
            "share_note": share_note(report.share_base),
        },
        "participation": {name: _records(f) for name, f in report.participation.items()},
    }
    document.update({stem: _records(frame_of(report, stem)) for stem in FRAMES})
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
