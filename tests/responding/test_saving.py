"""Saving a page writes exactly what changed: lists replaced whole, published words guarded."""

from __future__ import annotations

import sqlalchemy as sa

from consult.extensions import db
from consult.models import Answer, Comment, Response
from consult.models.vocab import ModerationState
from tests.conftest import post_form
from tests.public.test_published_comments import SECTION, comments_part, moderate, respond, shown

GENERAL = "/c/enia-2021/general"
RANKING = "q_q_ranking_priority_areas"
CHOICES = "q_q_strengthen"


def _lists(response: Response) -> dict[str, list[str]]:
    db.session.expire_all()
    answers = db.session.scalars(sa.select(Answer).filter_by(response_id=response.id)).all()
    return {a.question.key: a.codes for a in answers}


def test_a_changed_ranking_or_choice_list_replaces_the_old_one_whole(client, enia, start_response):
    response = start_response(enia)
    first = ["3", "", "1", "", "", "", "", "", "", "2"]
    post_form(client, GENERAL, {RANKING: first, CHOICES: ["budget-funding", "governance"]})
    assert _lists(response) == {
        "q-ranking-priority-areas": ["5-3", "5-10", "5-1"],
        "q-strengthen": ["budget-funding", "governance"],
    }

    # Reordered, one item dropped; one option unticked and another ticked.
    second = ["", "", "2", "1", "", "", "", "", "", ""]
    post_form(client, GENERAL, {RANKING: second, CHOICES: ["governance", "ethics-rights"]})
    lists = _lists(response)
    assert lists["q-ranking-priority-areas"] == ["5-4", "5-3"]
    assert sorted(lists["q-strengthen"]) == ["ethics-rights", "governance"]

    # Everything cleared: no answer rows are left behind.
    post_form(client, GENERAL, {RANKING: [""] * 10})
    assert _lists(response) == {}


def test_saving_a_page_unchanged_keeps_a_published_comment_and_the_change_time(client, enia):
    browser, response = respond(client, "Faltan laboratorios en las regiones.")
    moderate(response)
    before = response.updated_at

    again = post_form(
        browser,
        SECTION,
        {
            "comment": "Faltan laboratorios en las regiones.",
            "contribution": "problem_definition",
            "go": "next",
        },
    )

    assert again.status_code == 302
    db.session.expire_all()
    comment = db.session.scalar(sa.select(Comment).filter_by(response_id=response.id))
    assert comment.moderation is ModerationState.PUBLISHED
    assert db.session.get(Response, response.id).updated_at == before
    assert "Faltan laboratorios en las regiones." in comments_part(shown(client))


def test_an_edited_or_emptied_published_comment_leaves_the_public_page_at_once(client, enia):
    browser, response = respond(client, "Faltan laboratorios en las regiones.")
    moderate(response)
    assert "Faltan laboratorios en las regiones." in comments_part(shown(client))  # now kept

    edited = {"comment": "Faltan laboratorios y docentes.", "contribution": "problem_definition"}
    assert post_form(browser, SECTION, {**edited, "go": "next"}).status_code == 302
    page = comments_part(shown(client))
    assert "Faltan laboratorios" not in page  # back in moderation: not shown, old or new

    moderate(response)
    assert "Faltan laboratorios y docentes." in comments_part(shown(client))
    assert post_form(browser, SECTION, {"comment": "", "go": "next"}).status_code == 302
    assert "Faltan laboratorios" not in comments_part(shown(client))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
