"""The open report, read once for everything public that counts people.

The open report (``reports.frames.build_report(audience="open")`` then
``reports.privacy.open_report``) is what the public results page shows: groups of fewer
than K respondents pooled, small totals printed "<K". What else is public reads its
verdicts from it rather than deciding again: which stakeholder types and groups are shown
on their own (so a published comment may name its author's), and K itself.

Computing it reads every answer, so it is kept a few minutes per consultation and
language (``REPORT_PUBLIC_CACHE_SECONDS``), as the results page keeps its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app

from ..models import Consultation
from ..models.columns import current_language
from ..models.profile import GROUPS_KEY
from ..models.vocab import Stage
from ..reports.frames import Report, build_report
from ..reports.grouping import OTHER
from ..reports.privacy import open_report

#: Seconds the open report is kept when the setting says nothing.
CACHE_SECONDS = 300


def results_public(consultation: Consultation) -> bool:
    """Whether anyone may read the results: as the results page says, once the summary
    is published and the consultation is out of preparation (an archived one is no longer
    listed, but what it published stays readable at its address)."""
    return consultation.summary_published and consultation.stage is not Stage.PREPARATION


@dataclass(frozen=True)
class OpenFigures:
    """The open report and what it shows on its own."""

    report: Report
    #: K of the open-report rule.
    min_cell: int
    #: Stakeholder types the open report shows as rows of their own (not pooled).
    shown_types: frozenset[str]
    #: Reporting groups it shows as rows of their own.
    shown_groups: frozenset[str]


def _shown(report: Report, key: str) -> frozenset[str]:
    frame = report.participation.get(key)
    if frame is None or frame.empty:
        return frozenset()
    return frozenset(frame[key].astype(str)) - {OTHER}


def _compute(consultation: Consultation, k: int) -> OpenFigures:
    report = open_report(build_report(consultation, audience="open", quotes_per_section=0), k)
    return OpenFigures(
        report=report,
        min_cell=k,
        shown_types=_shown(report, "stakeholder_type"),
        shown_groups=_shown(report, GROUPS_KEY),
    )


def open_figures(consultation: Consultation, *, fresh: bool = False) -> OpenFigures:
    """The open report of the consultation and its verdicts; ``fresh`` computes it anew
    (an export), else it may be a few minutes old (a page, the API)."""
    k = current_app.config["REPORT_MIN_CELL"]
    if fresh:
        return _compute(consultation, k)
    seconds = current_app.config.get("REPORT_PUBLIC_CACHE_SECONDS", CACHE_SECONDS)
    cache = current_app.extensions.setdefault("consult.published_figures", {})
    key = (consultation.id, consultation.stage_changed_at, current_language(), k)
    kept = cache.get(key)
    if kept and time.monotonic() - kept[0] < seconds:
        return kept[1]
    figures = _compute(consultation, k)
    if len(cache) > 100:
        cache.clear()
    cache[key] = (time.monotonic(), figures)
    return figures
