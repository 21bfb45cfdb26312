"""A respondent's comment on one passage of a section, and the wording they propose for it.

Kept as a ``Comment`` with the passage's anchor, so moderation, publication, themes,
decisions and reports treat it as they treat the section's own comment. One per response
and passage (the database's unique key); saving again rewrites it, and changed words go
back to moderation as an edited section comment does.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.passages import Passage
from ..extensions import db
from ..models import Comment, Section
from ..models.columns import utcnow
from ..models.vocab import ModerationState
from .changes import note_public_change
from .operations import ensure_writable
from .own_response import OwnComment, OwnResponse
from .saving import touch

_COMMENT = Comment.__table__


@dataclass(frozen=True)
class PassageInput:
    """What the passage's form gives: a comment, what it contributes to, new wording."""

    text: str
    contribution: str | None = None
    #: The wording proposed instead of the passage's; "" or the passage's own: none.
    proposal: str = ""


def passage_comment(response: OwnResponse, section: Section, anchor: str) -> OwnComment | None:
    return next(
        (c for c in response.comments if c.section_id == section.id and c.anchor == anchor), None
    )


def _proposal(value: str, passage: Passage) -> str | None:
    """The proposal as stored: words as written, or None where it proposes nothing."""
    words = " ".join((value or "").split())
    return words if words and words != passage.text else None


def save_passage_comment(
    response: OwnResponse, section: Section, passage: Passage, given: PassageInput
) -> bool:
    """Write (or, when both are blank, delete) the response's comment and proposal on a
    passage, in one transaction. ``passage`` is as the respondent read it (their
    language). Whether anything changed."""
    ensure_writable(response.consultation, response)
    current = passage_comment(response, section, passage.anchor)
    text = (given.text or "").strip()
    proposal = _proposal(given.proposal, passage)
    contribution = given.contribution if text else None
    now = utcnow()
    connection = db.session.connection()
    shown = current is not None and current.moderation is ModerationState.PUBLISHED
    if not text and proposal is None:
        if current is None:
            return False
        connection.execute(_COMMENT.delete().where(_COMMENT.c.id == current.id))
    elif current is None:
        connection.execute(
            _COMMENT.insert().values(
                response_id=response.id,
                section_id=section.id,
                anchor=passage.anchor,
                passage_text=passage.text,
                text=text,
                contribution=contribution,
                proposal=proposal,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        if (current.text, current.contribution, current.proposal) == (
            text,
            contribution,
            proposal,
        ):
            return False
        values = {
            "text": text,
            "contribution": contribution,
            "proposal": proposal,
            "passage_text": passage.text,
            "updated_at": now,
        }
        if text != current.text or proposal != current.proposal:
            # Changed words need a fresh look before anyone reads them publicly.
            values |= {
                "moderation": ModerationState.PENDING,
                "rejection_reason": None,
                "redacted_text": None,
            }
        connection.execute(_COMMENT.update().where(_COMMENT.c.id == current.id).values(**values))
    touch(connection, response.id, now)
    if shown:
        note_public_change(db.session)
    db.session.commit()
    return True
