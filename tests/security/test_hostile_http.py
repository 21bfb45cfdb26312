"""Hostile HTTP below the forms: headers, chunked bodies, static paths, URL values.

The forms and query strings have their own fuzz tests; these go under them, where a
hostile probe of ``consult serve`` found six 500s (issue 13): a Host header werkzeug
cannot bind, a body in broken chunks, a NUL in a static path, ids past the database's
integers in URLs, url_for's own names in the query string of a paged list. The property
is the same everywhere: no 500, nothing logged as an error or with a traceback.

- Headers and chunked bodies go over a socket to the app under werkzeug's server
  (``wire.served``): the test client builds the request itself and would not send such
  bytes. A chunked body also goes through gunicorn's own chunk reader, as a gunicorn
  behind another front would hand it to the app (gunicorn raises errors of its own that
  werkzeug does not); ``consult serve`` itself un-chunks bodies in tornado first.
- URL values come from the URL map: every argument of every route, an integer one with
  integers past what an id can be (exactly a 404), any other with hostile text. A new
  route is tried without a line here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from consult.extensions import db
from consult.reviewing import audit
from consult.web.converters import MAX_ID
from tests.conftest import session_csrf_token
from tests.factories import make_responses

from .fuzzing import SPECIAL, fuzz, hostile_text, hostile_value
from .pages import active_content
from .people import same_browser
from .routes import World, route_keys
from .wire import LEAKS, exchange, failures, request_bytes, served

#: Routes left out: signing out ends the session every other example uses; downloads
#: compute a whole report in a file format (slow; their filters are the report page's).
SPARED = {"auth.sign_out", "console.reports.download_csv", "console.reports.download_xlsx",
          "console.reports.download_pdf", "console.reports.download_json"}  # fmt: skip


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def check(status: int, body: bytes, log: pytest.LogCaptureFixture, what: object) -> None:
    """The property of every test here: a reply below 500, no leak, nothing failed."""
    assert status < 500, (status, what)
    assert not [leak for leak in LEAKS if leak in body and status >= 400], what
    assert failures(log) == [], what


# ---------------------------------------------------------------- who sends what


def cookie_and_token(app: Flask, client: FlaskClient) -> tuple[str, str]:
    """The browser's session cookie and a CSRF token valid in it."""
    token = session_csrf_token(app, client)
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name, domain=app.config["SERVER_NAME"])
    assert cookie is not None
    return f"{name}={cookie.value}", token


@pytest.fixture
def targets(world: World) -> list[tuple[str, str, str, str]]:
    """(method, real path, cookie, CSRF token) for every route the app answers.

    Public and sign-in pages are read by a person holding a response, the console by the
    administrator (another tab of the signed-in browser), static files by anyone.
    """
    app = world.app
    respondent = world.respondent()
    people = {
        "public": cookie_and_token(app, respondent.client),
        "auth": cookie_and_token(app, respondent.client),
        "console": cookie_and_token(app, same_browser(app, world.signed_in["admin"])),
    }
    found = []
    for key, rule in sorted(route_keys(app).items()):
        if rule.endpoint in SPARED:
            continue
        method = key.split()[0]
        path, _values = world.url(rule, respondent)
        cookie, token = people.get(rule.endpoint.split(".")[0], ("", ""))
        found.append((method, path, cookie, token))
    return found


# ---------------------------------------------------------------- headers

