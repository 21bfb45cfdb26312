"""Opinion groups of a consultation: read the survey answers, group the respondents, store
the map (replacing the previous one).

The respondents are those the reports count by default: submitted responses, none with a
comment refused as spam or duplicate. The statements are the agreement questions (1..5
as -2..2, "don't know" as no answer) and each option of the single- and multiple-choice
questions (1 chosen, 0 not, no answer when the question was not answered). Text and
ranking questions are left out: neither says "agree" or "disagree".

A map is analysis for coordinators, not a decision: nobody confirms it and nothing of it
is published; each run replaces it whole.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..insight.groups import OpinionMap as FoundMap
from ..insight.groups import answering, find_groups, likert_values
from ..models import (
    Answer,
    AnswerChoice,
    Consultation,
    InsightRun,
    OpinionGroup,
    OpinionMap,
    Response,
    opinion_member,
)
from ..models.response import flagged_responses
from ..models.vocab import QuestionType, ResponseStatus
from .runs import Progress

#: Members are written this many rows per INSERT.
_CHUNK = 20_000


def statement_key(question_id: int, option: str | None = None) -> str:
    """A column of the answers matrix: a question, or one option of a choice question."""
    return str(question_id) if option is None else f"{question_id}:{option}"


def statement_of(key: str) -> dict[str, Any]:
    """The question id and option (None for an agreement question) a column stands for."""
    question, _sep, option = key.partition(":")
    return {"question_id": int(question), "option": option or None}


def _respondents(consultation: Consultation) -> pd.DataFrame:
    rows = db.session.execute(
        sa.select(Response.id, Response.stakeholder_type)
        .where(
            Response.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.id.not_in(flagged_responses()),
        )
        .order_by(Response.id)
    ).all()
    return pd.DataFrame(rows, columns=["response_id", "stakeholder_type"])


def answers_matrix(consultation: Consultation) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Respondents × statements (index: response id), their stakeholder types, and the
    question of each column."""
    people = _respondents(consultation)
    index = pd.Index(people["response_id"].to_numpy())
    questions = {
        q.id: q
        for q in consultation.questions
        if q.type in (QuestionType.LIKERT, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)
    }
    columns: dict[str, np.ndarray] = {}
    if questions and len(index):
        counted = sa.select(Response.id).where(
            Response.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED,
        )
        answers = pd.DataFrame(
            db.session.execute(
                sa.select(Answer.response_id, Answer.question_id, Answer.value).where(
                    Answer.response_id.in_(counted), Answer.question_id.in_(list(questions))
                )
            ).all(),
            columns=["response_id", "question_id", "value"],
        )
        multiple = [i for i, q in questions.items() if q.type is QuestionType.MULTIPLE_CHOICE]
        chosen = pd.DataFrame(
            db.session.execute(
                sa.select(Answer.response_id, Answer.question_id, AnswerChoice.option)
                .join(AnswerChoice, AnswerChoice.answer_id == Answer.id)
                .where(Answer.response_id.in_(counted), Answer.question_id.in_(multiple))
            ).all()
            if multiple
            else [],
            columns=["response_id", "question_id", "option"],
        )
        answers["row"] = index.get_indexer(answers["response_id"])
        answers = answers[answers["row"] >= 0]
        chosen["row"] = index.get_indexer(chosen["response_id"])
        chosen = chosen[chosen["row"] >= 0]
        for question in sorted(questions.values(), key=lambda q: q.position):
            own = answers[answers["question_id"] == question.id]
            if question.type is QuestionType.LIKERT:
                column = np.full(len(index), np.nan, dtype=np.float32)
                column[own["row"].to_numpy()] = likert_values(own["value"]).to_numpy()
                columns[statement_key(question.id)] = column
                continue
            answered = np.zeros(len(index), dtype=bool)
            if question.type is QuestionType.SINGLE_CHOICE:
                own = own[own["value"].notna()]
                answered[own["row"].to_numpy()] = True
                picks = own
                picked = "value"
            else:
                answered[own["row"].to_numpy()] = True
                picks = chosen[chosen["question_id"] == question.id]
                picked = "option"
            for code in question.option_codes():
                column = np.where(answered, 0, np.nan).astype(np.float32)
                column[picks.loc[picks[picked] == code, "row"].to_numpy()] = 1
                columns[statement_key(question.id, code)] = column
    matrix = pd.DataFrame(columns, index=index)
    of_question = pd.Series({key: key.partition(":")[0] for key in matrix.columns}, dtype=object)
    types = pd.Series(people["stakeholder_type"].to_numpy(), index=index)
    return matrix, types, of_question


