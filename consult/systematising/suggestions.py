"""A coordinator's decisions on suggested themes and on the tags they leave.

Accepting a suggestion makes it a theme and tags its comments (or open answers) as
*suggested*: those tags count nowhere until a person confirms them, one by one or all at
once. Renaming, merging and splitting reshape a suggestion before anyone accepts it;
rejecting it keeps it, so a new run does not suggest it again. Each operation is one
transaction with one audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..insight import themes as topic_model
from ..models import (
    Answer,
    Comment,
    SuggestionMember,
    Theme,
    ThemeSuggestion,
    User,
    answer_theme,
    comment_theme,
)
from ..models.columns import utcnow
from ..models.vocab import Verdict
from ..reviewing import audit
from ..reviewing.moderation import ReviewError
from ..reviewing.themes import _clean_name, _name_taken
from .themes import Scope, add_suggestion, member_rows


def scope_of(suggestion: ThemeSuggestion) -> Scope:
    if suggestion.section_id is not None:
        return ("section", suggestion.section_id)
    return ("question", suggestion.question_id)


def _open(suggestion: ThemeSuggestion) -> None:
    if suggestion.verdict is not Verdict.SUGGESTED:
        raise ReviewError(_l("this suggestion has been decided already"))


def _decide(suggestion: ThemeSuggestion, verdict: Verdict, actor: User) -> None:
    suggestion.verdict = verdict
    suggestion.decided_at = utcnow()
    suggestion.decided_by_id = actor.id


def _member_ids(suggestion: ThemeSuggestion) -> tuple[list[int], list[int]]:
    comments = [m.comment_id for m in suggestion.members if m.comment_id is not None]
    answers = [m.answer_id for m in suggestion.members if m.answer_id is not None]
    return comments, answers


def accept(suggestion: ThemeSuggestion, actor: User, label: str | None = None) -> Theme:
    """Make the suggestion a theme; tag its members as suggested, for a person to confirm."""
    _open(suggestion)
    name = _clean_name(label if label is not None else suggestion.label)
    if _name_taken(suggestion.consultation_id, name):
        raise ReviewError(_l("a theme with that name exists"))
    theme = Theme(consultation_id=suggestion.consultation_id, name=name)
    db.session.add(theme)
    db.session.flush()
    comments, answers = _member_ids(suggestion)
    if comments:
        db.session.execute(
            sa.insert(comment_theme),
            [{"comment_id": i, "theme_id": theme.id, "suggested": True} for i in comments],
        )
    if answers:
        db.session.execute(
            sa.insert(answer_theme),
            [{"answer_id": i, "theme_id": theme.id, "suggested": True} for i in answers],
        )
    before = {"label": suggestion.label, "verdict": suggestion.verdict}
    suggestion.label = name
    suggestion.theme_id = theme.id
    _decide(suggestion, Verdict.CONFIRMED, actor)
    audit.record(
        actor,
        "suggestion.accept",
        "theme_suggestion",
        suggestion.id,
        before=before,
        after={
            "verdict": suggestion.verdict,
            "theme_id": theme.id,
            "name": name,
            "comments": len(comments),
            "answers": len(answers),
        },
    )
    db.session.commit()
    return theme


def reject(suggestion: ThemeSuggestion, actor: User) -> None:
    """Reject a suggestion; it stays, so later runs do not suggest it again."""
    _open(suggestion)
    _decide(suggestion, Verdict.DISMISSED, actor)
    audit.record(
        actor,
        "suggestion.reject",
        "theme_suggestion",
        suggestion.id,
        before={"label": suggestion.label, "verdict": Verdict.SUGGESTED},
        after={"verdict": suggestion.verdict},
    )
    db.session.commit()


def rename(suggestion: ThemeSuggestion, label: str, actor: User) -> None:
    """Give an undecided suggestion a label a person chose."""
    _open(suggestion)
    label = _clean_name(label)
    if label == suggestion.label:
        return
    before = {"label": suggestion.label}
    suggestion.label = label
    audit.record(
        actor, "suggestion.rename", "theme_suggestion", suggestion.id, before=before,
        after={"label": label},
    )  # fmt: skip
    db.session.commit()


def _interleave(first: list[str], second: list[str], limit: int) -> list[str]:
    merged: list[str] = []
    for pair in zip(first + [""] * len(second), second + [""] * len(first), strict=False):
        for term in pair:
            if term and term not in merged:
                merged.append(term)
    return merged[:limit]


def merge(target: ThemeSuggestion, source: ThemeSuggestion, actor: User) -> ThemeSuggestion:
    """Make two undecided suggestions of one section (or question) one: ``source`` joins
    ``target`` and is deleted."""
    _open(target)
    _open(source)
    if target.id == source.id or scope_of(target) != scope_of(source):
        raise ReviewError(_l("choose two different suggestions of the same section or question"))
    before = {"label": target.label, "size": target.size, "merged": source.id}
    mine = {(m.comment_id, m.answer_id): m for m in target.members}
    for member in list(source.members):
        key = (member.comment_id, member.answer_id)
        if key in mine:
            mine[key].weight = max(mine[key].weight, member.weight)
            mine[key].quote = mine[key].quote or member.quote
        else:
            target.members.append(
                SuggestionMember(
                    comment_id=member.comment_id,
                    answer_id=member.answer_id,
                    weight=member.weight,
                    quote=member.quote,
                )
            )
    # One comment per respondent and section (one answer per question): quotes stay
    # from different people; the five with the most weight are kept.
    quoted = sorted((m for m in target.members if m.quote), key=lambda m: -m.weight)
    for member in quoted[5:]:
        member.quote = False
    target.terms = _interleave(list(target.terms), list(source.terms), 10)
    target.phrases = _interleave(list(target.phrases), list(source.phrases), 5)
    target.label = f"{target.label} / {source.label}"[:120]
    target.size = len(target.members)
    db.session.delete(source)
    audit.record(
        actor,
        "suggestion.merge",
        "theme_suggestion",
        target.id,
        before=before,
        after={"label": target.label, "size": target.size},
    )
    db.session.commit()
    return target


_public_text = sa.func.coalesce(Comment.redacted_text, Comment.text)


def _texts(suggestion: ThemeSuggestion) -> list[tuple[int, int, str]]:
    """(comment or answer id, respondent, text) of a suggestion's members."""
    if suggestion.section_id is not None:
        statement = (
            sa.select(Comment.id, Comment.response_id, _public_text)
            .join(SuggestionMember, SuggestionMember.comment_id == Comment.id)
            .order_by(Comment.id)
        )
    else:
        statement = (
            sa.select(Answer.id, Answer.response_id, Answer.value)
            .join(SuggestionMember, SuggestionMember.answer_id == Answer.id)
            .order_by(Answer.id)
        )
    rows = db.session.execute(statement.where(SuggestionMember.suggestion_id == suggestion.id))
    return [(i, who, text or "") for i, who, text in rows]


