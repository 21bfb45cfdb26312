"""A theme's quotes on the outcome pages: published comments as the public may read them.

The text is the redacted one where redacted; the author is named only by the name they
chose to publish with; a quote names its author's stakeholder type only where the open
report shows that type on its own. Among a theme's first published comments, quotes come
from as many kinds of respondent as there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Comment, Response, Section, comment_theme
from ..models.vocab import ModerationState, Publication

#: Quotes shown per theme, chosen among its first published comments.
QUOTES_PER_THEME = 3
_CANDIDATES = 30


@dataclass(frozen=True)
class Quote:
    """A published comment, as the public may read it."""

    comment_id: int
    #: The redacted text where a coordinator redacted it.
    text: str
    #: The published name; None when its author chose to stay anonymous.
    author: str | None
    #: The author's stakeholder type; None when the open report does not show it alone.
    stakeholder_type: str | None
    section_key: str


def theme_quotes(
    counted: sa.Subquery, theme_ids: list[int], shown_types: set[str], sections: dict[int, Section]
) -> dict[int, list[Quote]]:
    """Up to QUOTES_PER_THEME published comments of each theme among those ``counted``
    (a subquery of comment ids), varied by kind of respondent, oldest first."""
    if not theme_ids:
        return {}
    number = (
        sa.func.row_number()
        .over(
            partition_by=comment_theme.c.theme_id,
            order_by=(Comment.moderated_at.asc().nulls_first(), Comment.id),
        )
        .label("number")
    )
    ranked = (
        sa.select(
            comment_theme.c.theme_id,
            Comment.id,
            sa.func.coalesce(Comment.redacted_text, Comment.text).label("text"),
            Comment.section_id,
            Response.publication,
            Response.display_name,
            Response.stakeholder_type,
            number,
        )
        .select_from(comment_theme)
        .join(counted, counted.c.id == comment_theme.c.comment_id)
        .join(Comment, Comment.id == comment_theme.c.comment_id)
        .join(Response, Response.id == Comment.response_id)
        .where(
            ~comment_theme.c.suggested,
            comment_theme.c.theme_id.in_(theme_ids),
            Comment.moderation == ModerationState.PUBLISHED,
            Response.publication.in_([Publication.NAMED, Publication.ANONYMOUS]),
        )
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ranked)
        .where(ranked.c.number <= _CANDIDATES)
        .order_by(ranked.c.theme_id, ranked.c.number)
    ).all()
    candidates: dict[int, list] = {}
    for row in rows:
        candidates.setdefault(row.theme_id, []).append(row)
    quotes: dict[int, list[Quote]] = {}
    for theme_id, theirs in candidates.items():
        for row in _varied(theirs):
            named = Publication(row.publication) is Publication.NAMED
            quotes.setdefault(theme_id, []).append(
                Quote(
                    comment_id=row.id,
                    text=row.text,
                    author=row.display_name if named else None,
                    stakeholder_type=row.stakeholder_type
                    if row.stakeholder_type in shown_types
                    else None,
                    section_key=sections[row.section_id].key,
                )
            )
    return quotes


def _varied(rows: list) -> list:
    """Up to QUOTES_PER_THEME of a theme's candidates, from as many kinds of respondent as
    there are (the first of each kind, then the next ones), in their own order."""
    chosen, kinds = [], set()
    for row in rows:
        if len(chosen) < QUOTES_PER_THEME and row.stakeholder_type not in kinds:
            chosen.append(row)
            kinds.add(row.stakeholder_type)
    for row in rows:
        if len(chosen) < QUOTES_PER_THEME and row not in chosen:
            chosen.append(row)
    return sorted(chosen, key=lambda row: row.number)
