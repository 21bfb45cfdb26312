"""The list of consultations and one consultation: only what the public pages show."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation, Response
from consult.models.columns import utcnow
from consult.models.vocab import Stage

from .conftest import API, problem


def _copy(app, slug: str, **changes) -> Consultation:
    """A second consultation: the Chilean bundle, changed as asked."""
    load_bundle("valle-digital-2027")
    found = db.session.query(Consultation).filter_by(slug="valle-digital-2027").one()
    for name, value in changes.items():
        setattr(found, name, value)
    db.session.commit()
    return found


def test_the_list_holds_public_consultations_with_stage_dates_languages_and_links(client, enia):
    reply = client.get(API)
    assert reply.status_code == 200 and reply.mimetype == "application/json"
    (item,) = reply.get_json()["items"]
    assert item["slug"] == "enia-2021"
    assert item["title"]["es"].startswith("Estrategia Nacional")
    assert item["title"]["en"].startswith("National Artificial")
    assert item["is_demo"] is False
    assert item["stage"]["code"] == "open"
    assert item["stage"]["label"] == {"es": "Abierta a respuestas", "en": "Open for responses"}
    assert item["stage"]["next_step"]["at"] == item["closes_at"]
    # Times carry the consultation's own offset (Lima: -05:00).
    assert item["opens_at"].endswith("-05:00") and item["time_zone"] == "America/Lima"
    assert item["languages"] == ["es", "en"]
    assert item["results_published"] is False and item["links"]["results"] is None
    assert item["links"]["html"] == "http://consult.test/c/enia-2021/"
    assert item["links"]["self"] == f"http://consult.test{API}/enia-2021"


def test_preparation_and_archived_consultations_are_invisible_and_demos_say_so(app, client, enia):
    valle = _copy(app, "valle", stage=Stage.PREPARATION)
    assert [c["slug"] for c in client.get(API).get_json()["items"]] == ["enia-2021"]
    problem(client.get(f"{API}/{valle.slug}"), 404)
    problem(client.get(f"{API}/{valle.slug}/comments"), 404)
    valle.stage = Stage.RUNNING
    valle.is_demo = True
    db.session.commit()
    items = {c["slug"]: c for c in client.get(API).get_json()["items"]}
    assert items[valle.slug]["is_demo"] is True and items["enia-2021"]["is_demo"] is False
    enia.archived_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert [c["slug"] for c in client.get(API).get_json()["items"]] == [valle.slug]
    problem(client.get(f"{API}/enia-2021"), 404)


def test_a_consultation_shows_its_section_tree_and_its_questions_with_options(client, enia):
    document = client.get(f"{API}/enia-2021").get_json()
    tops = [s["key"] for s in document["sections"]]
    by_key = {s.key: s for s in enia.sections}
    assert tops == [s.key for s in enia.sections if s.parent_id is None]
    five = next(s for s in document["sections"] if s["children"])
    child = five["children"][0]
    assert by_key[child["key"]].parent.key == five["key"]
    assert child["title"] == {
        "es": by_key[child["key"]].title_es,
        "en": by_key[child["key"]].title_en,
    }
    assert child["links"]["html"] == f"http://consult.test/c/enia-2021/s/{child['key']}"
    questions = {q["key"]: q for q in document["questions"]}
    assert set(questions) == {q.key for q in enia.questions}
    likert = questions["q-5-3-agree"]
    assert likert["section"] == "5-3" and likert["type"]["code"] == "likert"
    assert [o["code"] for o in likert["options"]] == ["1", "2", "3", "4", "5", "dk"]
    assert likert["options"][4]["label"] == {"es": "Totalmente de acuerdo", "en": "Strongly agree"}
    chosen = next(q for q in enia.questions if q.options)
    shown = questions[chosen.key]
    assert [o["code"] for o in shown["options"]] == chosen.option_codes()
    assert shown["options"][0]["label"]["en"] == chosen.options[0]["en"]
    assert shown["required"] is chosen.required
    assert "q-5-3-agree" in next(s for s in five["children"] if s["key"] == "5-3")["questions"]


def test_nothing_of_a_respondent_is_in_the_consultation_documents(client, published):
    responses = db.session.scalars(sa.select(Response)).all()
    secrets = {r.reference for r in responses} | {r.token_hash for r in responses}
    secrets |= {r.organisation_name for r in responses if r.organisation_name}
    for path in (API, f"{API}/enia-2021"):
        text = client.get(path).get_data(as_text=True)
        assert not [s for s in secrets if s in text], path
