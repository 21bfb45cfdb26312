"""The upload's larger body limit under a real ``consult serve`` worker: the bridge asks
``web/body_limits`` per path, tornado reads up to the largest (the Flask side is in
test_body_limits.py)."""

from __future__ import annotations

import html
import io
import re
from urllib.parse import urlencode

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import PROFILE_ACADEMIA
from tests.papers.conftest import padded_pdf
from tests.serving.conftest import (  # noqa: F401  (served_instance is a fixture)
    Server,
    launch,
    served_instance,
    stop,
    wait_until_it_answers,
)

SLUG = "/c/enia-2021"
MB = 1024 * 1024
_HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|form_token)"[^>]*value="([^"]*)"')


@pytest.fixture(scope="module")
def server(served_instance, tmp_path_factory):  # noqa: F811
    started = launch(
        served_instance,
        tmp_path_factory.mktemp("papers-serve") / "instance",
        "--workers",
        "1",
        env={"CONSULT_RESPONSE_MIN_FILL_SECONDS": "0"},
    )
    try:
        wait_until_it_answers(started)
        yield started
    finally:
        stop(started)


class Browser:
    """Requests with one session cookie, as a browser sends them."""

    def __init__(self, server: Server) -> None:
        self.server, self.cookie = server, ""

    def send(self, method: str, path: str, body: bytes | None = None, kind: str = ""):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if kind:
            headers["Content-Type"] = kind
        reply = self.server.request(method, path, headers=headers, body=body, timeout=30)
        for cookie in reply.headers.get_all("Set-Cookie") or []:
            if cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
        return reply

    def announce(self, path: str, length: int, kind: str) -> tuple[int, str]:
        """Send only the headers of a POST of ``length`` bytes; the status and page."""
        client = self.server.connect()
        try:
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {self.cookie}\r\n"
                f"Content-Type: {kind}\r\nContent-Length: {length}\r\n\r\n"
            )
            client.sendall(head.encode())
            reply = client.makefile("rb").read()
        finally:
            client.close()
        start, _, page = reply.partition(b"\r\n\r\n")
        return int(start.split()[1]), page.decode(errors="replace")

    def tokens(self, path: str) -> dict[str, str]:
        page = self.send("GET", path).body.decode()
        return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


def test_the_upload_route_alone_takes_a_paper_sized_body(server):
    browser = Browser(server)
    form = {**browser.tokens(f"{SLUG}/profile"), **PROFILE_ACADEMIA}
    started = browser.send(
        "POST", f"{SLUG}/profile", urlencode(form).encode(), "application/x-www-form-urlencoded"
    )
    assert started.status == 302, re.findall(r"<p>[^<]*</p>", started.body.decode())[:4]

    # 300 KB to any other route: refused from its headers, unread.
    form_kind = "application/x-www-form-urlencoded"
    assert browser.announce(f"{SLUG}/profile", 300 * 1024, form_kind)[0] == 413
    assert browser.announce(f"{SLUG}/papers/1/remove", 300 * 1024, form_kind)[0] == 413

    def paper(size: int) -> tuple[bytes, str]:
        fields = {
            **browser.tokens(f"{SLUG}/papers"),
            "title": "Por el servidor",
            "section": "whole",
            "file": FileStorage(io.BytesIO(padded_pdf(size)), filename="p.pdf"),
        }
        boundary, body = encode_multipart(fields)
        return body, f"multipart/form-data; boundary={boundary}"

    accepted = browser.send("POST", f"{SLUG}/papers", *paper(4 * MB))
    assert accepted.status == 302, accepted.body[:2000]
    assert "Por el servidor" in browser.send("GET", f"{SLUG}/papers").body.decode()

    # 6 MB to the upload: the upload page says why (413), the body never read.
    status, page = browser.announce(f"{SLUG}/papers", 6 * MB, paper(4096)[1])
    assert status == 413
    assert 'id="file-error"' in page and "5 MB" in page
    assert "Internal Server Error" not in server.log_text()
