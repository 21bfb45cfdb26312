"""Requests no browser sends, found by a hostile probe of ``consult serve`` (issue 13):
each was a 500 with a traceback in the log; each is now the app's bilingual 4xx page.

The Host header and the chunked body go through a real server (tests/security/wire.py):
the test client would build the first itself and never send the second broken.
"""

from __future__ import annotations

import io

import pytest

from tests.security.wire import LEAKS, exchange, failures, request_bytes, served

TITLES = {
    400: ("Solicitud incorrecta", "Bad request"),
    404: ("Página no encontrada", "Page not found"),
}


def is_error_page(code: int, body: bytes) -> bool:
    page = body.decode("utf-8", "replace")
    spanish, english = TITLES[code]
    return spanish in page and english in page and not [leak for leak in LEAKS if leak in body]


# ---------------------------------------------------------------- a bad Host


@pytest.mark.parametrize(
    "host", [b"a" * 64 + b".example", b"a" * 64, b"x." + b"b" * 300 + b":5000", b"..", b".a"]
)
def test_a_host_that_is_no_domain_name_gets_the_bad_request_page(app, enia, caplog, host):
    """werkzeug refuses such a Host (BadHost, 400) before routing, so the request has no
    URL adapter: the error page's own url_for() failed, and so did the 500 page after it."""
    with served(app) as port:
        reply = exchange(port, request_bytes("GET", "/c/enia-2021/", [("Host", host)]))
    assert reply.status == 400
    assert is_error_page(400, reply.body)
    assert failures(caplog) == []


def test_the_bad_host_page_links_its_stylesheet_on_this_site(app, enia):
    app.config["SERVER_NAME"] = None  # a configured name is bound instead of the Host sent
    reply = app.test_client().get("/c/enia-2021/", headers={"Host": "a" * 64 + ".example"})
    assert reply.status_code == 400
    assert 'href="/static/css/consult.' in reply.get_data(as_text=True)


# ---------------------------------------------------------------- a broken chunked body


class ServerParseError(Exception):
    """A WSGI server's own error for a body it cannot parse (gunicorn's InvalidChunkSize is
    one), raised from ``wsgi.input.read()``; werkzeug expects only OSError or ValueError."""


class BrokenChunks(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise ServerParseError("Invalid chunk size: b'zz'")


def gunicorn_chunked_input(body: bytes):
    """gunicorn's own reader of a chunked body, as ``consult serve`` hands it to the app."""
    pytest.importorskip("gunicorn")
    from gunicorn.http.body import Body, ChunkedReader
    from gunicorn.http.unreader import IterUnreader

    class Request:
        trailers: list = []

    return Body(ChunkedReader(Request(), IterUnreader([body])))


@pytest.mark.parametrize("url", ["/c/enia-2021/profile", "/auth/sign-in"])
@pytest.mark.parametrize(
    "content_type", ["multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]
)
@pytest.mark.parametrize("stream", ["stand-in", "gunicorn"])
def test_a_malformed_chunked_body_is_a_bad_request(app, enia, caplog, url, content_type, stream):
    """The body is first read by ``request.files`` in the before-request check; the
    server's own parse error went through it (InvalidChunkSize: a 500)."""
    body = BrokenChunks() if stream == "stand-in" else gunicorn_chunked_input(b"zz\r\n")
    reply = app.test_client().post(
        url,
        headers={"Transfer-Encoding": "chunked", "Content-Type": content_type},
        environ_overrides={"wsgi.input": body, "wsgi.input_terminated": True},
    )
    assert reply.status_code == 400
    assert is_error_page(400, reply.get_data())
    assert failures(caplog) == []


def test_a_malformed_chunked_body_over_the_wire_is_a_bad_request(app, enia, caplog):
    """werkzeug's own server raises OSError for it, which was already a 400: kept so."""
    headers = [("Host", "127.0.0.1"), ("Transfer-Encoding", "chunked"),
               ("Content-Type", "application/x-www-form-urlencoded")]  # fmt: skip
    with served(app) as port:
        reply = exchange(port, request_bytes("POST", "/c/enia-2021/profile", headers, b"zz\r\n"))
    assert reply.status == 400
    assert failures(caplog) == []


# ---------------------------------------------------------------- a NUL in a static path


@pytest.mark.parametrize(
    "path", ["/static/css/%00.css", "/static/%00", "/static/css/consult.%00.css",
             "/static/css/consult.0123456789ab.css%00", "/static/css%00/consult.css",
             "/static/css", "/static/css/"]
)  # fmt: skip
def test_a_nul_in_a_static_path_or_a_folder_is_not_found(client, caplog, path):
    """The file's stat() raised ValueError ("embedded null byte"), and reading a folder
    raised IsADirectoryError: both a 500."""
    reply = client.get(path)
    assert reply.status_code == 404
    assert is_error_page(404, reply.get_data())
    assert failures(caplog) == []
