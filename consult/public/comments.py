"""The comments a section page shows the public: published, and only as their authors chose.

The rule lives in ``published.comments`` (read by the JSON API and the open data too);
this module keeps the section page's import path.
"""

from __future__ import annotations

from ..published.comments import PER_PAGE, CommentPage, PublishedComment, section_comments

__all__ = ["PER_PAGE", "CommentPage", "PublishedComment", "published_comments"]


def published_comments(section, number: int = 1, per_page: int = PER_PAGE) -> CommentPage:
    """One page of a section's published comments, oldest first: a count and one page query."""
    return section_comments(section, number, per_page)