def _statements(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pure results' statement keys as question ids and options, for storing."""
    return [{**statement_of(e["statement"]), **{k: v for k, v in e.items() if k != "statement"}}
            for e in entries]  # fmt: skip


def store(consultation: Consultation, run: InsightRun | None, respondents: pd.Index,
          found: FoundMap | None, placed: int) -> OpinionMap:  # fmt: skip
    """Replace the consultation's map with this one (groups and members); not committed.

    ``respondents`` are the matrix's rows (response ids, in the order of ``found.labels``);
    ``placed``, how many answered enough statements to be placed in a group.
    """
    old_maps = sa.select(OpinionMap.id).where(OpinionMap.consultation_id == consultation.id)
    old_groups = sa.select(OpinionGroup.id).where(OpinionGroup.map_id.in_(old_maps))
    db.session.execute(sa.delete(opinion_member).where(opinion_member.c.group_id.in_(old_groups)))
    db.session.execute(sa.delete(OpinionGroup).where(OpinionGroup.map_id.in_(old_maps)))
    db.session.execute(sa.delete(OpinionMap).where(OpinionMap.consultation_id == consultation.id))
    opinion_map = OpinionMap(
        consultation_id=consultation.id,
        run_id=run.id if run else None,
        respondents=placed,
        silhouette=found.silhouette if found else None,
        consensus=_statements(found.consensus) if found else [],
        divisive=_statements(found.divisive) if found else [],
    )
    db.session.add(opinion_map)
    if found is None:
        db.session.flush()
        return opinion_map
    groups = [
        OpinionGroup(
            position=g.position,
            size=g.size,
            composition=g.composition,
            distinctive=_statements(g.distinctive),
        )
        for g in found.groups
    ]
    opinion_map.groups = groups
    db.session.flush()
    group_ids = np.array([0] + [g.id for g in groups], dtype=np.int64)
    grouped = found.labels > 0
    members = pd.DataFrame(
        {
            "group_id": group_ids[found.labels[grouped]],
            "response_id": respondents.to_numpy()[grouped],
        }
    )
    for start in range(0, len(members), _CHUNK):
        chunk = members.iloc[start : start + _CHUNK]
        db.session.execute(
            opinion_member.insert(),
            [{"group_id": int(g), "response_id": int(r)} for g, r in chunk.itertuples(False)],
        )
    return opinion_map


def analyse(consultation: Consultation, run: InsightRun, progress: Progress) -> dict[str, Any]:
    """Group the respondents by their answers and store the map, in one transaction."""
    progress(0.05, "reading answers")
    matrix, types, of_question = answers_matrix(consultation)
    progress(0.4, f"grouping {len(matrix)} respondents")
    max_groups = int((run.parameters or {}).get("max_groups", 6))
    found = find_groups(matrix, types, questions=of_question, max_groups=max_groups)
    progress(0.8, "storing")
    placed = int(answering(matrix, of_question).sum())
    store(consultation, run, matrix.index, found, placed)
    db.session.commit()
    return {
        "groups": len(found.groups) if found else 0,
        "grouped_respondents": int((found.labels > 0).sum()) if found else 0,
    }
