"""The pager links to this same list with another page, whatever the query string holds.

It was built as ``url_for(request.endpoint, **request.args)``: a query argument named like
one of url_for's own parameters steered or broke it (``?_method=POST``: BuildError;
``?endpoint=x``: TypeError; both a 500 on every list with more than one page).
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from consult.extensions import db
from consult.reviewing import audit
from tests.factories import make_responses

#: url_for's own parameters, the URL's own values, and a page given twice.
QUERIES = [
    [("_method", "POST")], [("endpoint", "x")], [("_external", "1")], [("_anchor", "x")],
    [("_scheme", "javascript")], [("values", "1")], [("slug", "otra")],
    [("_method", "DELETE"), ("endpoint", "console.show_comment"), ("values", "{}")],
    [("section", "5-3"), ("section", "5-1")], [("page", "1"), ("page", "x")],
]  # fmt: skip
LISTS = ["/console/c/enia-2021/responses", "/console/c/enia-2021/comments", "/console/admin/audit"]


@pytest.fixture
def long_lists(enia):
    """More than a page in each list: responses, comments, audit entries."""
    make_responses(enia, 55)
    for n in range(55):
        audit.record(None, "comment.moderate", "comment", n + 1, actor_email="a@example.org")
    db.session.commit()


def links(page: str) -> dict[str, str]:
    return {
        rel: html.unescape(href)
        for rel, href in re.findall(r'<a rel="(prev|next)" href="([^"]+)"', page)
    }


def test_the_pager_keeps_the_query_as_a_query_and_the_list_as_the_page(admin_client, long_lists):
    for url in LISTS:
        for query in QUERIES:
            reply = admin_client.get(url, query_string=query)
            assert reply.status_code in (200, 422), (url, query, reply.status_code)
            if reply.status_code == 422:
                continue  # the audit list refuses a filter it cannot read, and shows no pages
            target = urlsplit(links(reply.get_data(as_text=True))["next"])
            assert (target.scheme, target.netloc, target.path, target.fragment) == ("", "", url, "")
            kept = [(k, v) for k, v in query if k != "page"]
            assert parse_qsl(target.query) == [*kept, ("page", "2")], (url, query)


def test_the_previous_page_link_too(admin_client, long_lists):
    reply = admin_client.get(LISTS[1], query_string=[("page", "2"), ("_method", "POST")])
    assert reply.status_code == 200
    previous = links(reply.get_data(as_text=True))["prev"]
    assert previous == f"{LISTS[1]}?_method=POST&page=1"
