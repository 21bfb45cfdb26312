"""The stance of a comment: its author's own agreement answer on the section, in words."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Comment, Question
from consult.models.vocab import QuestionType
from consult.reports.stance import (
    Stance,
    stance_condition,
    stance_of,
    stance_questions,
    stance_table,
    stances,
)
from tests.factories import make_response


@pytest.mark.parametrize(
    ("point", "stance"),
    [
        ("5", Stance.AGREE),
        ("4", Stance.AGREE),
        ("3", Stance.NEUTRAL),
        ("2", Stance.DISAGREE),
        ("1", Stance.DISAGREE),
        ("dk", Stance.NO_ANSWER),
        (None, Stance.NO_ANSWER),
    ],
)
def test_a_point_of_the_scale_gives_a_stance(point, stance):
    assert stance_of(point) is stance


@pytest.fixture
def four(enia):
    """One comment on 5.3 of each stance, and one on a section without an agreement
    question (its author agreed with 5.3: that says nothing of the other section)."""
    made = {}
    for stance, answers in (
        (Stance.AGREE, {"q-5-3-agree": "5"}),
        (Stance.NEUTRAL, {"q-5-3-agree": "3"}),
        (Stance.DISAGREE, {"q-5-3-agree": "2"}),
        (Stance.NO_ANSWER, {"q-5-3-agree": "dk"}),
    ):
        made[stance] = make_response(enia, ("5-3", f"Sobre 5.3: {stance}"), answers=answers)
    made["other"] = make_response(enia, ("5-4", "Sobre 5.4, sin respuesta"))
    return made


def _comment(response) -> Comment:
    return db.session.scalars(sa.select(Comment).where(Comment.response_id == response.id)).one()


def test_each_comment_gets_its_authors_stance(enia, four):
    comments = [_comment(four[s]) for s in Stance] + [_comment(four["other"])]
    found = stances(enia, comments)
    assert [found[c.id] for c in comments] == [*Stance, Stance.NO_ANSWER]


@pytest.mark.parametrize("stance", list(Stance))
def test_the_sql_condition_agrees_with_the_stance_read_in_python(enia, four, stance):
    chosen = db.session.scalars(
        sa.select(Comment).where(stance_condition(enia, stance)).order_by(Comment.id)
    ).all()
    expected = [_comment(four[stance])]
    if stance is Stance.NO_ANSWER:
        expected.append(_comment(four["other"]))
    assert [c.id for c in chosen] == [c.id for c in expected]


def test_the_first_agreement_question_of_a_section_counts(enia):
    section = next(s for s in enia.sections if s.key == "5-3")
    first = next(q for q in enia.questions if q.key == "q-5-3-agree")
    later = Question(
        consultation_id=enia.id,
        section_id=section.id,
        key="q-5-3-agree-again",
        position=first.position + 1,
        type=QuestionType.LIKERT,
        prompt_es="Otra",
        prompt_en="Another",
    )
    db.session.add(later)
    db.session.commit()
    assert stance_questions(enia)[section.id] == first.id
    response = make_response(
        enia, ("5-3", "Texto"), answers={"q-5-3-agree": "1", "q-5-3-agree-again": "5"}
    )
    assert stances(enia, [_comment(response)]) == {_comment(response).id: Stance.DISAGREE}


def test_the_breakdown_counts_comments_per_section_and_stance(enia, four):
    table = stance_table(enia, sa.select(Comment))
    sections = {s.key: s.id for s in enia.sections}
    assert table.loc[sections["5-3"]].to_dict() == {
        Stance.AGREE: 1,
        Stance.NEUTRAL: 1,
        Stance.DISAGREE: 1,
        Stance.NO_ANSWER: 1,
        "total": 4,
    }
    assert table.loc[sections["5-4"], Stance.NO_ANSWER] == 1
    assert list(table.index) == [sections["5-3"], sections["5-4"]]  # reading order
