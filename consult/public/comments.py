"""The comments a section page shows the public: published, and only as their authors chose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Comment, Response, Section
from ..models.vocab import (
    Contribution,
    ModerationState,
    Publication,
    ResponseStatus,
    StakeholderType,
)

PER_PAGE = 20
#: Page numbers past this are nonsense typed into the address bar: show the first page.
_MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class PublishedComment:
    """What the public may read of a comment; nothing else of the response reaches the page."""

    id: int
    #: The redacted text where a coordinator redacted it.
    text: str
    contribution: Contribution
    stakeholder_type: StakeholderType
    #: The name the author gave for publication; None when they chose to stay anonymous.
    author: str | None
    published_at: datetime | None

    @classmethod
    def of(cls, comment: Comment) -> PublishedComment:
        response = comment.response
        named = response.publication is Publication.NAMED
        return cls(
            id=comment.id,
            text=comment.public_text,
            contribution=comment.contribution,
            stakeholder_type=response.stakeholder_type,
            author=response.display_name if named else None,
            published_at=comment.moderated_at,
        )


@dataclass(frozen=True)
class CommentPage:
    """One page of published comments, with what a pager needs."""

    items: list[PublishedComment]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: str | None) -> int:
    """The page asked for in ``?page=``; anything that is not a plausible page gives 1."""
    if raw and raw.isascii() and raw.isdigit() and 0 < int(raw) <= _MAX_PAGE:
        return int(raw)
    return 1


def _published_in(section: Section) -> list[sa.ColumnElement[bool]]:
    """Published comments of submitted responses whose authors agreed to publication."""
    return [
        Comment.section_id == section.id,
        Comment.moderation == ModerationState.PUBLISHED,
        Response.status == ResponseStatus.SUBMITTED,
        Response.publication.in_([Publication.NAMED, Publication.ANONYMOUS]),
    ]


def published_comments(section: Section, number: int = 1, per_page: int = PER_PAGE) -> CommentPage:
    """One page of a section's published comments, oldest first: a count and one page query.

    A page past the last shows the last page.
    """
    where = _published_in(section)
    total = db.session.scalar(
        sa.select(sa.func.count(Comment.id)).join(Comment.response).where(*where)
    )
    number = min(number, max(1, -(-total // per_page)))
    comments = db.session.scalars(
        sa.select(Comment)
        .join(Comment.response)
        .where(*where)
        .options(contains_eager(Comment.response))
        .order_by(Comment.moderated_at.asc().nulls_first(), Comment.id)
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    return CommentPage([PublishedComment.of(c) for c in comments], total, number, per_page)
