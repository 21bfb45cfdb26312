"""Template globals: the language switch, the page's language, form options, pager links."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlencode

from babel import Locale, UnknownLocaleError
from flask import Flask, request
from flask_babel import format_date, format_time

from ..models.columns import current_language
from .choice_markup import choice_inputs, select_options
from .paging import page_url


def language_url(lang: str) -> str:
    """This same page in another language: its own path and query, with ``lang`` set.

    Built from the request's path, not with ``url_for``: query arguments must never stand
    in for the page's own URL values (``?key=``) or for url_for's options (``?_method=``).
    """
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    query.append(("lang", lang))
    return f"{request.script_root}{quote(request.path)}?{urlencode(query)}"


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
        language_url=language_url,
        current_language=current_language,
        language_name=language_name,
        page_url=page_url,
        choice_inputs=choice_inputs,
        select_options=select_options,
    )
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
