"""The OpenAPI 3.1 document of the API (``/api/v1/openapi.json``), written as data.

Paths, parameters, responses and headers are plain dicts here; the documents' schemas are
in ``schemas.py``. Nothing is generated from the views: the document is the contract, and
``tests/api/test_openapi_conformance.py`` runs schemathesis against it, so a view that
drifts from it fails there. A few values come from the settings (the languages, the
largest page, the rate limit) and are read when the document is built.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..web.converters import MAX_ID
from . import bp
from .freshness import served_since
from .params import MAX_PAGE
from .replies import as_bytes, bytes_reply
from .schemas import PASSAGE_ANCHOR, ref, schemas

VERSION = "1.0.0"
JSON = "application/json"
PROBLEM = "application/problem+json"


def _header(description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {
        "description": description,
        "required": required,
        "schema": schema or {"type": "string"},
    }


HEADERS = {
    "ETag": _header(
        "A strong validator of the bytes sent; send it back in If-None-Match.", required=True
    ),
    "Last-Modified": _header("When what this shows last changed (HTTP date).", required=True),
    "Cache-Control": _header("`public, max-age=N`: the same for everyone.", required=True),
    "Access-Control-Allow-Origin": _header("`*`: any origin may read.", required=True),
    "X-RateLimit-Limit": _header("Requests allowed in the window.", {"type": "integer"}),
    "X-RateLimit-Remaining": _header("Requests left in the window.", {"type": "integer"}),
    "X-RateLimit-Reset": _header("When the window ends (Unix time).", {"type": "number"}),
}


def _problem(description: str, **headers: dict) -> dict:
    found: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM: {"schema": ref("Problem")}},
    }
    if headers:
        found["headers"] = headers
    return found


def _ok(description: str, schema: str) -> dict:
    return {
        "description": description,
        "headers": {name: {"$ref": f"#/components/headers/{name}"} for name in HEADERS},
        "content": {JSON: {"schema": ref(schema)}},
    }


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


CONDITIONAL = [_param("If-None-Match"), _param("If-Modified-Since")]


def _operation(
    operation_id: str,
    summary: str,
    description: str,
    schema: str,
    parameters: list[dict],
    *,
    bad_request: bool = False,
) -> dict:
    responses: dict[str, Any] = {
        "200": _ok(summary, schema),
        "304": {"$ref": "#/components/responses/NotModified"},
    }
    if bad_request:
        responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    if any(p.get("$ref", "").endswith("/slug") for p in parameters):
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    responses["default"] = {"$ref": "#/components/responses/Error"}
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "parameters": [*parameters, *CONDITIONAL],
            "responses": responses,
        }
    }


def _parameters(languages: list[str], per_page_max: int) -> dict:
    def query(name: str, description: str, schema: dict) -> dict:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
        }

    return {
        "slug": {
            "name": "slug",
            "in": "path",
            "required": True,
            "description": "The consultation's slug, as in its address /c/<slug>/.",
            "schema": {"type": "string"},
        },
        "page": query(
            "page",
            "The page, from 1 to `pages` (a page after the last: 404).",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        ),
        "per_page": query(
            "per_page",
            "Comments per page.",
            {"type": "integer", "minimum": 1, "maximum": per_page_max, "default": 20},
        ),
        "section": query("section", "Only comments on this section (its key).", {"type": "string"}),
        "anchor": query(
            "anchor",
            "Only comments on this passage of a section's text (its anchor, as the section's"
            " page names it; in the current text or an earlier one).",
            {"type": "string", "pattern": PASSAGE_ANCHOR},
        ),
        "stakeholder_group": query(
            "stakeholder_group",
            "Only comments of this reporting group (a code of the consultation's profile the"
            " open report shows on its own).",
            {"type": "string"},
        ),
        "theme": query(
            "theme",
            "Only comments of this theme (its id; once the outcome is published).",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        ),
        "language": query(
            "language",
            "The language of the document's words.",
            {"enum": languages, "default": languages[0]},
        ),
        "If-None-Match": {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": "The ETag of the copy you hold: 304 if it is still current.",
            "schema": {"type": "string"},
        },
        "If-Modified-Since": {
            "name": "If-Modified-Since",
            "in": "header",
            "required": False,
            "description": "The Last-Modified of the copy you hold (ignored with If-None-Match).",
            "schema": {"type": "string"},
        },
    }


def _responses() -> dict:
    return {
        "NotModified": {
            "description": "The copy you hold is current; no body.",
            "headers": {
                "ETag": {"$ref": "#/components/headers/ETag"},
                "Cache-Control": {"$ref": "#/components/headers/Cache-Control"},
            },
        },
        "BadRequest": _problem(
            "A query parameter was refused; `invalid_params` says what it takes."
        ),
        "NotFound": _problem(
            "No such consultation, or it (or this part of it) is not public; or a filter names"
            " what it does not have in public, or the page is after the last"
            " (`invalid_params` says what is there)."
        ),
        "TooManyRequests": _problem(
            "Too many requests from your address.",
            **{"Retry-After": _header("Seconds to wait.", {"type": "integer"}, required=True)},
        ),
        "Error": _problem("Any other error (405 for a method other than GET, HEAD, OPTIONS; 500)."),
    }


def document() -> dict:
    """The OpenAPI document for this app's settings."""
    config = current_app.config
    languages = list(config["LANGUAGES"])
    slug = _param("slug")
    paths = {
        "/api/v1/consultations": _operation(
            "listConsultations",
            "The public consultations",
            "Every consultation out of preparation and not archived, newest first. Demo"
            " consultations (`consult demo`) say so in `is_demo`.",
            "ConsultationList",
            [],
        ),
        "/api/v1/consultations/{slug}": _operation(
            "getConsultation",
            "A consultation with its sections and questions",
            "Its sections as a tree (parts and sub-parts, in reading order, with links to"
            " their public pages) and every question with its options' codes and labels.",
            "ConsultationDetail",
            [slug],
        ),
        "/api/v1/consultations/{slug}/results": _operation(
            "getResults",
            "The published results (the open report)",
            "The figures of the public results page, as the open report's JSON download:"
            ' groups of fewer than K respondents pooled, small counts as "<K". 404 until'
            " the results are published.",
            "Results",
            [slug, _param("language")],
            bad_request=True,
        ),
        "/api/v1/consultations/{slug}/comments": _operation(
            "listComments",
            "The published comments, a page at a time",
            "Comments a moderator published and whose authors chose publication, oldest"
            " first, with the redacted text where redacted and the author's name only when"
            " they chose to publish it.",
            "CommentPage",
            [
                slug,
                *(
                    _param(n)
                    for n in ("page", "per_page", "section", "anchor", "stakeholder_group", "theme")
                ),
            ],
            bad_request=True,
        ),
        "/api/v1/consultations/{slug}/decisions": _operation(
            "getDecisions",
            "The published decisions",
            "Decisions on themes and sections with their reasons, and how many comments each"
            " kind of decision applies to. 404 until the outcome is published.",
            "Decisions",
            [slug],
        ),
        "/api/v1/consultations/{slug}/outcome": _operation(
            "getOutcome",
            "What became of what people said",
            'The published outcome ("you said, we did") in one language: themes with'
            " quotes, decisions, changes to the draft, what was not taken up. 404 until the"
            " outcome is published.",
            "Outcome",
            [slug, _param("language")],
            bad_request=True,
        ),
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "getOpenAPI",
                "summary": "This document",
                "parameters": CONDITIONAL,
                "responses": {
                    "200": {
                        "description": "The OpenAPI 3.1 document.",
                        "content": {JSON: {"schema": {"type": "object"}}},
                    },
                    "304": {"$ref": "#/components/responses/NotModified"},
                    "429": {"$ref": "#/components/responses/TooManyRequests"},
                    "default": {"$ref": "#/components/responses/Error"},
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "consult public API",
            "version": VERSION,
            "summary": "Read-only JSON API of the public consultations.",
            "description": "Everything here is public and the same for everyone. GET only;"
            " any origin may read (CORS, no credentials). Rate limited per address"
            f" ({config['RATELIMIT_API']}): a 429 says how long to wait in Retry-After."
            " Every reply carries ETag and Last-Modified; send them back in If-None-Match or"
            " If-Modified-Since for a 304. Errors are problem documents (RFC 9457,"
            " application/problem+json).",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "paths": paths,
        "components": {
            "schemas": schemas(tuple(languages)),
            "parameters": _parameters(languages, int(config["API_PER_PAGE_MAX"])),
            "responses": _responses(),
            "headers": HEADERS,
        },
    }


@bp.get("/v1/openapi.json")
def get_openapi():
    """The OpenAPI 3.1 document of this API."""
    body = as_bytes(document())
    return bytes_reply(body, "application/json", last_modified=served_since(body))
