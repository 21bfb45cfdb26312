"""Confirmed campaigns in the report: raw and de-duplicated comment counts side by side.

A campaign a coordinator confirmed counts once, with its number of copies beside it, as
the US Administrative Conference's Recommendation 2021-1 on mass comments advises; no
copy is removed from any other figure. Clusters only suggested by a run change nothing.

The frame has a row per confirmed campaign (``campaign`` its number, ``raw`` its copies
among the comments the report counts, ``counted_as`` 1) and a row ``all``: every comment
counted (``raw``) and what they count as with each campaign once (``counted_as``). No
row at all when no confirmed campaign has a copy among them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..models import Comment, Consultation
from ..systematising.copies import confirmed_campaigns, deduplicated
from .filters import ReportFilters

ALL_COMMENTS = "all"
#: The open report's row of campaigns too small to show on their own.
OTHER_CAMPAIGNS = "other_campaigns"
COLUMNS = ["campaign", "campaign_kind", "raw", "counted_as"]


def campaign_frame(
    consultation: Consultation, counted: sa.CTE, filters: ReportFilters
) -> pd.DataFrame:
    """Confirmed campaigns among the comments the report counts, and the comments' totals."""
    comments = sa.select(Comment.id).join(counted, counted.c.id == Comment.response_id)
    if filters.moderation:
        comments = comments.where(Comment.moderation == filters.moderation)
    campaigns = confirmed_campaigns(consultation.id, comments)
    if campaigns.empty:
        return pd.DataFrame(columns=COLUMNS)
    raw = db.session.scalar(sa.select(sa.func.count()).select_from(comments.subquery()))
    rows = [(str(c), k, n, 1) for c, k, n in campaigns[["campaign", "kind", "copies"]].values]
    rows.append((ALL_COMMENTS, "", raw, deduplicated(raw, campaigns)))
    return pd.DataFrame(rows, columns=COLUMNS)


def open_campaigns(
    frame: pd.DataFrame, k: int, pooled: Callable[[Mapping[str, int], int], set[str]]
) -> pd.DataFrame:
    """The open report's campaigns: one of fewer than ``k`` copies is not shown on its own
    but in a pool, chosen by ``pooled`` (``privacy.pooled``: as for groups of respondents,
    never smaller than ``k``); when all campaigns together have fewer than ``k`` copies,
    nothing is shown."""
    if frame.empty:
        return frame
    campaigns = frame[frame["campaign"] != ALL_COMMENTS]
    sizes = dict(zip(campaigns["campaign"], campaigns["raw"], strict=True))
    pool = pooled(sizes, k)
    pooled_copies = sum(sizes[c] for c in pool)
    if pool and pooled_copies < k:
        return pd.DataFrame(columns=COLUMNS)
    shown = campaigns[~campaigns["campaign"].isin(pool)]
    rows = list(shown.itertuples(index=False, name=None))
    if pool:
        rows.append((OTHER_CAMPAIGNS, "", pooled_copies, len(pool)))
    rows += list(frame[frame["campaign"] == ALL_COMMENTS].itertuples(index=False, name=None))
    return pd.DataFrame(rows, columns=COLUMNS)
