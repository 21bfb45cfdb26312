"""Coordinators' operations on what people said: moderate, redact, decide, add notes.

Each one is a single transaction that writes one audit entry per object it changes.
Views validate input and call these; nothing here knows about ``request``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..extensions import db
from ..models import Comment, Note, Response, User
from ..models.columns import utcnow
from ..models.vocab import Decision, ModerationState, RejectionReason
from . import audit

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
