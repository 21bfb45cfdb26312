"""Results per question: likert, choice and ranking, overall and by the report's breakdown.

Likert counts: ``n`` is everyone who answered the item, "don't know" included; ``valid``
those who took a position (``n − dk``). The shares of points 1–5, ``agree`` (4–5),
``disagree`` (1–2) and ``net`` (agree − disagree) divide by the consultation's share base
(``ShareBase``, in the ``share_base`` column): ``valid`` or ``n``. The ``mean`` is always
over ``valid`` (a "don't know" has no place on the scale); ``dk_share`` always over ``n``.

Two GROUP BYs do all the counting: one over the answers of the counted responses (likert
points, single choices, respondents per question), one over their chosen options
(multiple choice, ranking). Inside ``shared_passes()``, as ``build_report`` runs them,
the three frames share the two results instead of grouping the answers once each.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, AnswerChoice, Consultation, Question, Section
from ..models.vocab import LIKERT_DONT_KNOW, QuestionType, ShareBase
from .grouping import code, with_overall

#: The kinds of question whose answers are counted; text answers are never grouped.
COUNTED_KINDS = (
    QuestionType.LIKERT,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.RANKING,
)
#: The points of an agreement scale, as stored ("don't know" apart).
_POINTS = ["1", "2", "3", "4", "5"]


def question_table(consultation: Consultation) -> pd.DataFrame:
    """The questions with their section and prompts, for labelling the results."""
    rows = db.session.execute(
        sa.select(
            Question.key,
            Question.type,
            Question.position,
            Section.key,
            Question.prompt_es,
            Question.prompt_en,
        )
        .outerjoin(Section, Section.id == Question.section_id)
        .where(Question.consultation_id == consultation.id)
        .order_by(Question.position)
    ).all()
    return pd.DataFrame(
        [(k, t.value, p, s, es, en) for k, t, p, s, es, en in rows],
        columns=["question", "type", "position", "section", "prompt_es", "prompt_en"],
    )


def section_table(consultation: Consultation) -> pd.DataFrame:
    return pd.DataFrame(
        [(s.key, s.number, s.title_es, s.title_en) for s in consultation.sections],
        columns=["section", "number", "title_es", "title_en"],
    )


def option_table(consultation: Consultation) -> pd.DataFrame:
    """Every option of every choice or ranking question, with its labels, in order."""
    rows = [
        (q.key, o["code"], o.get("es") or o["code"], o.get("en") or o.get("es") or o["code"])
        for q in consultation.questions
        for o in q.options or ()
    ]
    return pd.DataFrame(rows, columns=["question", "option", "label_es", "label_en"])


#: Results of the counting passes while ``shared_passes()`` is active, by (pass, counted).
_passes: ContextVar[dict | None] = ContextVar("report_passes", default=None)


@contextmanager
def shared_passes():
    """Within this block, the frames share one counting pass over answers and one over choices.

    ``build_report`` computes likert, choice and ranking results inside it: the answers
    of the counted responses are then grouped once, not once per frame. Called alone, each
    frame runs its own passes.
    """
    token = _passes.set({})
    try:
        yield
    finally:
        _passes.reset(token)


def _once(name: str, counted: sa.CTE, compute):
    memo = _passes.get()
    if memo is None:
        return compute()
    key = (name, id(counted))
    if key not in memo:
        # Keep ``counted`` alive with its result, so its id cannot be reused meanwhile.
        memo[key] = (counted, compute())
    return memo[key][1]


def _answer_counts(consultation: Consultation, counted: sa.CTE) -> list[tuple]:
    """(question, kind, category, value, answers) over the counted responses.

    One GROUP BY gives the likert points, the single choices and, summed over values, the
    respondents of every question. It groups by ``answer.question_id`` and names the
    questions here, from the consultation's own: joining ``question`` in SQL costs a
    lookup per answer, and a condition on ``question.consultation_id`` makes SQLite loop
    over the questions first and walk every response once per question.
    """

    def count():
        questions = {q.id: q for q in consultation.questions}
        text = [i for i, q in questions.items() if q.type not in COUNTED_KINDS]
        rows = db.session.execute(
            sa.select(Answer.question_id, counted.c.category, Answer.value, sa.func.count())
            .select_from(Answer)
            .join(counted, counted.c.id == Answer.response_id)
            # Texts are never grouped (each would be a group of its own).
            .where(Answer.question_id.not_in(text) if text else sa.true())
            .group_by(Answer.question_id, counted.c.category, Answer.value)
        ).all()
        return [
            (questions[i].key, questions[i].type, t, v, n)
            for i, t, v, n in rows
            if i in questions and questions[i].type in COUNTED_KINDS
        ]

    return _once("answers", counted, count)


def _choice_counts(consultation: Consultation, counted: sa.CTE) -> list[tuple]:
    """(question, kind, category, option, n, rank sum, ranked in top 3) of the
    chosen options of multiple-choice and ranking answers of the counted responses."""

    def count():
        questions = {
            q.id: q
            for q in consultation.questions
            if q.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)
        }
        if not questions:
            return []
        rows = db.session.execute(
            sa.select(
                Answer.question_id,
                counted.c.category,
                AnswerChoice.option,
                sa.func.count(),
                sa.func.sum(AnswerChoice.position),
                sa.func.sum(sa.case((AnswerChoice.position <= 3, 1), else_=0)),
            )
            .select_from(AnswerChoice)
            .join(Answer, Answer.id == AnswerChoice.answer_id)
            .join(counted, counted.c.id == Answer.response_id)
            .where(Answer.question_id.in_(list(questions)))
            .group_by(Answer.question_id, counted.c.category, AnswerChoice.option)
        ).all()
        return [(questions[i].key, questions[i].type, *rest) for i, *rest in rows]

    return _once("choices", counted, count)


def likert_results(consultation: Consultation, counted: sa.CTE) -> pd.DataFrame:
    """Counts and shares of each point, mean, agree, disagree, net and don't-know."""
    rows = [
        (q, t, v, n)
        for q, kind, t, v, n in _answer_counts(consultation, counted)
        if kind is QuestionType.LIKERT
    ]
    points = ["1", "2", "3", "4", "5", LIKERT_DONT_KNOW]
    raw = pd.DataFrame(
        [(q, t.value if hasattr(t, "value") else t, v, n) for q, t, v, n in rows],
        columns=["question", "category", "value", "n"],
    )
    if raw.empty:
        return pd.DataFrame(
            columns=[
                "question",
                "group",
                "n",
                *points,
                "valid",
                "mean",
                "agree",
                "disagree",
                "net",
                "dk_share",
            ]
            + [f"share_{p}" for p in points[:5]]
            + ["share_base"]
        )
    wide = (
        raw.pivot_table(
            index=["question", "category"],
            columns="value",
            values="n",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(columns=points, fill_value=0)
        .reset_index()
    )
    wide.columns.name = None
    frame = with_overall(wide, ["question"], points)
    frame["n"] = frame[points].sum(axis=1)
    frame["valid"] = frame["n"] - frame[LIKERT_DONT_KNOW]
    frame = frame.rename(columns={LIKERT_DONT_KNOW: "dk"})
    return likert_figures(frame, consultation.share_base)


def likert_figures(frame: pd.DataFrame, base: str = ShareBase.VALID) -> pd.DataFrame:
    """Shares, mean, agree, disagree, net and don't-know share, from each row's counts.

    ``base`` is what the shares of points, agree and disagree divide by (``ShareBase``):
    "valid" (those who took a position) or "answered" (``n``, "don't know" included).
    Also used on rows summed later (the pooled groups of an open report).
    """
    base = ShareBase(base)
    answered = frame["n"].where(frame["n"] > 0)
    valid = frame["valid"].where(frame["valid"] > 0)
    over = answered if base is ShareBase.ANSWERED else valid
    for p in _POINTS:
        frame[f"share_{p}"] = frame[p] / over
    frame["mean"] = sum(int(p) * frame[p] for p in _POINTS) / valid
    frame["agree"] = (frame["4"] + frame["5"]) / over
    frame["disagree"] = (frame["1"] + frame["2"]) / over
    frame["net"] = frame["agree"] - frame["disagree"]
    frame["dk_share"] = frame["dk"] / answered
    frame["share_base"] = base.value
    return frame


def choice_results(consultation: Consultation, counted: sa.CTE) -> pd.DataFrame:
    """Single and multiple choice: respondents choosing each option, and their share."""
    single = [
        (q, t, v, n)
        for q, kind, t, v, n in _answer_counts(consultation, counted)
        if kind is QuestionType.SINGLE_CHOICE
    ]
    multiple = [
        (q, t, o, n)
        for q, kind, t, o, n, _, _ in _choice_counts(consultation, counted)
        if kind is QuestionType.MULTIPLE_CHOICE
    ]
    answered = _respondents(
        consultation, counted, (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)
    )
    raw = pd.DataFrame(
        [(q, code(t), o, n) for q, t, o, n in [*single, *multiple]],
        columns=["question", "category", "option", "n"],
    )
    frame = with_overall(raw, ["question", "option"], ["n"])
    frame = frame.merge(answered, on=["question", "group"], how="left")
    return choice_figures(frame).sort_values(
        ["question", "group", "n"], ascending=[True, True, False]
    )


def choice_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Each option's share of the question's respondents."""
    frame["share"] = frame["n"] / frame["respondents"]
    return frame


def _respondents(
    consultation: Consultation, counted: sa.CTE, kinds: tuple[QuestionType, ...]
) -> pd.DataFrame:
    """Respondents who answered each question, per group and overall."""
    raw = pd.DataFrame(
        [
            (q, code(t), n)
            for q, kind, t, _, n in _answer_counts(consultation, counted)
            if kind in kinds
        ],
        columns=["question", "category", "respondents"],
    )
    return with_overall(raw, ["question"], ["respondents"])


def ranking_results(consultation: Consultation, counted: sa.CTE) -> pd.DataFrame:
    """Mean rank (among those who ranked it), Borda score and share ranking it in the top 3.

    Borda: with m options, rank r earns m − r + 1 points, unranked earns 0; the score is
    the mean points per respondent who answered the question.
    """
    rows = [
        (q, t, o, n, s, t3)
        for q, kind, t, o, n, s, t3 in _choice_counts(consultation, counted)
        if kind is QuestionType.RANKING
    ]
    raw = pd.DataFrame(
        [(q, code(t), o, n, s, t3) for q, t, o, n, s, t3 in rows],
        columns=["question", "category", "option", "n", "rank_sum", "top3"],
    )
    options = {
        q.key: len(q.options) for q in consultation.questions if q.type is QuestionType.RANKING
    }
    frame = with_overall(raw, ["question", "option"], ["n", "rank_sum", "top3"])
    answered = _respondents(consultation, counted, (QuestionType.RANKING,))
    frame = frame.merge(answered, on=["question", "group"], how="left")
    return ranking_figures(frame, options).sort_values(
        ["question", "group", "borda"], ascending=[True, True, False]
    )


def ranking_figures(frame: pd.DataFrame, options: dict[str, int]) -> pd.DataFrame:
    """Mean rank, Borda score and top-3 share from ``n``, ``rank_sum``, ``top3`` and
    ``respondents`` (``options``: how many options each question ranks); drops rank_sum."""
    m = frame["question"].map(options)
    frame["mean_rank"] = frame["rank_sum"] / frame["n"]
    frame["borda"] = (frame["n"] * (m + 1) - frame["rank_sum"]) / frame["respondents"]
    frame["top3_share"] = frame["top3"] / frame["respondents"]
    return frame.drop(columns="rank_sum")
