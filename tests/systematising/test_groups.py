"""Opinion groups stored from a consultation's answers: found, replaced, members kept."""

from __future__ import annotations

import sqlalchemy as sa

from consult.extensions import db
from consult.models import OpinionGroup, OpinionMap, opinion_member
from consult.systematising import groups, runs
from tests.factories import build_response, make_response

FIRST = ["q-5-1-agree", "q-5-2-agree", "q-5-3-agree", "q-5-4-agree"]
SECOND = ["q-5-5-agree", "q-5-6-agree", "q-5-7-agree", "q-5-8-agree"]


def two_camps(enia, per_camp: int = 12) -> tuple[list, list]:
    """Companies who agree with 5.1–5.4 and reject 5.5–5.8, and civil society the reverse;
    both agree with 5.9 and choose "budget"; some answers left out."""
    camps: tuple[list, list] = ([], [])
    for n in range(per_camp * 2):
        camp = n % 2
        agree, disagree = (FIRST, SECOND) if camp == 0 else (SECOND, FIRST)
        answers = dict.fromkeys(agree, "5" if n % 3 else "4")
        answers |= dict.fromkeys(disagree, "1" if n % 3 else "2")
        answers["q-5-9-agree"] = "5"
        answers["q-strengthen"] = ["budget-funding"] + (["governance"] if camp else [])
        answers["q-overall-fit"] = "well" if camp == 0 else "poorly"
        if n % 5 == 0:
            answers.pop(agree[0])  # missing answers
            answers["q-5-10-agree"] = "dk"
        response = build_response(
            enia,
            answers=answers,
            stakeholder_type="company" if camp == 0 else "civil_society",
        )
        camps[camp].append(response)
    db.session.commit()
    return camps


def run_groups(enia):
    run = runs.start_run(enia, ["groups"])
    done = runs.execute(run.id)
    assert done.error is None
    return done


def test_two_camps_are_stored_as_two_groups_with_their_members(app, enia):
    companies, civil = two_camps(enia)
    make_response(enia, answers={"q-5-1-agree": "5"}, status="draft")  # not counted
    done = run_groups(enia)
    assert done.counts["groups"] == 2
    opinion_map = db.session.scalar(sa.select(OpinionMap))
    assert opinion_map.run_id == done.id and opinion_map.respondents == 24
    assert [g.size for g in opinion_map.groups] == [12, 12]
    members = db.session.execute(sa.select(opinion_member)).all()
    by_group: dict[int, set[int]] = {}
    for group_id, response_id in members:
        by_group.setdefault(group_id, set()).add(response_id)
    assert sorted(map(frozenset, by_group.values()), key=min) == sorted(
        [frozenset(r.id for r in companies), frozenset(r.id for r in civil)], key=min
    )
    compositions = [g.composition for g in opinion_map.groups]
    assert {"company": 12} in compositions and {"civil_society": 12} in compositions


def test_consensus_and_divisive_statements_name_questions_and_options(app, enia):
    two_camps(enia)
    run_groups(enia)
    questions = {q.id: q.key for q in enia.questions}
    opinion_map = db.session.scalar(sa.select(OpinionMap))
    consensus = {(questions[s["question_id"]], s["option"]) for s in opinion_map.consensus}
    assert ("q-5-9-agree", None) in consensus
    assert ("q-strengthen", "budget-funding") in consensus
    divisive = {(questions[s["question_id"]], s["option"]) for s in opinion_map.divisive}
    assert divisive and divisive <= {(k, None) for k in FIRST + SECOND} | {
        ("q-strengthen", "governance"),
        ("q-overall-fit", "well"),
        ("q-overall-fit", "poorly"),
    }
    distinctive = opinion_map.groups[0].distinctive
    assert distinctive and {"group_share", "rest_share", "question_id", "option"} <= set(
        distinctive[0]
    )


def test_a_new_run_replaces_the_map(app, enia):
    two_camps(enia)
    run_groups(enia)
    second = run_groups(enia)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OpinionMap)) == 1
    assert db.session.scalar(sa.select(OpinionMap.run_id)) == second.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OpinionGroup)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(opinion_member)) == 24


def test_too_few_respondents_store_a_map_without_groups(app, enia):
    for _ in range(3):
        make_response(enia, answers={"q-5-1-agree": "5", "q-5-2-agree": "1"})
    done = run_groups(enia)
    assert done.counts["groups"] == 0
    opinion_map = db.session.scalar(sa.select(OpinionMap))
    assert opinion_map.respondents == 3 and opinion_map.groups == []


def test_the_matrix_reads_points_choices_and_missing_answers(app, enia):
    make_response(enia, answers={"q-5-1-agree": "4", "q-strengthen": ["governance"]})
    make_response(enia, answers={"q-5-1-agree": "dk", "q-overall-fit": "well"})
    matrix, types, of_question = groups.answers_matrix(enia)
    ids = {q.key: q.id for q in enia.questions}
    first, second = matrix.iloc[0], matrix.iloc[1]
    assert first[str(ids["q-5-1-agree"])] == 1
    assert first[f"{ids['q-strengthen']}:governance"] == 1
    assert first[f"{ids['q-strengthen']}:budget-funding"] == 0
    assert first.isna()[f"{ids['q-overall-fit']}:well"]
    assert second.isna()[str(ids["q-5-1-agree"])]  # "don't know" holds no position
    assert second[f"{ids['q-overall-fit']}:well"] == 1
    assert second.isna()[f"{ids['q-strengthen']}:governance"]
    assert of_question[f"{ids['q-strengthen']}:governance"] == str(ids["q-strengthen"])
    assert list(types) == ["academia", "academia"]


def test_who_answered_one_question_is_in_no_group(app, enia):
    two_camps(enia)
    lone = make_response(enia, answers={"q-5-1-agree": "5"})
    done = run_groups(enia)
    assert done.counts["grouped_respondents"] == 24
    assert db.session.scalar(sa.select(OpinionMap.respondents)) == 24
    members = db.session.scalars(sa.select(opinion_member.c.response_id)).all()
    assert lone.id not in members and len(members) == 24
