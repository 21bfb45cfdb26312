"""Template globals: the language switch and the page's language."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request, url_for
from flask_babel import format_date, format_time

from .models.columns import current_language


def language_url(lang: str) -> str:
    """This same page in another language."""
    if request.endpoint is None or request.url_rule is None:
        return "?lang=" + lang
    args = dict(request.view_args or {})
    args.update({k: v for k, v in request.args.items() if k != "lang"})
    return url_for(request.endpoint, **args, lang=lang)


def moment(value: datetime) -> str:
    """A stored UTC time as a person reads it: "26 de enero de 2027, 23:59", in Peru time."""
    return f"{format_date(value, 'long')}, {format_time(value, 'HH:mm')}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(language_url=language_url, current_language=current_language)
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
