"""The console reads each consultation's own profile: its types, regions and further answers.

The test consultation (tests/bundles/profiled) has three regions of its own, four
stakeholder types and a further question, education: the filters, the dashboard, the
lists and a response's page name them as it does.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.reports.test_breakdowns import profiled  # noqa: F401  (the fixture)

from .test_lists import matching, page

BASE = "/console/c/profiled-test"


@pytest.fixture
def console(coordinator_client: FlaskClient) -> FlaskClient:
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


def test_the_filters_offer_the_consultations_own_lists(console, profiled):  # noqa: F811
    body = page(console, f"{BASE}/responses")
    assert '<option value="abroad">Outside Peru</option>' in body
    assert '<option value="company">Company</option>' in body
    assert "Amazonas" not in body
    assert matching(page(console, f"{BASE}/responses?region=cusco")) == 4
    assert matching(page(console, f"{BASE}/responses?stakeholder_type=company")) == 2


def test_a_code_outside_the_lists_is_ignored_and_said(console, profiled):  # noqa: F811
    body = page(console, f"{BASE}/responses?region=amazonas&stakeholder_type=trade_union")
    assert "were not understood and were ignored" in body
    assert "stakeholder_type" in body.split("were ignored")[1]
    assert matching(body) == 14


def test_the_lists_and_the_dashboard_use_its_labels(console, profiled):  # noqa: F811
    listed = page(console, f"{BASE}/responses?region=abroad")
    assert "<td>Outside Peru</td>" in listed and "<td>Company</td>" in listed
    dashboard = page(console, f"{BASE}/")
    assert "Academia or research" in dashboard
    assert "stakeholder_type=individual" in dashboard


def test_a_response_shows_its_further_answers(console, profiled):  # noqa: F811
    listed = page(console, f"{BASE}/responses?region=abroad&sort=reference")
    link = listed.split('href="/console/c/profiled-test/responses/')[1].split('"')[0]
    body = page(console, f"{BASE}/responses/{link}")
    assert "Highest level of education" in body and "Technical" in body
    assert "Outside Peru" in body