def split(suggestion: ThemeSuggestion, actor: User) -> list[ThemeSuggestion]:
    """Split an undecided suggestion in two by a two-topic model of its members alone."""
    _open(suggestion)
    rows = _texts(suggestion)
    halves = topic_model.split([t for _, _, t in rows], [w for _, w, _ in rows]).suggestions
    if len(halves) < 2:
        raise ReviewError(_l("these comments do not split in two"))
    # A member neither half explains (no word of either) joins the larger half.
    placed = {i for half in halves for i, _ in half.members}
    halves[0].members += [(i, 0.0) for i in range(len(rows)) if i not in placed]
    scope = scope_of(suggestion)
    made = []
    members: list[dict[str, Any]] = []
    for half in halves:
        stored = add_suggestion(suggestion.consultation_id, scope, half, suggestion.run_id)
        members.extend(member_rows(stored.id, scope, half, rows))
        made.append(stored)
    db.session.execute(sa.insert(SuggestionMember), members)
    audit.record(
        actor,
        "suggestion.split",
        "theme_suggestion",
        suggestion.id,
        before={"label": suggestion.label, "size": suggestion.size},
        after={"into": [s.id for s in made], "labels": [s.label for s in made]},
    )
    db.session.delete(suggestion)
    db.session.commit()
    return made


