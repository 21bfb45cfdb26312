"""The rows of each resource, read from the open report and ``consult.published``.

The aggregate results are the open report's frames as they are (``reports.privacy``:
small groups pooled into "other_groups", tables below K left out): the same figures as
the public results page and the open JSON download, with columns renamed where a CSV
header would be unclear ("1" → "count_1"). Counts the outcome prints "<K" become an
empty cell and a true ``*_suppressed`` flag (``schema``).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..models import Consultation
from ..models.vocab import Decision, QuestionType, ShareBase
from ..published import (
    OpenFigures,
    all_published_comments,
    outcome_public,
    public_decisions,
    public_themes,
)
from ..reports.frames import Report

Row = dict[str, Any]

#: The likert frame's columns under their names in likert.csv.
_LIKERT_NAMES = {**{str(p): f"count_{p}" for p in range(1, 6)}, "dk": "count_dk"}


def blank(value: Any) -> bool:
    """A cell with nothing in it: None, pandas' NA, or a float that is not a number."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def withheld(name: str, value: Any) -> Row:
    """A count as the outcome prints it (a number, or "<K"): the number and its flag."""
    suppressed = isinstance(value, str)
    return {name: None if suppressed else value, f"{name}_suppressed": suppressed}


def _frame_rows(frame: pd.DataFrame, renames: dict[str, str] | None = None) -> list[Row]:
    frame = frame.rename(columns=renames or {})
    return [
        {k: (None if blank(v) else v) for k, v in record.items()}
        for record in frame.astype(object).to_dict(orient="records")
    ]


def participation_rows(report: Report) -> list[Row]:
    """The total, then every participation table but the days, as (field, category)."""
    rows = [{"field": "all", "category": "all", **withheld("responses", report.responses)}]
    for name, frame in report.participation.items():
        if name == "day":
            continue
        key = frame.columns[0]
        for record in _frame_rows(frame):
            rows.append(
                {
                    "field": name,
                    "category": str(record[key]),
                    **withheld("responses", record["responses"]),
                }
            )
    return rows


def result_rows(report: Report) -> dict[str, list[Row]]:
    """The aggregate results' resources, from the open report's frames."""
    return {
        "participation": participation_rows(report),
        "participation_by_day": _frame_rows(report.participation["day"]),
        "likert": _frame_rows(report.likert, _LIKERT_NAMES),
        "choices": _frame_rows(report.choices),
        "ranking": _frame_rows(report.ranking),
        "comment_counts": _frame_rows(report.comments),
        "passage_comment_counts": _frame_rows(report.passages),
        "gates": _frame_rows(report.gates),
    }


def form_rows(report: Report) -> dict[str, list[Row]]:
    """Sections, questions, options and contributions: the consultation's own text."""
    return {
        "sections": _frame_rows(report.sections),
        "questions": _frame_rows(report.questions),
        "options": _frame_rows(report.options),
        "contributions": _frame_rows(report.contributions),
    }


def comment_rows(consultation: Consultation, figures: OpenFigures) -> dict[str, list[Row]]:
    """Published comments, and (once the outcome is published) their confirmed themes."""
    comments = all_published_comments(
        consultation, shown=(figures.shown_types, figures.shown_groups)
    )
    themes = {t.id for t in public_themes(consultation)} if outcome_public(consultation) else set()
    return {
        "comments": [
            {
                "comment": c.id,
                "section": c.section,
                "contribution": c.contribution,
                "stakeholder_group": c.stakeholder_group,
                "stakeholder_type": c.stakeholder_type,
                "author": c.author,
                "published_at": c.published_at,
                "text": c.text,
            }
            for c in comments
        ],
        "comment_themes": [
            {"comment": c.id, "theme": t} for c in comments for t in c.themes if t in themes
        ],
    }


def outcome_rows(consultation: Consultation) -> dict[str, list[Row]]:
    """Themes, decisions and the comments per decision; empty before the outcome."""
    decisions = public_decisions(consultation)

    def decided(d) -> Row:
        if d is None:
            return {"decision": None, "reason_es": None, "reason_en": None}
        return {"decision": d.decision.value, "reason_es": d.reason_es, "reason_en": d.reason_en}

    themes = [
        {"theme": t.id, "name": t.name, **withheld("comments", t.comments), **decided(t.decision)}
        for t in public_themes(consultation)
    ]
    on: list[Row] = [
        {
            "decided_on": "theme",
            "theme": t.id,
            "section": None,
            **decided(t.decision),
            **withheld("comments", t.comments),
        }
        for t in decisions.themes
    ]
    on += [
        {
            "decided_on": "section",
            "theme": None,
            "section": s.key,
            **decided(s.decision),
            **withheld("comments", s.comments),
        }
        for s in decisions.sections
    ]
    counts = [
        {
            "decision": c.decision.value,
            **withheld("comments", c.applied),
            **withheld("answered_individually", c.own),
        }
        for c in decisions.comments
    ]
    return {"themes": themes, "decisions": on, "decision_counts": counts}


def codes_of(consultation: Consultation, report: Report) -> dict[str, list[str]]:
    """The lists of codes the schema's ``enum`` constraints name."""
    profile = consultation.profile
    groups = profile.group_codes
    types = profile["stakeholder_type"]
    return {
        "result_groups": ["all", *groups, "other_groups", "not_given"],
        "comment_groups": [*groups, "other_actor"],
        "stakeholder_types": list(types.codes) if types else [],
        "question_types": [t.value for t in QuestionType],
        "share_bases": [b.value for b in ShareBase],
        "decisions": [d.value for d in Decision],
        "decided_on": ["theme", "section"],
        "passage_kinds": ["paragraph", "item", "earlier"],
        "contributions": [c["code"] for c in consultation.contributions or []],
    }
