"""Security headers, cookie flags and the request id, on every kind of response."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from flask import make_response
from flask.testing import FlaskClient

from consult.models import Consultation
from tests.conftest import create_account, signed_in_client
from tests.public.test_results import many_responses, publish

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: Anything a strict policy would block: inline script, inline style, event handlers.
INLINE = re.compile(r"<script|<style|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    pairs = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return dict(pairs)


def cookies(response) -> dict[str, set[str]]:
    """Cookie name → its attribute names, lower-case."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        found[name] = {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:]}
        if "samesite=lax" in header.lower():
            found[name].add("samesite=lax")
    return found


def page_urls(client: FlaskClient) -> list[str]:
    return ["/c/enia-2021/", "/c/enia-2021/s/5-3", "/auth/sign-in", "/no/such/page"]


def test_every_kind_of_response_carries_the_headers(client, enia):
    replies = [client.get(url) for url in page_urls(client)]
    replies.append(client.get("/static/css/consult.css"))
    replies.append(client.post("/c/enia-2021/profile", data={}))  # no CSRF token: 400
    replies.append(client.delete("/c/enia-2021/"))  # 405
    assert {r.status_code for r in replies} >= {200, 400, 404, 405}
    for reply in replies:
        policy = directives(reply)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert "unsafe" not in reply.headers["Content-Security-Policy"]
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "same-origin"
        assert re.fullmatch(r"[0-9a-f]{16}", reply.headers["X-Request-ID"])
        reply.close()


def test_no_template_has_inline_script_style_or_handlers():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text())
    ]
    assert offenders == []


def chart_svg(client: FlaskClient, src: str) -> str:
    """The SVG an ``<img>`` shows: inline as a data URL, or fetched from this site."""
    if src.startswith("data:image/svg+xml;base64,"):
        return base64.b64decode(src.split(",", 1)[1]).decode()
    assert src.startswith("/"), src  # same origin, as img-src 'self' allows
    reply = client.get(src)
    assert reply.status_code == 200 and reply.mimetype == "image/svg+xml"
    return reply.get_data(as_text=True)


def test_pages_with_charts_show_them_as_images_the_policy_allows(app, client, enia):
    many_responses(enia)
    publish(enia)
    create_account("coordinadora@example.org")
    coordinator = signed_in_client(app, "coordinadora@example.org")
    for browser, url in (
        (client, "/c/enia-2021/results"),
        (coordinator, "/console/c/enia-2021/report/"),
    ):
        reply = browser.get(url)
        assert reply.status_code == 200
        html = reply.get_data(as_text=True)
        assert INLINE.search(html) is None, INLINE.search(html).group(0)
        assert "<svg" not in html
        images = re.findall(r'<img alt="" src="([^"]+)"', html)
        assert images, "the page should show its charts"
        svg = chart_svg(browser, images[0])
        assert svg.startswith("<svg") and "<title" in svg
        assert "data:" in directives(reply)["img-src"]


def test_plain_http_sets_lax_httponly_cookies_that_work_without_https(client, enia):
    reply = client.get("/c/enia-2021/?lang=en")
    assert cookies(reply)["session"] >= {"httponly", "samesite=lax"}
    assert "secure" not in cookies(reply)["session"]
    assert "Strict-Transport-Security" not in reply.headers
    # The browser sends the cookie back over plain http, as the local run needs.
    assert '<html lang="en">' in client.get("/c/enia-2021/").get_data(as_text=True)


def test_https_requests_get_secure_cookies_and_hsts(client, enia):
    reply = client.get("/c/enia-2021/?lang=en", base_url="https://consult.test")
    assert cookies(reply)["session"] >= {"httponly", "samesite=lax", "secure"}
    assert reply.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize(
    ("setting", "base_url", "secure"),
    [
        (True, "http://consult.test", True),  # production behind a TLS proxy
        ("true", "http://consult.test", True),
        (False, "https://consult.test", False),
        ("auto", "https://consult.test", True),
    ],
)
def test_the_https_setting_decides(app_with, setting, base_url, secure):
    app = app_with(HTTPS=setting)
    reply = app.test_client().get("/?lang=en", base_url=base_url)
    assert ("secure" in cookies(reply)["session"]) is secure
    assert ("Strict-Transport-Security" in reply.headers) is secure


def test_hsts_can_be_turned_off(app_with):
    app = app_with(HTTPS=True, HSTS_SECONDS=0)
    reply = app.test_client().get("/?lang=en")
    assert "secure" in cookies(reply)["session"]
    assert "Strict-Transport-Security" not in reply.headers


def test_a_wrong_https_setting_fails_at_start(app_with):
    with pytest.raises(ValueError, match="HTTPS"):
        app_with(HTTPS="sometimes")


def test_any_other_cookie_is_hardened_too(app_with):
    app = app_with(HTTPS=True)

    @app.get("/cookie")
    def set_cookie():
        reply = make_response("ok")
        reply.set_cookie("extra", "1")
        return reply

    assert cookies(app.test_client().get("/cookie"))["extra"] >= {
        "httponly",
        "samesite=lax",
        "secure",
    }


def test_a_sane_request_id_from_a_proxy_is_kept_and_others_replaced(client, enia):
    sent = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    assert (
        client.get("/c/enia-2021/", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent
    )
    for bad in ("short", "x" * 200, "id with spaces", "id-<script>-x", "ñandú-ñandú"):
        kept = client.get("/c/enia-2021/", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert kept != bad and re.fullmatch(r"[0-9a-f]{16}", kept)


def test_each_request_gets_its_own_id(client, enia: Consultation):
    ids = {client.get("/c/enia-2021/").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_a_trusted_proxy_can_say_the_browser_came_over_https(client, app_with):
    behind_proxy = app_with(PROXY_COUNT=1).test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    reply = behind_proxy.get("/?lang=en", headers=forwarded)
    assert "secure" in cookies(reply)["session"]
    assert "Strict-Transport-Security" in reply.headers
    # Without PROXY_COUNT anybody could send the header: it is not believed.
    reply = client.get("/?lang=en", headers=forwarded)
    assert "secure" not in cookies(reply)["session"]
    assert "Strict-Transport-Security" not in reply.headers
