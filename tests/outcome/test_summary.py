"""The outcome's reading: themes with confirmed tags and published quotes only, decisions
with their reasons, the changes of the new version, what was not taken up; small counts
printed "<K"."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from consult.extensions import db
from consult.models import comment_theme
from consult.models.vocab import Decision
from consult.outcome.summary import DecisionCount, outcome_summary, published
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
    section,
)

SHOWN = {"academia", "civil_society"}


def test_small_counts_are_printed_below_k():
    assert published(0, 5) == 0
    assert published(1, 5) == "<5"
    assert published(4, 5) == "<5"
    assert published(5, 5) == 5


def test_themes_count_confirmed_tags_and_quote_only_published_comments(app, enia):
    build_outcome(enia)
    with force_locale("en"):
        summary = outcome_summary(enia, min_cell=5, shown_types=SHOWN)
    names = [t.name for t in summary.themes]
    assert names == [TEACHERS, TAXES]  # most comments first
    teachers, taxes = summary.themes
    # 6 academia + 2 public sector + the pending and the private comment: all counted.
    assert teachers.comments == 10
    assert taxes.comments == 6  # the suggested tag is not counted
    assert teachers.decision.decision is Decision.ACCEPTED
    assert teachers.decision.reason == TEACHERS_REASON[1]
    assert taxes.decision.reason == TAXES_REASON[1]
    quoted = " ".join(q.text for t in summary.themes for q in t.quotes)
    assert PENDING_TEXT not in quoted and PRIVATE_TEXT not in quoted
    assert all(len(t.quotes) <= 3 for t in summary.themes)
    # Quotes of as many kinds of respondent as there are: not only the first three.
    assert "Ana Pública" in [q.author for q in teachers.quotes]
    named = [q for q in taxes.quotes if q.author]
    assert [q.author for q in named] == ["Rosa Quispe"]
    assert all(q.author is None for q in taxes.quotes if q is not named[0])


def test_a_quote_names_only_a_stakeholder_type_shown_on_its_own(app, enia):
    build_outcome(enia)
    summary = outcome_summary(enia, min_cell=5, shown_types={"academia"})
    for theme in summary.themes:
        for quote in theme.quotes:
            assert quote.stakeholder_type in (None, "academia")
    taxes = next(t for t in summary.themes if t.name == TAXES)
    assert {q.stakeholder_type for q in taxes.quotes} == {None}


def test_decisions_changes_and_what_was_not_taken_up_in_each_language(app, enia):
    build_outcome(enia)
    for language, i in (("es", 0), ("en", 1)):
        with force_locale(language):
            summary = outcome_summary(enia, min_cell=5, shown_types=SHOWN)
        assert [(s.key, s.decision.decision) for s in summary.sections] == [
            ("5-4", Decision.NOT_ACCEPTED)
        ]
        assert summary.sections[0].decision.reason == SECTION_REASON[i]
        (change,) = summary.changes
        assert change.version == 2 and change.section.key == "5-3"
        assert change.explanation == EXPLANATION[i]
        assert [(t.name, t.comments) for t in change.themes] == [(TEACHERS, 10)]
        assert change.comments == "<5"  # two comments linked one by one
        left = summary.not_taken_up
        assert [t.name for t in left.themes] == [TAXES]
        assert [s.key for s in left.sections] == ["5-4"]
        # Three comments answered "not accepted" one by one (fewer than K); the other
        # three of the theme decided "outside the scope" take its decision; the theme
        # "Formación docente" (accepted) applies to its ten; section 5.4's decision to
        # none: its comments have their own or their theme's.
        assert summary.comment_decisions == [
            DecisionCount(Decision.ACCEPTED, 10, 0),
            DecisionCount(Decision.NOT_ACCEPTED, "<5", "<5"),
            DecisionCount(Decision.OUT_OF_SCOPE, "<5", 0),
        ]
        assert left.comments == summary.comment_decisions[1:]


def test_a_sections_summary_holds_that_section_only(app, enia):
    build_outcome(enia)
    with force_locale("es"):
        summary = outcome_summary(enia, section(enia, "5-4"), min_cell=5, shown_types=SHOWN)
    assert summary.section.key == "5-4"
    assert summary.section.decision.decision is Decision.NOT_ACCEPTED
    assert summary.comments == 6
    assert [t.name for t in summary.themes] == [TAXES]
    assert summary.changes == []
    assert [s.key for s in summary.sections] == ["5-4"]
    other = outcome_summary(enia, section(enia, "5-3"), min_cell=5, shown_types=SHOWN)
    assert [t.name for t in other.themes] == [TEACHERS]
    assert other.sections == [] and len(other.changes) == 1
    assert other.not_taken_up.comments == []
    assert other.comment_decisions == [DecisionCount(Decision.ACCEPTED, 10, 0)]


def test_a_sections_decision_applies_to_comments_without_their_own_or_a_themes(app, enia):
    outcome = build_outcome(enia)
    # Untagged from their theme, the three civil-society comments with no decision of
    # their own take section 5.4's ("not accepted"): six in all, three one by one.
    db.session.execute(sa.delete(comment_theme).where(comment_theme.c.theme_id == outcome.taxes.id))
    db.session.commit()
    summary = outcome_summary(enia, section(enia, "5-4"), min_cell=5)
    assert summary.comment_decisions == [DecisionCount(Decision.NOT_ACCEPTED, 6, "<5")]


def test_nothing_decided_yet_reads_as_empty(app, enia):
    summary = outcome_summary(enia, min_cell=5)
    assert summary.themes == [] and summary.changes == [] and summary.sections == []
    assert not summary.not_taken_up and summary.comments == 0
