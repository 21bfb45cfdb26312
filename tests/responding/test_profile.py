"""The profile's one write path: codes from the consultation's own lists, or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation, RespondentTrait, Response
from consult.models.columns import utcnow
from consult.responding import ProfileInvalid, read_traits, start_response, update_profile
from consult.responding.own_response import load_own_response
from tests.conftest import post_form

VALLE = {
    "responding_as": "individual",
    "stakeholder_type": "resident",
    "region": "cerro_alto",
    "age_band": "26_40",
    "education": "technical",
    "publication": "anonymous",
}


@pytest.fixture
def valle(app) -> Consultation:
    load_bundle("valle-digital-2027", opens=utcnow() - timedelta(days=1))
    return db.session.scalar(sa.select(Consultation).filter_by(slug="valle-digital-2027"))


def _responses() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def test_a_profile_in_the_consultations_lists_is_stored_with_its_further_answers(valle):
    response, token = start_response(valle, VALLE)
    stored = db.session.get(Response, response.id)
    assert (stored.region, stored.age_band, stored.stakeholder_type) == (
        "cerro_alto",
        "26_40",
        "resident",
    )
    assert read_traits(valle.profile, response.id) == {"education": "technical"}

    own = load_own_response(valle, token)
    update_profile(own, {**VALLE, "education": "university", "occupation": "student"})
    assert read_traits(valle.profile, response.id) == {
        "education": "university",
        "occupation": "student",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"region": "lima_metropolitana"}, "region"),  # Peru's, not this consultation's
        ({"age_band": "18_29"}, "age_band"),  # the old fixed band
        ({"education": "doctorate"}, "education"),
        ({"stakeholder_type": "neighbourhood_council"}, "stakeholder_type"),  # organisations
        ({"region": None}, "region"),  # required here
    ],
)
def test_a_code_outside_the_lists_is_refused_and_nothing_is_stored(valle, change, field):
    with pytest.raises(ProfileInvalid) as refused:
        start_response(valle, {**VALLE, **change})
    assert field in refused.value.errors
    assert _responses() == 0


def test_what_the_consultation_does_not_ask_is_not_stored(valle):
    response, _token = start_response(valle, {**VALLE, "gender": "woman", "country": "PE"})
    stored = db.session.get(Response, response.id)
    assert stored.gender is None and stored.country is None


def test_the_database_refuses_a_further_answer_outside_its_options(valle):
    response, _token = start_response(valle, VALLE)
    occupation = valle.profile["occupation"]
    db.session.add(RespondentTrait(response_id=response.id, field_id=occupation.id, code="pilot"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_profile_page_asks_the_consultations_own_fields_and_consent(valle, client):
    page = client.get("/c/valle-digital-2027/profile").get_data(as_text=True)
    assert "Cerro Alto" in page and "Lima Metropolitana" not in page
    assert "De 26 a 40 años" in page and "De 18 a 29" not in page
    assert "Nivel educativo más alto alcanzado" in page and 'name="p_education"' in page
    assert "Ley N.º 19.628" in page and "29733" not in page
    assert 'name="gender"' not in page and 'name="country"' not in page
    assert 'type="radio" name="age_band" id="age_band-1" value="18_25"' in page  # no blank
    assert '<option value="">Elija una opción</option>' in page  # the sectors' drop-down

    refused = post_form(
        client, "/c/valle-digital-2027/profile", {**VALLE, "region": "abroad", "consent": "y"}
    )
    assert refused.status_code == 422
    assert _responses() == 0

    started = post_form(
        client,
        "/c/valle-digital-2027/profile",
        {
            **{k: v for k, v in VALLE.items() if k != "education"},
            "p_education": "basic",
            "consent": "y",
        },
    )
    assert started.status_code == 302
    response = db.session.scalar(sa.select(Response))
    assert read_traits(valle.profile, response.id) == {"education": "basic"}
    again = client.get("/c/valle-digital-2027/profile").get_data(as_text=True)
    assert 'value="basic" checked' in again
