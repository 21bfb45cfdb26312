"""Ids beyond what the database holds, in a URL, a query string or a form (issue 13).

``/console/c/enia-2021/comments/9223372036854775808`` and the bulk form's ``ids=`` reached
SQLite as integers it cannot take (OverflowError, a 500); ``?theme=²`` passed
``str.isdigit()`` and failed in ``int()``. Now a URL is a 404, a bulk form a 400, and a
filter ignores the value, as it ignores any other it does not understand.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from werkzeug.exceptions import BadRequest, NotFound

from consult.web.converters import MAX_ID, id_from, ids_from
from tests.conftest import session_csrf_token
from tests.security.state import snapshot

BASE = "/console/c/enia-2021"
#: Past PostgreSQL's integer, past SQLite's (OverflowError), far past; digits not ASCII.
BEYOND = [str(MAX_ID + 1), "9223372036854775808", "99999999999999999999999", "1" * 5000]


#: Every console route with an id, GETs first (those with one slash), then POSTs.
ID_PATHS = ["comments/{}", "responses/{}", "comments/{}/moderate", "comments/{}/notes",
            "comments/{}/redact", "comments/{}/decide", "comments/{}/themes",
            "responses/{}/notes", "themes/{}/rename", "themes/{}/delete"]  # fmt: skip


def test_an_id_no_row_can_have_in_a_console_url_is_not_found(app, admin_client, enia):
    """One signed-in browser tries them all (signing in hashes a password: slow)."""
    token = session_csrf_token(app, admin_client)
    adapter = app.url_map.bind("consult.test")
    before = snapshot()
    for path in ID_PATHS:
        for value in [*BEYOND, "٣", "-1"]:
            url = f"{BASE}/{path.format(value)}"
            method = "GET" if path.count("/") == 1 else "POST"
            with pytest.raises(NotFound):
                adapter.match(url, method=method)
            data = {"csrf_token": token, "state": "published", "text": "x"}
            reply = admin_client.open(url, method=method, data=data if method == "POST" else None)
            assert reply.status_code == 404, url
            assert "Página no encontrada" in reply.get_data(as_text=True)
    assert snapshot() == before


def test_the_largest_id_still_matches(app):
    adapter = app.url_map.bind("consult.test")
    endpoint, values = adapter.match(f"{BASE}/comments/{MAX_ID}")
    assert (endpoint, values["comment_id"]) == ("console.show_comment", MAX_ID)
    assert adapter.match("/console/admin/users/0007", method="POST")[1]["user_id"] == 7


def test_a_bulk_action_on_an_id_that_is_none_is_refused(app, coordinator_client, enia):
    token = session_csrf_token(app, coordinator_client)
    before = snapshot()
    for value in [*BEYOND, "²", "٣", "-1", "0", "1.0", " 1", "", "x"]:
        data = {"csrf_token": token, "action": "publish", "scope": "selected", "ids": ["1", value]}
        reply = coordinator_client.post(f"{BASE}/comments/bulk", data=data)
        assert reply.status_code == 400, value
        assert "Solicitud incorrecta" in reply.get_data(as_text=True)
    assert snapshot() == before


def test_a_theme_filter_that_is_no_id_is_ignored(coordinator_client, enia):
    for value in [*BEYOND, "²", "٣", "-1", "0"]:
        query = {"theme": value, "lang": "en"}
        reply = coordinator_client.get(f"{BASE}/comments", query_string=query)
        assert reply.status_code == 200, value
        assert "not understood and were ignored: theme" in reply.get_data(as_text=True), value


def test_the_id_parsers():
    assert [id_from(v) for v in ("1", "0042", str(MAX_ID))] == [1, 42, MAX_ID]
    for value in [None, "", "0", "-1", "+1", " 1", "1 ", "1.0", "1e3", "²", "٣", "١٢",
                  str(MAX_ID + 1), "9" * 40, "0x10"]:  # fmt: skip
        assert id_from(value) is None, value
    assert ids_from(["3", "1"]) == [3, 1] and ids_from([]) == []
    with pytest.raises(BadRequest):
        ids_from(["3", "²"])


@pytest.mark.parametrize("segment", ["%00", "enia-2021%00", "%1b", "%7f", "%c2%85", "a%0ab"])
def test_a_control_character_in_a_url_segment_names_nothing(app, client, enia, segment):
    """No slug, key or token holds one; PostgreSQL refuses a NUL in a parameter (a 500)."""
    adapter = app.url_map.bind("consult.test")
    for path in (f"/c/{segment}/", f"/c/enia-2021/s/{segment}", f"/c/enia-2021/r/{segment}"):
        with pytest.raises(NotFound):
            adapter.match(unquote(path))
        assert client.get(path).status_code == 404
    assert adapter.match("/c/enia-2021/s/5-3")[1] == {"slug": "enia-2021", "key": "5-3"}