#: Values chosen by hand for each header, beside hostile text.
HEADERS = {
    "Host": [b"a" * 64 + b".example", b"a" * 64, b"..", b".", b"", b"[::1", b"[::1]:x",
             b"h:99999", b"h:-1", b"a" * 300, "ñandú.example".encode(), b"\xff\xfe", b"a b",
             b"127.0.0.1:5000, evil.example", b"evil.example/x?y#z"],
    "Content-Length": [b"-1", b"abc", b"1e3", b"99999999999999999999", b"1,1", b" 5",
                       b"0x10", b"", b"5, 6", str(2**63).encode()],
    "Transfer-Encoding": [b"chunked", b"gzip, chunked", b"identity", b"chunked, chunked",
                          b"x", b"CHUNKED", b"chunked;q=1"],
    "Content-Type": [b"multipart/form-data", b"multipart/form-data; boundary=",
                     b"multipart/form-data; boundary=" + b"a" * 5000, b"text/plain",
                     b"application/x-www-form-urlencoded; charset=utf-7",
                     b"application/x-www-form-urlencoded; charset=\xff", b"application/json",
                     b"multipart/mixed; boundary=x", b";;;", b"/"],
    "Cookie": [b"session=", b"session=x", b"session=" + b"a" * 5000, b"session=.eJw.x.y",
               b"session=a; session=b", b"=; ;=;", b"session=\x00", b"lang=\xff"],
    "X-Forwarded-For": [b"1.2.3.4, ::1", b"garbage", b"", b"::ffff:1.2.3.4", b"fe80::1%eth0",
                        b"999.1.1.1", b", , ,", b"[::1]:80", b"unknown"],
    "X-Forwarded-Proto": [b"https", b"javascript", b"https, http", b"", b"HTTPS"],
    "X-Forwarded-Host": [b"a" * 64 + b".example", b"evil.example"],
    "X-Forwarded-Port": [b"-1", b"99999", b"x"],
    "X-Forwarded-Prefix": [b"/evil", b"//evil.example", b"\x00"],
    "Accept-Language": [b"*", b"xx-YY;q=abc", b"es;q=2, en;q=-1", b"a" * 5000, b",,,;q="],
    "Accept-Encoding": [b"gzip;q=abc", b"*;q=0", b"br, gzip, deflate, x" * 100],
    "X-Request-ID": [b"a" * 5000, b"<script>", b"../../x"],
    "If-None-Match": [b'"x"', b"*", b"W/"], "If-Modified-Since": [b"yesterday", b"0"],
    "Range": [b"bytes=0-0", b"bytes=-1", b"bytes=x-y", b"bytes=0-0,1-1,2-2"],
    "Origin": [b"null", b"https://evil.example"], "Referer": [b"javascript:x", b"\x00"],
}  # fmt: skip


def _wire(text: str) -> bytes:
    """Hostile text as header bytes: UTF-8, but never a line break (that is another header)."""
    return text.encode("utf-8", "surrogatepass").replace(b"\r", b"").replace(b"\n", b"")


def header_value(name: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.sampled_from(HEADERS[name]),
        hostile_text.map(_wire),
        st.binary(max_size=40).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
    )


@st.composite
def hostile_headers(draw) -> list[tuple[str, bytes]]:
    names = draw(st.lists(st.sampled_from(sorted(HEADERS)), min_size=1, max_size=4))
    return [(name, draw(header_value(name))) for name in names]


@pytest.fixture
def ports(app, app_with, targets) -> Iterator[dict[str, int]]:
    """The app as it runs by default, and behind one trusted proxy (X-Forwarded-* read).

    Served once the targets are known: serving lifts SERVER_NAME, which the test
    client's cookies are kept under."""
    proxied = app_with(PROXY_COUNT=1)
    with served(app) as direct, served(proxied) as behind_proxy:
        yield {"direct": direct, "behind a proxy": behind_proxy}


#: Where a hand-chosen value goes: a page that reads a form (POST), one that reads only
#: the headers (GET); X-Forwarded-* to the app that trusts a proxy.
PROFILE = "/c/enia-2021/profile"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_hand_chosen_header_value_once(ports, targets, log, method):
    """Each value above, alone, so that none is left to the luck of the draw."""
    _method, _path, cookie, token = next(t for t in targets if t[1] == PROFILE)
    body = urlencode({"csrf_token": token}).encode() if method == "POST" else b""
    for name, values in HEADERS.items():
        port = ports["behind a proxy" if name.startswith("X-Forwarded") else "direct"]
        for value in values:
            sent = [("Cookie", cookie), (name, value)]
            if name != "Host":
                sent.append(("Host", b"127.0.0.1"))
            if name not in ("Content-Length", "Transfer-Encoding"):
                sent.append(("Content-Length", str(len(body))))
            if name != "Content-Type":
                sent.append(("Content-Type", "application/x-www-form-urlencoded"))
            log.clear()
            reply = exchange(port, request_bytes(method, PROFILE, sent, body))
            check(reply.status, reply.body, log, (method, name, value))


@fuzz(60)
@given(data=st.data())
def test_hostile_headers_never_fail(ports, targets, log, data):
    method, path, cookie, token = data.draw(st.sampled_from(targets), label="route")
    where = data.draw(st.sampled_from(sorted(ports)), label="server")
    headers = data.draw(hostile_headers(), label="headers")
    names = {name.lower() for name, _value in headers}
    sent = [("Host", b"127.0.0.1")] if "host" not in names else []
    if cookie and "cookie" not in names:
        sent.append(("Cookie", cookie))
    body = urlencode({"csrf_token": token}).encode() if method == "POST" else b""
    if "content-length" not in names and "transfer-encoding" not in names:
        sent.append(("Content-Length", str(len(body))))
    if "content-type" not in names and method == "POST":
        sent.append(("Content-Type", "application/x-www-form-urlencoded"))
    log.clear()
    reply = exchange(ports[where], request_bytes(method, path, sent + headers, body))
    check(reply.status, reply.body, log, (method, path, headers))
    if reply.header("Content-Type") == "text/html; charset=utf-8":
        assert active_content(reply.body.decode("utf-8", "replace")) == [], headers


