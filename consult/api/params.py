"""The query parameters of the API, read strictly: a malformed value is a 400 problem
naming the values the endpoint does accept (``problems.InvalidParam``), a well-formed one
naming what is not there a 404 with the same list; never a silent default and never a
500. An empty filter (``section=``, as a form sends it) filters nothing. Parameters an
endpoint does not know are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _

from ..models import Consultation
from ..published import PublicTheme
from ..web.converters import id_from
from .problems import InvalidParam, ParametersRefused
from .schemas import PASSAGE_ANCHOR

#: A page of comments holds this many when ``per_page`` is not given.
DEFAULT_PER_PAGE = 20
#: No page number beyond this is read (a larger one is refused before any query).
MAX_PAGE = 1_000_000


def _whole(raw: str) -> int | None:
    if raw and len(raw) <= 7 and raw.isascii() and raw.isdigit():
        return int(raw)
    return None


def _number(name: str, default: int, maximum: int, refused: list[InvalidParam]) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    value = _whole(raw)
    if value is None or not 1 <= value <= maximum:
        reason = _("A whole number from 1 to %(maximum)s.", maximum=maximum)
        refused.append(InvalidParam(name, reason, minimum=1, maximum=maximum))
        return default
    return value


def language() -> str:
    """``language``: the language of the words of a document (es by default)."""
    allowed = list(current_app.config["LANGUAGES"])
    raw = request.args.get("language")
    if raw is None:
        return allowed[0]
    if raw not in allowed:
        raise ParametersRefused(
            [InvalidParam("language", _("One of the site's languages."), allowed=allowed)]
        )
    return raw


@dataclass(frozen=True)
class CommentQuery:
    """What a client asked of the published comments."""

    page: int
    per_page: int
    section: str | None
    stakeholder_group: str | None
    theme: int | None
    #: A passage's anchor; None: comments on any passage or on the section as a whole.
    anchor: str | None = None


def comment_query(
    consultation: Consultation, groups: list[str], themes: tuple[PublicTheme, ...]
) -> CommentQuery:
    """``page``, ``per_page`` and the filters; ``groups`` are the reporting groups the
    open report shows on their own, ``themes`` the public ones (none before the outcome)."""
    malformed: list[InvalidParam] = []
    page = _number("page", 1, MAX_PAGE, malformed)
    per_page = _number(
        "per_page", DEFAULT_PER_PAGE, current_app.config["API_PER_PAGE_MAX"], malformed
    )
    raw_theme = request.args.get("theme") or None
    theme = id_from(raw_theme) if raw_theme is not None else None
    ids = [t.id for t in themes]
    theme_reason = (
        _("The id of one of the outcome's themes.")
        if themes
        else _("Themes are public once the outcome is published; there is none yet.")
    )
    if raw_theme is not None and theme is None:
        malformed.append(InvalidParam("theme", theme_reason, [str(i) for i in ids]))
    anchor = request.args.get("anchor") or None
    if anchor is not None and not re.fullmatch(PASSAGE_ANCHOR, anchor):
        reason = _("A passage's anchor, as the section's page names it (p-1a2b3c4d).")
        malformed.append(InvalidParam("anchor", reason))
    if malformed:
        raise ParametersRefused(malformed)
    absent: list[InvalidParam] = []
    section = request.args.get("section") or None
    keys = [s.key for s in consultation.sections]
    if section is not None and section not in keys:
        absent.append(InvalidParam("section", _("A section key of this consultation."), keys))
    group = request.args.get("stakeholder_group") or None
    if group is not None and group not in groups:
        reason = _(
            "A stakeholder group of this consultation that the open report shows on its own."
        )
        absent.append(InvalidParam("stakeholder_group", reason, groups))
    if theme is not None and theme not in ids:
        absent.append(InvalidParam("theme", theme_reason, [str(i) for i in ids]))
    if absent:
        raise ParametersRefused(absent, missing=True)
    return CommentQuery(page, per_page, section, group, theme, anchor)


def page_beyond(last: int) -> ParametersRefused:
    """The refusal of a page after the last one."""
    reason = _("A page from 1 to the last one, %(last)s.", last=last)
    return ParametersRefused([InvalidParam("page", reason, minimum=1, maximum=last)], missing=True)
