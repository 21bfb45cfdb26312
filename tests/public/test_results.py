"""The public results page: hidden until coordinators publish it, then aggregates only."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Consultation
from consult.models.vocab import ModerationState
from tests.reports.test_views import LIKERT, known_responses, respond, row, tables_of

RESULTS = "/c/enia-2021/results"
SECRET = "texto-que-nadie-debe-leer"


def publish(consultation: Consultation, published: bool = True) -> None:
    consultation.summary_published = published
    db.session.commit()


def read(client: FlaskClient, url: str = RESULTS) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.status_code
    return reply.get_data(as_text=True)


@pytest.fixture
def reader(client: FlaskClient) -> FlaskClient:
    """A visitor reading in English."""
    client.get("/?lang=en")
    return client


def many_responses(consultation: Consultation) -> None:
    """Six academia responses (likert 4 ×3, 5 ×3) and the seven of the coordinators' tests."""
    for n in range(6):
        respond(
            consultation,
            {LIKERT: "4" if n % 2 else "5", "q-overall-fit": "well"},
            {"section": "5-3", "text": f"{SECRET} {n}", "moderation": ModerationState.PENDING},
            stakeholder_type="academia",
            email=f"persona{n}@example.org",
        )
    db.session.commit()
    known_responses(consultation)


def test_results_are_not_found_until_published(reader, enia):
    many_responses(enia)
    assert reader.get(RESULTS).status_code == 404
    assert "/results" not in read(reader, "/c/enia-2021/")
    publish(enia)
    assert reader.get(RESULTS).status_code == 200
    assert 'href="/c/enia-2021/results"' in read(reader, "/c/enia-2021/")
    publish(enia, False)
    assert reader.get(RESULTS).status_code == 404


def test_results_read_well_before_any_response(reader, enia):
    publish(enia)
    body = read(reader)
    assert "<strong>0</strong> submitted responses counted" in body
    assert row(tables_of(body)["participation-1"], "Academia") == ["Academia", "0"]


def mixed_responses(consultation: Consultation) -> None:
    """24 responses: academia 10 and business 6, shown; citizens 5, civil society 2 and an
    international organisation, pooled (3 alone are too few, so citizens join them)."""
    many_responses(consultation)  # academia 10, business 2, citizens 1
    for point in ("2", "2", "3", "4"):
        respond(consultation, {LIKERT: point}, stakeholder_type="company")
    for point in ("5", "4", "3", "3"):
        respond(
            consultation, {LIKERT: point}, stakeholder_type="individual", responding_as="individual"
        )
    for kind in ("civil_society", "civil_society", "international_org"):
        respond(consultation, {LIKERT: "1"}, stakeholder_type=kind)
    db.session.commit()


def test_results_pool_small_groups_and_publish_every_figure_of_the_rest(reader, enia):
    mixed_responses(enia)
    publish(enia)
    body = read(reader)
    assert "<strong>24</strong> submitted responses counted" in body
    assert body.count("<h1") == 1
    tables = tables_of(body)
    groups = tables["participation-1"]
    assert row(groups, "Academia") == ["Academia", "10"]
    assert row(groups, "Business") == ["Business", "6"]
    assert row(groups, "Other groups") == ["Other groups", "8"]
    assert not [r for r in groups if r and r[0] in ("Citizens", "Civil society", "International")]
    likert = tables[f"q-{LIKERT}-1"]
    header = likert[0]
    overall = dict(zip(header, row(likert, "All respondents"), strict=True))
    assert overall["Answers"] == "24"
    assert overall["Agree"] == "6 (26%)"  # 4 + 1 + 1 of the 23 who took a position
    assert overall["Agree (4–5)"] == "52%"  # 9 + 1 + 2 of 23
    academia = dict(zip(header, row(likert, "Academia"), strict=True))
    assert academia["Answers"] == "10"
    assert academia["Strongly agree"] == "5 (50%)"
    assert academia["Strongly disagree"] == "1 (10%)"  # a small count, in a group of ten
    pooled = dict(zip(header, row(likert, "Other groups"), strict=True))
    assert pooled["Answers"] == "8" and pooled["Strongly disagree"] == "3 (38%)"
    assert not [r for r in likert if r and r[0] in ("Citizens", "Civil society")]
    assert "—" not in overall["Mean (1–5)"] and "—" not in pooled["Mean (1–5)"]
    assert "Groups with fewer than 5 responses are shown together as “Other groups”." in body


def test_results_never_show_an_email_a_name_or_an_unpublished_comment(reader, enia):
    many_responses(enia)
    respond(
        enia,
        {LIKERT: "5"},
        {"section": "5-3", "text": "Comentario publicado con nombre"},
        publication="named",
        display_name="Rosa Quispe",
        email="rosa@example.org",
    )
    db.session.commit()
    publish(enia)
    body = read(reader)
    assert "@example.org" not in body
    assert SECRET not in body
    assert "Rosa Quispe" not in body
    assert "formación docente" not in body.lower()
    comments = tables_of(body)["comments-table"]
    assert row(comments, "5.3. Education and skills")[1:] == ["11", "0", "0"]


def test_results_read_in_spanish_use_spanish_numbers(client, enia):
    mixed_responses(enia)
    publish(enia)
    body = read(client)
    academia = row(tables_of(body)[f"q-{LIKERT}-1"], "Academia")
    assert "5 (50 %)" in academia  # the space is a no-break space, as Spanish writes it
    assert "50\xa0%" in body


def test_spanish_tables_name_answers_for_what_they_count(client, enia, coordinator_client):
    """A likert table counts answers ("Respuestas"); the console's list counts the questions
    each response answered ("Preguntas respondidas"): one English word, two Spanish ones."""
    mixed_responses(enia)
    publish(enia)
    likert = [t for t in tables_of(read(client)).values() if t and t[0][0] == "Grupo"]
    assert likert and all(t[0][1] == "Respuestas" for t in likert)
    listing = coordinator_client.get("/console/c/enia-2021/responses").get_data(as_text=True)
    assert "Preguntas respondidas" in listing and ">Respuestas</th>" not in listing
