"""The API's page for people (``/api/``, ``/api/v1/``): each endpoint, what it gives, an
example request and a short example answer made from the first public consultation's
real data, in the reader's language. Plain HTML, no script."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from ..public.results import results_page
from ..published import published_comments, results_public
from ..reports.writers.json_document import to_json
from ..web.security import shareable
from . import bp, serialise
from .views import listed

#: An example answer is cut after this many lines.
EXAMPLE_LINES = 28


@dataclass(frozen=True)
class Endpoint:
    path: str
    what: Any
    #: The address of the example request (absolute), or None when there is nothing to show.
    example_url: str | None
    #: A short real answer, as indented JSON; None when there is none to show.
    example: str | None = None


def _shown(data: Any) -> str:
    """``data`` as indented JSON, cut after EXAMPLE_LINES lines."""
    lines = json.dumps(data, ensure_ascii=False, indent=2).splitlines()
    if len(lines) > EXAMPLE_LINES:
        lines = [*lines[:EXAMPLE_LINES], "  …"]
    return "\n".join(lines)


def _trimmed_detail(data: dict) -> dict:
    """A consultation with only its first section and first question."""
    return {**data, "sections": data["sections"][:1], "questions": data["questions"][:1]}


def _results_example(consultation) -> str:
    """The open report's meta and its first rows of participation."""
    document = json.loads(to_json(results_page(consultation)["report"]))
    meta = document["meta"]
    return _shown(
        {
            "meta": {
                k: meta[k] for k in ("slug", "audience", "responses", "min_cell", "computed_at")
            },
            "participation": {k: v[:2] for k, v in list(document["participation"].items())[:1]},
        }
    )


def endpoints() -> list[Endpoint]:
    """Each endpoint, with an example made from the first public consultation."""
    consultations = listed()
    first = consultations[0] if consultations else None
    slug = first.slug if first else "SLUG"

    def url(endpoint: str, **values) -> str:
        return url_for(f"api.{endpoint}", _external=True, **values)

    def example(make, public: bool = True) -> str | None:
        return make() if first is not None and public else None

    results = first is not None and results_public(first)
    comments_url = url("list_comments", slug=slug, per_page=1)
    return [
        Endpoint(
            "/api/v1/consultations",
            _l("Every public consultation: its stage, dates, languages and links."),
            url("list_consultations"),
            example(lambda: _shown({"items": [serialise.consultation_summary(first)]})),
        ),
        Endpoint(
            "/api/v1/consultations/{slug}",
            _l("One consultation with its sections (a tree) and its questions and options."),
            url("get_consultation", slug=slug),
            example(lambda: _shown(_trimmed_detail(serialise.consultation_detail(first)))),
        ),
        Endpoint(
            "/api/v1/consultations/{slug}/results",
            _l(
                "The published results: the open report, the same figures as the results page"
                " (404 until they are published). ?language=es or en."
            ),
            url("get_results", slug=slug),
            example(lambda: _results_example(first), results),
        ),
        Endpoint(
            "/api/v1/consultations/{slug}/comments",
            _l(
                "The published comments, a page at a time (page, per_page), filtered by section,"
                " stakeholder_group or theme."
            ),
            comments_url,
            example(
                lambda: _shown(
                    serialise.comment_page(
                        first, published_comments(first, per_page=1), {"self": comments_url}
                    )
                )
            ),
        ),
        Endpoint(
            "/api/v1/consultations/{slug}/decisions",
            _l(
                "The decisions on themes and sections, with their reasons, once the outcome is"
                " published."
            ),
            url("get_decisions", slug=slug),
        ),
        Endpoint(
            "/api/v1/consultations/{slug}/outcome",
            _l(
                "What became of what people said, once the outcome is published."
                " ?language=es or en."
            ),
            url("get_outcome", slug=slug),
        ),
        Endpoint(
            "/api/v1/openapi.json",
            _l("The OpenAPI 3.1 document describing all of this, for tools."),
            url("get_openapi"),
        ),
    ]


@bp.get("/v1/")
@bp.get("/")  # registered first: the address url_for gives
@shareable
def show_docs():
    """The API described for people, with examples."""
    return render_template("api/index.html", endpoints=endpoints())
