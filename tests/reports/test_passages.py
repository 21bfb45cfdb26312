"""Comments on passages of a section's text, counted per passage by stakeholder group.

Respondents of three groups comment on two passages of ENIA section 5.3 and on a
passage its text no longer has; others comment on the section as a whole, were flagged
as spam, or withdrew. Every output counts the passages as the per-section table counts
comments; the open ones print a passage only with K commenters, its small groups pooled.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from consult.content.passages import passages
from consult.extensions import db
from consult.models import Comment, Consultation, Section
from consult.models.columns import utcnow
from consult.models.vocab import ModerationState, RejectionReason
from consult.reports.filters import ReportFilters
from consult.reports.frames import build_report
from consult.reports.passage_tables import passage_table
from consult.reports.passages import EARLIER, current_passages, opening
from consult.reports.privacy import open_report
from consult.reports.writers import to_csv_zip, to_json, to_pdf, to_xlsx
from tests.factories import build_response

from .disclosure import audit
from .test_views import page, tables_of
from .test_writers import csv_records, pdf_text, read_zip

K = 5
STALE = "p-0badf00d"
STALE_TEXT = "Un párrafo que la versión anterior tenía y la actual ya no"


def section_passages(consultation: Consultation) -> list:
    section = db.session.scalar(
        sa.select(Section).where(Section.consultation_id == consultation.id, Section.key == "5-3")
    )
    return [spanish for spanish, _english in current_passages(section).values()]


def on(passage, text: str = "Comentario sobre el párrafo", proposal: str | None = None) -> dict:
    return {
        "section": "5-3",
        "anchor": passage.anchor,
        "passage_text": passage.text,
        "text": text,
        "proposal": proposal,
    }


@pytest.fixture
def commented(enia):
    """First passage: academia ×4 (two propose wording), business ×2, citizens ×1 (7);
    second passage: academia ×1; a passage no longer in the text: citizens ×1. Also a
    section-wide comment, a flagged response and a withdrawn one on the first passage."""
    first, second = section_passages(enia)[:2]
    start = utcnow() - timedelta(days=1)
    people = [
        ("academia", [on(first, proposal="Nueva redacción"), on(second)]),
        ("academia", [on(first, proposal="Otra redacción"), ("5-3", "Sobre toda la sección")]),
        ("academia", [on(first)]),
        ("academia", [on(first, text="")]),
        ("company", [on(first)]),
        ("company", [on(first)]),
        (
            "individual",
            [
                on(first),
                {"section": "5-3", "anchor": STALE, "passage_text": STALE_TEXT, "text": "Antes"},
            ],
        ),
    ]
    for n, (kind, comments) in enumerate(people):
        individual = kind == "individual"
        build_response(
            enia,
            comments,
            stakeholder_type=kind,
            responding_as="individual" if individual else "organisation",
            submitted_at=start + timedelta(minutes=n),
        )
    spam = {**on(first), "moderation": ModerationState.REJECTED,
            "rejection_reason": RejectionReason.SPAM}  # fmt: skip
    build_response(enia, [spam], stakeholder_type="academia", submitted_at=start)
    build_response(enia, [on(first)], stakeholder_type="academia", status="withdrawn",
                   submitted_at=start)  # fmt: skip
    db.session.commit()
    return first, second


def counts(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (anchor, group): (n, proposals)
        for anchor, group, n, proposals in frame[["anchor", "group", "n", "proposals"]].values
    }


def test_counts_per_passage_by_group(enia, commented):
    first, second = commented
    frame = build_report(enia).passages
    assert counts(frame) == {
        (first.anchor, "all"): (7, 2),
        (first.anchor, "academia"): (4, 2),
        (first.anchor, "business"): (2, 0),
        (first.anchor, "citizens"): (1, 0),
        (second.anchor, "all"): (1, 0),
        (second.anchor, "academia"): (1, 0),
        (STALE, "all"): (1, 0),
        (STALE, "citizens"): (1, 0),
    }
    described = frame.drop_duplicates("anchor").set_index("anchor")
    assert list(described.index) == [first.anchor, second.anchor, STALE]  # as the text reads
    assert described.loc[first.anchor, "number"] == first.number
    assert described.loc[first.anchor, "kind"] == first.kind
    assert described.loc[first.anchor, "words_es"] == opening(first.text)
    assert described.loc[first.anchor, "words_en"]  # the English text's twin
    assert described.loc[STALE, "kind"] == EARLIER
    assert pd.isna(described.loc[STALE, "number"])
    assert described.loc[STALE, "words_es"] == opening(STALE_TEXT)


def test_the_per_section_table_still_counts_every_comment(enia, commented):
    comments = build_report(enia).comments
    overall = comments[(comments["section"] == "5-3") & (comments["group"] == "all")]
    assert overall["n"].sum() == 7 + 1 + 1 + 1  # passages and the section-wide comment


def test_filters_apply(enia, commented):
    first, _second = commented
    academia = build_report(enia, ReportFilters(stakeholder_types=("academia",))).passages
    assert counts(academia)[first.anchor, "all"] == (4, 2)
    assert STALE not in set(academia["anchor"])
    published = build_report(enia, ReportFilters(moderation=ModerationState.PUBLISHED))
    assert published.passages.empty
    flagged = build_report(enia, ReportFilters(include_flagged=True)).passages
    assert counts(flagged)[first.anchor, "all"] == (8, 2)  # the spam one; never the withdrawn


def test_breakdown_by_another_field(enia, commented):
    first, _second = commented
    frame = build_report(enia, ReportFilters(by="responding_as")).passages
    assert counts(frame)[first.anchor, "organisation"] == (6, 2)
    assert counts(frame)[first.anchor, "individual"] == (1, 0)


def test_open_report_shows_only_passages_of_k_commenters_with_small_groups_pooled(enia, commented):
    first, _second = commented
    opened = open_report(build_report(enia, audience="open"), K)
    assert set(opened.passages["anchor"]) == {first.anchor}
    figures = counts(opened.passages)
    assert figures[first.anchor, "all"] == (7, 2)
    # Business (2) and citizens (1) pool to 3, so academia (4) joins them: all are pooled,
    # and the overall row says it.
    assert {group for _anchor, group in figures} == {"all"}
    assert opened.passages["words_es"].notna().all()


def test_open_outputs_pass_the_disclosure_audit(app, enia, commented):
    report = build_report(enia, audience="open")
    document = json.loads(to_json(open_report(report, K)))
    truth = json.loads(to_json(open_report(report, 1)))
    assert document["passages"]
    assert audit(document, truth=truth) == []


def test_the_per_section_table_pools_by_commenters_not_comments(enia, commented):
    """Two more business respondents comment on two passages of 5.3 and on the section:
    with the first two, eight comments but four people, so business is never a row of its
    own there, though shown in participation (six, with two who do not comment; every
    group has five more who do not, so no total pins anyone)."""
    both = section_passages(enia)[:2]
    start = utcnow() - timedelta(hours=2)
    for n in range(2):
        comments = [*(on(p) for p in both), ("5-3", "Sobre la sección")]
        moment = start + timedelta(minutes=n)
        build_response(enia, comments, stakeholder_type="company", submitted_at=moment)
        build_response(enia, [], stakeholder_type="company", submitted_at=moment)
    for _n in range(5):
        for kind in ("academia", "individual"):
            build_response(enia, [], stakeholder_type=kind, submitted_at=start)
    db.session.commit()
    confidential = build_report(enia).comments
    in_section = confidential[confidential["section"] == "5-3"]
    business = in_section[in_section["group"] == "business"]
    assert business["n"].sum() == 2 + 6 and set(business["respondents"]) == {4}
    report = build_report(enia, audience="open")
    opened = open_report(report, K)
    assert "business" in set(opened.participation["group"]["group"])  # six of them there
    assert "business" not in set(opened.comments[opened.comments["section"] == "5-3"]["group"])
    document = json.loads(to_json(opened))
    assert audit(document, truth=json.loads(to_json(open_report(report, 1)))) == []


def test_every_download_carries_the_table(app, enia, commented):
    first, _second = commented
    report = build_report(enia)
    with force_locale("en"):
        files = read_zip(to_csv_zip(report))
        rows = csv_records(files["passages.csv"])
        assert list(rows[0])[:6] == ["section", "number", "kind", "anchor", "words_es", "words_en"]
        overall = next(r for r in rows if r["anchor"] == first.anchor and r["group"] == "all")
        assert (overall["n"], overall["proposals"]) == ("7", "2")
        document = json.loads(to_json(report))
        assert {r["anchor"] for r in document["passages"]} == {first.anchor, STALE} | {
            r["anchor"] for r in document["passages"]
        }
        sheet = pd.read_excel(io.BytesIO(to_xlsx(report)), sheet_name="Comments on passages")
        assert {"Anchor", "Proposing wording", "Opening words (English)"} <= set(sheet.columns)
        assert "Earlier text" in set(sheet["Passage"]) or "earlier text" in set(sheet["Passage"])
        text = pdf_text(to_pdf(report))
        assert "Comments on passages" in text
        assert f"paragraph {first.number}" in text or f"line {first.number}" in text


def test_web_table_by_group_with_totals(app, enia, commented):
    first, _second = commented
    with app.test_request_context("/?lang=en"), force_locale("en"):
        table = passage_table(build_report(enia))
    assert table.columns[:4] == ["Section", "Passage", "Opening words", "Anchor"]
    assert table.columns[-2:] == ["Total", "Proposing wording"]
    label, values = table.rows[0]
    assert label == "5.3"
    assert values[2] == first.anchor
    by_column = dict(zip(table.columns[1:], values, strict=True))
    assert (by_column["Academia"], by_column["Business"], by_column["Citizens"]) == (4, 2, 1)
    assert (by_column["Total"], by_column["Proposing wording"]) == (7, 2)
    assert table.rows[-1][1][0] == "earlier text"


def test_the_coordinators_page_shows_the_table(coordinator_client, enia, commented):
    first, _second = commented
    body = page(coordinator_client, "/console/c/enia-2021/report/?lang=en")
    table = tables_of(body)["passages-table"]
    section = db.session.scalar(sa.select(Section).where(Section.key == "5-3"))
    english = passages(section.body_md_en, section.body_md_es)[first.number - 1]
    assert english.anchor == first.anchor
    label = "paragraph" if first.kind == "paragraph" else "line"
    assert table[1][:4] == ["5.3", f"{label} {first.number}", opening(english.text), first.anchor]
    assert "on the section and its passages" in body


def test_the_public_results_page_obeys_k(client, enia, commented):
    first, _second = commented
    enia.summary_published = True
    db.session.commit()
    body = client.get("/c/enia-2021/results?lang=en").get_data(as_text=True)
    table = tables_of(body)["passages-table"]
    assert [r[3] for r in table[1:]] == [first.anchor]
    assert table[0][-2:] == ["Total", "Proposing wording"]
    assert table[1][-2:] == ["7", "2"]
    assert "Academia" not in table[0]  # totals only, as the per-section counts there


def test_stale_comment_rows_are_not_the_section_wide_ones(enia, commented):
    assert db.session.scalar(sa.select(sa.func.count()).where(Comment.anchor == "")) == 1
