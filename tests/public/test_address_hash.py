"""Each response keeps a salted hash of the address it came from, never the address."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Response
from consult.models.response import hash_address
from tests.conftest import PROFILE_ACADEMIA, post_form


def start_from(app: Flask, address: str, **headers: str) -> Response:
    browser: FlaskClient = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    browser.environ_base.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    assert post_form(browser, "/c/enia-2021/profile", PROFILE_ACADEMIA).status_code == 302
    return db.session.scalars(sa.select(Response).order_by(Response.id.desc())).first()


def test_the_hash_is_kept_and_the_address_is_not(app, enia):
    response = start_from(app, "203.0.113.7")
    assert re.fullmatch(r"[0-9a-f]{64}", response.address_hash)
    assert response.address_hash == hash_address("203.0.113.7", app.config["SECRET_KEY"])
    row = db.session.execute(sa.select(Response.__table__).where(Response.id == response.id))
    assert not any("203.0.113.7" in str(value) for value in row.one())


def test_one_address_gives_one_hash_and_another_address_another(app, enia):
    first = start_from(app, "203.0.113.7")
    second = start_from(app, "203.0.113.7")
    third = start_from(app, "203.0.113.8")
    assert first.address_hash == second.address_hash != third.address_hash


def test_an_ipv6_network_counts_as_one_address(app, enia):
    one = start_from(app, "2001:db8:5:6::1")
    same_network = start_from(app, "2001:db8:5:6:abcd::2")
    other_network = start_from(app, "2001:db8:5:7::1")
    assert one.address_hash == same_network.address_hash != other_network.address_hash


def test_the_salt_comes_from_the_secret_key():
    # Without the installation's key, a known address cannot be looked up.
    assert hash_address("203.0.113.7", "one key") != hash_address("203.0.113.7", "another key")
    assert hash_address("203.0.113.7", "one key") == hash_address("203.0.113.7", "one key")


def test_behind_a_trusted_proxy_the_forwarded_address_is_hashed(app, enia, app_with):
    proxied = app_with(PROXY_COUNT=1)
    response = start_from(proxied, "10.0.0.1", x_forwarded_for="198.51.100.9")
    assert response.address_hash == hash_address("198.51.100.9", app.config["SECRET_KEY"])


def test_without_a_proxy_setting_a_forwarded_address_is_not_believed(app, enia):
    response = start_from(app, "10.0.0.1", x_forwarded_for="198.51.100.9")
    assert response.address_hash == hash_address("10.0.0.1", app.config["SECRET_KEY"])
