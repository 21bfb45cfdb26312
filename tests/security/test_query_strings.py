"""Hostile query strings on every page: never a 500, nothing stored, nothing that runs.

Pages are found from the URL map; the parameters tried are those the pages' own GET
forms (filters, search) and links (``page``, ``lang``, ``next``) use, Flask's own
``url_for`` options, the names of URL parameters, and names nobody uses, each with
hostile values, repeated or missing. Public pages are read by a person with a draft, the
console by a coordinator (report downloads aside: their filters are the report page's).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from .fuzzing import fuzz, hostile_text, hostile_value
from .pages import active_content, forms_on
from .people import same_browser
from .routes import World, route_keys
from .state import snapshot

#: Parameters the pages read, and url_for's options and URL values (a page rebuilds its
#: own address for the language switch, so they must not steer or break it).
KNOWN = ["page", "lang", "next", "q", "sort", "status", "audience", "theme", "section",
         "date_from", "date_to", "include_flagged", "_external", "_scheme", "_anchor",
         "_method", "endpoint", "values", "slug", "key", "token", "digest"]  # fmt: skip
#: Downloads compute the whole report in a file format: slow, and filtered as the page is.
SLOW = ("console.reports.download_csv", "console.reports.download_xlsx",
        "console.reports.download_pdf")  # fmt: skip


@pytest.fixture
def browsers(world: World) -> dict[str, FlaskClient]:
    """Who reads each part of the app: a person with a response, a visitor, a coordinator."""
    return {
        "public": world.respondent().client,
        "auth": world.app.test_client(),
        "console": same_browser(world.app, world.signed_in["coordinator"]),
    }


@pytest.fixture
def pages(world: World, browsers) -> list[tuple[str, str, list[str]]]:
    """(blueprint, URL, parameter names its GET forms use) for every page of the app."""
    found = []
    respondent = world.respondent()
    for key, rule in sorted(route_keys(world.app).items()):
        audience = rule.endpoint.split(".")[0]
        if not key.startswith("GET ") or audience not in browsers or rule.endpoint in SLOW:
            continue
        url, _values = world.url(rule, respondent)
        reply = browsers[audience].get(url, buffered=True)
        reply.close()
        names = []
        if reply.mimetype == "text/html":
            for form in forms_on(url, reply.get_data(as_text=True)):
                names += [name for name in form.fields if form.method == "GET"]
        found.append((audience, url, names))
    assert {audience for audience, _url, _names in found} == set(browsers)
    return found


@fuzz(40)
@given(data=st.data())
def test_hostile_query_strings_never_fail_or_write(browsers, pages, data):
    audience, url, names = data.draw(st.sampled_from(pages), label="page")
    name = st.one_of(st.sampled_from(KNOWN + names), hostile_text)
    query = data.draw(st.lists(st.tuples(name, hostile_value), max_size=6), label="query")
    browser = browsers[audience]
    before = snapshot()
    reply = browser.get(f"{url}?{urlencode(query)}", buffered=True)
    reply.close()
    assert reply.status_code < 500, (url, query)
    if reply.mimetype == "text/html":
        assert active_content(reply.get_data(as_text=True)) == [], (url, query)
    if 300 <= reply.status_code < 400:
        location = urlsplit(reply.location)
        assert location.netloc in ("", "consult.test") and not reply.location.startswith("//")
    assert snapshot() == before, (url, query)


@pytest.mark.parametrize(
    "query", ["_method=DELETE", "_method=x", "key=1", "slug=otra", "_external=1&_anchor=x"]
)
def test_the_language_link_is_this_page_whatever_the_query(app, enia, query):
    """It was built with url_for from the query: ?_method= broke every page (500), ?key=
    pointed it at another page."""
    reply = app.test_client().get(f"/c/enia-2021/s/5-3?{query}")
    assert reply.status_code == 200
    links = [
        form_or_link
        for form_or_link in reply.get_data(as_text=True).split('href="')[1:]
        if "lang=en" in form_or_link.split('"')[0]
    ]
    assert links, "no language link"
    target = urlsplit(links[0].split('"')[0].replace("&amp;", "&"))
    assert (target.netloc, target.path) == ("", "/c/enia-2021/s/5-3")
