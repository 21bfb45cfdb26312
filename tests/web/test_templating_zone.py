"""Every page of a consultation shows its times in the consultation's time zone, and says so.

The ENIA is held here in Santiago: it closes at 02:59 UTC on 27 January 2027, which is
23:59 on the 26th in Santiago's summer (three hours behind) and 21:59 in Lima.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation
from tests.conftest import SMALL_BUNDLE, signed_in_client
from tests.factories import make_response

CLOSES = datetime(2027, 1, 27, 2, 59)
IN_SANTIAGO = {
    "es": "26 de enero de 2027, 23:59 (hora de America/Santiago)",
    "en": "January 26, 2027, 23:59 (America/Santiago time)",
}
NEVER_SHOWN = ("UTC", "Peru time", "hora del Perú")


@pytest.fixture
def santiago(enia: Consultation) -> Consultation:
    enia.time_zone = "America/Santiago"
    enia.opens_at, enia.closes_at = datetime(2026, 11, 1, 3, 0), CLOSES
    db.session.commit()
    return enia


def page(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, url
    return reply.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_consultation_page_shows_its_closing_in_its_own_zone(client, santiago, lang):
    text = page(client, f"/c/enia-2021/?lang={lang}")
    assert IN_SANTIAGO[lang] in text
    for words in NEVER_SHOWN:
        assert words not in text


def test_the_list_of_consultations_shows_each_in_its_zone(client, santiago):
    load_bundle(SMALL_BUNDLE)  # in Lima; it opens at midnight there on 1 January 2030
    text = page(client, "/")
    assert IN_SANTIAGO["es"] in text
    assert "1 de enero de 2030, 00:00 (hora de America/Lima)" in text


def test_another_zone_moves_every_time_shown(client, santiago):
    santiago.time_zone = "America/Lima"
    db.session.commit()
    text = page(client, "/c/enia-2021/")
    assert "26 de enero de 2027, 21:59 (hora de America/Lima)" in text
    assert "America/Santiago" not in text


def test_the_console_shows_a_responses_times_in_the_zone(santiago, coordinator_client):
    response = make_response(santiago, submitted_at=datetime(2027, 1, 15, 2, 30))
    text = page(coordinator_client, f"/console/c/enia-2021/responses/{response.id}")
    assert "14 de enero de 2027, 23:30 (hora de America/Santiago)" in text  # submitted
    assert "14 de enero de 2027, 23:25 (hora de America/Santiago)" in text  # started
    for words in NEVER_SHOWN:
        assert words not in text


def test_pages_of_no_consultation_use_the_sites_zone_and_name_it(app_with, admin):
    other = app_with(BABEL_DEFAULT_TIMEZONE="America/Bogota")
    text = page(signed_in_client(other, admin.email), "/console/admin/audit")
    assert "zona horaria del sitio, America/Bogota" in text
    assert "(hora de America/Bogota)" in text  # the sign-in just recorded
    for words in NEVER_SHOWN:
        assert words not in text
