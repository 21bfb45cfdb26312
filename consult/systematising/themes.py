"""Suggested themes of a consultation: found per section (its comments) and per open
question (its answers), stored for a coordinator to accept, rename, merge, split or reject.

A run replaces only the suggestions nobody has decided on. Accepted and rejected ones stay,
and a new run does not suggest them again: a found theme whose top terms overlap a decided
one's by half or more (Jaccard) is left out. Terms are stored as people wrote them ("datos")
and compared as lemmas (``topic_model.signature``), so other forms of the same words in a
new run still match. Runs never tag anything; only accepting does
(``suggestions.accept``), and those tags count nowhere until a person confirms them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..insight import themes as topic_model
from ..models import (
    Answer,
    Comment,
    Consultation,
    InsightRun,
    Question,
    Response,
    Section,
    SuggestionMember,
    ThemeSuggestion,
)
from ..models.vocab import ModerationState, QuestionType, ResponseStatus, Verdict
from .runs import Progress

#: A found theme this close to a decided one (Jaccard of top terms) is that one again.
SAME_THEME = 0.5
#: Open questions: the ones answered in words.
TEXT_TYPES = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)

#: ("section", id) or ("question", id).
Scope = tuple[str, int]


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a or b else 0.0


def _comments(consultation: Consultation) -> dict[Scope, list[tuple[int, int, str]]]:
    """(comment id, respondent, text) per section: submitted, not refused by moderation.

    The redacted text where there is one, so no personal data a coordinator removed ends
    up in a label or a quote.
    """
    rows = db.session.execute(
        sa.select(
            Comment.section_id,
            Comment.id,
            Comment.response_id,
            sa.func.coalesce(Comment.redacted_text, Comment.text),
        )
        .join(Response, Response.id == Comment.response_id)
        .where(
            Response.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED,
            Comment.moderation != ModerationState.REJECTED,
        )
        .order_by(Comment.id)
    )
    found: dict[Scope, list[tuple[int, int, str]]] = defaultdict(list)
    for section_id, comment_id, respondent, text in rows:
        if text and text.strip():
            found[("section", section_id)].append((comment_id, respondent, text))
    return found


def _answers(consultation: Consultation) -> dict[Scope, list[tuple[int, int, str]]]:
    """(answer id, respondent, text) per open question, of submitted responses."""
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.id, Answer.response_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Response.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED,
            Question.type.in_(TEXT_TYPES),
        )
        .order_by(Answer.id)
    )
    found: dict[Scope, list[tuple[int, int, str]]] = defaultdict(list)
    for question_id, answer_id, respondent, text in rows:
        if text and text.strip():
            found[("question", question_id)].append((answer_id, respondent, text))
    return found


def _decided(consultation: Consultation) -> dict[Scope, list[set[str]]]:
    """The lemmas of the top terms of every accepted or rejected suggestion, per section or
    question (``topic_model.signature``)."""
    rows = db.session.execute(
        sa.select(
            ThemeSuggestion.section_id, ThemeSuggestion.question_id, ThemeSuggestion.terms
        ).where(
            ThemeSuggestion.consultation_id == consultation.id,
            ThemeSuggestion.verdict != Verdict.SUGGESTED,
        )
    )
    decided: dict[Scope, list[set[str]]] = defaultdict(list)
    for section_id, question_id, terms in rows:
        scope = ("section", section_id) if section_id else ("question", question_id)
        decided[scope].append(topic_model.signature(terms or []))
    return decided


def _scope_name(scope: Scope) -> str:
    kind, key = scope
    model = Section if kind == "section" else Question
    column = Section.number if kind == "section" else Question.key
    return f"{kind} {db.session.scalar(sa.select(column).where(model.id == key))}"


def analyse(consultation: Consultation, run: InsightRun, progress: Progress) -> dict[str, Any]:
    """Find themes per section and per open question; store them in one transaction."""
    max_themes = int((run.parameters or {}).get("max_themes", 12))
    scopes = {**_comments(consultation), **_answers(consultation)}
    decided = _decided(consultation)
    names = {scope: _scope_name(scope) for scope in scopes}
    db.session.commit()  # end the read before the progress connection writes
    found: list[tuple[Scope, topic_model.Suggestion, list[tuple[int, int, str]]]] = []
    again = 0
    for done, (scope, rows) in enumerate(sorted(scopes.items())):
        progress(0.9 * done / max(1, len(scopes)), names[scope])
        result = topic_model.suggest(
            [text for _, _, text in rows], [who for _, who, _ in rows], max_themes=max_themes
        )
        for suggestion in result.suggestions:
            lemmas = topic_model.signature(suggestion.terms)
            if any(jaccard(lemmas, terms) >= SAME_THEME for terms in decided[scope]):
                again += 1
                continue
            found.append((scope, suggestion, rows))
    progress(0.95, "storing")
    stored = _store(consultation, run, found)
    return {"suggestions": stored, "suggestions_decided_before": again}


def _store(
    consultation: Consultation,
    run: InsightRun,
    found: list[tuple[Scope, topic_model.Suggestion, list[tuple[int, int, str]]]],
) -> int:
    """Replace the undecided suggestions with the new ones; commit once."""
    undecided = sa.select(ThemeSuggestion.id).where(
        ThemeSuggestion.consultation_id == consultation.id,
        ThemeSuggestion.verdict == Verdict.SUGGESTED,
    )
    db.session.execute(
        sa.delete(SuggestionMember).where(SuggestionMember.suggestion_id.in_(undecided))
    )
    db.session.execute(
        sa.delete(ThemeSuggestion).where(ThemeSuggestion.id.in_(undecided.scalar_subquery()))
    )
    members: list[dict[str, Any]] = []
    for scope, suggestion, rows in found:
        stored = add_suggestion(consultation.id, scope, suggestion, run.id)
        members.extend(member_rows(stored.id, scope, suggestion, rows))
    if members:
        db.session.execute(sa.insert(SuggestionMember), members)
    db.session.commit()
    return len(found)


def add_suggestion(
    consultation_id: int, scope: Scope, suggestion: topic_model.Suggestion, run_id: int | None
) -> ThemeSuggestion:
    """A found theme as an undecided row (flushed, members apart)."""
    kind, key = scope
    stored = ThemeSuggestion(
        consultation_id=consultation_id,
        run_id=run_id,
        section_id=key if kind == "section" else None,
        question_id=key if kind == "question" else None,
        label=suggestion.label,
        terms=suggestion.terms,
        phrases=suggestion.phrases,
        size=suggestion.size,
        verdict=Verdict.SUGGESTED,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def member_rows(
    suggestion_id: int,
    scope: Scope,
    suggestion: topic_model.Suggestion,
    rows: list[tuple[int, int, str]],
) -> list[dict[str, Any]]:
    """The members of a found theme as ``suggestion_member`` rows."""
    column = "comment_id" if scope[0] == "section" else "answer_id"
    other = "answer_id" if column == "comment_id" else "comment_id"
    quotes = set(suggestion.quotes)
    return [
        {
            "suggestion_id": suggestion_id,
            column: rows[index][0],
            other: None,
            "weight": weight,
            "quote": index in quotes,
        }
        for index, weight in suggestion.members
    ]


def stakeholder_mix(suggestion_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Respondents of each suggestion per stakeholder type, in one query."""
    ids = list(suggestion_ids)
    if not ids:
        return {}
    respondent = sa.func.coalesce(Comment.response_id, Answer.response_id)
    rows = db.session.execute(
        sa.select(SuggestionMember.suggestion_id, Response.stakeholder_type, sa.func.count())
        .select_from(SuggestionMember)
        .outerjoin(Comment, Comment.id == SuggestionMember.comment_id)
        .outerjoin(Answer, Answer.id == SuggestionMember.answer_id)
        .join(Response, Response.id == respondent)
        .where(SuggestionMember.suggestion_id.in_(ids))
        .group_by(SuggestionMember.suggestion_id, Response.stakeholder_type)
    )
    mix: dict[int, dict[str, int]] = defaultdict(dict)
    for suggestion_id, stakeholder, count in rows:
        mix[suggestion_id][stakeholder] = count
    return {
        i: dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))) for i, kinds in mix.items()
    }
