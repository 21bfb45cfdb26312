"""Coordinators' operations on themes: tag comments, create, rename, merge and delete themes.

Each one is a single transaction that writes one audit entry per object it changes.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Comment,
    Consultation,
    OutcomeDecision,
    Theme,
    User,
    answer_theme,
    change_theme,
    comment_theme,
)
from . import audit
from .moderation import ReviewError


def _theme_names(comment: Comment) -> list[str]:
    return [t.name for t in comment.themes]


def _suggested(comment: Comment, theme: Theme) -> bool:
    return any(t.id == theme.id for t in comment.suggested_themes)


def tag(comments: Iterable[Comment], theme: Theme, actor: User, *, add: bool = True) -> int:
    """Add a theme to comments (or remove it); return how many changed.

    Adding a theme a suggestion tagged the comment with confirms that tag.
    """
    changed = 0
    for comment in comments:
        present = any(t.id == theme.id for t in comment.themes)
        if present == add:
            continue
        before = {"themes": _theme_names(comment)}
        if add and _suggested(comment, theme):
            db.session.execute(
                sa.update(comment_theme)
                .where(
                    comment_theme.c.comment_id == comment.id,
                    comment_theme.c.theme_id == theme.id,
                )
                .values(suggested=False)
            )
            db.session.expire(comment, ["themes", "suggested_themes"])
        elif add:
            comment.themes.append(theme)
        else:
            comment.themes.remove(theme)
        audit.record(
            actor,
            "comment.tag" if add else "comment.untag",
            "comment",
            comment.id,
            before=before,
            after={"themes": _theme_names(comment)},
        )
        changed += 1
    db.session.commit()
    return changed


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise ReviewError("a theme name has 1 to 120 characters")
    return name


def _name_taken(consultation_id: int, name: str, except_id: int | None = None) -> bool:
    # Compared in Python: SQL lower() leaves "É" alone on SQLite (and PostgreSQL's C locale).
    stmt = sa.select(Theme.name).where(Theme.consultation_id == consultation_id)
    if except_id is not None:
        stmt = stmt.where(Theme.id != except_id)
    return name.casefold() in {taken.casefold() for taken in db.session.scalars(stmt)}


def create_theme(consultation: Consultation, name: str, actor: User) -> Theme:
    name = _clean_name(name)
    if _name_taken(consultation.id, name):
        raise ReviewError("a theme with that name exists")
    theme = Theme(consultation_id=consultation.id, name=name)
    db.session.add(theme)
    db.session.flush()
    audit.record(actor, "theme.create", "theme", theme.id, after={"name": name})
    db.session.commit()
    return theme


def rename_theme(theme: Theme, name: str, actor: User) -> None:
    name = _clean_name(name)
    if name == theme.name:
        return
    if _name_taken(theme.consultation_id, name, except_id=theme.id):
        raise ReviewError("a theme with that name exists")
    before = {"name": theme.name}
    theme.name = name
    audit.record(actor, "theme.rename", "theme", theme.id, before=before, after={"name": name})
    db.session.commit()


def _move_tags(table: sa.Table, column: sa.Column, source: Theme, target: Theme) -> list[int]:
    """Give ``target`` the tags of ``source``, suggested ones still suggested; a tag that
    is confirmed on either side ends confirmed. Returns the ids tagged with ``source``."""
    moved = dict(
        db.session.execute(
            sa.select(column, table.c.suggested).where(table.c.theme_id == source.id)
        ).all()
    )
    already = dict(
        db.session.execute(
            sa.select(column, table.c.suggested).where(table.c.theme_id == target.id)
        ).all()
    )
    new = [{column.name: i, "theme_id": target.id, "suggested": s} for i, s in moved.items()
           if i not in already]  # fmt: skip
    if new:
        db.session.execute(sa.insert(table), new)
    confirm = [i for i, s in moved.items() if i in already and already[i] and not s]
    if confirm:
        db.session.execute(
            sa.update(table)
            .where(table.c.theme_id == target.id, column.in_(confirm))
            .values(suggested=False)
        )
    return sorted(moved)


def _decision_of(theme: Theme) -> OutcomeDecision | None:
    return db.session.scalar(sa.select(OutcomeDecision).filter_by(theme_id=theme.id))


def _outcome_of(theme: Theme) -> dict:
    """A theme's decision and the changes it is linked to, for the audit entry of a merge or
    a deletion (which would otherwise take them away without a trace)."""
    found: dict = {}
    decision = _decision_of(theme)
    if decision is not None:
        found["decision"] = {
            "decision": decision.decision.value,
            "reason_es": decision.reason_es,
            "reason_en": decision.reason_en,
        }
    changes = sorted(
        db.session.scalars(sa.select(change_theme.c.change_id).filter_by(theme_id=theme.id))
    )
    if changes:
        found["changes"] = changes
    return found


def merge_themes(source: Theme, target: Theme, actor: User) -> int:
    """Move every comment (and open answer) of ``source`` to ``target``, then delete
    ``source``."""
    if source.id == target.id or source.consultation_id != target.consultation_id:
        raise ReviewError("choose two different themes of the same consultation")
    moved_ids = _move_tags(comment_theme, comment_theme.c.comment_id, source, target)
    _move_tags(answer_theme, answer_theme.c.answer_id, source, target)
    before = {"name": source.name, "comments": len(moved_ids), **_outcome_of(source)}
    after = {"merged_into": target.id, "name": target.name}
    # What was decided and changed about the merged theme goes on with its comments: the
    # decision where the kept theme has none (its own wins), the changes it answered.
    decision = _decision_of(source)
    if decision is not None and _decision_of(target) is None:
        decision.theme_id = target.id
        after["decision_moved"] = True
    linked = set(
        db.session.scalars(sa.select(change_theme.c.change_id).filter_by(theme_id=target.id))
    )
    new = [
        {"change_id": c, "theme_id": target.id}
        for c in before.get("changes", [])
        if c not in linked
    ]
    if new:
        db.session.execute(sa.insert(change_theme), new)
    db.session.flush()
    audit.record(actor, "theme.merge", "theme", source.id, before=before, after=after)
    db.session.delete(source)
    db.session.commit()
    db.session.expire_all()
    return len(moved_ids)


def delete_theme(theme: Theme, actor: User) -> None:
    """Delete a theme; comments keep everything else."""
    tagged = db.session.scalar(
        sa.select(sa.func.count()).where(comment_theme.c.theme_id == theme.id)
    )
    before = {"name": theme.name, "comments": tagged, **_outcome_of(theme)}
    audit.record(actor, "theme.delete", "theme", theme.id, before=before)
    db.session.delete(theme)
    db.session.commit()
    db.session.expire_all()
