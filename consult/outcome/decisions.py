"""Decisions on a theme or a section, and which decision applies to each comment.

A comment's own decision (``reviewing.decide``) comes first; a comment without one takes
the decisions of its confirmed themes (each one decided); a comment with neither takes
its section's. ``decide_theme`` and ``decide_section`` write one transaction with one
audit entry; ``applied_decisions`` reads what applies to many comments in at most three
queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Comment, Section, Theme, User, comment_theme
from ..models.columns import current_language, utcnow
from ..models.outcome import OutcomeDecision
from ..models.vocab import Decision
from ..responding.changes import note_public_change
from ..reviewing import audit

#: How many ids go into one ``IN (…)`` (well under SQLite's limit on bound values).
_CHUNK = 500
_FIELDS = ("decision", "reason_es", "reason_en")
_SAME_MOMENT = _l(
    "Someone else decided on this at the same moment. Nothing was saved: look at the"
    " decision now recorded, then try again."
)


class DecisionRefused(Exception):
    """A decision that cannot be recorded as given; its message is for the person, and
    ``field`` names the form field it is about (or None)."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


def _target(column, target_id: int) -> OutcomeDecision | None:
    return db.session.scalar(sa.select(OutcomeDecision).where(column == target_id))


def _state(row: OutcomeDecision | None) -> dict[str, Any] | None:
    return audit.snapshot(row, *_FIELDS) if row is not None else None


def _decide(
    kind: str,
    target_id: int,
    decision: Decision | str | None,
    reason_es: str,
    reason_en: str,
    actor: User,
) -> bool:
    """Set or clear the decision on one theme or section; whether anything changed."""
    reason_es, reason_en = (reason_es or "").strip(), (reason_en or "").strip()
    if decision:
        try:
            decision = Decision(decision)
        except ValueError:
            raise DecisionRefused(
                _l("Please choose a decision from the list."), "decision"
            ) from None
        if not reason_es:
            raise DecisionRefused(_l("A decision needs a public reason in Spanish."), "reason_es")
        if not reason_en:
            raise DecisionRefused(_l("A decision needs a public reason in English."), "reason_en")
    column = OutcomeDecision.theme_id if kind == "theme" else OutcomeDecision.section_id
    actor_id = actor.id  # read before a row is added: nothing flushes until the try below
    row = _target(column, target_id)
    before = _state(row)
    if not decision:
        if row is None:
            return False
        db.session.delete(row)
        after = None
    else:
        after = {"decision": decision.value, "reason_es": reason_es, "reason_en": reason_en}
        if after == before:
            return False
        if row is None:
            row = OutcomeDecision(**{f"{kind}_id": target_id})
            db.session.add(row)
        row.decision, row.reason_es, row.reason_en = decision, reason_es, reason_en
        row.decided_at, row.decided_by_id = utcnow(), actor_id
    try:
        db.session.flush()
        audit.record(actor, f"{kind}.decide", kind, target_id, before=before, after=after)
        note_public_change(db.session)
        db.session.commit()
    except sa.exc.IntegrityError as exc:  # another person decided it first, at the same moment
        db.session.rollback()
        raise DecisionRefused(_SAME_MOMENT) from exc
    return True


def decide_theme(
    theme: Theme,
    decision: Decision | str | None,
    reason_es: str,
    reason_en: str,
    actor: User,
) -> bool:
    """Record (or with None clear) what was decided about a theme, with a public reason in
    each language; whether anything changed. ``DecisionRefused`` writes nothing."""
    return _decide("theme", theme.id, decision, reason_es, reason_en, actor)


def decide_section(
    section: Section,
    decision: Decision | str | None,
    reason_es: str,
    reason_en: str,
    actor: User,
) -> bool:
    """Record (or with None clear) what was decided about a section, with a public reason
    in each language; whether anything changed. ``DecisionRefused`` writes nothing."""
    return _decide("section", section.id, decision, reason_es, reason_en, actor)


def decision_on_theme(theme: Theme) -> OutcomeDecision | None:
    return _target(OutcomeDecision.theme_id, theme.id)


def decision_on_section(section: Section) -> OutcomeDecision | None:
    return _target(OutcomeDecision.section_id, section.id)


