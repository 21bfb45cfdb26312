"""``consult demo``: a separate demo consultation with invented responses a newcomer can
look at, shaped like a real consultation's, and never a real consultation touched."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.demo import people
from consult.demo.plan import plan_demo
from consult.demo.shape import shape_of
from consult.extensions import db
from consult.insight.copies import find_copies
from consult.models import (
    Comment,
    Consultation,
    OutcomeDecision,
    Response,
    Theme,
    comment_theme,
)
from consult.models.vocab import ModerationState, ResponseStatus
from consult.systematising.copies import comments_frame
from tests.test_cli import content_rows, run

SLUG = "enia-2021-demo"
N = 100


def demo(app, *args: str):
    result = run(app, "demo", "--responses", str(N), *args)
    db.session.expire_all()
    return result


def the_demo() -> Consultation:
    return db.session.scalar(sa.select(Consultation).filter_by(slug=SLUG))


def responses(consultation: Consultation, status=ResponseStatus.SUBMITTED) -> list[Response]:
    return list(
        db.session.scalars(
            sa.select(Response).filter_by(consultation_id=consultation.id, status=status)
        )
    )


def comments(consultation: Consultation) -> list[Comment]:
    return list(
        db.session.scalars(
            sa.select(Comment).join(Response).where(Response.consultation_id == consultation.id)
        )
    )


def test_creates_a_separate_open_demo_with_n_submitted_responses(app, enia):
    result = demo(app)
    assert result.exit_code == 0, result.output
    assert "demo consultation created" in result.output
    consultation = the_demo()
    assert consultation.is_demo and consultation.summary_published and consultation.is_open
    assert consultation.title_es.endswith("(demostración)")
    assert [s.key for s in consultation.sections] == [s.key for s in enia.sections]
    assert len(responses(consultation)) == N
    assert responses(consultation, ResponseStatus.DRAFT)
    assert responses(consultation, ResponseStatus.WITHDRAWN)
    # The real consultation gets nothing and stays real.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response).filter_by(
        consultation_id=enia.id)) == 0  # fmt: skip
    assert not enia.is_demo


def test_the_mix_is_skewed_like_a_real_consultation(app, enia):
    demo(app, "--responses", "400")  # the last --responses wins: more people, steadier shares
    sent = responses(the_demo())
    assert len(sent) == 400
    kinds = Counter(r.stakeholder_type for r in sent)
    assert kinds["individual"] / 400 == pytest.approx(0.40, abs=0.03)
    assert kinds["academia"] / 400 == pytest.approx(0.22, abs=0.03)
    assert kinds["public_sector"] / 400 <= 0.06 and kinds["international_org"] <= 8
    regions = Counter(r.region for r in sent)
    assert regions["lima_metropolitana"] / 400 > 0.4  # far above its census share (29 %)
    assert regions["lima_metropolitana"] > 4 * max(
        n for r, n in regions.items() if r != "lima_metropolitana"
    )
    assert {"huancavelica", "madre_de_dios", "pasco"}.isdisjoint(regions)  # fmt: skip
    assert 10 <= len(regions) <= 24
    individuals = [r for r in sent if r.responding_as.value == "individual"]
    organisations = [r for r in sent if r.responding_as.value == "organisation"]
    assert organisations and all(r.organisation_name for r in organisations)
    assert any(r.gender is None for r in individuals) and any(r.gender for r in individuals)
    assert any(r.age_band is None for r in individuals) and any(r.age_band for r in individuals)
    channels = Counter(r.channel.value for r in sent)
    assert channels["online"] > 0.75 * 400 and channels["paper"] > 0
    assert {r.publication.value for r in sent} == {"named", "anonymous", "private"}
    emails = [r.email for r in sent if r.email]
    assert emails and all(e.endswith(("@example.org", ".invalid")) for e in emails)
    assert all(r.display_name for r in sent if r.publication.value == "named")


def test_comments_in_every_moderation_state_with_themes_and_decisions(app, enia):
    demo(app)
    consultation = the_demo()
    found = comments(consultation)
    states = Counter(c.moderation for c in found)
    assert set(states) == set(ModerationState)
    assert states[ModerationState.PUBLISHED] > states[ModerationState.REJECTED]
    reasons = {c.rejection_reason.value for c in found if c.rejection_reason}
    assert {"spam", "off_topic"} <= reasons and len(reasons) >= 3
    assert any(c.redacted_text and c.moderation is ModerationState.PUBLISHED for c in found)
    assert any(c.decision and c.decision_reason for c in found)
    themes = db.session.scalars(sa.select(Theme).filter_by(consultation_id=consultation.id)).all()
    assert len(themes) >= 3
    tags = db.session.execute(sa.select(comment_theme.c.suggested)).scalars().all()
    assert tags and not any(tags)  # confirmed by a person, not suggestions
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutcomeDecision)) >= 1


def test_the_campaign_is_one_cluster_of_the_copy_finder(app, enia):
    demo(app)
    consultation = the_demo()
    frame = comments_frame(consultation.id)
    campaign = {c.id for c in comments(consultation) if "capital de provincia" in c.text}
    assert len(campaign) >= 6
    clusters = find_copies(frame[["id", "text"]])
    assert set(clusters[0].members) == campaign
    ordinary = [c for c in clusters[1:] if not set(c.members) & campaign]
    flagged = sum(c.size for c in ordinary)
    assert flagged < 0.2 * len(frame)  # ordinary comments are mostly each their own


def test_rerunning_replaces_rather_than_doubles(app, enia):
    demo(app)
    first = the_demo()
    themes = db.session.scalar(sa.select(sa.func.count()).select_from(Theme))
    result = demo(app)
    assert result.exit_code == 0, result.output
    assert "were replaced" in result.output
    again = the_demo()
    assert again.id == first.id
    assert len(responses(again)) == N
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Theme)) == themes


def test_refuses_a_consultation_that_is_not_a_demo(app, enia):
    before = content_rows()
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    result = demo(app, "--slug", "enia-2021")
    assert result.exit_code == 2
    assert "not a demo" in result.output and "Nothing was written" in result.output
    assert content_rows() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == counted


def test_a_demo_on_a_new_database_leaves_the_draft_to_init(app):
    """A newcomer may run the demo before the first ``consult init``: init still loads
    the bundled draft, and the draft's own slug is never a demo's."""
    refused = demo(app, "--slug", app.config["DEFAULT_BUNDLE"])
    assert refused.exit_code == 2 and "bundled draft" in refused.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0
    assert demo(app).exit_code == 0
    loaded = run(app, "init")
    assert loaded.exit_code == 0, loaded.output
    db.session.expire_all()
    found = {c.slug: c.is_demo for c in db.session.scalars(sa.select(Consultation))}
    assert found == {SLUG: True, app.config["DEFAULT_BUNDLE"]: False}


def test_the_same_seed_gives_the_same_demo(app, enia):
    def snapshot():
        consultation = the_demo()
        people = sorted(
            (r.stakeholder_type, r.region or "", r.publication.value)
            for r in responses(consultation)
        )
        return people, sorted(c.text for c in comments(consultation))

    demo(app, "--seed", "7")
    first = snapshot()
    demo(app, "--seed", "7")
    assert snapshot() == first
    demo(app, "--seed", "8")
    assert snapshot() != first


def test_the_plan_alone_is_pure(app, enia):
    shape = shape_of(enia)
    now = shape.opens + timedelta(days=20)  # the ENIA fixture opens when the test runs
    one, two = plan_demo(shape, 50, 3, now), plan_demo(shape, 50, 3, now)
    assert [c.text for c in one.comments()] == [c.text for c in two.comments()]
    assert [r.person.submitted_at for r in one.responses] == [
        r.person.submitted_at for r in two.responses
    ]
    assert all(shape.opens <= r.person.submitted_at < now for r in one.responses)


def test_every_response_falls_within_even_a_short_window(app, enia):
    """A window of minutes (the curve's hours fall mostly outside it) or none at all."""
    shape = shape_of(enia)
    soon = shape.opens + timedelta(minutes=10)
    times = people.moments(random.Random(1), shape, 200, soon)
    assert len(times) == 200 and all(shape.opens <= t < soon for t in times)
    with pytest.raises(ValueError):
        people.moments(random.Random(1), shape, 5, shape.opens)


def test_open_report_json_and_pdf_say_demo(app, enia, tmp_path):
    from pypdf import PdfReader

    demo(app)
    out = tmp_path / "open.json"
    result = run(
        app, "report", "--consultation", SLUG, "--format", "json", "--open", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    meta = json.loads(out.read_text())["meta"]
    assert meta["demo"] is True
    assert meta["demo_note"] == "Consulta de demostración: las respuestas son inventadas"
    run(
        app,
        "report",
        "--consultation",
        "enia-2021",
        "--format",
        "json",
        "--open",
        "--out",
        str(out),
    )
    assert json.loads(out.read_text())["meta"]["demo"] is False
    pdf = tmp_path / "open.pdf"
    run(
        app,
        "report",
        "--consultation",
        SLUG,
        "--format",
        "pdf",
        "--open",
        "--lang",
        "en",
        "--out",
        str(pdf),
    )
    text = " ".join((p.extract_text() or "") for p in PdfReader(pdf).pages[:1])
    assert "Demonstration consultation: the responses are invented" in " ".join(text.split())
