"""Browsers of the people the suite plays: respondents holding their response, and tabs
of a signed-in coordinator's browser."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from consult.models import Consultation, Response
from tests.conftest import session_csrf_token


@dataclass
class Respondent:
    """A person's browser tied to their response, and the secret of their private link."""

    client: FlaskClient
    response: Response
    token: str

    @property
    def private_url(self) -> str:
        return f"/c/{self.response.consultation.slug}/r/{self.token}"


def open_with_private_link(app: Flask, consultation: Consultation, token: str) -> FlaskClient:
    """A browser that opened its response through the private link, as a returning person."""
    browser = app.test_client()
    url = f"/c/{consultation.slug}/r/{token}/edit"
    reply = browser.post(url, data={"csrf_token": session_csrf_token(app, browser)})
    assert reply.status_code == 302, (url, reply.status_code)
    return browser


def same_browser(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another tab of ``client``'s browser: a new client holding the same session cookie.

    Signing in hashes a password (slow on purpose); tabs let a test reuse one sign-in.
    """
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name, domain=app.config["SERVER_NAME"])
    assert cookie is not None, "the browser has no session yet"
    tab = app.test_client()
    tab.set_cookie(name, cookie.value, domain=cookie.domain, path=cookie.path)
    return tab
