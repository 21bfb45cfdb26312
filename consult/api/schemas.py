"""The JSON Schemas (2020-12) of the API's documents, as data: the components of the
OpenAPI document (``openapi.py``). Each mirrors a function of ``serialise`` (or, for the
results, ``reports.writers.json_document``); ``tests/api/test_openapi_conformance.py``
holds them to what the endpoints send.
"""

from __future__ import annotations

from typing import Any

REF = "#/components/schemas/"
Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": REF + name}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def strict(properties: dict[str, Schema], description: str = "") -> Schema:
    """An object holding exactly these properties, every one of them always present."""
    found: Schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        found["description"] = description
    return found


STRING = {"type": "string"}
#: A passage's anchor (``content.passages.ANCHOR``, which api/ may not import: a test
#: holds the two equal).
PASSAGE_ANCHOR = "^p-[0-9a-f]{8}(-[0-9]{1,3})?$"
MOMENT = {"type": "string", "format": "date-time", "description": "ISO 8601 with offset."}
URL = {"type": "string", "format": "uri"}
COUNT = {
    "description": "A count of people or comments; the open-report rule prints 1 to K-1 as"
    ' the string "<K".',
    "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^<[0-9]+$"}],
}


def schemas(languages: tuple[str, ...]) -> dict[str, Schema]:
    """Every component schema, for the site's languages."""
    texts = strict(dict.fromkeys(languages, STRING), "A text in each language.")
    coded = strict({"code": STRING, "label": ref("Texts")}, "A code and its label.")
    links = {
        "self": URL,
        "html": URL,
        "comments": URL,
        "results": nullable(URL),
        "results_html": nullable(URL),
        "decisions": nullable(URL),
        "outcome": nullable(URL),
        "outcome_html": nullable(URL),
    }
    summary = {
        "slug": STRING,
        "title": ref("Texts"),
        "organiser": ref("Texts"),
        "is_demo": {"type": "boolean", "description": "Filled by `consult demo`: not real."},
        "stage": ref("Stage"),
        "opens_at": MOMENT,
        "closes_at": MOMENT,
        "time_zone": {"type": "string", "description": "IANA name, e.g. America/Lima."},
        "languages": {"type": "array", "items": {"enum": list(languages)}},
        "results_published": {"type": "boolean"},
        "outcome_published": {"type": "boolean"},
        "links": strict(links),
    }
    decision = strict({"code": ref("DecisionCode"), "label": ref("Texts"), "reason": ref("Texts")})
    decided = strict({"code": ref("DecisionCode"), "label": STRING, "reason": STRING})
    decision_count = strict(
        {"decision": ref("DecisionCode"), "label": STRING, "applied": COUNT, "own": COUNT}
    )
    return {
        "Texts": texts,
        "Coded": coded,
        "Count": COUNT,
        "DecisionCode": {
            "enum": ["accepted", "partly", "not_accepted", "out_of_scope", "already_in_draft"]
        },
        "Stage": strict(
            {
                "code": {
                    "enum": ["upcoming", "open", "closed", "analysis", "outcome"],
                    "description": "The stage people see now: while running, by the dates.",
                },
                "label": ref("Texts"),
                "next_step": nullable(strict({"text": ref("Texts"), "at": nullable(MOMENT)})),
            }
        ),
        "ConsultationSummary": strict(summary),
        "ConsultationList": strict(
            {
                "items": {"type": "array", "items": ref("ConsultationSummary")},
                "links": strict({"self": URL, "openapi": URL}),
            }
        ),
        "Section": strict(
            {
                "key": STRING,
                "number": STRING,
                "title": ref("Texts"),
                "comments_enabled": {"type": "boolean"},
                "gate": nullable(ref("Texts")),
                "questions": {"type": "array", "items": STRING},
                "links": strict({"html": URL, "comments": URL, "outcome_html": nullable(URL)}),
                "children": {"type": "array", "items": ref("Section")},
            },
            "A part of the draft, with its sub-parts; `questions` are the keys of its own.",
        ),
        "Question": strict(
            {
                "key": STRING,
                "section": nullable(STRING),
                "type": strict(
                    {
                        "code": {
                            "enum": [
                                "likert",
                                "single_choice",
                                "multiple_choice",
                                "ranking",
                                "short_text",
                                "long_text",
                            ]
                        },
                        "label": ref("Texts"),
                    }
                ),
                "required": {"type": "boolean"},
                "prompt": ref("Texts"),
                "help": ref("Texts"),
                "options": {"type": "array", "items": ref("Coded")},
            },
            "`section` is null for a question on the whole draft.",
        ),
        "ConsultationDetail": strict(
            {
                **summary,
                "contributions": {"type": "array", "items": ref("Coded")},
                "sections": {"type": "array", "items": ref("Section")},
                "questions": {"type": "array", "items": ref("Question")},
            }
        ),
        "Comment": strict(
            {
                "id": {"type": "integer"},
                "section": STRING,
                "text": STRING,
                "contribution": nullable(STRING),
                "stakeholder_type": nullable(STRING),
                "stakeholder_group": nullable(STRING),
                "author": nullable(STRING),
                "published_at": nullable(MOMENT),
                "themes": {"type": "array", "items": {"type": "integer"}},
                "passage": nullable(ref("Passage")),
                "proposal": nullable(STRING),
            },
            "A published comment: the redacted text where redacted; `author` only when they"
            " chose to publish their name; type and group null or `other_actor` where the open"
            " report pools them. `passage` is null for a comment on the section as a whole;"
            " `proposal` is the wording its author proposed for the passage, if any.",
        ),
        "Passage": strict(
            {
                "anchor": {"type": "string", "pattern": PASSAGE_ANCHOR},
                "number": nullable({"type": "integer", "minimum": 1}),
                "kind": nullable({"enum": ["paragraph", "item"]}),
                "text": nullable(STRING),
            },
            "A paragraph or a line of a list of a section's text: its anchor (as the"
            " section's page names it), its number and kind in the current text (null when"
            " the text no longer has it) and its words as the comment's author read them.",
        ),
        "CommentPage": strict(
            {
                "consultation": STRING,
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1},
                "total": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 1},
                "links": strict(
                    {
                        "self": URL,
                        "first": URL,
                        "prev": nullable(URL),
                        "next": nullable(URL),
                        "last": URL,
                    }
                ),
                "items": {"type": "array", "items": ref("Comment")},
            }
        ),
        "Theme": strict(
            {
                "id": {"type": "integer"},
                "name": STRING,
                "comments": COUNT,
                "decision": nullable(decision),
            }
        ),
        "Decisions": strict(
            {
                "consultation": STRING,
                "themes": {"type": "array", "items": ref("Theme")},
                "sections": {
                    "type": "array",
                    "items": strict(
                        {
                            "key": STRING,
                            "number": STRING,
                            "title": ref("Texts"),
                            "comments": COUNT,
                            "decision": decision,
                        }
                    ),
                },
                "comments": {
                    "type": "array",
                    "items": strict({"decision": ref("Coded"), "applied": COUNT, "own": COUNT}),
                    "description": "Comments each kind of decision applies to (their own,"
                    " else their themes', else their section's); `own`: answered one by one.",
                },
            }
        ),
        "Outcome": strict(
            {
                "consultation": STRING,
                "language": {"enum": list(languages)},
                "min_cell": {"type": "integer", "minimum": 1},
                "responses": {"type": "integer", "minimum": 0},
                "comments": COUNT,
                "themes": {
                    "type": "array",
                    "items": strict(
                        {
                            "id": {"type": "integer"},
                            "name": STRING,
                            "comments": COUNT,
                            "decision": nullable(decided),
                            "quotes": {
                                "type": "array",
                                "items": strict(
                                    {
                                        "comment": {"type": "integer"},
                                        "section": STRING,
                                        "text": STRING,
                                        "author": nullable(STRING),
                                        "stakeholder_type": nullable(STRING),
                                    }
                                ),
                            },
                        }
                    ),
                },
                "sections": {"type": "array", "items": ref("SectionOutcome")},
                "changes": {
                    "type": "array",
                    "items": strict(
                        {
                            "version": {"type": "integer"},
                            "version_note": STRING,
                            "section": STRING,
                            "explanation": STRING,
                            "themes": {
                                "type": "array",
                                "items": strict({"name": STRING, "comments": COUNT}),
                            },
                            "comments": COUNT,
                        }
                    ),
                },
                "not_taken_up": strict(
                    {
                        "themes": {"type": "array", "items": {"type": "integer"}},
                        "sections": {"type": "array", "items": STRING},
                        "comments": {"type": "array", "items": decision_count},
                    }
                ),
                "comment_decisions": {"type": "array", "items": decision_count},
                "links": strict({"html": URL, "pdf": URL, "decisions": URL}),
            }
        ),
        "SectionOutcome": strict(
            {
                "key": STRING,
                "number": STRING,
                "title": STRING,
                "comments": COUNT,
                "decision": nullable(decided),
            }
        ),
        "Results": {
            "type": "object",
            "description": "The open report as its JSON download writes it: `meta`, then"
            " every table as a list of records (small groups pooled into `other_groups`).",
            "required": ["meta", "participation"],
            "properties": {
                "meta": {
                    "type": "object",
                    "required": ["slug", "audience", "responses", "min_cell", "computed_at"],
                    "properties": {
                        "slug": STRING,
                        "audience": {"const": "open"},
                        "responses": {"type": "integer", "minimum": 0},
                        "min_cell": {"type": "integer", "minimum": 1},
                        "computed_at": MOMENT,
                        "language": {"enum": list(languages)},
                    },
                },
                "participation": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "object"}},
                },
            },
            "additionalProperties": {"type": "array", "items": {"type": "object"}},
        },
        "Problem": {
            "description": "RFC 9457 problem details; `messages` in each language of the site;"
            " `invalid_params` names each refused query parameter and what it accepts.",
            "type": "object",
            "required": ["type", "title", "status", "detail", "instance", "request_id"],
            "properties": {
                "type": STRING,
                "title": STRING,
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": STRING,
                "instance": STRING,
                "request_id": STRING,
                "messages": {
                    "type": "object",
                    "additionalProperties": strict({"title": STRING, "detail": STRING}),
                },
                "invalid_params": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "reason"],
                        "properties": {
                            "name": STRING,
                            "reason": STRING,
                            "allowed": {"type": "array", "items": STRING},
                            "minimum": {"type": "integer"},
                            "maximum": {"type": "integer"},
                        },
                        "additionalProperties": False,
                    },
                },
            },
        },
    }
