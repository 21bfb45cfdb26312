"""Error pages, in both languages, that never show a stack trace or SQL."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .models.columns import current_language
from .responding import ConsultationClosed, ResponseLocked


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


def render_error(error: HTTPException):
    """Render the error in the person's language first, then in the other one."""
    languages = current_app.config["LANGUAGES"]
    first = current_language()
    ordered = [first] + [lang for lang in languages if lang != first]
    texts = []
    for lang in ordered:
        with force_locale(lang):
            title, message = _messages(error)
            texts.append({"lang": lang, "title": title, "message": message})
    return render_template("errors/error.html", code=error.code, texts=texts), error.code or 500


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(InternalServerError())