# ---------------------------------------------------------------- chunked bodies

_SIZE = st.one_of(
    st.integers(0, 64).map(lambda n: f"{n:x}".encode()),
    st.sampled_from([b"zz", b"", b"-1", b"0x5", b" 5", b"5 ", b"ffffffffffffffffffff",
                     b"1" * 100, b"\x00", b"5;ext", b"5;" + b"e" * 200, b"5;=", b"\xff"]),
)  # fmt: skip
_END = st.sampled_from([b"\r\n", b"\n", b"", b"\r", b"xx"])


@st.composite
def chunked_body(draw) -> bytes:
    """A body in chunks, each part right or wrong: sizes, extensions, data, line ends."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        size, data = draw(_SIZE), draw(st.binary(max_size=70))
        parts.append(size + draw(_END) + data + draw(_END))
    ending = draw(st.sampled_from([b"0\r\n\r\n", b"0\r\nX-Trailer: y\r\n\r\n", b"", b"0\r\n",
                                   b"0\r\n" + b"t" * 9000 + b"\r\n\r\n"]))  # fmt: skip
    return b"".join(parts) + ending


@pytest.fixture
def posts(targets) -> list[tuple[str, str, str]]:
    return [(path, cookie, token) for method, path, cookie, token in targets if method == "POST"]


_TYPES = st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])


@fuzz(40)
@given(data=st.data())
def test_hostile_chunked_bodies_over_the_wire_never_fail(ports, posts, log, data):
    path, cookie, _token = data.draw(st.sampled_from(posts), label="route")
    body = data.draw(chunked_body(), label="body")
    headers = [("Host", "127.0.0.1"), ("Cookie", cookie), ("Transfer-Encoding", "chunked"),
               ("Content-Type", data.draw(_TYPES, label="type"))]  # fmt: skip
    log.clear()
    reply = exchange(ports["direct"], request_bytes("POST", path, headers, body))
    check(reply.status, reply.body, log, (path, body))


@fuzz(40)
@given(data=st.data())
def test_hostile_chunked_bodies_through_gunicorn_s_reader_never_fail(world, posts, log, data):
    """gunicorn's reader raises InvalidChunkSize and its kin, which werkzeug does not expect."""
    pytest.importorskip("gunicorn")
    from gunicorn.http.body import Body, ChunkedReader
    from gunicorn.http.unreader import IterUnreader

    class Request:
        trailers: list = []

    path, cookie, _token = data.draw(st.sampled_from(posts), label="route")
    body = data.draw(chunked_body(), label="body")
    stream = Body(ChunkedReader(Request(), IterUnreader([body])))
    log.clear()
    reply = world.app.test_client().post(
        path,
        headers={"Cookie": cookie, "Transfer-Encoding": "chunked",
                 "Content-Type": data.draw(_TYPES, label="type")},
        environ_overrides={"wsgi.input": stream, "wsgi.input_terminated": True},
    )  # fmt: skip
    check(reply.status_code, reply.get_data(), log, (path, body))


# ---------------------------------------------------------------- static paths

_STATIC_PARTS = st.one_of(
    st.sampled_from(["css", "consult.css", "css/consult.css", "img", "..", ".", "", "%00",
                     "%2e%2e", "%2f", "%252e%252e", "%5c", "..%2f..%2f", "\\..\\", "~",
                     "consult.0123456789ab.css", "consult.000000000000", "%ff", "%c0%af",
                     "favicon.ico", ".git", "..;", "%0a", "%20"]),
    st.text(max_size=12).map(quote),
    st.sampled_from([255, 256, 4096, 20_000]).map(lambda n: "a" * n),
)  # fmt: skip


@fuzz(60)
@given(parts=st.lists(_STATIC_PARTS, min_size=1, max_size=5))
def test_hostile_static_paths_never_fail_nor_leave_the_folder(app, log, parts):
    path = "/static/" + "/".join(parts)
    log.clear()
    with app.test_client().get(path) as reply:
        body = reply.get_data()
    check(reply.status_code, body, log, path)
    if reply.status_code == 200:
        assert body in static_files(app.static_folder), path


