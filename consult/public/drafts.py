"""Which response this browser is working on, kept in the signed session cookie."""

from flask import session

from ..models import Consultation
from ..responding.own_response import OwnResponse, load_own_response

_KEY = "responses"


def remember(consultation: Consultation, token: str) -> None:
    """Tie a response to this browser, so its pages show and save it."""
    tokens = dict(session.get(_KEY, {}))
    tokens[consultation.slug] = token
    session[_KEY] = tokens
    session.permanent = True


def forget(consultation: Consultation) -> None:
    tokens = dict(session.get(_KEY, {}))
    if tokens.pop(consultation.slug, None) is not None:
        session[_KEY] = tokens


def token_for(consultation: Consultation) -> str | None:
    return session.get(_KEY, {}).get(consultation.slug)


def current_response(consultation: Consultation) -> OwnResponse | None:
    """The response tied to this browser, if it still exists."""
    return load_own_response(consultation, token_for(consultation))
