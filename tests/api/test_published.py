"""Results, comments, decisions and outcome: what the public pages publish, nothing more."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Response
from consult.models.vocab import Stage
from consult.reports.downloads import report_for
from consult.reports.filters import ReportFilters
from consult.reports.writers import to_json
from tests.outcome.outcome_data import (
    PENDING_TEXT,
    PRIVATE_TEXT,
    SECTION_REASON,
    TAXES,
    TEACHERS,
    TEACHERS_REASON,
)

from .conftest import API, problem

SLUG = f"{API}/enia-2021"


def test_results_are_a_404_problem_until_published_then_the_open_reports_figures(
    client, published, app
):
    enia = published.consultation
    enia.summary_published = False
    db.session.commit()
    problem(client.get(f"{SLUG}/results"), 404)
    enia.summary_published = True
    db.session.commit()
    document = client.get(f"{SLUG}/results").get_json()
    assert document["meta"]["audience"] == "open"
    assert document["meta"]["min_cell"] == app.config["REPORT_MIN_CELL"]
    # The same figures as the public results page's, and as the open JSON download's.
    page = client.get("/c/enia-2021/results?lang=en").get_data(as_text=True)
    assert f"<strong>{document['meta']['responses']}</strong> submitted responses" in page
    download = json.loads(to_json(report_for(enia, ReportFilters(), audience="open", min_cell=5)))
    for name in ("participation", "likert", "choices", "comments", "sections"):
        assert document[name] == download[name], name
    # Two public-sector respondents are fewer than K: pooled, never a row of their own.
    groups = {row["group"] for row in document["participation"]["group"]}
    assert "public_sector" not in groups and "other_groups" in groups
    english = client.get(f"{SLUG}/results?language=en").get_json()
    assert english["meta"]["language"] == "en" and document["meta"]["language"] == "es"
    assert english["participation"] == document["participation"]
    refused = problem(client.get(f"{SLUG}/results?language=fr"), 400)
    assert refused["invalid_params"][0] == {
        "name": "language",
        "reason": "One of the site's languages.",
        "allowed": ["es", "en"],
    }


def test_comments_are_the_published_ones_only_with_names_only_as_chosen(client, published):
    document = client.get(f"{SLUG}/comments?per_page=100").get_json()
    assert document["total"] == 14 == len(document["items"])
    text = json.dumps(document, ensure_ascii=False)
    assert PENDING_TEXT not in text and PRIVATE_TEXT not in text
    assert {c["author"] for c in document["items"]} == {None, "Rosa Quispe", "Ana Pública"}
    responses = db.session.scalars(sa.select(Response)).all()
    for response in responses:
        assert response.reference not in text and response.token_hash not in text
        assert response.organisation_name not in text
    # A pooled author's kind is never named.
    ana = [c for c in document["items"] if c["author"] == "Ana Pública"]
    assert {(c["stakeholder_type"], c["stakeholder_group"]) for c in ana} == {(None, "other_actor")}
    item = document["items"][0]
    assert list(item) == [
        "id", "section", "text", "contribution", "stakeholder_type", "stakeholder_group",
        "author", "published_at", "themes", "passage", "proposal",
    ]  # fmt: skip
    assert item["published_at"] is None or item["published_at"][-6:] == "-05:00"


def test_comments_page_through_to_the_last_and_no_further(client, published):
    first = client.get(f"{SLUG}/comments?per_page=5").get_json()
    assert (first["page"], first["pages"], first["total"]) == (1, 3, 14)
    assert first["links"]["prev"] is None
    last = client.get(first["links"]["last"]).get_json()
    assert len(last["items"]) == 4 and last["links"]["next"] is None
    second = client.get(first["links"]["next"]).get_json()
    seen = [c["id"] for page in (first, second, last) for c in page["items"]]
    assert len(set(seen)) == 14
    # A page after the last is not there (404); a malformed number is refused (400).
    beyond = problem(client.get(f"{SLUG}/comments?per_page=5&page=4"), 404)
    assert beyond["invalid_params"][0]["maximum"] == 3
    for query in ("page=0", "page=-1", "page=x", "per_page=0", "per_page=101", "page=99999999"):
        refused = problem(client.get(f"{SLUG}/comments?{query}"), 400)
        assert refused["invalid_params"][0]["name"] == query.split("=")[0]
    assert len(client.get(f"{SLUG}/comments?per_page=100").get_json()["items"]) == 14


def test_comments_filter_by_section_group_and_theme_and_refusals_list_the_allowed(
    client, published
):
    on_54 = client.get(f"{SLUG}/comments?section=5-4&per_page=100").get_json()
    assert {c["section"] for c in on_54["items"]} == {"5-4"} and on_54["total"] == 6
    academia = client.get(f"{SLUG}/comments?stakeholder_group=academia").get_json()
    assert academia["total"] == 6
    assert {c["stakeholder_group"] for c in academia["items"]} == {"academia"}
    # What the consultation does not have is not found; the refusal lists what it has.
    refused = problem(client.get(f"{SLUG}/comments?section=nope&stakeholder_group=nope"), 404)
    by_name = {p["name"]: p for p in refused["invalid_params"]}
    assert "5-4" in by_name["section"]["allowed"]
    assert "academia" in by_name["stakeholder_group"]["allowed"]
    # A group too small to be shown on its own is not offered.
    assert "public_sector" not in by_name["stakeholder_group"]["allowed"]
    teachers = published.teachers.id
    tagged = client.get(f"{SLUG}/comments?theme={teachers}&per_page=100").get_json()
    assert tagged["total"] == 8 and all(teachers in c["themes"] for c in tagged["items"])
    assert "theme=" in tagged["links"]["next" if tagged["pages"] > 1 else "self"]
    wrong = problem(client.get(f"{SLUG}/comments?theme=999999"), 404)
    assert sorted(wrong["invalid_params"][0]["allowed"]) == sorted(
        [str(published.teachers.id), str(published.taxes.id)]
    )


def test_themes_decisions_and_outcome_are_404_until_the_outcome_is_published(client, published):
    enia = published.consultation
    enia.stage = Stage.ANALYSIS
    db.session.commit()
    problem(client.get(f"{SLUG}/decisions"), 404)
    problem(client.get(f"{SLUG}/outcome"), 404)
    refused = problem(client.get(f"{SLUG}/comments?theme={published.teachers.id}"), 404)
    assert refused["invalid_params"][0]["allowed"] == []
    items = client.get(f"{SLUG}/comments?per_page=100").get_json()["items"]
    assert all(c["themes"] == [] for c in items)


def test_decisions_give_reasons_in_both_languages_and_counts_not_comments(client, published):
    document = client.get(f"{SLUG}/decisions").get_json()
    themes = {t["name"]: t for t in document["themes"]}
    assert set(themes) == {TEACHERS, TAXES}
    assert themes[TEACHERS]["decision"]["code"] == "accepted"
    assert themes[TEACHERS]["decision"]["reason"] == {
        "es": TEACHERS_REASON[0],
        "en": TEACHERS_REASON[1],
    }
    assert themes[TEACHERS]["decision"]["label"] == {"es": "Aceptado", "en": "Accepted"}
    (section,) = document["sections"]
    assert section["key"] == "5-4" and section["decision"]["reason"]["en"] == SECTION_REASON[1]
    # Per-comment decisions only as numbers, as the outcome page shows them.
    assert all(set(c) == {"decision", "applied", "own"} for c in document["comments"])
    assert "No." not in json.dumps(document)


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_outcome_is_the_outcome_pages_summary(client, published, language):
    document = client.get(f"{SLUG}/outcome?language={language}").get_json()
    assert document["language"] == language
    names = [t["name"] for t in document["themes"]]
    assert TEACHERS in names and TAXES in names
    teachers = next(t for t in document["themes"] if t["name"] == TEACHERS)
    assert teachers["decision"]["reason"] == TEACHERS_REASON[0 if language == "es" else 1]
    assert all(q["text"] != PRIVATE_TEXT for q in teachers["quotes"])
    assert document["not_taken_up"]["themes"] == [published.taxes.id]
    assert document["changes"][0]["section"] == "5-3"
    page = client.get(f"/c/enia-2021/outcome?lang={language}").get_data(as_text=True)
    assert TEACHERS_REASON[0 if language == "es" else 1] in page


def test_an_empty_filter_filters_nothing_and_a_malformed_theme_is_a_400(client, published):
    everything = client.get(f"{SLUG}/comments?per_page=100").get_json()
    blank = client.get(f"{SLUG}/comments?per_page=100&section=&stakeholder_group=&theme=")
    assert blank.get_json()["total"] == everything["total"] == 14
    for query in ("theme=0", "theme=x", "theme=-3"):
        refused = problem(client.get(f"{SLUG}/comments?{query}"), 400)
        assert refused["invalid_params"][0]["name"] == "theme"
