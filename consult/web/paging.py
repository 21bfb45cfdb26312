"""Offset pagination over any select, with one count query and one page query; the
pager's links (``page_url``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from flask import request

from ..extensions import db

PER_PAGE = 50


@dataclass
class Page:
    items: list[Any]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: str | None) -> int:
    """The page asked for in ``?page=``; anything that is not a plausible page gives 1."""
    if raw and raw.isascii() and raw.isdigit() and 0 < int(raw) <= 1_000_000:
        return int(raw)
    return 1


def page_url(number: int) -> str:
    """This list's own address and query, with ``page`` set to ``number``.

    Built from the request's path, not with ``url_for(request.endpoint, **request.args)``:
    a query argument named like one of url_for's parameters (``?_method=POST``,
    ``?endpoint=x``, ``_external``, ``_anchor``, ``_scheme``) steered or broke every pager
    (a 500), and ``?slug=`` would have pointed it at another list. Repeated arguments are
    kept, as the list read them.
    """
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    query.append(("page", str(number)))
    return f"{request.script_root}{quote(request.path)}?{urlencode(query)}"


def paginate(stmt: sa.Select, number: int, per_page: int = PER_PAGE, *, scalars=True) -> Page:
    """Run ``stmt`` for one page; ``scalars=False`` keeps rows of several columns.

    A page past the last shows the last page.
    """
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    number = min(number, max(1, -(-total // per_page)))
    page_stmt = stmt.limit(per_page).offset((number - 1) * per_page)
    result = db.session.execute(page_stmt)
    items = list(result.scalars().unique()) if scalars else list(result.all())
    return Page(items, total, number, per_page)
