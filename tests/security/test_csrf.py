"""Every POST of the URL map without a valid CSRF token is refused and changes nothing.

Each route is posted by the visitor it is meant for (a respondent for the public pages,
an administrator for the console), so the only thing wrong is the token: missing,
empty, forged, signed with another key, or another browser's. The refusal is the
bilingual 400 page; then the same request with the page's own token goes through,
which shows the refusal was about the token.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.routing import Rule

from tests.conftest import session_csrf_token

from .people import Respondent
from .routes import POST_DATA, World, route_keys
from .state import snapshot

NOTHING_SAVED = ("Nothing was saved.", "No se guardó nada.")


def meant_for(world: World, rule: Rule, respondent: Respondent) -> FlaskClient:
    """The browser a route is for: signing in is for anyone, the console for staff."""
    if rule.endpoint == "auth.sign_in":
        return world.app.test_client()
    if rule.endpoint.startswith(("console.", "auth.")):
        return world.visitor("admin", respondent)
    return respondent.client


def bad_tokens(world: World, browser: FlaskClient) -> dict[str, str | None]:
    valid = session_csrf_token(world.app, browser)
    elsewhere = session_csrf_token(world.app, world.app.test_client())
    forged = URLSafeTimedSerializer("another-key", salt="wtf-csrf-token").dumps("0" * 40)
    return {
        "missing": None,
        "empty": "",
        "garbage": "not-a-token",
        "truncated": valid[:-3],
        "signed with another key": forged,
        "another browser's": elsewhere,
    }


def test_every_post_without_a_valid_token_is_refused_and_changes_nothing(app, world):
    posts = {key: rule for key, rule in route_keys(app).items() if key.startswith("POST ")}
    assert len(posts) >= 20
    wrong = []
    for key, rule in sorted(posts.items()):
        respondent = world.respondent()
        url, _values = world.url(rule, respondent)
        browser = meant_for(world, rule, respondent)
        before = snapshot()
        for case, token in bad_tokens(world, browser).items():
            data = dict(POST_DATA.get(key, {}))
            if token is not None:
                data["csrf_token"] = token
            reply = browser.post(url, data=data)
            page = reply.get_data(as_text=True)
            if reply.status_code != 400 or not all(text in page for text in NOTHING_SAVED):
                wrong.append(f"{key}, token {case}: {reply.status_code}")
        if snapshot() != before:
            wrong.append(f"{key}: a refused request changed the database")
        data = {"csrf_token": session_csrf_token(app, browser), **POST_DATA.get(key, {})}
        if browser.post(url, data=data).status_code == 400:
            wrong.append(f"{key}: refused even with its valid token")
    assert not wrong, "\n".join(wrong)


def test_over_https_a_form_posted_from_another_site_is_refused(app, world):
    """Over HTTPS the Referer must be this site too (a stolen token is not enough)."""
    respondent = world.respondent()
    browser = respondent.client
    url = "https://consult.test/c/enia-2021/forget"
    token = session_csrf_token(app, browser)
    before = snapshot()
    for referrer in ("https://evil.example/page", "http://consult.test/c/enia-2021/", None):
        headers = {"Referer": referrer} if referrer else {}
        reply = browser.post(url, data={"csrf_token": token}, headers=headers)
        assert reply.status_code == 400, referrer
    assert snapshot() == before
    same_site = {"Referer": "https://consult.test/c/enia-2021/receipt"}
    assert browser.post(url, data={"csrf_token": token}, headers=same_site).status_code == 302