def _tag_table(kind: str) -> sa.Table:
    return comment_theme if kind == "comment" else answer_theme


def _suggested_ids(theme: Theme, kind: str, ids: Iterable[int] | None) -> list[int]:
    table = _tag_table(kind)
    column = table.c.comment_id if kind == "comment" else table.c.answer_id
    statement = sa.select(column).where(table.c.theme_id == theme.id, table.c.suggested)
    if ids is not None:
        statement = statement.where(column.in_(list(ids)))
    return list(db.session.scalars(statement.order_by(column)))


def confirm_tags(
    theme: Theme,
    actor: User,
    *,
    comment_ids: Iterable[int] | None = None,
    answer_ids: Iterable[int] | None = None,
) -> int:
    """Confirm a theme's suggested tags: these (one or a few), or all of them when no ids
    are given. From now on they count like a person's own tags."""
    everything = comment_ids is None and answer_ids is None
    found = {
        "comment": _suggested_ids(theme, "comment", None if everything else comment_ids or []),
        "answer": _suggested_ids(theme, "answer", None if everything else answer_ids or []),
    }
    if not any(found.values()):
        return 0
    for kind, ids in found.items():
        if ids:
            table = _tag_table(kind)
            column = table.c.comment_id if kind == "comment" else table.c.answer_id
            db.session.execute(
                sa.update(table)
                .where(table.c.theme_id == theme.id, column.in_(ids))
                .values(suggested=False)
            )
    audit.record(
        actor,
        "theme.confirm_tags",
        "theme",
        theme.id,
        before={"suggested": True},
        after={"name": theme.name, "comments": found["comment"], "answers": found["answer"]},
    )
    db.session.commit()
    db.session.expire_all()
    return sum(len(ids) for ids in found.values())


def drop_tags(
    theme: Theme,
    actor: User,
    *,
    comment_ids: Iterable[int] = (),
    answer_ids: Iterable[int] = (),
) -> int:
    """Remove suggested tags a person judged wrong (confirmed tags are left alone)."""
    found = {
        "comment": _suggested_ids(theme, "comment", comment_ids),
        "answer": _suggested_ids(theme, "answer", answer_ids),
    }
    if not any(found.values()):
        return 0
    for kind, ids in found.items():
        if ids:
            table = _tag_table(kind)
            column = table.c.comment_id if kind == "comment" else table.c.answer_id
            db.session.execute(
                sa.delete(table).where(
                    table.c.theme_id == theme.id, table.c.suggested, column.in_(ids)
                )
            )
    audit.record(
        actor,
        "theme.drop_tags",
        "theme",
        theme.id,
        before={"comments": found["comment"], "answers": found["answer"]},
        after={"name": theme.name},
    )
    db.session.commit()
    db.session.expire_all()
    return sum(len(ids) for ids in found.values())


def suggested_tags(theme: Theme) -> list[Comment]:
    """The comments a theme tagged as suggested, for a person to confirm."""
    ids = _suggested_ids(theme, "comment", None)
    return list(
        db.session.scalars(sa.select(Comment).where(Comment.id.in_(ids)).order_by(Comment.id))
    )


def suggested_answers(theme: Theme) -> list[Answer]:
    """The open answers a theme tagged as suggested."""
    ids = _suggested_ids(theme, "answer", None)
    return list(db.session.scalars(sa.select(Answer).where(Answer.id.in_(ids)).order_by(Answer.id)))
