"""Why a section changed in a version: an explanation in each language, and the themes
and comments that led to it (``DraftChange``), written by a coordinator."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Comment, Response, Section, Theme, User, comment_theme
from ..models.outcome import DraftChange, DraftVersion, change_comment
from ..models.response import flagged_responses
from ..models.vocab import ResponseStatus
from ..responding.changes import note_public_change
from ..reviewing import audit


class ChangeRefused(Exception):
    """Links that cannot be written; ``args[0]`` says which, for the person who asked."""


class ChangeRaced(ChangeRefused):
    """Another person explained the same change at the same moment; nothing was written.
    ``args[0]`` is the message for the person."""

    def __init__(self) -> None:
        super().__init__(
            _l(
                "Someone else explained this change at the same moment. Nothing was saved:"
                " look at the explanation now recorded, then try again."
            )
        )


def link_change(
    version: DraftVersion,
    section: Section,
    explanation_es: str,
    explanation_en: str,
    theme_ids: list[int],
    comment_ids: list[int],
    actor: User,
) -> bool:
    """Explain a section's change in ``version`` and link it to themes and comments of
    the same consultation: one transaction with its audit entry ("change.link"). Whether
    anything changed: the same explanations and links again write nothing."""
    consultation_id = version.consultation_id
    if section.consultation_id != consultation_id:
        raise ChangeRefused("section")
    themes = list(
        db.session.scalars(
            sa.select(Theme).where(
                Theme.id.in_(set(theme_ids)), Theme.consultation_id == consultation_id
            )
        )
    )
    if len(themes) != len(set(theme_ids)):
        raise ChangeRefused("themes")
    comments = list(
        db.session.scalars(
            sa.select(Comment)
            .join(Section, Section.id == Comment.section_id)
            .where(Comment.id.in_(set(comment_ids)), Section.consultation_id == consultation_id)
        )
    )
    if len(comments) != len(set(comment_ids)):
        raise ChangeRefused("comments")
    explanation_es, explanation_en = explanation_es.strip(), explanation_en.strip()
    change = _change_of(version, section)
    before = None if change is None else _state(change)
    wanted = {
        "explanation_es": explanation_es,
        "explanation_en": explanation_en,
        "themes": {t.id for t in themes},
        "comments": {c.id for c in comments},
    }
    held = before or {"explanation_es": "", "explanation_en": "", "themes": (), "comments": ()}
    if wanted == {**held, "themes": set(held["themes"]), "comments": set(held["comments"])}:
        return False  # nothing to write, no audit entry (as a decision given again)
    if change is None:
        change = DraftChange(version_id=version.id, section_id=section.id)
        db.session.add(change)
    change.explanation_es = explanation_es
    change.explanation_en = explanation_en
    change.themes = sorted(themes, key=lambda t: t.name)
    change.comments = sorted(comments, key=lambda c: c.id)
    try:
        db.session.flush()
        audit.record(
            actor,
            "change.link",
            "draft_change",
            change.id,
            before=before,
            after={"version": version.number, "section": section.key, **_state(change)},
        )
        note_public_change(db.session)
        db.session.commit()
    except sa.exc.IntegrityError as exc:  # the same section's change written at the same moment
        db.session.rollback()
        raise ChangeRaced() from exc
    return True


def _change_of(version: DraftVersion, section: Section) -> DraftChange | None:
    return db.session.scalar(
        sa.select(DraftChange).filter_by(version_id=version.id, section_id=section.id)
    )


def _state(change: DraftChange) -> dict:
    return {
        "explanation_es": change.explanation_es,
        "explanation_en": change.explanation_en,
        "themes": [t.id for t in change.themes],
        "comments": [c.id for c in change.comments],
    }


def linked_comment_counts(change_ids: list[int] | set[int]) -> dict[int, int]:
    """Comments linked one by one to each change, of the responses a report counts
    (submitted, none with a comment refused as spam or a duplicate)."""
    if not change_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(change_comment.c.change_id, sa.func.count())
            .join(Comment, Comment.id == change_comment.c.comment_id)
            .join(Response, Response.id == Comment.response_id)
            .where(
                change_comment.c.change_id.in_(set(change_ids)),
                Response.status == ResponseStatus.SUBMITTED,
                Response.id.not_in(flagged_responses()),
            )
            .group_by(change_comment.c.change_id)
        ).all()
    )


def theme_comment_counts(
    theme_ids: list[int] | set[int], *, public: bool = False
) -> dict[int, int]:
    """Comments of submitted responses a person tagged with each theme (no suggestion);
    ``public``: only the responses a report counts (none with a comment refused as spam
    or a duplicate), as the public pages count them."""
    if not theme_ids:
        return {}
    conditions = [
        comment_theme.c.theme_id.in_(set(theme_ids)),
        Response.status == ResponseStatus.SUBMITTED,
        ~comment_theme.c.suggested,
    ]
    if public:
        conditions.append(Response.id.not_in(flagged_responses()))
    return dict(
        db.session.execute(
            sa.select(comment_theme.c.theme_id, sa.func.count())
            .join(Comment, Comment.id == comment_theme.c.comment_id)
            .join(Response, Response.id == Comment.response_id)
            .where(*conditions)
            .group_by(comment_theme.c.theme_id)
        ).all()
    )
