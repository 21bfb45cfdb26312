"""Coordinators spot floods: responses sharing one (hashed) address, shown and filtered."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Response
from tests.factories import build_response

BASE = "/console/c/enia-2021"
FLOOD = "a1b2c3d4e5f6" + "0" * 52
OTHER = "ffffeeee1111" + "2" * 52


@pytest.fixture
def console(coordinator_client: FlaskClient) -> FlaskClient:
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


@pytest.fixture
def flood(app, enia) -> list[Response]:
    """Twelve responses from one address (two of them drafts), two from another, one unknown."""
    threshold = app.config["ADDRESS_FLOOD_THRESHOLD"]
    assert threshold == 10
    many = [
        build_response(enia, address_hash=FLOOD, status="draft" if i < 2 else "submitted")
        for i in range(12)
    ]
    few = [build_response(enia, address_hash=OTHER) for _ in range(2)]
    build_response(enia)
    db.session.commit()
    return many + few


def matching(body: str) -> int:
    return int(re.search(r"([\d,]+) response\(s\) match\.", body).group(1))


def shared_box(body: str) -> str:
    found = re.search(
        r'<section class="notice" aria-labelledby="shared-addresses">(.*?)</section>', body, re.S
    )
    return found.group(1) if found else ""


def test_the_list_points_out_an_address_behind_many_responses(console, flood):
    body = console.get(f"{BASE}/responses").text
    box = shared_box(body)
    assert "<code>a1b2c3d4e5f6</code>" in box and ">12<" in box
    assert "ffffeeee1111" not in box  # two responses are no flood
    # Each listed response from that address shows how many share it.
    assert body.count(f'address={FLOOD}" title="Responses from the same address">12</a>') == 10


def test_a_list_without_a_shared_address_has_no_box(console, enia):
    build_response(enia, address_hash=OTHER)
    db.session.commit()
    assert shared_box(console.get(f"{BASE}/responses").text) == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"address={FLOOD}", 10),
        (f"address={FLOOD}&status=all", 12),
        ("address=a1b2c3d4e5f6", 10),  # as the console shows it
        ("address=A1B2C3D4E5F6", 10),
        ("address=ffffeeee", 2),
    ],
)
def test_the_lists_filter_by_address(console, flood, query, expected):
    assert matching(console.get(f"{BASE}/responses?{query}").text) == expected


@pytest.mark.parametrize("value", ["xyz", "a1b2", "%25", "a1b2c3d4e5f6%00"])
def test_a_malformed_address_filter_is_ignored_with_a_notice(console, flood, value):
    body = console.get(f"{BASE}/responses?address={value}").text
    assert "were not understood" in body and "address" in body
    assert matching(body) == 13


def test_the_response_page_shows_the_shortened_hash_and_its_neighbours(console, flood):
    response = flood[5]
    body = console.get(f"{BASE}/responses/{response.id}").text
    assert "Address (hashed)" in body
    assert '<code title="' + FLOOD + '">a1b2c3d4e5f6</code>' in body
    assert "12 responses from this address" in body
    assert f"status=all&amp;address={FLOOD}" in body or f"address={FLOOD}&amp;status=all" in body


def test_a_response_without_a_hash_shows_none(console, enia):
    response = build_response(enia)
    db.session.commit()
    assert "Address (hashed)" not in console.get(f"{BASE}/responses/{response.id}").text
