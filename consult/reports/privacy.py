"""What an open (public) output may show: small cells suppressed, no personal data.

The frames already hold no email and no name except a published author's; the quotes
and word counts of an open report read only published text. What is left is the
small-cell rule: a count of fewer than K respondents is shown as "<K", and the shares,
means and scores of a row whose base is below K are withheld.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .frames import Report

#: Count columns per frame, and the derived columns withheld when their base is small: a
#: likert mean or share is over those who took a position (``valid``), a mean rank over
#: those who ranked the option (``n``).
_COUNTS = {
    "likert": (
        ["n", "1", "2", "3", "4", "5", "dk", "valid"],
        {
            "valid": [
                "share_1",
                "share_2",
                "share_3",
                "share_4",
                "share_5",
                "mean",
                "agree",
                "disagree",
                "net",
            ],
            "n": ["dk_share"],
        },
    ),
    "choices": (["n", "respondents"], {"respondents": ["share"]}),
    "ranking": (
        ["n", "top3", "respondents"],
        {"respondents": ["borda", "top3_share"], "n": ["mean_rank"]},
    ),
    "comments": (["n"], {}),
    "themes": (["n"], {}),
}


def suppress(
    frame: pd.DataFrame, counts: list[str], bases: dict[str, list[str]], k: int
) -> pd.DataFrame:
    """Copy of ``frame`` with counts 1…k−1 as "<k" and figures over a small base withheld.

    ``bases`` maps a count column to the figures computed over it.
    """
    out = frame.copy()
    if out.empty:
        return out
    for base, derived in bases.items():
        if base in out:
            small = frame[base] < k
            for column in derived:
                if column in out:
                    out[column] = out[column].astype(object).where(~small, None)
    for column in counts:
        if column in out:
            values = out[column]
            hidden = (values > 0) & (values < k)
            out[column] = values.astype(object).where(~hidden, f"<{k}")
    return out


def _small(frame: pd.DataFrame, *columns: str) -> pd.Series:
    """Rows where any of these counts is shown as "<K"."""
    hidden = pd.Series(False, index=frame.index)
    for column in columns:
        hidden |= frame[column].map(lambda v: isinstance(v, str))
    return hidden


def _withhold(frame: pd.DataFrame, rules: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    frame = frame.copy()
    for derived, counts in rules.items():
        if derived in frame and not frame.empty:
            frame[derived] = frame[derived].astype(object).where(~_small(frame, *counts), None)
    return frame


def withhold_disclosive(report: Report) -> Report:
    """Withhold the shares, means and scores from which a "<K" count could be worked out.

    The open frames suppress small counts but keep the shares of a row whose base is
    large enough; a share times its shown base gives the hidden count back.
    """
    points = ("1", "2", "3", "4", "5")
    likert = {f"share_{p}": (p,) for p in points}
    likert.update(
        dk_share=("dk",), agree=("4", "5"), disagree=("1", "2"), net=points[:2] + points[3:]
    )
    likert["mean"] = points
    return replace(
        report,
        likert=_withhold(report.likert, likert),
        choices=_withhold(report.choices, {"share": ("n",)}),
        ranking=_withhold(
            report.ranking, {"top3_share": ("top3",), "mean_rank": ("n",), "borda": ("n",)}
        ),
    )


def open_report(report: Report, k: int) -> Report:
    """The open version of a report computed for the "open" audience."""
    if report.audience != "open":
        raise ValueError("compute the report with audience='open' before opening it")
    participation = {
        name: suppress(frame, ["responses"], {}, k) for name, frame in report.participation.items()
    }
    if "cumulative" in report.participation["day"]:
        participation["day"] = suppress(
            report.participation["day"], ["responses", "cumulative"], {}, k
        )
    frames = {
        name: suppress(getattr(report, name), counts, bases, k)
        for name, (counts, bases) in _COUNTS.items()
    }
    terms = report.terms[report.terms["comments_using"] >= k].reset_index(drop=True)
    return withhold_disclosive(
        replace(
            report,
            participation=participation,
            terms=terms,
            notes=[*report.notes, f"Counts below {k} are shown as <{k}."],
            **frames,
        )
    )
