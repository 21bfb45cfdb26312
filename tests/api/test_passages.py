"""Published comments on passages: each names its passage and the wording its author
proposed, and a client can ask for one passage's comments; unpublished ones never show."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.api.schemas import PASSAGE_ANCHOR
from consult.content.passages import ANCHOR, passages
from consult.extensions import db
from consult.models import Section
from consult.models.columns import utcnow
from consult.models.vocab import ModerationState
from tests.factories import build_response

from .conftest import API, problem

SLUG = f"{API}/enia-2021"
HIDDEN_PROPOSAL = "Redacción propuesta que nadie ha moderado"
STALE = "p-0badf00d"


@pytest.fixture
def on_passages(published):
    """A published comment with a proposal on a passage of 5.3, a published one on a
    passage the text no longer has, and a pending one with a proposal."""
    section = db.session.scalar(sa.select(Section).where(Section.key == "5-3"))
    first = passages(section.body_md_es)[1]
    now = utcnow()
    shown = {"moderation": ModerationState.PUBLISHED, "moderated_at": now}
    build_response(
        published.consultation,
        [
            {
                "section": "5-3",
                "anchor": first.anchor,
                "passage_text": first.text,
                "text": "Falta el presupuesto",
                "proposal": "Con presupuesto asignado",
                **shown,
            },
            {
                "section": "5-3",
                "anchor": STALE,
                "passage_text": "Un texto de antes",
                "text": "Sobre el texto anterior",
                **shown,
            },
        ],  # fmt: skip
        submitted_at=now - timedelta(hours=1),
    )
    build_response(
        published.consultation,
        [
            {
                "section": "5-3",
                "anchor": first.anchor,
                "passage_text": first.text,
                "text": "Pendiente",
                "proposal": HIDDEN_PROPOSAL,
            }
        ],  # fmt: skip
        submitted_at=now - timedelta(hours=1),
    )
    db.session.commit()
    return first


def test_a_published_comment_names_its_passage_and_proposal(client, on_passages):
    first = on_passages
    document = client.get(f"{SLUG}/comments?per_page=100").get_json()
    assert HIDDEN_PROPOSAL not in json.dumps(document, ensure_ascii=False)
    on_first = [
        c for c in document["items"] if c["passage"] and c["passage"]["anchor"] == first.anchor
    ]
    assert len(on_first) == 1
    assert on_first[0]["passage"] == {
        "anchor": first.anchor,
        "number": first.number,
        "kind": first.kind,
        "text": first.text,
    }
    assert on_first[0]["proposal"] == "Con presupuesto asignado"
    stale = next(c for c in document["items"] if c["passage"] and c["passage"]["anchor"] == STALE)
    assert stale["passage"] == {"anchor": STALE, "number": None, "kind": None,
                                "text": "Un texto de antes"}  # fmt: skip
    section_wide = [c for c in document["items"] if c["passage"] is None]
    assert section_wide and all(c["proposal"] is None for c in section_wide)


def test_comments_filter_by_anchor(client, on_passages):
    first = on_passages
    document = client.get(f"{SLUG}/comments?anchor={first.anchor}").get_json()
    assert document["total"] == 1
    assert [c["passage"]["anchor"] for c in document["items"]] == [first.anchor]
    assert f"anchor={first.anchor}" in document["links"]["self"]
    assert client.get(f"{SLUG}/comments?anchor={STALE}").get_json()["total"] == 1
    assert client.get(f"{SLUG}/comments?anchor=p-12345678").get_json()["total"] == 0
    refused = problem(client.get(f"{SLUG}/comments?anchor=paragraph-3"), 400)
    assert refused["invalid_params"][0]["name"] == "anchor"


def test_the_openapi_document_names_the_filter_and_the_fields(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/consultations/{slug}/comments"]["get"]
    assert {"$ref": "#/components/parameters/anchor"} in operation["parameters"]
    assert document["components"]["parameters"]["anchor"]["name"] == "anchor"
    comment = document["components"]["schemas"]["Comment"]["properties"]
    assert {"passage", "proposal"} <= set(comment)


def test_the_anchor_pattern_is_the_passages_own():
    assert ANCHOR.pattern == PASSAGE_ANCHOR
