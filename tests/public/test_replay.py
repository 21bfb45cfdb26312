"""The same form sent twice never makes a second response, whatever the timing."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.models import Response
from consult.models.response import hash_token
from consult.models.vocab import ResponseStatus
from consult.responding import operations as responding
from tests.conftest import PROFILE_ACADEMIA, form_tokens, post_form

PROFILE = "/c/enia-2021/profile"


def responses() -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id)))


def session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("session", domain="consult.test")
    return cookie.value if cookie else None


def browser_with(client: FlaskClient, cookie: str | None) -> FlaskClient:
    """Another connection of the same browser, holding the cookie it had then."""
    other = client.application.test_client()
    if cookie:
        other.set_cookie("session", cookie, domain="consult.test")
    return other


def tied_to(client: FlaskClient) -> str:
    """The token hash of the response this browser works on (from its private link)."""
    page = client.get("/c/enia-2021/review")
    assert page.status_code == 200
    token = re.search(r"/c/enia-2021/r/([A-Za-z0-9_-]+)", page.text).group(1)
    return hash_token(token)


def test_a_double_click_gives_back_the_same_response(client, enia):
    form = {**form_tokens(client, PROFILE), **PROFILE_ACADEMIA}
    before = session_cookie(client)
    first = client.post(PROFILE, data=form)
    # The second click leaves with the cookie the browser had before the first reply.
    second_browser = browser_with(client, before)
    second = second_browser.post(PROFILE, data=form)
    assert first.status_code == second.status_code == 302
    assert responses() == 1
    response = db.session.scalar(sa.select(Response))
    # Whichever reply the browser keeps, it is tied to that one response.
    assert tied_to(client) == tied_to(second_browser) == response.token_hash


def test_resending_from_a_browser_that_has_the_response_changes_nothing(client, enia):
    form = {**form_tokens(client, PROFILE), **PROFILE_ACADEMIA}
    assert client.post(PROFILE, data=form).status_code == 302
    assert client.post(PROFILE, data=form).status_code == 302
    assert responses() == 1


def test_a_replay_after_answers_is_told_so_and_gets_nothing(client, enia):
    form = {**form_tokens(client, PROFILE), **PROFILE_ACADEMIA}
    before = session_cookie(client)
    assert client.post(PROFILE, data=form).status_code == 302
    assert post_form(client, "/c/enia-2021/s/5-3", {"q_q_5_3_agree": "5"}).status_code == 302
    # Someone on the same computer goes back to the old form and sends it again.
    replay = browser_with(client, before)
    reply = replay.post(PROFILE, data=form)
    assert reply.status_code == 409
    assert "ya se envió" in reply.text.lower()
    assert responses() == 1
    assert replay.get("/c/enia-2021/review").status_code == 302  # not tied to it


def test_a_replay_long_after_is_told_so(client, enia):
    form = {**form_tokens(client, PROFILE), **PROFILE_ACADEMIA}
    before = session_cookie(client)
    assert client.post(PROFILE, data=form).status_code == 302
    response = db.session.scalar(sa.select(Response))
    response.created_at -= responding.REPLAY_WINDOW + timedelta(seconds=1)
    db.session.commit()
    reply = browser_with(client, before).post(PROFILE, data=form)
    assert reply.status_code == 409
    assert responses() == 1


def test_two_forms_make_two_responses(app, enia):
    for _ in range(2):
        browser = app.test_client()
        assert post_form(browser, PROFILE, PROFILE_ACADEMIA).status_code == 302
    assert responses() == 2
    tokens = db.session.scalars(sa.select(Response.form_token)).all()
    assert len(set(tokens)) == 2 and None not in tokens


def test_the_database_refuses_a_second_row_with_the_same_form_token(client, enia):
    assert post_form(client, PROFILE, PROFILE_ACADEMIA).status_code == 302
    first = db.session.scalar(sa.select(Response))
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.insert(Response).values(
                consultation_id=first.consultation_id,
                reference="ZZZZ-ZZZZ",
                token_hash="f" * 64,
                form_token=first.form_token,
                status="draft",
                locale="es",
                responding_as="individual",
                stakeholder_type="individual",
                region="lima_metropolitana",
                publication="private",
                consent_at=first.consent_at,
            )
        )
    db.session.rollback()


def test_the_same_form_sent_twice_at_once_makes_one_response(client, enia, monkeypatch):
    """Both requests reach their insert together: the database decides, one row is made."""
    form = {**form_tokens(client, PROFILE), **PROFILE_ACADEMIA}
    cookie = session_cookie(client)
    both_ready = threading.Barrier(2, timeout=10)
    ready: set[int] = set()
    original = responding.new_reference

    def racing() -> str:
        if threading.get_ident() not in ready:
            ready.add(threading.get_ident())
            both_ready.wait()  # neither inserts before both are about to
        return original()

    monkeypatch.setattr(responding, "new_reference", racing)
    replies: list = [None, None]

    def send(i: int) -> None:
        replies[i] = browser_with(client, cookie).post(PROFILE, data=form)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [r.status_code for r in replies] == [302, 302], [r.text[:300] for r in replies]
    assert responses() == 1
    response = db.session.scalar(sa.select(Response))
    assert response.status is ResponseStatus.DRAFT
