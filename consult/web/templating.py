"""Template globals: the language switch, the page's language, form options, pager links;
times in the page's time zone."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlencode

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, request
from jinja2 import pass_context
from jinja2.runtime import Context

from ..models import Consultation
from ..models.columns import current_language
from ..models.zones import moment_text, zone_label
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


def page_time_zone(context: Context) -> str:
    """The zone a page shows times in: its consultation's, else the site's.

    Read from the template's ``consultation``, so that no page of a consultation can
    forget its zone; pages of none (the audit trail, the users) use BABEL_DEFAULT_TIMEZONE.
    """
    zone = getattr(context.get("consultation"), "time_zone", None)
    return zone or current_app.config["BABEL_DEFAULT_TIMEZONE"]


@pass_context
def moment(context: Context, value: datetime) -> str:
    """A stored time as a person reads it, in the page's zone and naming it:
    "26 de enero de 2027, 23:59 (hora de America/Lima)"."""
    return moment_text(value, page_time_zone(context))


@pass_context
def time_zone_label(context: Context) -> str:
    """The page's zone as a heading names it: "hora de America/Santiago"."""
    return zone_label(page_time_zone(context))


def profile_label(consultation: Consultation, key: str, code: str | None) -> str:
    """A profile answer's label in the page's language, from the consultation's lists."""
    return consultation.profile.label(key, code, current_language()) or ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        language_url=language_url,
        current_language=current_language,
        language_name=language_name,
        page_url=page_url,
        choice_inputs=choice_inputs,
        select_options=select_options,
        time_zone_label=time_zone_label,
        profile_label=profile_label,
    )
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
