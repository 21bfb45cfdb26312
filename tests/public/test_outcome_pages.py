"""The outcome pages, "You said, we did": hidden until the outcome is published (but to
coordinators, as a private preview), then the same page for everyone; figures by the
open-report rules and quotes only of published comments, as their authors chose."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from consult.extensions import db
from consult.models import Comment, DraftChange, DraftVersion, OutcomeDecision, Theme
from consult.models.vocab import ModerationState, Stage
from consult.outcome.versions import load_new_version
from consult.public.cache import forget_all
from tests.conftest import statements
from tests.factories import build_response
from tests.outcome.outcome_data import (
    EXPLANATION,
    PENDING_TEXT,
    PRIVATE_TEXT,
    SECTION_REASON,
    TAXES,
    TAXES_REASON,
    TEACHERS,
    TEACHERS_REASON,
    build_outcome,
)

OUTCOME = "/c/enia-2021/outcome"
SECTION_OUTCOME = "/c/enia-2021/s/5-4/outcome"
PDF = "/c/enia-2021/outcome.pdf"
URLS = (OUTCOME, SECTION_OUTCOME, "/c/enia-2021/s/5-3/outcome", PDF)
PUBLISHED = {"moderation": ModerationState.PUBLISHED}
V2 = Path(__file__).resolve().parents[1] / "bundles" / "enia-2021-v2"


def read(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, (url, reply.status_code)
    return reply.get_data(as_text=True)


def private(reply) -> bool:
    return {"no-store", "private"} <= {
        d.strip() for d in reply.headers.get("Cache-Control", "").split(",")
    }


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("stage", [Stage.RUNNING, Stage.ANALYSIS, Stage.PREPARATION])
def test_not_found_before_the_outcome_is_published(client, enia, stage):
    build_outcome(enia, stage=stage)
    for url in URLS:
        assert client.get(url).status_code == 404, url
    if stage is not Stage.PREPARATION:
        assert "/outcome" not in read(client, "/c/enia-2021/")
        assert "/outcome" not in read(client, "/c/enia-2021/s/5-3")


@pytest.mark.parametrize(
    ("stage", "notice"),
    [
        (Stage.ANALYSIS, "Preview: the outcome is not published yet."),
        (Stage.PREPARATION, "Preview: not public yet."),
    ],
)
def test_coordinators_preview_it_privately_before(coordinator_client, enia, stage, notice):
    build_outcome(enia, stage=stage)
    coordinator_client.get("/?lang=en")
    for url in URLS:
        reply = coordinator_client.get(url)
        assert reply.status_code == 200, url
        assert private(reply), url
    page = read(coordinator_client, OUTCOME)
    assert page.count("Preview:") == 1 and notice in page
    assert TEACHERS in page


def test_published_it_is_the_same_page_for_everyone_and_linked(client, enia):
    build_outcome(enia)
    for url in URLS:
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert not private(reply), url
    assert 'href="/c/enia-2021/outcome"' in read(client, "/c/enia-2021/")
    assert 'href="/c/enia-2021/s/5-3/outcome"' in read(client, "/c/enia-2021/s/5-3")
    enia.summary_published = True
    db.session.commit()
    assert 'href="/c/enia-2021/outcome"' in read(client, "/c/enia-2021/results")


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_page_says_what_was_said_decided_and_changed(client, enia, language):
    build_outcome(enia)
    client.get(f"/?lang={language}")
    i = 0 if language == "es" else 1
    page = read(client, OUTCOME)
    for text in (TEACHERS, TAXES, TEACHERS_REASON[i], TAXES_REASON[i], SECTION_REASON[i]):
        assert text in page
    assert EXPLANATION[i] in page
    words = {
        "es": ("Lo que dijo, lo que hicimos", "Fuera del alcance", "Aceptado"),
        "en": ("You said, we did", "Outside the scope", "Accepted"),
    }[language]
    if language == "en":  # the Spanish catalog is compiled by the lead
        for word in words:
            assert word in page
    assert "Rosa Quispe" in page
    section_page = read(client, SECTION_OUTCOME)
    assert TAXES in section_page and SECTION_REASON[i] in section_page
    assert TEACHERS not in section_page


def test_only_published_comments_are_quoted(client, enia):
    build_outcome(enia)
    for url in URLS[:3]:
        page = read(client, url)
        assert PENDING_TEXT not in page and PRIVATE_TEXT not in page
    assert "dice la academia 0" in read(client, OUTCOME)


def test_a_group_under_k_is_pooled_and_never_named(client, enia):
    build_outcome(enia)
    client.get("/?lang=en")
    page = read(client, OUTCOME)
    assert "Public sector" not in page  # 2 respondents: pooled into "Other groups"
    assert "Other groups" in page
    assert "Academia" in page and "Civil society" in page
    # Their published comments are quoted under the name they gave, with no group.
    assert "Ana Pública" in page
    # The three comments answered "not accepted" one by one: fewer than K.
    assert "&lt;5" in page


def test_the_final_report_downloads_in_the_readers_language(client, enia):
    build_outcome(enia)
    for language, i in (("es", 0), ("en", 1)):
        client.get(f"/?lang={language}")
        reply = client.get(PDF)
        assert reply.status_code == 200
        assert reply.mimetype == "application/pdf"
        disposition = reply.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and ".pdf" in disposition
        text = " ".join(pdf_text(reply.data).split())
        for expected in (TEACHERS, TAXES, TEACHERS_REASON[i], TAXES_REASON[i], EXPLANATION[i]):
            assert expected in text, (language, expected)
        if language == "en":
            assert "Consultation report" in text and "Outside the scope" in text
        assert PENDING_TEXT not in text and PRIVATE_TEXT not in text
    assert "consultation-report" in reply.headers["Content-Disposition"]


def test_words_people_and_coordinators_wrote_are_shown_as_typed(client, enia):
    outcome = build_outcome(enia)
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    outcome.teachers.name = f"Tema {payload}"
    decision = db.session.scalars(
        sa.select(OutcomeDecision).filter_by(theme_id=outcome.teachers.id)
    ).one()
    decision.reason_es = f"Razón {payload}"
    db.session.execute(sa.update(DraftChange).values(explanation_es=f"Cambio {payload}"))
    db.session.execute(
        sa.update(Comment)
        .where(Comment.text.like("Hace falta formar%"))
        .values(text=Comment.text + payload)
    )
    db.session.commit()
    page = read(client, OUTCOME)
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("&lt;script&gt;") >= 4  # theme, reason, change, quote


def test_an_outcome_with_nothing_to_tell_reads_well(client, enia):
    enia.stage = Stage.OUTCOME
    db.session.commit()
    client.get("/?lang=en")
    page = read(client, OUTCOME)
    assert "No comment has been tagged with a theme." in page
    assert "No change to the draft has been published." in page
    assert "Nothing was recorded as not accepted or outside the scope." in page
    assert read(client, "/c/enia-2021/s/5-3/outcome")
    assert client.get(PDF).status_code == 200
    assert client.get("/c/enia-2021/s/no-such-section/outcome").status_code == 404


def test_the_pages_queries_do_not_grow_with_themes_comments_or_changes(app, client, enia):
    """Built afresh each time (nothing kept), the page runs as many statements with two
    themes as with eight, and with two changes as with three."""
    app.config.update(PUBLIC_CACHE_SECONDS=0, REPORT_PUBLIC_CACHE_SECONDS=0)
    build_outcome(enia)
    sections = {s.key: s for s in enia.sections}
    version = db.session.scalars(sa.select(DraftVersion).filter_by(number=2)).one()
    db.session.add(
        DraftChange(version_id=version.id, section_id=sections["5-4"].id, explanation_es="X")
    )
    db.session.commit()

    def count(url: str) -> int:
        read(client, url)  # the first visit sets up the session and the language
        with statements() as seen:
            read(client, url)
        return len(seen)

    before = {url: count(url) for url in (OUTCOME, SECTION_OUTCOME)}
    themes = []
    for n in range(6):
        responses = [
            build_response(enia, [{"section": "5-4", "text": f"Más {n}-{m}", **PUBLISHED}])
            for m in range(3)
        ]
        db.session.flush()
        theme = Theme(consultation_id=enia.id, name=f"Tema {n}")
        db.session.add(theme)
        db.session.flush()
        for response in responses:
            response.comments[0].themes.append(theme)
        db.session.add(
            OutcomeDecision(theme_id=theme.id, decision="partly", reason_es="R", reason_en="R")
        )
        themes.append(theme)
    change = DraftChange(version_id=version.id, section_id=sections["5-10"].id)
    change.themes.extend(themes)
    db.session.add(change)
    db.session.commit()
    after = {url: count(url) for url in (OUTCOME, SECTION_OUTCOME)}
    assert after == before


def test_comments_linked_to_a_change_count_only_those_a_report_counts(client, enia):
    """Four counted comments and a withdrawn response's: "fewer than K", not K."""
    load_new_version(V2)
    build_outcome(enia, versions=False)
    more = [
        build_response(enia, [{"section": "5-3", "text": f"Otro {n}.", **PUBLISHED}])
        for n in range(2)
    ]
    withdrawn = build_response(
        enia, [{"section": "5-3", "text": "Retirado.", **PUBLISHED}], status="withdrawn"
    )
    db.session.flush()
    change = db.session.scalar(sa.select(DraftChange))
    assert len(change.comments) == 2
    change.comments.extend(r.comments[0] for r in [*more, withdrawn])
    db.session.commit()
    forget_all()
    client.get("/?lang=en")
    assert "Comments linked to this change: &lt;5" in read(client, OUTCOME)
    assert "Comments it answers one by one: fewer than 5." in read(
        client, "/c/enia-2021/s/5-3/changes"
    )
