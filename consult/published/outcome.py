"""Themes and decisions as the published outcome shows them, in both languages.

Public only once the outcome is published (``Stage.OUTCOME``), as the outcome pages
(``public.outcome_pages``) are; before, every reader here returns nothing. The counts are
``outcome.summary.outcome_summary``'s (comments a report counts, confirmed tags only,
"<K" for 1 to K−1) and the reasons those the organiser wrote for the public in each
language (``outcome.decisions``).

A comment's own decision is shown to the public only as a number: the outcome page
counts the comments each decision applies to (``DecisionCount``) and names no comment;
the decision on one comment and its reason are read by its author alone, on their
private page. So ``public_decisions`` gives those counts, never a comment's decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Consultation, OutcomeDecision
from ..models.vocab import Decision
from ..outcome.decisions import section_decisions, theme_decisions
from ..outcome.summary import Count, OutcomeSummary, outcome_summary
from .comments import outcome_public
from .figures import open_figures

__all__ = [
    "CommentDecisionCount",
    "PublicDecision",
    "PublicDecisions",
    "PublicTheme",
    "SectionDecision",
    "outcome_public",
    "public_decisions",
    "public_themes",
]


@dataclass(frozen=True)
class PublicDecision:
    """A decision with the reason published for it, in each language."""

    decision: Decision
    reason_es: str
    reason_en: str

    @classmethod
    def of(cls, row: OutcomeDecision | None) -> PublicDecision | None:
        return cls(row.decision, row.reason_es, row.reason_en) if row is not None else None


@dataclass(frozen=True)
class PublicTheme:
    """A theme of the outcome: confirmed comments counted, and what was decided."""

    id: int
    #: As the coordinators named it (a theme has one name, in the language they wrote).
    name: str
    #: Counted comments a person tagged with it; "<K" for 1 to K−1.
    comments: Count
    decision: PublicDecision | None


@dataclass(frozen=True)
class SectionDecision:
    """What was decided about a section of the draft."""

    id: int
    key: str
    number: str
    title_es: str
    title_en: str
    #: Counted comments on the section; "<K" for 1 to K−1.
    comments: Count
    decision: PublicDecision


@dataclass(frozen=True)
class CommentDecisionCount:
    """How many counted comments a decision applies to (their own, else their themes',
    else their section's), and how many of them were answered one by one."""

    decision: Decision
    applied: Count
    own: Count


@dataclass(frozen=True)
class PublicDecisions:
    """Every public decision of a consultation's outcome."""

    themes: tuple[PublicTheme, ...]
    sections: tuple[SectionDecision, ...]
    comments: tuple[CommentDecisionCount, ...]


def _summary(consultation: Consultation) -> OutcomeSummary:
    figures = open_figures(consultation)
    return outcome_summary(consultation, min_cell=figures.min_cell, shown_types=figures.shown_types)


def public_themes(consultation: Consultation) -> tuple[PublicTheme, ...]:
    """The outcome's themes (with a confirmed counted comment, or decided), most comments
    first; none before the outcome is published."""
    if not outcome_public(consultation):
        return ()
    decided = theme_decisions(consultation.id)
    return tuple(
        PublicTheme(t.id, t.name, t.comments, PublicDecision.of(decided.get(t.id)))
        for t in _summary(consultation).themes
    )


def public_decisions(consultation: Consultation) -> PublicDecisions:
    """Decisions on themes and sections with their reasons in both languages, and the
    number of comments each decision applies to; empty before the outcome is published."""
    if not outcome_public(consultation):
        return PublicDecisions((), (), ())
    summary = _summary(consultation)
    on_themes = theme_decisions(consultation.id)
    on_sections = section_decisions(consultation.id)
    sections = {s.id: s for s in consultation.sections}
    return PublicDecisions(
        themes=tuple(
            PublicTheme(t.id, t.name, t.comments, PublicDecision.of(on_themes[t.id]))
            for t in summary.themes
            if t.id in on_themes
        ),
        sections=tuple(
            SectionDecision(
                s.id,
                s.key,
                s.number,
                sections[s.id].title_es,
                sections[s.id].title_en,
                s.comments,
                PublicDecision.of(on_sections[s.id]),
            )
            for s in summary.sections
            if s.id in on_sections
        ),
        comments=tuple(
            CommentDecisionCount(c.decision, c.applied, c.own) for c in summary.comment_decisions
        ),
    )
