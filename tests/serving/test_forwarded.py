"""``consult serve`` believes ``X-Forwarded-*`` headers exactly as ``PROXY_COUNT`` says.

gunicorn, by default, took ``X-Forwarded-Proto: https`` from any client on 127.0.0.1 even
with ``PROXY_COUNT = 0``: a local client could switch HSTS and ``Secure`` cookies on. Now
with 0 no such header counts, from anyone; with 1 the last proxy's word is taken (scheme and
address: the access log shows the address the app counted).
"""

from __future__ import annotations

import pytest

#: Everything a client can claim about how it came: HTTPS, another address, another host.
CLAIMS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Protocol": "ssl",
    "X-Forwarded-Ssl": "on",
    "X-Forwarded-For": "198.51.100.7, 203.0.113.9",
    "X-Forwarded-Host": "elsewhere.example",
    "Forwarded": "for=203.0.113.9;proto=https",
}


@pytest.fixture
def behind_one_proxy(servers):
    return servers["proxied"]


def session_cookie(reply) -> str:
    (cookie,) = [c for c in reply.headers.get_all("Set-Cookie") if c.startswith("session=")]
    return cookie


def access_line(server, marker: str) -> str:
    (line,) = [line for line in server.log_once(marker).splitlines() if marker in line]
    return line


def test_with_no_proxy_no_forwarded_header_counts(server):
    reply = server.request("GET", "/c/enia-2021/?lang=en&probe=noproxy", headers=CLAIMS)
    assert reply.status == 200
    assert "Strict-Transport-Security" not in reply.headers
    assert "Secure" not in session_cookie(reply)
    assert b"elsewhere.example" not in reply.body
    assert access_line(server, "probe=noproxy").startswith("127.0.0.1 ")


def test_behind_one_proxy_its_word_is_taken(behind_one_proxy):
    reply = behind_one_proxy.request("GET", "/c/enia-2021/?lang=en&probe=proxy", headers=CLAIMS)
    assert reply.status == 200
    assert reply.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in session_cookie(reply)
    assert access_line(behind_one_proxy, "probe=proxy").startswith("203.0.113.9 ")
