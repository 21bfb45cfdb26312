"""The comments a section page shows the public: published, and only as their authors chose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from ..models import Comment, Response, Section
from ..models.vocab import (
    ModerationState,
    Publication,
    ResponseStatus,
)
from ..web.paging import Page, paginate

PER_PAGE = 20


@dataclass(frozen=True)
class PublishedComment:
    """What the public may read of a comment; nothing else of the response reaches the page."""

    id: int
    #: The redacted text where a coordinator redacted it.
    text: str
    #: A code of the consultation's ``contributions``; None where it asks none.
    contribution: str | None
    #: A code of the consultation's stakeholder types (``profile_label`` names it).
    stakeholder_type: str
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


def _published_in(section: Section) -> list[sa.ColumnElement[bool]]:
    """Published comments of submitted responses whose authors agreed to publication."""
    return [
        Comment.section_id == section.id,
        Comment.moderation == ModerationState.PUBLISHED,
        Response.status == ResponseStatus.SUBMITTED,
        Response.publication.in_([Publication.NAMED, Publication.ANONYMOUS]),
    ]


def published_comments(section: Section, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of a section's published comments, oldest first: a count and one page query."""
    page = paginate(
        sa.select(Comment)
        .join(Comment.response)
        .where(*_published_in(section))
        .options(contains_eager(Comment.response))
        .order_by(Comment.moderated_at.asc().nulls_first(), Comment.id),
        number,
        per_page,
    )
    page.items = [PublishedComment.of(c) for c in page.items]
    return page