@cache
def static_files(folder: str) -> set[bytes]:
    return {p.read_bytes() for p in Path(folder).rglob("*") if p.is_file()}


# ---------------------------------------------------------------- URL values


def rules_with_arguments(app: Flask) -> list[tuple[str, object, str]]:
    """(method, rule, argument) for every URL argument of every route and method (not the
    arguments a rule only has as defaults, such as the dashboard's ``slug``)."""
    return [
        (key.split()[0], rule, name)
        for key, rule in sorted(route_keys(app).items())
        for name in sorted(rule._converters)
        if rule.endpoint not in SPARED
    ]


def is_integer(rule, name: str) -> bool:
    return isinstance(rule._converters[name], IntegerConverter)


#: Integers no id can be: past PostgreSQL's integer, SQLite's, any machine's; negative.
BEYOND = st.one_of(
    st.integers(min_value=MAX_ID + 1),
    st.integers(max_value=-1),
    st.sampled_from([MAX_ID + 1, 2**63 - 1, 2**63, 2**64, 10**23, 10**4000, -(2**63)]),
)


@pytest.fixture
def admin_tab(world: World) -> tuple[FlaskClient, str]:
    browser = same_browser(world.app, world.signed_in["admin"])
    return browser, session_csrf_token(world.app, browser)


def send_to(admin_tab, method: str, rule, values: dict):
    """The rule's URL for these values, and the administrator's reply to it."""
    browser, token = admin_tab
    path = rule.build(values, append_unknown=False)[1]
    data = {"csrf_token": token} if method == "POST" else None
    with browser.open(path, method=method, data=data) as reply:
        reply.get_data()
    return path, reply


def test_every_integer_in_every_url_past_an_id_is_not_found(world, admin_tab, log):
    """Deterministic: each integer argument of the URL map, with the values that failed."""
    respondent = world.respondent()
    tried = 0
    for method, rule, name in rules_with_arguments(world.app):
        if not is_integer(rule, name):
            continue
        for value in (MAX_ID + 1, 2**63, 10**23):
            values = {**world.values(rule, respondent), name: value}
            path, reply = send_to(admin_tab, method, rule, values)
            assert reply.status_code == 404, (method, path, reply.status_code)
            tried += 1
    assert tried >= 10, "the URL map has integer arguments: did the walk find them?"
    assert failures(log) == []


@pytest.fixture
def respondent(world: World):
    return world.respondent()


@fuzz(60)
@given(data=st.data())
def test_hostile_values_in_every_url_argument_never_fail(world, respondent, admin_tab, log, data):
    rules = rules_with_arguments(world.app)
    method, rule, name = data.draw(st.sampled_from(rules), label="argument")
    integer = is_integer(rule, name)
    value = data.draw(BEYOND if integer else st.one_of(hostile_text, st.sampled_from(SPECIAL)))
    values = {**world.values(rule, respondent), name: value}
    log.clear()
    path, reply = send_to(admin_tab, method, rule, values)
    check(reply.status_code, reply.get_data(), log, (method, path))
    if integer:
        assert reply.status_code == 404, (method, path)


# ---------------------------------------------------------------- paged lists

#: url_for's own parameters, and names a list's URL or filters use.
URL_FOR_NAMES = ["_method", "_external", "_anchor", "_scheme", "endpoint", "values", "slug",
                 "page", "section", "theme", "status", "q", "sort", "lang"]  # fmt: skip
LISTS = ["/console/c/enia-2021/responses", "/console/c/enia-2021/comments", "/console/admin/audit"]


@pytest.fixture
def long_lists(world: World) -> None:
    """More than one page in each console list, so that each shows its pager."""
    make_responses(world.consultation, 55)
    for n in range(55):
        audit.record(None, "comment.moderate", "comment", n + 1, actor_email="a@example.org")
    db.session.commit()


@fuzz(30)
@given(data=st.data())
def test_hostile_query_strings_on_paged_lists_never_fail(admin_tab, long_lists, log, data):
    browser, _token = admin_tab
    url = data.draw(st.sampled_from(LISTS), label="list")
    name = st.one_of(st.sampled_from(URL_FOR_NAMES), hostile_text)
    query = data.draw(st.lists(st.tuples(name, hostile_value), max_size=5), label="query")
    log.clear()
    with browser.get(f"{url}?{urlencode(query)}") as reply:
        body = reply.get_data()
    check(reply.status_code, body, log, (url, query))
    assert active_content(body.decode("utf-8")) == [], (url, query)
