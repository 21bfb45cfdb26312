"""Error pages, in both languages, that never show a stack trace or SQL."""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask.globals import request_ctx
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from ..models.columns import current_language
from ..responding import ConsultationClosed, ResponseLocked
from .private_paths import hide_tokens
from .security import request_id

#: Headers an error keeps on its page: what methods are allowed, when to try again.
_KEPT_HEADERS = {"allow", "retry-after"}
#: Where the formats of blueprints that answer their errors their own way are kept.
_FORMATS = "consult.error_formats"


def answer_errors_under(app: Flask, prefix: str, render) -> None:
    """Let ``render(error)`` answer every error of a path under ``prefix`` (the JSON API:
    problem documents), routing errors and unexpected ones included; it is given the
    ``HTTPException`` and returns a response."""
    app.extensions.setdefault(_FORMATS, []).append((prefix, render))


def _messages(error: HTTPException) -> tuple[str, str]:
    """Title and explanation for an error, in the active language."""
    if isinstance(error, CSRFError):
        return _("Your form could not be accepted"), _(
            "The form had expired or came without its security token. Nothing was saved."
            " Go back, reload the page and send it again."
        )
    if isinstance(error, ConsultationClosed):
        return _("This consultation is not open for responses"), _(
            "You can still read it, but responses are accepted only while it is open."
            " Nothing was saved."
        )
    if isinstance(error, ResponseLocked):
        return _("This response was withdrawn"), _(
            "A withdrawn response can no longer be changed. Nothing was saved."
        )
    known = {
        400: (_("Bad request"), _("We could not understand that request. Nothing was saved.")),
        403: (_("Not allowed"), _("You do not have access to this page.")),
        404: (
            _("Page not found"),
            _("There is no page at this address. It may have moved, or the link is incomplete."),
        ),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        413: (_("Too much data"), _("What you sent is too large. Nothing was saved.")),
        429: (
            _("Too many requests"),
            _("Please wait a moment before trying again. Nothing was saved."),
        ),
    }
    return known.get(
        error.code or 500,
        (
            _("Something went wrong"),
            _(
                "An error on our side stopped this request."
                " Nothing was half-saved; please try again."
            ),
        ),
    )


def _bind_urls_without_host() -> None:
    """Give the page a way to build its links when the Host header could not be bound.

    werkzeug refuses a Host that is no domain name (a label over 63 characters, an empty
    one) with a 400 before routing, which leaves the request without a URL adapter: the
    page's ``url_for`` then failed and turned that 400 into a 500, and the 500 page failed
    the same way. The page's links are paths, so any name serves: the configured one, or
    "localhost"; the Host sent is never used.
    """
    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(
            current_app.config.get("SERVER_NAME") or "localhost",
            script_name=request.script_root or None,
            url_scheme=request.scheme,
        )


def render_error(error: HTTPException):
    """Render the error in the person's language first, then in the other one.

    Only our own texts and the request id are shown: never the exception, its
    description, a stack trace or SQL. A path some blueprint answers in its own format
    (``answer_errors_under``) gets that instead.
    """
    for prefix, render in current_app.extensions.get(_FORMATS, ()):
        if request.path.startswith(prefix):
            return render(error)
    _bind_urls_without_host()
    code = error.code or 500
    languages = current_app.config["LANGUAGES"]
    first = current_language()
    ordered = [first] + [lang for lang in languages if lang != first]
    texts = []
    for lang in ordered:
        with force_locale(lang):
            title, message = _messages(error)
            texts.append({"lang": lang, "title": title, "message": message})
    page = render_template("errors/error.html", code=code, texts=texts, request_id=request_id())
    headers = [(k, v) for k, v in error.get_headers() if k.lower() in _KEPT_HEADERS]
    return page, code, headers


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        level = logging.ERROR if (error.code or 500) >= 500 else logging.INFO
        app.logger.log(
            level,
            "HTTP %s on %s %s [request %s]",
            error.code,
            request.method,
            hide_tokens(request.path),
            request_id(),
        )
        return render_error(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception(
            "Unhandled error on %s %s [request %s]",
            request.method,
            hide_tokens(request.path),
            request_id(),
        )
        return render_error(InternalServerError())
