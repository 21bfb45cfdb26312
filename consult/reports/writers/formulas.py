"""Spreadsheet safety: text that a spreadsheet would run as a formula is neutralised.

Applied on copies, in the CSV writer only: the report itself keeps the text as it was
written; XLSX writes text as string cells, which never run; JSON and PDF print text.
"""

from __future__ import annotations

import pandas as pd

#: A text cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text that a spreadsheet would run as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype(object).map(neutralise)
    return out
