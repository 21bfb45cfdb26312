"""Stakeholder groups in report frames: the overall row and one row per reporting group."""

from __future__ import annotations

import pandas as pd

from ..models.vocab import ReportingGroup, StakeholderType

ALL = "all"
#: In an open report, the row pooling kinds of respondent too few to be shown on their own.
OTHER = "other_groups"
#: In an open report, a quote's group when its author's group is not shown on its own.
OTHER_ACTOR = "other_actor"
GROUPS = [g.value for g in ReportingGroup]
GROUP_OF = {t.value: t.group.value for t in StakeholderType}


def code(value) -> str:
    """The stored code of a vocabulary value (SQLAlchemy returns the enum member)."""
    return value.value if hasattr(value, "value") else value


def with_overall(frame: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """Map stakeholder types to groups, sum per group, and add the ``all`` rows."""
    frame = frame.assign(group=frame["stakeholder_type"].map(GROUP_OF)).drop(
        columns="stakeholder_type"
    )
    # dropna=False: a key may be None (a comment's contribution where none is asked);
    # a type of no known group still counts only in the overall rows.
    by_group = frame.groupby([*keys, "group"], as_index=False, dropna=False)[values].sum()
    by_group = by_group[by_group["group"].notna()]
    overall = frame.groupby(keys, as_index=False, dropna=False)[values].sum().assign(group=ALL)
    return pd.concat([overall, by_group], ignore_index=True)
