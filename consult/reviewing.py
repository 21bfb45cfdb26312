"""Operations of coordinators: moderate, redact, decide, tag, manage themes, add notes.

Each one is a single transaction that writes one audit entry per object it changes.
Views validate input and call these; nothing here knows about ``request``.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from . import audit
from .extensions import db
from .models import Comment, Consultation, Note, Response, Theme, User, comment_theme
from .models.columns import utcnow
from .models.vocab import Decision, ModerationState, RejectionReason

_MODERATION = ("moderation", "rejection_reason", "redacted_text")
_DECISION = ("decision", "decision_reason")


class ReviewError(Exception):
    """A refused review action; the message says why."""


def moderate(
    comments: Iterable[Comment],
    state: ModerationState,
    actor: User,
    reason: RejectionReason | None = None,
) -> int:
    """Publish, refuse (with a reason) or return comments to pending; return how many changed."""
    state = ModerationState(state)
    if state is ModerationState.REJECTED and reason is None:
        raise ReviewError("a comment that is not published needs a reason")
    reason = RejectionReason(reason) if state is ModerationState.REJECTED else None
    changed = 0
    now = utcnow()
    for comment in comments:
        before = audit.snapshot(comment, *_MODERATION)
        comment.moderation = state
        comment.rejection_reason = reason
        after = audit.snapshot(comment, *_MODERATION)
        if after == before:
            continue
        comment.moderated_at, comment.moderated_by_id = now, actor.id
        audit.record(actor, "comment.moderate", "comment", comment.id, before=before, after=after)
        changed += 1
    db.session.commit()
    return changed


def redact(comment: Comment, text: str, actor: User) -> None:
    """Publish a redacted text in place of the original, which is kept for coordinators.

    An empty text removes the redaction (the original is what the public then reads).
    """
    before = audit.snapshot(comment, *_MODERATION)
    text = text.strip()
    comment.redacted_text = text or None
    if text:
        comment.moderation = ModerationState.PUBLISHED
        comment.rejection_reason = None
    after = audit.snapshot(comment, *_MODERATION)
    if after == before:
        return
    comment.moderated_at, comment.moderated_by_id = utcnow(), actor.id
    audit.record(actor, "comment.redact", "comment", comment.id, before=before, after=after)
    db.session.commit()


def decide(comment: Comment, decision: Decision | None, reason: str, actor: User) -> None:
    """Record what was decided about a contribution, with a short public reason."""
    reason = reason.strip()
    if decision and not reason:
        raise ReviewError("a decision needs a short reason")
    before = audit.snapshot(comment, *_DECISION)
    comment.decision = Decision(decision) if decision else None
    comment.decision_reason = reason if decision else None
    after = audit.snapshot(comment, *_DECISION)
    if after == before:
        return
    comment.decided_at, comment.decided_by_id = utcnow(), actor.id
    audit.record(actor, "comment.decide", "comment", comment.id, before=before, after=after)
    db.session.commit()


def add_note(
    actor: User, text: str, *, response: Response | None = None, comment: Comment | None = None
) -> Note:
    """An internal note on a response or on a comment, seen only by coordinators."""
    if (response is None) == (comment is None):
        raise ReviewError("a note belongs to a response or to a comment")
    if not text.strip():
        raise ReviewError("a note needs some text")
    note = Note(
        author_id=actor.id,
        text=text.strip(),
        response_id=response.id if response else None,
        comment_id=comment.id if comment else None,
    )
    db.session.add(note)
    db.session.flush()
    audit.record(
        actor,
        "note.add",
        "response" if response else "comment",
        (response or comment).id,
        after={"note_id": note.id, "text": note.text},
    )
    db.session.commit()
    return note


# ---------------------------------------------------------------- themes


def _theme_names(comment: Comment) -> list[str]:
    return [t.name for t in comment.themes]


def tag(comments: Iterable[Comment], theme: Theme, actor: User, *, add: bool = True) -> int:
    """Add a theme to comments (or remove it); return how many changed."""
    changed = 0
    for comment in comments:
        present = any(t.id == theme.id for t in comment.themes)
        if present == add:
            continue
        before = {"themes": _theme_names(comment)}
        if add:
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


def merge_themes(source: Theme, target: Theme, actor: User) -> int:
    """Move every comment of ``source`` to ``target``, then delete ``source``."""
    if source.id == target.id or source.consultation_id != target.consultation_id:
        raise ReviewError("choose two different themes of the same consultation")
    moved_ids = db.session.scalars(
        sa.select(comment_theme.c.comment_id).where(comment_theme.c.theme_id == source.id)
    ).all()
    already = set(
        db.session.scalars(
            sa.select(comment_theme.c.comment_id).where(comment_theme.c.theme_id == target.id)
        )
    )
    new = [cid for cid in moved_ids if cid not in already]
    if new:
        db.session.execute(
            sa.insert(comment_theme), [{"comment_id": cid, "theme_id": target.id} for cid in new]
        )
    audit.record(
        actor,
        "theme.merge",
        "theme",
        source.id,
        before={"name": source.name, "comments": len(moved_ids)},
        after={"merged_into": target.id, "name": target.name},
    )
    db.session.delete(source)
    db.session.commit()
    db.session.expire_all()
    return len(moved_ids)


def delete_theme(theme: Theme, actor: User) -> None:
    """Delete a theme; comments keep everything else."""
    tagged = db.session.scalar(
        sa.select(sa.func.count()).where(comment_theme.c.theme_id == theme.id)
    )
    audit.record(
        actor, "theme.delete", "theme", theme.id, before={"name": theme.name, "comments": tagged}
    )
    db.session.delete(theme)
    db.session.commit()
    db.session.expire_all()