def theme_decisions(consultation_id: int) -> dict[int, OutcomeDecision]:
    """Each decided theme of the consultation's, by theme id, in one query."""
    rows = db.session.scalars(
        sa.select(OutcomeDecision)
        .join(Theme, Theme.id == OutcomeDecision.theme_id)
        .where(Theme.consultation_id == consultation_id)
    )
    return {row.theme_id: row for row in rows}


def section_decisions(consultation_id: int) -> dict[int, OutcomeDecision]:
    """Each decided section of the consultation's, by section id, in one query."""
    rows = db.session.scalars(
        sa.select(OutcomeDecision)
        .join(Section, Section.id == OutcomeDecision.section_id)
        .where(Section.consultation_id == consultation_id)
    )
    return {row.section_id: row for row in rows}


# ---------------------------------------------------------------- what applies to a comment


class Level(StrEnum):
    """Where a decision that applies to a comment was taken."""

    COMMENT = "comment"
    THEME = "theme"
    SECTION = "section"


@dataclass(frozen=True)
class Applied:
    """A decision that applies to a comment, with its public reason in each language."""

    level: Level
    decision: Decision
    reason_es: str
    reason_en: str
    #: The theme decided on (level THEME).
    theme_id: int | None = None
    theme_name: str | None = None
    #: The section decided on (level SECTION).
    section_id: int | None = None
    section_number: str | None = None

    @property
    def reason(self) -> str:
        """The reason in the request's language (Spanish where there is no other)."""
        if current_language() == "en" and self.reason_en:
            return self.reason_en
        return self.reason_es


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def applied_decisions(comments: Iterable[Any]) -> dict[int, list[Applied]]:
    """For each comment (anything with an ``id``), the decisions that apply to it, by id:
    its own; else each decided confirmed theme's (by theme name); else its section's;
    else an empty list. At most three queries per 500 comments."""
    ids = sorted({c.id for c in comments})
    result: dict[int, list[Applied]] = {i: [] for i in ids}
    sections: dict[int, int] = {}
    for chunk in _chunks(ids):
        rows = db.session.execute(
            sa.select(
                Comment.id, Comment.section_id, Comment.decision, Comment.decision_reason
            ).where(Comment.id.in_(chunk))
        )
        for comment_id, section_id, decision, reason in rows:
            if decision is not None:
                reason = reason or ""
                result[comment_id].append(Applied(Level.COMMENT, decision, reason, reason))
            else:
                sections[comment_id] = section_id
    themed = list(sections)
    for chunk in _chunks(themed):
        rows = db.session.execute(
            sa.select(
                comment_theme.c.comment_id,
                Theme.id,
                Theme.name,
                OutcomeDecision.decision,
                OutcomeDecision.reason_es,
                OutcomeDecision.reason_en,
            )
            .join(Theme, Theme.id == comment_theme.c.theme_id)
            .join(OutcomeDecision, OutcomeDecision.theme_id == Theme.id)
            .where(comment_theme.c.comment_id.in_(chunk), ~comment_theme.c.suggested)
            .order_by(comment_theme.c.comment_id, Theme.name)
        )
        for comment_id, theme_id, name, decision, reason_es, reason_en in rows:
            result[comment_id].append(
                Applied(
                    Level.THEME, decision, reason_es, reason_en, theme_id=theme_id, theme_name=name
                )
            )
    left = {cid: sid for cid, sid in sections.items() if not result[cid]}
    if left:
        rows = db.session.execute(
            sa.select(
                OutcomeDecision.section_id,
                Section.number,
                OutcomeDecision.decision,
                OutcomeDecision.reason_es,
                OutcomeDecision.reason_en,
            )
            .join(Section, Section.id == OutcomeDecision.section_id)
            .where(OutcomeDecision.section_id.in_(set(left.values())))
        )
        by_section = {
            section_id: Applied(
                Level.SECTION,
                decision,
                reason_es,
                reason_en,
                section_id=section_id,
                section_number=number,
            )
            for section_id, number, decision, reason_es, reason_en in rows
        }
        for comment_id, section_id in left.items():
            if section_id in by_section:
                result[comment_id].append(by_section[section_id])
    return result
