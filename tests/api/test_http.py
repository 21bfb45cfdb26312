"""The API as HTTP: validators and 304, CORS, methods, rate limits, errors as problems."""

from __future__ import annotations

import gzip
import logging

import pytest

from consult.api import views
from consult.extensions import db

from .conftest import API, problem

SLUG = f"{API}/enia-2021"
PATHS = [API, SLUG, f"{SLUG}/comments", "/api/v1/openapi.json"]


@pytest.mark.parametrize("path", PATHS)
def test_an_unchanged_document_is_a_304_by_etag_or_by_date(client, enia, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    # If-None-Match wins over a date that would match.
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(path, headers=both).status_code == 200


def test_a_change_changes_the_etag_and_the_date(client, enia):
    first = client.get(SLUG)
    enia.title_en = "Another title"
    db.session.commit()
    # The public pages' copy of a consultation is kept a few seconds; a commit here drops it.
    later = client.get(SLUG, headers={"If-None-Match": first.headers["ETag"]})
    assert later.status_code == 200 and later.get_json()["title"]["en"] == "Another title"
    assert later.headers["ETag"] != first.headers["ETag"]
    assert later.last_modified >= first.last_modified


def test_gzip_is_another_representation_with_its_own_etag(client, enia):
    plain = client.get(SLUG)
    zipped = client.get(SLUG, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert "Accept-Encoding" in zipped.headers["Vary"]
    tag = zipped.headers["ETag"]
    assert (
        client.get(SLUG, headers={"Accept-Encoding": "gzip", "If-None-Match": tag}).status_code
        == 304
    )


def test_any_origin_may_read_without_credentials_and_preflight_is_answered(client, enia):
    reply = client.get(API, headers={"Origin": "https://periodico.example"})
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in reply.headers
    assert "ETag" in reply.headers["Access-Control-Expose-Headers"]
    assert "Set-Cookie" not in reply.headers
    preflight = client.options(
        SLUG,
        headers={
            "Origin": "https://periodico.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    # Errors are readable across origins too.
    assert client.get(f"{API}/nope").headers["Access-Control-Allow-Origin"] == "*"


def test_no_cookie_of_a_visitor_is_reflected(client, enia):
    client.get("/c/enia-2021/?lang=en")  # the site keeps the language in the session
    reply = client.get(SLUG, headers={"Cookie": "session=forged; other=1"})
    assert reply.status_code == 200 and "Set-Cookie" not in reply.headers
    assert "forged" not in reply.get_data(as_text=True)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_are_a_405_problem_naming_what_is_allowed(client, enia, method):
    reply = client.open(SLUG, method=method)
    document = problem(reply, 405)
    assert set(reply.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert document["messages"]["es"]["title"] == "Método no permitido"


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/nope",
        f"{API}/{'x' * 5000}",
        f"{API}/%00",
        f"{API}/enia-2021%0a",
        f"{API}/enia-2021/nothing",
        "/api/v2/consultations",
        "/api/nothing",
    ],
)
def test_addresses_that_lead_nowhere_are_404_problems(client, enia, path):
    problem(client.get(path), 404)


def test_an_error_of_ours_is_a_500_problem_that_shows_nothing_of_it(
    client, enia, monkeypatch, caplog
):
    def broken(*_args):
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(views.serialise, "consultation_detail", broken)
    with caplog.at_level(logging.ERROR):
        reply = client.get(SLUG)
    document = problem(reply, 500)
    assert "secret detail" not in reply.get_data(as_text=True)
    assert document["request_id"] in caplog.text


def test_too_many_requests_is_a_429_problem_with_retry_after(app_with, enia):
    limited = app_with(
        RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute", RATELIMIT_STORAGE_URL="memory://"
    )
    client = limited.test_client()
    assert [client.get(API).status_code for _ in range(3)] == [200, 200, 200]
    reply = client.get(SLUG)
    document = problem(reply, 429)
    assert int(reply.headers["Retry-After"]) > 0
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert document["messages"]["en"]["title"] == "Too many requests"
    # The public pages are not counted against the API's budget.
    assert client.get("/c/enia-2021/").status_code == 200


def test_the_human_page_lists_every_endpoint_with_real_examples_in_each_language(client, enia):
    page = client.get("/api/").get_data(as_text=True)
    assert "API pública" in page and "Puntos de acceso" in page
    for path in ("/api/v1/consultations", "/api/v1/consultations/{slug}/comments", "openapi.json"):
        assert path in page
    assert "Estrategia Nacional de Inteligencia Artificial" in page  # a real example
    english = client.get("/api/v1/?lang=en").get_data(as_text=True)
    assert "Public API" in english and "Endpoints" in english
    home = client.get("/c/enia-2021/").get_data(as_text=True)
    assert 'href="/api/"' in home
