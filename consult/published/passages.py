"""Published comments on the passages of a section: how many each passage has, and one
passage's page of them, under the one rule of ``published.comments``."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Comment, Section
from ..web.paging import paginate
from .comments import PER_PAGE, CommentPage, PublishedComment, _published, _select


def passage_counts(section: Section) -> dict[str, int]:
    """Published comments per passage anchor of the section (passages without: absent)."""
    rows = db.session.execute(
        sa.select(Comment.anchor, sa.func.count())
        .join(Comment.response)
        .where(*_published(), Comment.section_id == section.id, Comment.anchor != "")
        .group_by(Comment.anchor)
    )
    return dict(rows.all())


def passage_comments(
    section: Section, anchor: str, number: int = 1, per_page: int = PER_PAGE
) -> CommentPage:
    """One page of the published comments on one passage, oldest first."""
    page = paginate(
        _select(Comment.section_id == section.id, Comment.anchor == anchor), number, per_page
    )
    items = tuple(PublishedComment.of(c, section.key) for c in page.items)
    return CommentPage(items, page.total, page.number, page.per_page)
