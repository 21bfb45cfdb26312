"""Published comments: what a section page shows the public, across a consultation.

The rule is one, written here once (``_published``): a comment is public when a
moderator published it, its response was submitted and its author chose publication
(named or anonymous). The public reads its redacted text where a coordinator redacted
it, and its author's name only when they chose to publish it (``Publication.NAMED``); no
email, address or other answer ever leaves with it.

Read through ``published_comments`` (one page, filtered by section, reporting group and,
once the outcome is published, theme) or ``all_published_comments`` (an export), a
comment names its author's stakeholder type and group only where the open report shows
that type or group on its own (``figures.open_figures``), as the open report's quotes do:
a comment of a small group is never tied to it. ``section_comments`` serves the section
page, which has always shown the type (``public.comments`` keeps that import path).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from ..content.passages import Passage, find, passages
from ..extensions import db
from ..models import Comment, Consultation, Response, Section, Theme, comment_theme
from ..models.vocab import ModerationState, Publication, ResponseStatus, Stage
from ..reports.grouping import OTHER_ACTOR
from ..web.paging import Page, paginate
from .figures import open_figures

PER_PAGE = 20


class FilterRefused(Exception):
    """A filter the public may not use (yet); its message is for the person."""

    def __init__(self, message, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class PublishedComment:
    """What the public may read of a comment; nothing else of the response leaves."""

    id: int
    #: The key of the section it is on.
    section: str
    #: The redacted text where a coordinator redacted it.
    text: str
    #: A code of the consultation's ``contributions``; None where it asks none.
    contribution: str | None
    #: A code of the consultation's stakeholder types; None when the open report pools
    #: the author's type (section pages, ``section_comments``, always name it).
    stakeholder_type: str | None
    #: The reporting group of that type; "other_actor" when the open report pools it.
    stakeholder_group: str | None
    #: The name the author gave for publication; None when they chose to stay anonymous.
    author: str | None
    published_at: datetime | None
    #: Ids of its confirmed themes, once the outcome is published (else empty).
    themes: tuple[int, ...] = ()
    #: The passage of the section's text it is on (``content.passages``); "" for a
    #: comment on the section as a whole.
    anchor: str = ""
    #: The passage's words as its author read them (their language, their version).
    passage_text: str | None = None
    #: The passage's number and kind ("paragraph", "item") in the section's current
    #: text; None when that text no longer has it (or for a section-wide comment).
    passage_number: int | None = None
    passage_kind: str | None = None
    #: The wording its author proposed for the passage, as they wrote it; None: none.
    proposal: str | None = None

    @classmethod
    def of(
        cls,
        comment: Comment,
        section_key: str = "",
        group_of: dict[str, str] | None = None,
        shown: tuple[Collection[str], Collection[str]] | None = None,
        themes: tuple[int, ...] = (),
    ) -> PublishedComment:
        """``shown`` (types, groups shown on their own) pools the others; None names all."""
        response = comment.response
        named = response.publication is Publication.NAMED
        kind = response.stakeholder_type
        group = (group_of or {}).get(kind) or None
        if shown is not None:
            kind = kind if kind in shown[0] else None
            group = group if group in shown[1] else OTHER_ACTOR
        passage = _passage(comment)
        return cls(
            id=comment.id,
            section=section_key,
            text=comment.public_text,
            contribution=comment.contribution,
            stakeholder_type=kind,
            stakeholder_group=group,
            author=response.display_name if named else None,
            published_at=comment.moderated_at,
            themes=themes,
            anchor=comment.anchor or "",
            passage_text=comment.passage_text if comment.anchor else None,
            passage_number=passage.number if passage else None,
            passage_kind=passage.kind if passage else None,
            proposal=comment.proposal if comment.anchor else None,
        )

    @property
    def on_passage(self) -> bool:
        """Whether it is on one passage rather than the section as a whole."""
        return bool(self.anchor)


def _passage(comment: Comment) -> Passage | None:
    """The comment's passage in its section's current text (anchors from the Spanish);
    None for a section-wide comment or an anchor the text no longer has. The section is
    read from the session's identity map where its page or export loaded it."""
    if not comment.anchor:
        return None
    return find(passages(comment.section.body_md_es or ""), comment.anchor)


#: One page of published comments (``items``: ``PublishedComment``), with what a pager
#: needs: the console's and the public pages' own page.
CommentPage = Page


def _published() -> list[sa.ColumnElement[bool]]:
    """Published comments of submitted responses whose authors agreed to publication."""
    return [
        Comment.moderation == ModerationState.PUBLISHED,
        Response.status == ResponseStatus.SUBMITTED,
        Response.publication.in_([Publication.NAMED, Publication.ANONYMOUS]),
    ]


def _select(*where: sa.ColumnElement[bool]) -> sa.Select:
    return (
        sa.select(Comment)
        .join(Comment.response)
        .where(*_published(), *where)
        .options(contains_eager(Comment.response))
        .order_by(Comment.moderated_at.asc().nulls_first(), Comment.id)
    )


