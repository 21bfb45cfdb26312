"""Rate limits: every write and sign-in, per address, in memory or in a shared Redis."""

from __future__ import annotations

import os
import random
import socket
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from consult import create_app
from consult.extensions import db
from consult.models import Response
from tests.conftest import PROFILE_ACADEMIA, form_tokens

PROFILE = "/c/enia-2021/profile"
SIGN_IN = "/auth/sign-in"


@pytest.fixture
def limited(app_with) -> Callable[..., Flask]:
    """An app on the test database with rate limits on (and the given ones)."""
    return lambda **config: app_with(RATELIMIT_ENABLED=True, **config)


def browser(app: Flask, address: str = "192.0.2.10") -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def start(client: FlaskClient):
    """Load the profile form and send it, as a person starting a response does."""
    return client.post(PROFILE, data={**form_tokens(client, PROFILE), **PROFILE_ACADEMIA})


def responses() -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id)))


def assert_refused(reply) -> None:
    """The bilingual 429 page, with how long to wait."""
    assert reply.status_code == 429
    page = reply.get_data(as_text=True)
    assert "Demasiadas solicitudes" in page and "Too many requests" in page
    assert int(reply.headers["Retry-After"]) > 0


def test_starting_responses_is_limited_per_address(limited, enia):
    app = limited(RATELIMIT_START_RESPONSE="2 per minute")
    for n in range(2):
        assert start(browser(app)).status_code == 302, n
    refused = start(browser(app))
    assert_refused(refused)
    assert responses() == 2
    # Another address has its own count.
    assert start(browser(app, "198.51.100.20")).status_code == 302
    assert responses() == 3


def test_every_write_counts_against_one_budget_and_reading_is_free(limited, enia):
    app = limited(RATELIMIT_WRITE="4 per minute")
    client = browser(app)
    assert start(client).status_code == 302  # write 1
    for _ in range(10):
        assert client.get("/c/enia-2021/s/5-3").status_code == 200
    fields = form_tokens(client, "/c/enia-2021/s/5-3")
    for n in range(3):  # writes 2 to 4, on different pages
        page = ("/c/enia-2021/s/5-3", "/c/enia-2021/s/5-4", "/c/enia-2021/s/5-5")[n]
        assert client.post(page, data={**fields, "comment": ""}).status_code == 302
    assert_refused(client.post(SIGN_IN, data={**fields, "email": "x@example.org"}))
    assert client.get("/c/enia-2021/review").status_code == 200


def test_sign_in_is_limited_but_its_page_is_not(limited):
    app = limited(RATELIMIT_SIGN_IN="3 per minute")
    client = browser(app)
    fields = form_tokens(client, SIGN_IN)
    for _ in range(3):  # no password: refused by the form, yet counted
        assert client.post(SIGN_IN, data={**fields, "email": "a@example.org"}).status_code == 422
    assert_refused(client.post(SIGN_IN, data={**fields, "email": "a@example.org"}))
    assert client.get(SIGN_IN).status_code == 200


def test_the_refusal_speaks_english_first_to_an_english_reader(limited, enia):
    app = limited(RATELIMIT_START_RESPONSE="1 per minute")
    client = browser(app)
    client.get("/c/enia-2021/?lang=en")
    start(client)
    page = start(client).get_data(as_text=True)
    assert page.index("Too many requests") < page.index("Demasiadas solicitudes")


def test_ipv6_addresses_of_one_network_share_a_count(limited, enia):
    app = limited(RATELIMIT_START_RESPONSE="1 per minute")
    assert start(browser(app, "2001:db8:1:2::1")).status_code == 302
    assert_refused(start(browser(app, "2001:db8:1:2:ffff::9")))
    assert start(browser(app, "2001:db8:1:3::1")).status_code == 302


def test_the_address_behind_a_trusted_proxy_is_counted(limited, enia):
    app = limited(RATELIMIT_START_RESPONSE="1 per minute", PROXY_COUNT=1)
    proxy = "10.0.0.1"
    first = browser(app, proxy)
    first.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.1"
    assert start(first).status_code == 302
    second = browser(app, proxy)
    second.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.2"
    assert start(second).status_code == 302
    again = browser(app, "10.0.0.2")
    again.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.1"
    assert_refused(start(again))


def test_without_a_proxy_setting_forwarded_headers_are_ignored(limited, enia):
    app = limited(RATELIMIT_START_RESPONSE="1 per minute")
    first = browser(app)
    first.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.1"
    assert start(first).status_code == 302
    second = browser(app)
    second.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.2"
    assert_refused(start(second))


def test_limits_switch_off_from_the_environment(monkeypatch, tmp_path, app, enia):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONSULT_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("CONSULT_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("CONSULT_RATELIMIT_SIGN_IN", "1 per minute")
    unlimited = create_app()
    assert unlimited.config["RATELIMIT_ENABLED"] is False
    client = browser(unlimited)
    fields = form_tokens(client, SIGN_IN)
    try:
        for _ in range(5):
            reply = client.post(SIGN_IN, data={**fields, "email": "a@example.org"})
            assert reply.status_code == 422
    finally:
        with unlimited.app_context():
            db.engine.dispose()


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_counts_live_in_redis_when_configured(limited, enia):
    if not _redis_up():
        # A developer's machine may have no Redis; CI (.ci/run starts one) must run this.
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Redis answers at 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379")
    import redis

    # A fresh address each run: Redis keeps counts between runs for the window.
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    app = limited(
        RATELIMIT_STORAGE_URL="redis://127.0.0.1:6379", RATELIMIT_START_RESPONSE="1 per minute"
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"
    assert start(browser(app, address)).status_code == 302
    keys = redis.Redis(host="127.0.0.1", port=6379).keys(f"*{address}*")
    assert keys, "the count was not written to Redis"
    assert_refused(start(browser(app, address)))


def test_an_unreachable_redis_does_not_stop_responses(limited, enia):
    app = limited(RATELIMIT_STORAGE_URL="redis://127.0.0.1:1")
    assert start(browser(app)).status_code == 302
    assert responses() == 1
