"""Errors of the JSON API as problem documents (RFC 9457, ``application/problem+json``).

Every error under ``/api/`` — a bad parameter, an unknown consultation, a method other
than GET, too many requests, a failure of ours, an address no route matches — is answered
here, never with the HTML error page (``web.errors.answer_errors_under`` sends them).
``title`` is the HTTP status phrase; ``detail`` says what to do, in English, and
``messages`` holds title and detail in every language of the site. A refused parameter
names the values it accepts (``invalid_params``). Nothing of the exception is shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import Response, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..web.security import request_id, without_session

MEDIA_TYPE = "application/problem+json"
#: Headers an error keeps: the methods allowed (405), when to try again (429).
_KEPT_HEADERS = {"allow", "retry-after"}


@dataclass(frozen=True)
class InvalidParam:
    """One query parameter refused: its name, why, and what it accepts."""

    name: str
    reason: str
    #: The values it accepts, when they can be listed.
    allowed: list[str] | None = None
    #: Or the range of a number.
    minimum: int | None = None
    maximum: int | None = None

    def as_json(self) -> dict:
        found = {"name": self.name, "reason": self.reason}
        if self.allowed is not None:
            found["allowed"] = self.allowed
        if self.minimum is not None:
            found["minimum"] = self.minimum
        if self.maximum is not None:
            found["maximum"] = self.maximum
        return found


class ParametersRefused(BadRequest):
    """A 400 naming each refused query parameter and the values it accepts; a 404
    (``missing``) when the value is well formed but names what is not there (a section
    the consultation does not have, a theme not public, a page after the last), as the
    address of that thing would be."""

    def __init__(self, invalid: list[InvalidParam], *, missing: bool = False) -> None:
        super().__init__()
        self.invalid = invalid
        if missing:
            self.code = 404


@dataclass(frozen=True)
class _Texts:
    title: str
    detail: str
    extra: dict = field(default_factory=dict)


def _detail(error: HTTPException) -> str:
    """What went wrong and what to do, in the active language."""
    if isinstance(error, ParametersRefused) and error.code == 404:
        return _(
            "A query parameter names something this consultation does not have, or does not"
            " show in public; see invalid_params."
        )
    if isinstance(error, ParametersRefused):
        return _("A query parameter has a value this endpoint does not accept; see invalid_params.")
    known = {
        400: _("The request could not be understood."),
        404: _("There is nothing at this address, or it is not public."),
        405: _("This address answers only GET (and HEAD, OPTIONS): the API is read-only."),
        413: _("The request is too large."),
        429: _("Too many requests. Wait the seconds Retry-After says before trying again."),
    }
    return known.get(
        error.code or 500,
        _("An error on our side stopped this request. Please try again later."),
    )


def _title(code: int) -> str:
    """The HTTP status phrase, translated."""
    titles = {
        400: _("Bad request"),
        404: _("Not found"),
        405: _("Method not allowed"),
        413: _("Content too large"),
        429: _("Too many requests"),
        500: _("Internal server error"),
    }
    return titles.get(code, HTTP_STATUS_CODES.get(code, "Error"))


def problem_document(error: HTTPException) -> dict:
    """The problem document of an error: English first, then every language's words."""
    code = error.code or 500
    messages = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            messages[language] = {"title": _title(code), "detail": _detail(error)}
    document = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(code, "Error"),
        "status": code,
        "detail": messages.get("en", next(iter(messages.values())))["detail"],
        "instance": request.path,
        "request_id": request_id(),
        "messages": messages,
    }
    if isinstance(error, ParametersRefused):
        document["invalid_params"] = [p.as_json() for p in error.invalid]
    return document


def problem_response(error: HTTPException) -> Response:
    """Answer ``error`` as a problem document, keeping its Allow and Retry-After."""
    without_session()
    code = error.code or 500
    body = json.dumps(problem_document(error), ensure_ascii=False, separators=(",", ":"))
    reply = current_app.response_class(body.encode("utf-8"), status=code, mimetype=MEDIA_TYPE)
    for name, value in error.get_headers():
        if name.lower() in _KEPT_HEADERS:
            reply.headers[name] = value
    reply.headers["Cache-Control"] = "no-store"
    reply.headers["Access-Control-Allow-Origin"] = "*"
    return reply
