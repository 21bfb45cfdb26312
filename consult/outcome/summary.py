"""What became of what people said ("Lo que dijo, lo que hicimos"), read for publication.

One reading serves the public outcome pages and the final report's PDF alike:
``outcome_summary`` returns plain dataclasses, in the current locale's language, that
hold nothing a public page may not show:

- counts are of the comments a report counts (submitted responses, none refused as spam
  or duplicate); a theme counts only tags a person gave or confirmed, never suggested ones;
- a count of 1 to K−1 is printed as "<K", as the open report prints a small number of
  responses (K is the open-report threshold the caller passes);
- quotes are published comments (the redacted text where redacted) of authors who chose
  publication, named only if they chose to be; a quote names its author's stakeholder
  type only when the open report shows that type on its own (``shown_types``; ``quotes``);
- a decision applies to a comment as ``decisions.applied_decisions`` says: its own, else
  its confirmed themes', else its section's (``DecisionCount``).

SQL does the counting, a handful of queries whatever the number of comments.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import (
    Comment,
    Consultation,
    DraftChange,
    DraftVersion,
    OutcomeDecision,
    Response,
    Section,
    Theme,
    comment_theme,
)
from ..models.outcome import change_comment, change_theme
from ..models.response import flagged_responses
from ..models.vocab import (
    Decision,
    ResponseStatus,
)
from .quotes import Quote, theme_quotes

#: Decisions that say a contribution was not taken up.
NOT_TAKEN_UP = (Decision.NOT_ACCEPTED, Decision.OUT_OF_SCOPE)

#: A count as published: the number, or "<K" for 1 to K−1.
Count = int | str


@dataclass(frozen=True)
class Decided:
    """A decision with its public reason in the current language."""

    decision: Decision
    reason: str

    @property
    def taken_up(self) -> bool:
        return self.decision not in NOT_TAKEN_UP


@dataclass(frozen=True)
class ThemeOutcome:
    id: int
    name: str
    #: Comments tagged with it (in the section, on a section's page).
    comments: Count
    decision: Decided | None
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True)
class SectionOutcome:
    id: int
    key: str
    number: str
    title: str
    #: Comments on the section.
    comments: Count
    decision: Decided | None


@dataclass(frozen=True)
class LinkedTheme:
    """A theme a change answers, with how many comments it gathers (consultation-wide)."""

    name: str
    comments: Count


@dataclass(frozen=True)
class ChangeOutcome:
    """How a section changed in a version of the draft, and what it answers."""

    version: int
    #: What the version is, in a line ("Second draft, after the consultation").
    version_note: str
    section: SectionOutcome
    explanation: str
    themes: list[LinkedTheme]
    #: Comments linked to the change one by one (those a report counts).
    comments: Count


@dataclass(frozen=True)
class DecisionCount:
    """How many comments a decision applies to: their own, else their confirmed themes',
    else their section's (``outcome.decisions.applied_decisions``' order). A comment under
    two themes decided differently counts under both decisions."""

    decision: Decision
    #: Comments a decision of this kind applies to, at any level.
    applied: Count
    #: Of them, those answered one by one (their own decision).
    own: Count


@dataclass(frozen=True)
class NotTakenUp:
    """What was not taken up, and why: themes and sections so decided, and how many
    comments such a decision applies to."""

    themes: list[ThemeOutcome]
    sections: list[SectionOutcome]
    comments: list[DecisionCount]

    def __bool__(self) -> bool:
        return bool(self.themes or self.sections or self.comments)


@dataclass(frozen=True)
class OutcomeSummary:
    """Everything a "you said, we did" page or report shows besides participation."""

    slug: str
    #: The section of a section's page; None for the whole consultation.
    section: SectionOutcome | None
    #: K of the open-report rule the counts follow.
    min_cell: int
    #: Comments counted (on the section, on a section's page).
    comments: Count
    #: Themes with a confirmed comment (in scope) or a decision, most comments first.
    themes: list[ThemeOutcome]
    #: Sections with a decision, in reading order (on a section's page: that one only).
    sections: list[SectionOutcome]
    changes: list[ChangeOutcome]
    not_taken_up: NotTakenUp
    #: Comments per decision that applies to them (decisions that apply to none left out).
    comment_decisions: list[DecisionCount]


def published(n: int, k: int) -> Count:
    """A count as an open output prints it: "<K" for 1 to K−1."""
    return f"<{k}" if 0 < n < k else n


def _counted_comments(consultation_id: int) -> list[sa.ColumnElement[bool]]:
    """Comments of the responses a report counts (the reports' rule, read by id)."""
    return [
        Response.consultation_id == consultation_id,
        Response.status == ResponseStatus.SUBMITTED,
        Response.id.not_in(flagged_responses()),
    ]


def _comments_query(consultation_id: int, section_id: int | None) -> sa.Select:
    query = (
        sa.select(Comment.id)
        .join(Response, Response.id == Comment.response_id)
        .where(*_counted_comments(consultation_id))
    )
    if section_id is not None:
        query = query.where(Comment.section_id == section_id)
    return query


def _decided(row: OutcomeDecision | None) -> Decided | None:
    return Decided(row.decision, row.reason) if row is not None else None


def outcome_summary(
    consultation: Consultation,
    section: Section | None = None,
    *,
    min_cell: int,
    shown_types: Collection[str] = (),
) -> OutcomeSummary:
    """What was decided and changed, for the consultation or one of its sections.

    ``shown_types`` are the stakeholder types the open report shows on their own; a
    quote of another type names no type. Needs an app context (the locale's language).
    """
    cid, k = consultation.id, min_cell
    section_id = section.id if section is not None else None
    sections = {
        s.id: s
        for s in db.session.scalars(
            sa.select(Section).where(Section.consultation_id == cid).order_by(Section.position)
        )
    }
    decisions = db.session.scalars(
        sa.select(OutcomeDecision)
        .outerjoin(Theme, Theme.id == OutcomeDecision.theme_id)
        .outerjoin(Section, Section.id == OutcomeDecision.section_id)
        .where(sa.or_(Theme.consultation_id == cid, Section.consultation_id == cid))
    ).all()
    on_theme = {d.theme_id: _decided(d) for d in decisions if d.theme_id is not None}
    on_section = {d.section_id: _decided(d) for d in decisions if d.section_id is not None}
    counted = _comments_query(cid, section_id).subquery()

    per_section = dict(
        db.session.execute(
            sa.select(Comment.section_id, sa.func.count())
            .join(counted, counted.c.id == Comment.id)
            .group_by(Comment.section_id)
        ).all()
    )

    def section_outcome(s: Section) -> SectionOutcome:
        return SectionOutcome(
            s.id,
            s.key,
            s.number,
            s.title,
            published(per_section.get(s.id, 0), k),
            on_section.get(s.id),
        )

    themes = _themes(
        cid, counted, on_theme, k, set(shown_types), sections, scoped=section_id is not None
    )
    shown_sections = [
        section_outcome(s)
        for s in sections.values()
        if s.id in on_section and (section_id is None or s.id == section_id)
    ]
    comment_decisions = _decision_counts(counted, k)
    return OutcomeSummary(
        slug=consultation.slug,
        section=section_outcome(sections[section_id]) if section_id is not None else None,
        min_cell=k,
        comments=published(sum(per_section.values()), k),
        themes=themes,
        sections=shown_sections,
        changes=_changes(cid, section_id, sections, section_outcome, k),
        not_taken_up=NotTakenUp(
            themes=[t for t in themes if t.decision and not t.decision.taken_up],
            sections=[s for s in shown_sections if s.decision and not s.decision.taken_up],
            comments=[c for c in comment_decisions if c.decision in NOT_TAKEN_UP],
        ),
        comment_decisions=comment_decisions,
    )


def _decision_counts(counted: sa.Subquery, k: int) -> list[DecisionCount]:
    """Comments per decision that applies to them, and those answered one by one."""
    in_scope = sa.select(Comment.id, Comment.decision, Comment.section_id).join(
        counted, counted.c.id == Comment.id
    )
    own = in_scope.where(Comment.decision.is_not(None)).subquery()
    undecided = in_scope.where(Comment.decision.is_(None)).subquery()
    by_theme = (
        sa.select(undecided.c.id, OutcomeDecision.decision)
        .join(comment_theme, comment_theme.c.comment_id == undecided.c.id)
        .join(OutcomeDecision, OutcomeDecision.theme_id == comment_theme.c.theme_id)
        .where(~comment_theme.c.suggested)
        .distinct()
    )
    themed = sa.select(by_theme.subquery().c.id)
    by_section = (
        sa.select(undecided.c.id, OutcomeDecision.decision)
        .join(OutcomeDecision, OutcomeDecision.section_id == undecided.c.section_id)
        .where(undecided.c.id.not_in(themed))
    )
    applied = sa.union_all(sa.select(own.c.id, own.c.decision), by_theme, by_section).subquery()
    totals = dict(
        db.session.execute(
            sa.select(applied.c.decision, sa.func.count()).group_by(applied.c.decision)
        ).all()
    )
    answered = dict(
        db.session.execute(
            sa.select(own.c.decision, sa.func.count()).group_by(own.c.decision)
        ).all()
    )
    return [
        DecisionCount(d, published(totals[d], k), published(answered.get(d, 0), k))
        for d in Decision
        if totals.get(d)
    ]


def _themes(
    cid: int,
    counted: sa.Subquery,
    decided: dict[int, Decided | None],
    k: int,
    shown_types: set[str],
    sections: dict[int, Section],
    *,
    scoped: bool,
) -> list[ThemeOutcome]:
    """Themes with confirmed comments in scope, or with a decision (when the scope is the
    whole consultation), most comments first, each with a few published quotes."""
    names = dict(
        db.session.execute(
            sa.select(Theme.id, Theme.name).where(Theme.consultation_id == cid)
        ).all()
    )
    tagged = sa.and_(comment_theme.c.comment_id == counted.c.id, ~comment_theme.c.suggested)
    counts = dict(
        db.session.execute(
            sa.select(comment_theme.c.theme_id, sa.func.count())
            .select_from(comment_theme)
            .join(counted, tagged)
            .group_by(comment_theme.c.theme_id)
        ).all()
    )
    ids = [i for i in names if counts.get(i) or (i in decided and not scoped)]
    ids.sort(key=lambda i: (-counts.get(i, 0), names[i].casefold()))
    quotes = theme_quotes(counted, ids, shown_types, sections)
    return [
        ThemeOutcome(i, names[i], published(counts.get(i, 0), k), decided.get(i), quotes.get(i, []))
        for i in ids
    ]


def _changes(
    cid: int,
    section_id: int | None,
    sections: dict[int, Section],
    section_outcome,
    k: int,
) -> list[ChangeOutcome]:
    """Changes made in versions after the first, by version then reading order."""
    query = (
        sa.select(DraftChange)
        .join(DraftChange.version)
        .options(contains_eager(DraftChange.version))
        .where(DraftVersion.consultation_id == cid, DraftVersion.number > 1)
        .order_by(DraftVersion.number)
    )
    if section_id is not None:
        query = query.where(DraftChange.section_id == section_id)
    changes = db.session.scalars(query).all()
    if not changes:
        return []
    ids = [c.id for c in changes]
    theme_counts = _theme_counts(cid)
    linked_themes: dict[int, list[tuple[int, str]]] = {}
    for change_id, theme_id, name in db.session.execute(
        sa.select(change_theme.c.change_id, Theme.id, Theme.name)
        .join(Theme, Theme.id == change_theme.c.theme_id)
        .where(change_theme.c.change_id.in_(ids))
        .order_by(Theme.name)
    ).all():
        linked_themes.setdefault(change_id, []).append((theme_id, name))
    counted = _comments_query(cid, None).subquery()
    linked_comments = dict(
        db.session.execute(
            sa.select(change_comment.c.change_id, sa.func.count())
            .join(counted, counted.c.id == change_comment.c.comment_id)
            .where(change_comment.c.change_id.in_(ids))
            .group_by(change_comment.c.change_id)
        ).all()
    )
    versions = {c.version_id: c.version for c in changes}
    position = {s_id: i for i, s_id in enumerate(sections)}
    changes = sorted(changes, key=lambda c: (versions[c.version_id].number, position[c.section_id]))
    return [
        ChangeOutcome(
            version=versions[c.version_id].number,
            version_note=versions[c.version_id].note,
            section=section_outcome(sections[c.section_id]),
            explanation=c.explanation,
            themes=[
                LinkedTheme(name, published(theme_counts.get(theme_id, 0), k))
                for theme_id, name in linked_themes.get(c.id, [])
            ],
            comments=published(linked_comments.get(c.id, 0), k),
        )
        for c in changes
    ]


def _theme_counts(cid: int) -> dict[int, int]:
    """Confirmed tags per theme on counted comments, consultation-wide."""
    counted = _comments_query(cid, None).subquery()
    return dict(
        db.session.execute(
            sa.select(comment_theme.c.theme_id, sa.func.count())
            .select_from(comment_theme)
            .join(counted, counted.c.id == comment_theme.c.comment_id)
            .where(~comment_theme.c.suggested)
            .group_by(comment_theme.c.theme_id)
        ).all()
    )
