"""The stance of a comment: what its author answered to the agreement question of the same
section, read from the answer itself, never guessed from the words.

A comment on a section stands with its author's point on that section's agreement
question: points 4–5 (agree, strongly agree) *agree*, 3 (neither) *neutral*, 1–2
(disagree, strongly disagree) *disagree*, the same split the reports' agreement shares use.
"Don't know", no answer, or a section without an agreement question: *no answer*.

A section with more than one agreement question takes the first by position (the order
the respondent read them in), so that each comment has one stance.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Answer, Comment, Consultation
from ..models.vocab import QuestionType, Vocabulary


class Stance(Vocabulary):
    AGREE = "agree"
    NEUTRAL = "neutral"
    DISAGREE = "disagree"
    NO_ANSWER = "no_answer"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.AGREE: _l("Agrees"),
            cls.NEUTRAL: _l("Neutral"),
            cls.DISAGREE: _l("Disagrees"),
            cls.NO_ANSWER: _l("No answer"),
        }


#: The scale's points ("1".."5", as stored in ``Answer.value``) and the stance of each.
POINTS: dict[str, Stance] = {
    "1": Stance.DISAGREE,
    "2": Stance.DISAGREE,
    "3": Stance.NEUTRAL,
    "4": Stance.AGREE,
    "5": Stance.AGREE,
}


def stance_of(point: str | None) -> Stance:
    """The stance of an agreement answer's point ("dk" and None: no answer)."""
    return POINTS.get(point or "", Stance.NO_ANSWER)


def stance_questions(consultation: Consultation) -> dict[int, int]:
    """Section id → the id of its first agreement question by position."""
    found: dict[int, int] = {}
    for question in sorted(consultation.questions, key=lambda q: q.position):
        if question.type is QuestionType.LIKERT and question.section_id is not None:
            found.setdefault(question.section_id, question.id)
    return found


def point_column(consultation: Consultation) -> sa.ColumnElement:
    """SQL: the point its author gave the agreement question of a comment's section (NULL
    if none), correlated to ``Comment``."""
    questions = stance_questions(consultation)
    if not questions:
        return sa.null()
    return (
        sa.select(Answer.value)
        .where(
            Answer.response_id == Comment.response_id,
            Answer.question_id == sa.case(questions, value=Comment.section_id),
        )
        .correlate(Comment)
        .scalar_subquery()
    )


def stance_condition(consultation: Consultation, stance: Stance) -> sa.ColumnElement[bool]:
    """SQL: the comment has this stance."""
    point = point_column(consultation)
    if stance is Stance.NO_ANSWER:
        return sa.func.coalesce(point, "").not_in(list(POINTS))
    return point.in_([p for p, s in POINTS.items() if s is stance])


def stances(consultation: Consultation, comments: list[Comment]) -> dict[int, Stance]:
    """Comment id → stance, for comments already loaded (one query)."""
    questions = stance_questions(consultation)
    wanted = {(c.response_id, questions.get(c.section_id)): c.id for c in comments}
    result = {c.id: Stance.NO_ANSWER for c in comments}
    if not comments or not questions:
        return result
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.value).where(
            Answer.response_id.in_({c.response_id for c in comments}),
            Answer.question_id.in_(set(questions.values())),
        )
    )
    for response_id, question_id, value in rows:
        comment_id = wanted.get((response_id, question_id))
        if comment_id is not None:
            result[comment_id] = stance_of(value)
    return result


def stance_table(consultation: Consultation, comments: sa.Select) -> pd.DataFrame:
    """Comments per section (rows, in reading order) and stance (columns, with a total),
    over the comments ``comments`` selects (a select of ``Comment``, filtered as a list is).
    Sections without a comment are left out."""
    point = point_column(consultation).label("point")
    counted = (
        comments.with_only_columns(Comment.section_id, point, maintain_column_froms=True)
        .order_by(None)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(counted.c.section_id, counted.c.point, sa.func.count()).group_by(
            counted.c.section_id, counted.c.point
        )
    ).all()
    order = [s.id for s in consultation.sections]
    columns: list[Any] = list(Stance)
    if not rows:
        return pd.DataFrame(columns=[*columns, "total"])
    frame = pd.DataFrame(rows, columns=["section", "point", "n"])
    frame["stance"] = [stance_of(p) for p in frame["point"]]
    table = frame.pivot_table(
        index="section", columns="stance", values="n", aggfunc="sum", fill_value=0
    ).reindex(columns=columns, fill_value=0)
    table = table.reindex([s for s in order if s in table.index])
    table["total"] = table.sum(axis=1)
    return table.astype(int)


def stance_rows(
    consultation: Consultation, comments: sa.Select
) -> list[tuple[Any, list[int], int]]:
    """``stance_table`` as (section, counts in ``Stance`` order, total) for a page."""
    table = stance_table(consultation, comments)
    sections = {s.id: s for s in consultation.sections}
    return [
        (sections[section_id], [int(row[s]) for s in Stance], int(row["total"]))
        for section_id, row in table.iterrows()
    ]
