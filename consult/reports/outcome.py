"""The final report ("Informe de la consulta"): the open report beside the outcome.

Used by the public outcome pages (its PDF) and ``consult report --outcome``: the open
version of the report (small groups pooled) and ``outcome.summary`` read with the same K,
quotes naming only the stakeholder types the open report shows on their own.
"""

from __future__ import annotations

from ..models import Consultation
from ..outcome.summary import outcome_summary
from .frames import Report, build_report
from .privacy import OTHER, open_report
from .writers.outcome_pdf import to_outcome_pdf


def shown_types(report: Report) -> set[str]:
    """The stakeholder types an opened report shows on their own (not pooled)."""
    frame = report.participation.get("stakeholder_type")
    if frame is None:
        return set()
    return set(frame["stakeholder_type"].astype(str)) - {OTHER}


def outcome_pdf(consultation: Consultation, *, min_cell: int) -> tuple[bytes, Report]:
    """The final report as PDF bytes, in the current locale's language, and its report."""
    report = open_report(build_report(consultation, audience="open"), min_cell)
    summary = outcome_summary(consultation, min_cell=min_cell, shown_types=shown_types(report))
    return to_outcome_pdf(report, summary), report
