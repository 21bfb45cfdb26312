"""The tidy tables every download holds: the report's frames, option labels added.

Codes stay in their own columns (``option``, ``group``, ``question`` …), so the data
reads the same in any language; choice and ranking rows also carry ``option_label``,
and comment rows ``contribution_label``, in the report's language; the ``options``
table gives both languages.
"""

from __future__ import annotations

import math

import pandas as pd

from ..frames import Report
from ..grouping import GROUPS_KEY
from ..labels import with_contribution_labels, with_option_labels
from ..representation import representation_frame

#: Every frame but participation, in the order written.
FRAMES = ("likert", "choices", "ranking", "comments", "passages", "themes", "quotes", "terms",
          "gates", "questions", "sections", "options", "representation", "campaigns")  # fmt: skip
#: Frames whose rows name an option of a question.
WITH_OPTIONS = ("choices", "ranking")
#: Frames by the report's breakdown: their ``group`` column is named after its field
#: (``region``, ``education`` …) when that is not the reporting groups.
BROKEN_DOWN = ("likert", "choices", "ranking", "comments", "passages", "themes", "gates")
#: The columns that say what a row is about come first, in this order, then its count.
LEADING = ("question", "section", "theme", "number", "kind", "anchor", "words_es",
           "words_en", "option", "option_label", "group", "contribution", "contribution_label",
           "n")  # fmt: skip


def breakdown_column(report: Report, frame: pd.DataFrame) -> str:
    """The name a broken-down frame's ``group`` column goes by in the downloads."""
    if report.by == GROUPS_KEY:
        return "group"
    return report.by if report.by not in frame.columns else f"{report.by}_category"


def frame_of(report: Report, name: str) -> pd.DataFrame:
    """One of ``FRAMES``: what each row is about first, option labels where it names options;
    a broken-down frame's categories under the breakdown's name (``breakdown_column``)."""
    if name == "representation":  # who is missing: per field, each category's index
        return representation_frame(report.representation)
    frame = getattr(report, name)
    column = "group"
    if name in BROKEN_DOWN:
        column = breakdown_column(report, frame)
        frame = frame.rename(columns={"group": column})
    if name in WITH_OPTIONS:
        frame = with_option_labels(report, frame)
    if "contribution" in frame.columns:
        frame = with_contribution_labels(report, frame)
    leading = [column if c == "group" else c for c in LEADING]
    leading = [c for c in leading if c in frame.columns]
    return frame[leading + [c for c in frame.columns if c not in leading]]


def frames_of(report: Report) -> dict[str, pd.DataFrame]:
    """Every frame by file stem: participation_<name> first, then the others."""
    frames = {f"participation_{name}": f for name, f in report.participation.items()}
    frames.update({stem: frame_of(report, stem) for stem in FRAMES})
    return frames


def is_blank(value) -> bool:
    """A cell with nothing to print: withheld, or not computable."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
