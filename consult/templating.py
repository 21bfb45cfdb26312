"""Template globals: the language switch and the page's language."""

from __future__ import annotations

from datetime import datetime

from babel import Locale, UnknownLocaleError
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


def language_name(code: str) -> str:
    """A language named in itself, as the switch offers it: "Español", "English", "Runasimi"."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def moment(value: datetime) -> str:
    """A stored UTC time as a person reads it: "26 de enero de 2027, 23:59", in Peru time."""
    return f"{format_date(value, 'long')}, {format_time(value, 'HH:mm')}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        language_url=language_url, current_language=current_language, language_name=language_name
    )
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
