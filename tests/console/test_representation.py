"""Who is missing, in the console: the page per region and gender, and the dashboard's box
while the consultation is open."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from tests.factories import make_response

PAGE = "/console/c/enia-2021/insight/representation/"
DASHBOARD = "/console/c/enia-2021/"


def text_of(client: FlaskClient, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, (url, reply.status_code)
    return html.unescape(re.sub(r"\s+", " ", reply.get_data(as_text=True)))


def section(body: str, heading: str) -> str:
    """The text of the section under ``heading``, up to the next heading."""
    start = body.index(heading)
    end = body.find("<h2", start + len(heading))
    return body[start : end if end > 0 else None]


@pytest.fixture
def responses(enia):
    """Four responses from Lima, one from Cusco, one from abroad; four women, two men."""
    for region, gender in [
        ("lima_metropolitana", "woman"),
        ("lima_metropolitana", "woman"),
        ("lima_metropolitana", "man"),
        ("lima_metropolitana", "woman"),
        ("cusco", "man"),
        ("abroad", "woman"),
    ]:
        make_response(enia, region=region, gender=gender)
    make_response(enia, region="puno", status="draft")  # a draft does not count
    return enia


@pytest.mark.parametrize("who", ["coordinator_client", "admin_client"])
def test_the_page_shows_regions_and_gender_against_the_census(request, responses, who):
    client = request.getfixturevalue(who)
    client.get("/console/?lang=en")
    body = text_of(client, PAGE)

    missing = section(body, "Regions with no response")
    assert "Amazonas" in missing and "Puno" in missing and "Ucayali" in missing
    assert "Cusco" not in missing and "Lima Metropolitana" not in missing
    index = section(body, "Representation index")
    # Cusco: 1 of the 5 respondents in Peru's regions (20 %) against 4.1 % of the people.
    cusco = re.search(r"<th scope=\"row\">Cusco</th>(.*?)</tr>", index).group(1)
    assert "20.0%" in cusco and "4.1%" in cusco and "4.87" in cusco and "over-represented" in cusco
    assert "Outside Peru 1" in index  # counted beside the index, not in it
    assert "INEI" in index
    women = re.search(r"<th scope=\"row\">Woman</th>(.*?)</tr>", index).group(1)
    # 4 of 6 women (66.7 %) against 50.8 %: 1.31, in proportion.
    assert "1.31" in women and "roughly in proportion" in women
    assert "under-represented" in body and "below 0.5" in body  # the words are explained


def test_the_regions_come_most_under_represented_first(responses, coordinator_client):
    coordinator_client.get("/console/?lang=en")
    index = section(text_of(coordinator_client, PAGE), "Representation index")
    rows = re.findall(r"<th scope=\"row\">([^<]+)</th>", index)
    assert rows.index("Amazonas") < rows.index("Lima Metropolitana") < rows.index("Cusco")


def test_the_dashboard_names_the_missing_regions_while_open(responses, coordinator_client):
    coordinator_client.get("/console/?lang=en")
    box = section(text_of(coordinator_client, DASHBOARD), "Who is missing")
    assert "Regions with no response yet:" in box and "Ucayali" in box
    assert "Cusco" not in box.split("Regions with no response yet:")[1].split(".")[0]
    assert PAGE in box


def test_the_dashboard_has_no_box_once_closed(responses, coordinator_client, set_window):
    set_window(responses, "closed")
    coordinator_client.get("/console/?lang=en")
    body = text_of(coordinator_client, DASHBOARD)
    assert "Who is missing" not in body and "Regions with no response" not in body
