"""Ids and URL segments as the database can take them, checked once for the whole app.

Ids reach the app in three ways: a URL (``/comments/<int:comment_id>``), a query string
(``?theme=``) and a form (the bulk list's ``ids``). Python's ``int`` has no upper bound,
the databases' integers do: SQLite raised ``OverflowError`` past 2**63 (a 500), and
PostgreSQL's ``integer`` columns, which every id here is, end at 2**31 - 1. So every id
goes through this module, never through a bare ``int()``:

- the app's ``int`` URL converter (it replaces werkzeug's for every route, so a new route
  is covered without thinking of it) matches ASCII digits up to ``MAX_ID`` only: anything
  larger names no row, and the URL is a 404 like any other that leads nowhere;
- ``id_from`` reads one id from a query string or form, giving None for anything that is
  not one (a filter then ignores it); ``ids_from`` reads a repeated field and refuses
  the request (400) if any value is not an id, since no page of ours sends such a value.

The default string converter (``<slug>``, ``<key>``, ``<token>`` …) refuses control
characters the same way: no slug, key or token holds one, and PostgreSQL refuses a NUL
in a query parameter (a 500) where SQLite simply finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, abort
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError

#: The largest id a row can have: ids are ``Integer`` columns, 32-bit in PostgreSQL.
MAX_ID = 2**31 - 1
_DIGITS = len(str(MAX_ID))


def id_from(raw: str | None) -> int | None:
    """An id as a query string or form sends it, or None if it can name no row."""
    if raw and len(raw) <= _DIGITS and raw.isascii() and raw.isdigit():
        value = int(raw)
        if 0 < value <= MAX_ID:
            return value
    return None


def ids_from(values: Iterable[str]) -> list[int]:
    """The ids of a repeated field (check boxes); any other value refuses the request."""
    ids = []
    for value in values:
        found = id_from(value)
        if found is None:
            abort(400)
        ids.append(found)
    return ids


class DatabaseInt(IntegerConverter):
    """``<int:…>`` for the whole app: ASCII digits, no larger than ``MAX_ID``.

    werkzeug's own matches any Unicode digit (``٣``) and any size; a value out of range
    fails to match, so the request gets the app's 404 page.
    """

    regex = r"[0-9]+"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("-0")) > _DIGITS:
            raise ValidationError()  # before int() spends time on a thousand digits
        return super().to_python(value)


class Segment(UnicodeConverter):
    """The default ``<name>`` converter: one path segment without control characters."""

    def __init__(
        self, map: Map, minlength: int = 1, maxlength: int | None = None, length: int | None = None
    ) -> None:
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f-\x9f]", 1)


def init_app(app: Flask) -> None:
    """Register the converters; call before any blueprint adds its routes."""
    app.url_map.converters.update(int=DatabaseInt, default=Segment, string=Segment)
