"""What anyone may read of a consultation: published comments across it (filters, pages,
pooled kinds), themes and decisions only once the outcome is published, counts below K
printed "<K"."""

from __future__ import annotations

import dataclasses

import pytest

from consult.extensions import db
from consult.models.vocab import Decision, Stage
from consult.published import (
    FilterRefused,
    all_published_comments,
    open_figures,
    public_decisions,
    public_themes,
    published_comments,
    results_public,
)
from tests.outcome.outcome_data import (
    PENDING_TEXT,
    PRIVATE_TEXT,
    SECTION_REASON,
    TAXES,
    TAXES_REASON,
    TEACHERS,
    TEACHERS_REASON,
    build_outcome,
)


def test_published_comments_are_those_the_section_pages_show_across_the_consultation(app, enia):
    build_outcome(enia)
    page = published_comments(enia, per_page=100)
    texts = [c.text for c in page.items]
    assert page.total == 14 == len(texts)  # 6 academia + 6 civil society + 2 public sector
    assert PENDING_TEXT not in texts and PRIVATE_TEXT not in texts
    assert {c.section for c in page.items} == {"5-3", "5-4"}
    authors = {c.author for c in page.items}
    assert authors == {None, "Rosa Quispe", "Ana Pública"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.items[0].text = "changed"  # type: ignore[misc]


def test_a_comment_names_only_a_stakeholder_type_and_group_shown_on_their_own(app, enia):
    build_outcome(enia)
    items = published_comments(enia, per_page=100).items
    academia = [c for c in items if "academia" in c.text]
    assert {(c.stakeholder_type, c.stakeholder_group) for c in academia} == {
        ("academia", "academia")
    }
    # Two public-sector respondents: fewer than K, pooled in the open report.
    public_sector = [c for c in items if c.author == "Ana Pública"]
    assert len(public_sector) == 2
    assert {(c.stakeholder_type, c.stakeholder_group) for c in public_sector} == {
        (None, "other_actor")
    }
    assert "public_sector" not in open_figures(enia).shown_groups


def test_filters_by_section_group_and_theme_and_pages(app, enia):
    outcome = build_outcome(enia)
    assert published_comments(enia, section="5-4", per_page=100).total == 6
    by_group = published_comments(enia, group="academia", per_page=100)
    assert by_group.total == 6 and all("academia" in c.text for c in by_group.items)
    by_theme = published_comments(enia, theme=outcome.taxes.id, per_page=100)
    assert by_theme.total == 6  # the suggested tag on a teachers' comment is not counted
    assert all(outcome.taxes.id in c.themes for c in by_theme.items)
    first, second = (published_comments(enia, page=n, per_page=10) for n in (1, 2))
    assert (first.pages, first.has_next, second.has_prev) == (2, True, True)
    assert len(second.items) == 4
    assert not {c.id for c in first.items} & {c.id for c in second.items}
    assert [c.id for c in first.items + second.items] == [
        c.id for c in all_published_comments(enia, shown=_shown(enia))
    ]


def _shown(consultation):
    figures = open_figures(consultation)
    return figures.shown_types, figures.shown_groups


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"section": "nope"}, "section"),
        ({"group": "nope"}, "group"),
        ({"group": "public_sector"}, "group"),  # pooled: too small to be shown alone
        ({"theme": 999_999}, "theme"),
    ],
)
def test_a_filter_the_public_may_not_use_is_refused_with_a_reason(app, enia, filters, field):
    build_outcome(enia)
    with pytest.raises(FilterRefused) as refused:
        published_comments(enia, **filters)
    assert refused.value.field == field
    assert str(refused.value)


def test_themes_and_decisions_are_public_only_once_the_outcome_is(app, enia):
    outcome = build_outcome(enia, stage=Stage.ANALYSIS)
    assert public_themes(enia) == ()
    assert public_decisions(enia).themes == ()
    assert public_decisions(enia).sections == ()
    with pytest.raises(FilterRefused):
        published_comments(enia, theme=outcome.teachers.id)
    # Before the outcome, no comment carries its themes either.
    assert all(c.themes == () for c in published_comments(enia, per_page=100).items)
    enia.stage = Stage.OUTCOME
    db.session.commit()
    assert [t.name for t in public_themes(enia)] == [TEACHERS, TAXES]


def test_public_themes_count_confirmed_comments_with_both_reasons(app, enia):
    build_outcome(enia)
    teachers, taxes = public_themes(enia)
    assert (teachers.comments, taxes.comments) == (10, 6)
    assert teachers.decision.decision is Decision.ACCEPTED
    assert (teachers.decision.reason_es, teachers.decision.reason_en) == TEACHERS_REASON
    assert (taxes.decision.reason_es, taxes.decision.reason_en) == TAXES_REASON


def test_public_decisions_give_sections_with_reasons_and_comments_only_as_counts(app, enia):
    build_outcome(enia)
    decisions = public_decisions(enia)
    assert [t.name for t in decisions.themes] == [TEACHERS, TAXES]
    (on_section,) = decisions.sections
    assert on_section.key == "5-4" and on_section.decision.decision is Decision.NOT_ACCEPTED
    assert (on_section.decision.reason_es, on_section.decision.reason_en) == SECTION_REASON
    counts = {c.decision: c for c in decisions.comments}
    # Three comments answered "not accepted" one by one: fewer than K, printed "<5".
    assert counts[Decision.NOT_ACCEPTED].own == "<5"
    assert not any(hasattr(c, "reason_es") for c in decisions.comments)


def test_results_are_public_once_the_summary_is_published(app, enia):
    enia.stage = Stage.ANALYSIS
    enia.summary_published = False
    assert not results_public(enia)
    enia.summary_published = True
    assert results_public(enia)
    enia.stage = Stage.PREPARATION
    assert not results_public(enia)
