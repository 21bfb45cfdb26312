"""Bots on the response form: the honeypot, the minimum fill time, oversized bodies."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from consult.extensions import db
from consult.models import Comment, Response
from consult.models.columns import utcnow
from consult.models.vocab import ResponseStatus
from consult.public import guard
from tests.conftest import PROFILE_ACADEMIA, form_tokens, post_form

PROFILE = "/c/enia-2021/profile"
REVIEW = "/c/enia-2021/review"
SUBMIT = "/c/enia-2021/submit"


@pytest.fixture
def careful(app_with) -> Flask:
    """The app as deployed: a form must take at least 3 seconds."""
    return app_with(RESPONSE_MIN_FILL_SECONDS=3)


@pytest.fixture
def later(monkeypatch):
    """Move the guard's clock forward, as if the person took their time."""

    def move(seconds: float) -> None:
        moment = utcnow() + timedelta(seconds=seconds)
        monkeypatch.setattr(guard, "utcnow", lambda: moment)

    return move


def responses() -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id)))


def refusal_text(reply) -> str:
    box = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', reply.text, re.S)
    assert box, reply.text
    return box.group(1)


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, enia):
    page = client.get(PROFILE).text
    trap = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div>', page, re.S)
    assert trap, "no honeypot on the profile form"
    field = re.search(r"<input[^>]*>", trap.group(1)).group(0)
    assert 'name="website"' in field
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert 'value=""' in field
    assert "style=" not in trap.group(0)


def test_a_filled_honeypot_starts_nothing(client, enia, later):
    later(60)
    reply = post_form(client, PROFILE, {**PROFILE_ACADEMIA, "website": "http://spam.example"})
    assert reply.status_code == 422
    assert "looked automated" not in reply.text  # Spanish by default
    assert "parecía automático" in refusal_text(reply)
    assert responses() == 0
    # The page sent back has the honeypot empty again and the person's answers kept.
    assert "http://spam.example" not in reply.text
    assert 'value="Universidad Nacional de Ingeniería"' in reply.text


def test_a_form_sent_too_fast_is_refused_and_passes_when_sent_again(careful, enia, later):
    client = careful.test_client()
    client.get("/c/enia-2021/?lang=en")
    fields = form_tokens(client, PROFILE)
    reply = client.post(PROFILE, data={**fields, **PROFILE_ACADEMIA})
    assert reply.status_code == 422
    assert "faster than a person can fill it in" in refusal_text(reply)
    assert responses() == 0
    # The page keeps the same form token, so sending it again a moment later works.
    again = re.search(r'name="form_token" type="hidden" value="([^"]+)"', reply.text).group(1)
    assert again == fields["form_token"]
    later(4)
    assert client.post(PROFILE, data={**fields, **PROFILE_ACADEMIA}).status_code == 302
    assert responses() == 1


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "not-a-token",
        # Signed with another key: a bot cannot make up an old form.
        URLSafeTimedSerializer("other-key", salt="consult.response-form").dumps("x" * 32),
    ],
)
def test_a_missing_or_forged_form_token_starts_nothing(client, enia, later, token):
    later(3600)
    fields = form_tokens(client, PROFILE)
    if token is None:
        del fields["form_token"]
    else:
        fields["form_token"] = token
    reply = client.post(PROFILE, data={**fields, **PROFILE_ACADEMIA})
    assert reply.status_code == 422
    assert "desactualizado" in refusal_text(reply)
    assert responses() == 0


def test_the_fill_time_can_be_switched_off(app, enia):
    assert app.config["RESPONSE_MIN_FILL_SECONDS"] == 0
    assert post_form(app.test_client(), PROFILE, PROFILE_ACADEMIA).status_code == 302


def _started(client: FlaskClient) -> Response:
    assert post_form(client, PROFILE, PROFILE_ACADEMIA).status_code == 302
    saved = post_form(client, "/c/enia-2021/s/5-3", {"q_q_5_3_agree": "4"})
    assert saved.status_code == 302
    return db.session.scalar(sa.select(Response))


def test_submitting_straight_after_starting_is_refused(careful, enia, later):
    client = careful.test_client()
    later(5)  # the profile form itself was filled slowly enough
    response = _started(client)
    later(0)  # then submitted the moment the response existed
    reply = post_form(client, SUBMIT, {}, form_url=REVIEW)
    assert reply.status_code == 422
    assert "más rápido" in refusal_text(reply)
    db.session.refresh(response)
    assert response.status is ResponseStatus.DRAFT
    later(5)  # a person who reads the review page first
    assert post_form(client, SUBMIT, {}, form_url=REVIEW).status_code == 302
    db.session.refresh(response)
    assert response.status is ResponseStatus.SUBMITTED


def test_a_filled_honeypot_on_the_review_page_submits_nothing(client, enia):
    response = _started(client)
    reply = post_form(client, SUBMIT, {"website": "buy now"}, form_url=REVIEW)
    assert reply.status_code == 422
    assert "parecía automático" in refusal_text(reply)
    db.session.refresh(response)
    assert response.status is ResponseStatus.DRAFT
    assert 'class="hp-field" aria-hidden="true"' in reply.text


def test_submitting_twice_submits_once(client, enia):
    response = _started(client)
    fields = form_tokens(client, REVIEW)
    first = client.post(SUBMIT, data=fields)
    second = client.post(SUBMIT, data=fields)
    assert first.status_code == second.status_code == 302
    assert second.location == first.location
    db.session.refresh(response)
    assert response.status is ResponseStatus.SUBMITTED
    submitted_at = response.submitted_at
    assert responses() == 1
    client.post(SUBMIT, data=fields)
    db.session.refresh(response)
    assert response.submitted_at == submitted_at


def test_an_oversized_body_gets_the_413_page_and_nothing_is_stored(client, enia):
    _started(client)
    fields = form_tokens(client, "/c/enia-2021/s/5-4")
    reply = client.post(
        "/c/enia-2021/s/5-4",
        data={**fields, "comment": "palabra " * 40_000, "contribution": "other"},
    )
    assert reply.status_code == 413
    assert "Demasiados datos" in reply.text and "Too much data" in reply.text
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_the_largest_comment_fits_well_under_the_cap(app):
    worst = app.config["MAX_COMMENT_CHARS"] * 4  # every character four bytes of UTF-8
    assert worst * 3 < app.config["MAX_CONTENT_LENGTH"]  # even percent-encoded


@pytest.mark.parametrize("field", ["website", "form_token"])
def test_a_file_in_the_guard_fields_is_refused_not_a_500(client, enia, later, field):
    later(60)
    fields = form_tokens(client, PROFILE)
    fields.pop(field, None)
    reply = client.post(
        PROFILE,
        data={**fields, **PROFILE_ACADEMIA, field: (io.BytesIO(b"x"), "x.txt")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 400  # no form here takes a file: refused before any form reads it
    assert "400" in reply.text and responses() == 0
