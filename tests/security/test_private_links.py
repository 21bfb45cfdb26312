"""A respondent's secret opens their own response and nobody else's.

The private link's token is the only key to a response outside its browser: another
person's token shows that person's response only, a made-up or mistyped token finds
nothing (404, never a 500, never someone's data), and a token works only under the
consultation it belongs to.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

from consult.models.response import hash_token
from tests.conftest import session_csrf_token

from .fuzzing import fuzz
from .pages import visible_text
from .people import Respondent
from .state import snapshot

ANA_TEXT = "Ana propone becas para docentes rurales"
BETO_TEXT = "Beto pide datos abiertos de salud"


@pytest.fixture
def ana(enia, make_respondent) -> Respondent:
    return make_respondent(
        enia, ("5-3", ANA_TEXT), organisation_name="Colegio de Ana", email="ana@example.org"
    )


@pytest.fixture
def beto(enia, make_respondent) -> Respondent:
    return make_respondent(
        enia, ("5-4", BETO_TEXT), organisation_name="Empresa de Beto", email="beto@example.org"
    )


def secrets_of(person: Respondent) -> list[str]:
    return [
        person.response.reference,
        person.response.organisation_name,
        person.response.comments[0].text,
    ]


def shown(client, url: str) -> tuple[int, str]:
    reply = client.get(url)
    return reply.status_code, visible_text(reply.get_data(as_text=True))


def test_each_token_opens_its_own_response_only(app, ana, beto):
    stranger = app.test_client()
    for owner, other in ((ana, beto), (beto, ana)):
        for url in (owner.private_url, owner.private_url + "/withdraw"):
            # Anyone holding the link sees that response, whatever their own browser holds.
            for browser in (owner.client, other.client, stranger):
                status, text = shown(browser, url)
                assert status == 200, url
                assert not any(secret in text for secret in secrets_of(other)), url
        status, text = shown(stranger, owner.private_url)
        assert owner.response.reference in text
        assert owner.response.comments[0].text in text


def test_each_browser_shows_only_the_response_it_holds(app, ana, beto):
    for owner, other in ((ana, beto), (beto, ana)):
        status, text = shown(owner.client, "/c/enia-2021/review")
        assert status == 200
        assert owner.response.reference in text
        assert not any(secret in text for secret in secrets_of(other))
        status, text = shown(owner.client, "/c/enia-2021/receipt")
        assert status == 200 and owner.response.reference in text
        assert other.response.reference not in text


def near_misses(token: str, reference: str) -> list[str]:
    """Tokens a guesser or a mistyped link would try."""
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    return [
        secrets.token_urlsafe(32),
        flipped,
        token[:-1],
        token + "x",
        token.swapcase(),
        " " + token,
        reference,
        hash_token(token),
        token * 5,
        "0",
    ]


def test_made_up_and_mistyped_tokens_find_nothing_and_change_nothing(app, ana, beto):
    before = snapshot()
    browser = app.test_client()
    csrf = session_csrf_token(app, browser)
    for token in near_misses(ana.token, ana.response.reference):
        base = f"/c/enia-2021/r/{quote(token, safe='')}"
        for method, url in (
            ("GET", base),
            ("GET", base + "/withdraw"),
            ("POST", base + "/withdraw"),
            ("POST", base + "/edit"),
        ):
            reply = browser.open(url, method=method, data={"csrf_token": csrf})
            assert reply.status_code == 404, (token, method, url, reply.status_code)
            text = visible_text(reply.get_data(as_text=True))
            assert not any(s in text for s in secrets_of(ana) + secrets_of(beto))
    assert snapshot() == before
    status, _text = shown(browser, "/c/enia-2021/review")
    assert status == 302 or ana.response.reference not in _text


def test_a_token_opens_nothing_under_another_consultation(app, ana, small):
    before = snapshot()
    browser = app.test_client()
    csrf = session_csrf_token(app, browser)
    base = f"/c/{small.slug}/r/{ana.token}"
    assert browser.get(base).status_code == 404
    assert browser.get(base + "/withdraw").status_code == 404
    assert browser.post(base + "/withdraw", data={"csrf_token": csrf}).status_code == 404
    assert browser.post(base + "/edit", data={"csrf_token": csrf}).status_code == 404
    assert snapshot() == before


def test_a_forged_session_cookie_holds_no_response(app, ana):
    """A session signed with another key (a guessed cookie) is thrown away, not trusted."""
    forged = URLSafeTimedSerializer("not-the-secret-key", salt="cookie-session").dumps(
        {"responses": {"enia-2021": ana.token}}
    )
    browser = app.test_client()
    browser.set_cookie(app.config["SESSION_COOKIE_NAME"], forged, domain="consult.test")
    reply = browser.get("/c/enia-2021/review")
    assert reply.status_code == 302
    assert ana.response.reference not in visible_text(browser.get("/c/enia-2021/").get_data(True))
    assert browser.get("/c/enia-2021/receipt").status_code == 404


@fuzz(25)
@given(token=st.text(min_size=1, max_size=300).filter(lambda t: "/" not in t))
def test_any_other_token_is_a_plain_404(app, ana, token):
    """Any text but the token finds nothing (a "/" would only change the path)."""
    if token == ana.token:
        return
    reply = app.test_client().get(f"/c/enia-2021/r/{quote(token, safe='')}")
    assert reply.status_code == 404
    assert ana.response.reference not in reply.get_data(as_text=True)
