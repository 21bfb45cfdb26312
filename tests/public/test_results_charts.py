"""The public results show their charts as image files, so the page itself stays light."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.public.test_results import RESULTS, many_responses, publish, read

CHART = re.compile(r'<img alt="" src="(/c/enia-2021/results/charts/(es|en)/([0-9a-f]{20})\.svg)"')


@pytest.fixture
def reader(client: FlaskClient) -> FlaskClient:
    """A visitor reading in English."""
    client.get("/?lang=en")
    return client


def test_charts_are_images_of_their_own_kept_for_a_year(reader, enia):
    many_responses(enia)
    publish(enia)
    page = read(reader, RESULTS)
    charts = CHART.findall(page)
    assert len(charts) >= 3
    assert "data:image" not in page and "<svg" not in page
    assert {lang for _url, lang, _digest in charts} == {"en"}
    url = charts[0][0]
    reply = reader.get(url)
    assert reply.status_code == 200
    assert reply.mimetype == "image/svg+xml"
    assert reply.get_data(as_text=True).startswith("<svg")
    assert reply.cache_control.max_age == 365 * 24 * 3600 and reply.cache_control.immutable


def test_chart_addresses_follow_the_language_and_die_with_the_summary(reader, enia):
    many_responses(enia)
    publish(enia)
    english = CHART.findall(read(reader, RESULTS))
    spanish = CHART.findall(read(reader, RESULTS + "?lang=es"))
    assert {d for *_, d in english}.isdisjoint({d for *_, d in spanish})
    # An English chart stays English whatever language the reader switched to.
    assert "Responses" in reader.get(english[0][0]).get_data(as_text=True)
    assert reader.get(english[0][0].replace("/en/", "/fr/")).status_code == 404
    assert reader.get(english[0][0][:-10] + "0123456789.svg").status_code == 404
    publish(enia, False)
    assert reader.get(spanish[0][0]).status_code == 404
