"""Saving a page twice at once (a double click) keeps one copy of each answer, and no error."""

from __future__ import annotations

import sqlalchemy as sa

from consult import responding
from consult.extensions import db
from consult.models import Answer, Comment, Question, Response, Section
from tests.conftest import PROFILE_ACADEMIA, post_form


def test_a_twin_request_that_saved_first_is_overwritten_not_doubled(client, enia):
    assert post_form(client, "/c/enia-2021/profile", PROFILE_ACADEMIA).status_code == 302
    response = db.session.scalar(sa.select(Response))
    section = db.session.scalar(sa.select(Section).filter_by(consultation=enia, key="5-3"))
    question = db.session.scalar(sa.select(Question).filter_by(section=section, type="likert"))
    assert response.answers == [] and response.comments == []  # what this request read

    # Meanwhile the twin request inserts the same rows and commits.
    with db.engine.begin() as twin:
        twin.execute(
            sa.insert(Answer).values(response_id=response.id, question_id=question.id, value="2")
        )
        twin.execute(
            sa.insert(Comment).values(
                response_id=response.id,
                section_id=section.id,
                text="primera versión",
                contribution="other",
            )
        )

    responding.save_answers(
        response,
        [question],
        {question.key: "5"},
        section=section,
        comment=responding.CommentInput("segunda versión", "problem_definition"),
    )

    db.session.expire_all()
    answers = db.session.scalars(sa.select(Answer).filter_by(response_id=response.id)).all()
    comments = db.session.scalars(sa.select(Comment).filter_by(response_id=response.id)).all()
    assert [a.value for a in answers] == ["5"]
    assert [(c.text, c.contribution) for c in comments] == [
        ("segunda versión", "problem_definition")
    ]
