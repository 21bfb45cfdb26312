"""Each respondent's answer: what was decided on each of their comments, and the changes
to the draft it led to (issue 16, part 5).

Read for the respondent's private page once the outcome is published: the decisions that
apply (``decisions.applied_decisions``) and the changes of later versions of the draft
that name the comment or one of its confirmed themes, in a handful of queries whatever
the number of comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Consultation, Section, Theme, comment_theme
from ..models.columns import current_language
from ..models.outcome import DraftChange, DraftVersion, change_comment, change_theme
from .decisions import Applied, applied_decisions


@dataclass(frozen=True)
class ChangeMade:
    """A section's change in a version of the draft that answers the comment."""

    change_id: int
    version: int
    section: Section
    explanation_es: str
    explanation_en: str
    #: The confirmed theme of the comment's that the change is linked to; None when the
    #: change names the comment itself.
    theme_name: str | None = None

    @property
    def explanation(self) -> str:
        if current_language() == "en" and self.explanation_en:
            return self.explanation_en
        return self.explanation_es or self.explanation_en


@dataclass
class CommentOutcome:
    """What became of one comment: the decisions that apply and the changes it led to."""

    comment_id: int
    decisions: list[Applied] = field(default_factory=list)
    changes: list[ChangeMade] = field(default_factory=list)


def _changes(
    consultation: Consultation, ids: list[int], answered_version: int
) -> dict[int, list[ChangeMade]]:
    """Changes of versions after ``answered_version`` (up to the current one) linked to
    each comment directly or through one of its confirmed themes; two queries."""
    sections = {s.id: s for s in consultation.sections}
    later = sa.and_(
        DraftVersion.consultation_id == consultation.id,
        DraftVersion.number > answered_version,
        DraftVersion.number <= consultation.current_version,
    )
    columns = (
        DraftChange.id,
        DraftVersion.number,
        DraftChange.section_id,
        DraftChange.explanation_es,
        DraftChange.explanation_en,
    )
    direct = db.session.execute(
        sa.select(change_comment.c.comment_id, *columns, sa.null())
        .join(DraftChange, DraftChange.id == change_comment.c.change_id)
        .join(DraftVersion, DraftVersion.id == DraftChange.version_id)
        .where(change_comment.c.comment_id.in_(ids), later)
    ).all()
    through_themes = db.session.execute(
        sa.select(comment_theme.c.comment_id, *columns, Theme.name)
        .join(change_theme, change_theme.c.theme_id == comment_theme.c.theme_id)
        .join(Theme, Theme.id == comment_theme.c.theme_id)
        .join(DraftChange, DraftChange.id == change_theme.c.change_id)
        .join(DraftVersion, DraftVersion.id == DraftChange.version_id)
        .where(comment_theme.c.comment_id.in_(ids), ~comment_theme.c.suggested, later)
        .order_by(Theme.name)
    ).all()
    found: dict[int, dict[int, ChangeMade]] = {}
    for comment_id, change_id, version, section_id, es, en, theme_name in [
        *direct,
        *through_themes,
    ]:
        section = sections.get(section_id)
        if section is None:
            continue
        # A change that names the comment and also one of its themes is listed once.
        found.setdefault(comment_id, {}).setdefault(
            change_id, ChangeMade(change_id, version, section, es, en, theme_name)
        )
    return {
        comment_id: sorted(
            by_change.values(), key=lambda c: (c.version, c.section.position, c.change_id)
        )
        for comment_id, by_change in found.items()
    }


def comment_outcomes(
    consultation: Consultation, comments: Iterable[Any], answered_version: int
) -> dict[int, CommentOutcome]:
    """For each comment (anything with an ``id``) of a response that answered version
    ``answered_version`` of the draft: its decisions and its changes, by comment id."""
    comments = list(comments)
    ids = sorted({c.id for c in comments})
    if not ids:
        return {}
    applied = applied_decisions(comments)
    changes = _changes(consultation, ids, answered_version)
    return {
        comment_id: CommentOutcome(
            comment_id, applied.get(comment_id, []), changes.get(comment_id, [])
        )
        for comment_id in ids
    }
