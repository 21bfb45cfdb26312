"""The opinion groups page: what the last run found, in the page's language, never public."""

from __future__ import annotations

import pytest

from consult.systematising import runs
from tests.systematising.test_groups import two_camps

URL = "/console/c/enia-2021/insight/groups/"


@pytest.fixture
def grouped(enia):
    two_camps(enia)
    run = runs.start_run(enia, ["groups"])
    return runs.execute(run.id)


@pytest.mark.parametrize("who", ["admin_client", "coordinator_client"])
def test_the_page_shows_groups_consensus_and_division(request, grouped, who):
    client = request.getfixturevalue(who)
    page = client.get(URL + "?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "made by a machine" in text and "never published" in text
    assert "24 respondents placed in groups" in text
    assert text.count("12 respondents") == 2
    # Composition by stakeholder type, named from the consultation's list.
    assert "Company" in text or "company" in text.lower()
    # Consensus: section 5.9's agreement and the "budget" option, with 100 % in each group.
    consensus = text.split('id="consensus-title"')[1].split('id="divisive-title"')[0]
    assert "5.9." in consensus and "Budget and funding" in consensus
    divisive = text.split('id="divisive-title"')[1]
    assert "100" in divisive and "points" in divisive


def test_statements_follow_the_page_language(coordinator_client, grouped):
    spanish = coordinator_client.get(URL + "?lang=es").get_data(as_text=True)
    assert "Presupuesto y financiamiento" in spanish
    assert "Budget and funding" not in spanish


def test_before_any_run_the_page_says_how_to_get_groups(coordinator_client, enia):
    page = coordinator_client.get(URL + "?lang=en")
    assert page.status_code == 200
    assert "No opinion groups yet" in page.get_data(as_text=True)


def test_too_few_respondents_say_so(coordinator_client, enia):
    from tests.factories import make_response

    make_response(enia, answers={"q-5-1-agree": "5"})
    runs.execute(runs.start_run(enia, ["groups"]).id)
    text = coordinator_client.get(URL + "?lang=en").get_data(as_text=True)
    assert "Too few respondents" in text


def test_the_page_is_not_for_the_public(client, grouped):
    reply = client.get(URL)
    assert reply.status_code in (302, 401, 403)