def section_comments(section: Section, number: int = 1, per_page: int = PER_PAGE) -> CommentPage:
    """One page of a section's published comments, oldest first, as its page shows them
    (the author's stakeholder type named): a count and one page query."""
    page = paginate(_select(Comment.section_id == section.id), number, per_page)
    items = tuple(PublishedComment.of(c, section.key) for c in page.items)
    return CommentPage(items, page.total, page.number, page.per_page)


def outcome_public(consultation: Consultation) -> bool:
    """Themes and decisions are public once the outcome is published."""
    return consultation.stage is Stage.OUTCOME


def _filters(
    consultation: Consultation,
    section: str | None,
    group: str | None,
    theme: int | None,
    shown_groups: Collection[str],
    anchor: str | None = None,
) -> list[sa.ColumnElement[bool]]:
    """The SQL of the filters asked; ``FilterRefused`` for one the public may not use."""
    where: list[sa.ColumnElement[bool]] = [Response.consultation_id == consultation.id]
    if anchor is not None:
        # Any anchor, in the current text or an earlier one; "" is the section-wide comments.
        where.append(Comment.anchor == anchor)
    if section is not None:
        found = next((s for s in consultation.sections if s.key == section), None)
        if found is None:
            raise FilterRefused(
                _l("This consultation has no section “%(key)s”.", key=section), "section"
            )
        where.append(Comment.section_id == found.id)
    if group is not None:
        group_of = consultation.profile.group_of
        if group not in consultation.profile.group_codes:
            raise FilterRefused(
                _l("This consultation has no stakeholder group “%(code)s”.", code=group), "group"
            )
        if group not in shown_groups:
            # Its comments would be tied to a group of fewer than K respondents.
            raise FilterRefused(
                _l(
                    "The stakeholder group “%(code)s” is too small to be shown on its own.",
                    code=group,
                ),
                "group",
            )
        where.append(Response.stakeholder_type.in_([t for t, g in group_of.items() if g == group]))
    if theme is not None:
        if not outcome_public(consultation):
            raise FilterRefused(_l("Themes are published with the outcome."), "theme")
        exists = db.session.scalar(
            sa.select(Theme.id).where(Theme.id == theme, Theme.consultation_id == consultation.id)
        )
        if exists is None:
            raise FilterRefused(_l("This consultation has no theme %(id)s.", id=theme), "theme")
        where.append(
            Comment.id.in_(
                sa.select(comment_theme.c.comment_id).where(
                    comment_theme.c.theme_id == theme, ~comment_theme.c.suggested
                )
            )
        )
    return where


def _themes_of(consultation: Consultation, ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Confirmed themes of each comment, once the outcome is published (one query)."""
    if not ids or not outcome_public(consultation):
        return {}
    found: dict[int, list[int]] = {}
    for comment_id, theme_id in db.session.execute(
        sa.select(comment_theme.c.comment_id, comment_theme.c.theme_id)
        .where(comment_theme.c.comment_id.in_(ids), ~comment_theme.c.suggested)
        .order_by(comment_theme.c.comment_id, comment_theme.c.theme_id)
    ):
        found.setdefault(comment_id, []).append(theme_id)
    return {i: tuple(t) for i, t in found.items()}


def _items(consultation: Consultation, comments, shown) -> tuple[PublishedComment, ...]:
    keys = {s.id: s.key for s in consultation.sections}
    group_of = consultation.profile.group_of
    themes = _themes_of(consultation, [c.id for c in comments])
    return tuple(
        PublishedComment.of(c, keys[c.section_id], group_of, shown, themes.get(c.id, ()))
        for c in comments
    )


def published_comments(
    consultation: Consultation,
    *,
    section: str | None = None,
    group: str | None = None,
    theme: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    anchor: str | None = None,
) -> CommentPage:
    """One page of the consultation's published comments, oldest first.

    Filters: ``section`` (its key), ``group`` (a reporting group's code; only a group the
    open report shows on its own, else ``FilterRefused``), ``theme`` (a theme's id; only
    once the outcome is published), ``anchor`` (a passage's; "" for comments on a section
    as a whole). A page past the last gives the last.
    """
    figures = open_figures(consultation)
    shown = (figures.shown_types, figures.shown_groups)
    where = _filters(consultation, section, group, theme, figures.shown_groups, anchor)
    found = paginate(_select(*where), max(1, page), max(1, per_page))
    return CommentPage(
        _items(consultation, found.items, shown), found.total, found.number, found.per_page
    )


def all_published_comments(
    consultation: Consultation, *, shown: tuple[Collection[str], Collection[str]]
) -> list[PublishedComment]:
    """Every published comment of the consultation, oldest first (an export); ``shown``
    are the stakeholder types and groups the open report shows on their own."""
    comments = db.session.scalars(_select(Response.consultation_id == consultation.id)).unique()
    return list(_items(consultation, list(comments), shown))
