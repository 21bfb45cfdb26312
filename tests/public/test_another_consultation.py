"""Another government's consultation, answered through the public pages and reported.

The invented Chilean commune of the second shipped bundle (``valle-digital-2027``): its
own sectors, age bands, education and occupation; consent under Chile's law; Chile's
time zone; no "contributes to" choice; one gated section; shares over everyone who
answered. Each respondent uses their own browser session, as people do.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Comment, Consultation, GateAnswer, Response
from consult.models.columns import utcnow
from tests.conftest import post_form

SLUG = "valle-digital-2027"
#: (sector, age band, education, answers the gated section)
PEOPLE = (
    [("centro", "26_40", "university", True)] * 4
    + [("centro", "41_65", "secondary", False)] * 2
    + [("cerro_alto", "26_40", "secondary", True)] * 3
    + [("cerro_alto", "41_65", "university", True)] * 2
    + [("los_sauces", "41_65", "university", False)] * 3
    + [("rural", "26_40", "secondary", True)] * 2
)


@pytest.fixture
def valle(app) -> Consultation:
    load_bundle(SLUG, opens=utcnow() - timedelta(days=1))
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=SLUG))
    consultation.summary_published = True
    db.session.commit()
    return consultation


def respond(app, region: str, age: str, education: str, answers_gate: bool, n: int) -> None:
    """One resident's whole response, page by page, as a browser sends it."""
    browser = app.test_client()
    started = post_form(
        browser,
        f"/c/{SLUG}/profile",
        {
            "responding_as": "individual",
            "stakeholder_type": "resident",
            "region": region,
            "age_band": age,
            "p_education": education,
            "publication": "anonymous",
            "consent": "y",
        },
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    saved = post_form(
        browser,
        f"/c/{SLUG}/s/tramites",
        {"q_v_tramites_agree": "dk" if n % 4 == 0 else "4", "comment": f"Comentario {n}"},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    gated = f"/c/{SLUG}/s/datos-abiertos"
    chose = post_form(browser, gated, {"gate": "yes" if answers_gate else "no"})
    assert chose.status_code == 302
    if answers_gate:
        assert post_form(browser, gated, {"gate": "yes", "q_v_datos_agree": "5"}).status_code == 302
    else:
        assert not chose.headers["Location"].endswith("/s/datos-abiertos")
    review = post_form(browser, f"/c/{SLUG}/submit", {}, form_url=f"/c/{SLUG}/review")
    assert review.status_code == 302, review.get_data(as_text=True)


@pytest.fixture
def answered(app, valle) -> Consultation:
    for n, person in enumerate(PEOPLE):
        respond(app, *person, n)
    return valle


def test_the_profile_page_is_the_communes(client, valle):
    page = client.get(f"/c/{SLUG}/profile").get_data(as_text=True)
    assert "¿En qué sector de la comuna vive o trabaja?" in page
    assert "Ley N.º 19.628" in page and "29733" not in page
    section = client.get(f"/c/{SLUG}/s/conectividad").get_data(as_text=True)
    assert 'name="comment"' not in section


def test_answered_through_the_pages_it_is_stored_in_its_own_terms(answered):
    rows = db.session.execute(sa.select(Response.region, Response.status)).all()
    assert len(rows) == len(PEOPLE)
    assert {status.value for _region, status in rows} == {"submitted"}
    assert "abroad" not in {region for region, _status in rows}
    gates = db.session.scalars(sa.select(GateAnswer.wants)).all()
    assert sorted(gates) == sorted(p[3] for p in PEOPLE)
    assert set(db.session.scalars(sa.select(Comment.contribution))) == {None}


def test_its_open_report_uses_its_categories_zone_and_share_base(answered, client):
    page = client.get(f"/c/{SLUG}/results").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    # Its sectors; the two smallest (3 and 2 people) pooled into "Other groups" of 5.
    assert "Respuestas por región Región Respuestas Centro 6 Cerro Alto 5" in text
    assert "Otros grupos 5" in text and "Los Sauces" not in text and "Sector rural" not in text
    for peruvian in ("Fuera del Perú", "Lima Metropolitana", "Áncash", "Perú"):
        assert peruvian not in text
    # Its age bands and its further questions, reported as who took part.
    assert "De 26 a 40 años 9 De 41 a 65 años 7" in text
    assert "Educación media 7" in text and "Universitaria 9" in text
    # Chile's time, never UTC.
    assert "(hora de America/Santiago)" in text and "UTC" not in text
    # The gated section's base: the 11 who chose to answer it; its shares over them all.
    assert "Personas que eligieron responder esta sección: 11" in text
    assert "Los porcentajes son de todas las personas que respondieron la pregunta" in text
    # Agreement over everyone who answered: 4 of 16 said "don't know", 12 agree.
    assert "respondieron 16 0 (0 %) 0 (0 %) 0 (0 %) 12 (75 %) 0 (0 %) 4 (25 %)" in text
