"""Suggested themes stored per section and per open question, and what a coordinator
does with them: accept (tags as suggested), rename, merge, split, reject, confirm."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import (
    AuditEntry,
    Comment,
    Theme,
    ThemeSuggestion,
    answer_theme,
    comment_theme,
)
from consult.models.vocab import Verdict
from consult.reviewing import ReviewError, merge_themes, tag
from consult.systematising import runs, suggestions
from consult.systematising.themes import stakeholder_mix
from tests.factories import build_response
from tests.insight.test_themes import clear_topics


@pytest.fixture
def topics(enia):
    """30 comments on section 5.3, ten on each of three clear topics (a third from
    business), and ten open answers on health; returns each comment's topic by id."""
    texts, labels = clear_topics()
    responses = []
    for n, text in enumerate(texts):
        answers = {"q-anything-else": texts[n]} if labels[n] == "salud" else None
        kind = "company" if n % 3 == 0 else "academia"
        responses.append(
            build_response(enia, [("5-3", text)], answers=answers, stakeholder_type=kind)
        )
    db.session.commit()
    return {r.comments[0].id: label for r, label in zip(responses, labels, strict=True)}


def run_themes(enia) -> dict:
    run = runs.start_run(enia, ["themes"])
    done = runs.execute(run.id)
    assert done.error is None
    return done.counts


def section_suggestions(enia, verdict: Verdict | None = None) -> list[ThemeSuggestion]:
    statement = sa.select(ThemeSuggestion).where(
        ThemeSuggestion.consultation_id == enia.id, ThemeSuggestion.section_id.is_not(None)
    )
    if verdict is not None:
        statement = statement.where(ThemeSuggestion.verdict == verdict)
    return list(db.session.scalars(statement.order_by(ThemeSuggestion.id)))


def audit_count(action: str | None = None) -> int:
    statement = sa.select(sa.func.count()).select_from(AuditEntry)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return db.session.scalar(statement)


def topic_of(suggestion: ThemeSuggestion, topics: dict[int, str]) -> set[str]:
    return {topics[m.comment_id] for m in suggestion.members}


def test_three_clear_topics_are_three_suggestions_with_quotes_and_mix(enia, topics):
    counts = run_themes(enia)
    found = section_suggestions(enia)
    assert len(found) == 3
    answered = db.session.scalar(
        sa.select(sa.func.count()).where(ThemeSuggestion.question_id.is_not(None))
    )
    assert answered >= 1 and counts["suggestions"] == 3 + answered
    for suggestion in found:
        assert len(topic_of(suggestion, topics)) == 1
        assert suggestion.size == 10 and suggestion.verdict is Verdict.SUGGESTED
        assert 3 <= sum(m.quote for m in suggestion.members) <= 5
    mix = stakeholder_mix([s.id for s in found])
    assert sum(sum(kinds.values()) for kinds in mix.values()) == 30
    assert set().union(*mix.values()) == {"company", "academia"}


def test_the_open_question_gets_suggestions_of_its_answers(enia, topics):
    run_themes(enia)
    answered = db.session.scalars(
        sa.select(ThemeSuggestion).where(ThemeSuggestion.question_id.is_not(None))
    ).all()
    assert answered and sum(s.size for s in answered) == 10
    assert all(m.answer_id is not None for s in answered for m in s.members)


def test_a_rejection_survives_a_new_run_and_is_not_suggested_again(enia, topics, coordinator):
    run_themes(enia)
    rejected = section_suggestions(enia)[0]
    rejected_topic = topic_of(rejected, topics)
    suggestions.reject(rejected, coordinator)
    run_themes(enia)
    db.session.expire_all()
    assert [s.id for s in section_suggestions(enia, Verdict.DISMISSED)] == [rejected.id]
    fresh = section_suggestions(enia, Verdict.SUGGESTED)
    assert len(fresh) == 2
    assert all(topic_of(s, topics) != rejected_topic for s in fresh)


def test_accepting_makes_a_theme_whose_tags_wait_for_confirmation(enia, topics, coordinator):
    run_themes(enia)
    suggestion = section_suggestions(enia)[0]
    before = audit_count()
    theme = suggestions.accept(suggestion, coordinator, label="Salud en zonas rurales")
    assert audit_count() == before + 1 and audit_count("suggestion.accept") == 1
    assert theme.name == "Salud en zonas rurales"
    assert suggestion.verdict is Verdict.CONFIRMED and suggestion.theme_id == theme.id
    rows = db.session.execute(
        sa.select(comment_theme.c.suggested).where(comment_theme.c.theme_id == theme.id)
    ).scalars()
    assert list(rows) == [True] * 10
    comment = db.session.get(Comment, suggestion.members[0].comment_id)
    assert comment.themes == [] and comment.suggested_themes == [theme]
    # A new run keeps the accepted one and does not suggest it again.
    run_themes(enia)
    db.session.expire_all()
    assert len(section_suggestions(enia, Verdict.CONFIRMED)) == 1
    assert len(section_suggestions(enia, Verdict.SUGGESTED)) == 2


def test_accepting_under_a_taken_name_is_refused(enia, topics, coordinator):
    run_themes(enia)
    first, second = section_suggestions(enia)[:2]
    suggestions.accept(first, coordinator, label="Datos")
    with pytest.raises(ReviewError):
        suggestions.accept(second, coordinator, label="datos")
    with pytest.raises(ReviewError):
        suggestions.reject(first, coordinator)  # decided already


def test_confirming_one_then_all_each_writes_one_entry(enia, topics, coordinator):
    run_themes(enia)
    theme = suggestions.accept(section_suggestions(enia)[0], coordinator)
    ids = [c.id for c in suggestions.suggested_tags(theme)]
    before = audit_count()
    assert suggestions.confirm_tags(theme, coordinator, comment_ids=[ids[0]]) == 1
    assert audit_count() == before + 1
    assert len(suggestions.suggested_tags(theme)) == 9
    assert suggestions.confirm_tags(theme, coordinator) == 9
    assert audit_count() == before + 2
    assert suggestions.suggested_tags(theme) == []
    assert db.session.get(Comment, ids[0]).themes == [theme]
    assert suggestions.confirm_tags(theme, coordinator) == 0 and audit_count() == before + 2


def test_removing_a_suggested_tag_writes_one_entry(enia, topics, coordinator):
    run_themes(enia)
    theme = suggestions.accept(section_suggestions(enia)[0], coordinator)
    first = suggestions.suggested_tags(theme)[0]
    before = audit_count()
    assert suggestions.drop_tags(theme, coordinator, comment_ids=[first.id]) == 1
    assert audit_count() == before + 1
    assert first.id not in {c.id for c in suggestions.suggested_tags(theme)}


def test_open_answers_are_tagged_as_suggested_too(enia, topics, coordinator):
    run_themes(enia)
    answered = db.session.scalars(
        sa.select(ThemeSuggestion).where(ThemeSuggestion.question_id.is_not(None))
    ).first()
    theme = suggestions.accept(answered, coordinator, label="Respuestas de salud")
    assert len(suggestions.suggested_answers(theme)) == answered.size
    suggestions.confirm_tags(theme, coordinator)
    confirmed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(answer_theme)
        .where(answer_theme.c.theme_id == theme.id, ~answer_theme.c.suggested)
    )
    assert confirmed == answered.size


def test_tagging_a_comment_by_hand_confirms_its_suggested_tag(enia, topics, coordinator):
    run_themes(enia)
    theme = suggestions.accept(section_suggestions(enia)[0], coordinator)
    comment = suggestions.suggested_tags(theme)[0]
    assert tag([comment], theme, coordinator) == 1
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert comment.themes == [theme] and comment.suggested_themes == []
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                comment_theme.c.comment_id == comment.id, comment_theme.c.theme_id == theme.id
            )
        )
        == 1
    )


def test_merging_themes_keeps_suggested_tags_suggested(enia, topics, coordinator):
    run_themes(enia)
    first, second = section_suggestions(enia)[:2]
    suggested = suggestions.accept(first, coordinator, label="Uno")
    by_hand = Theme(consultation_id=enia.id, name="Dos")
    db.session.add(by_hand)
    db.session.commit()
    merge_themes(suggested, by_hand, coordinator)
    flags = db.session.scalars(
        sa.select(comment_theme.c.suggested).where(comment_theme.c.theme_id == by_hand.id)
    ).all()
    assert flags == [True] * 10


def test_rename_merge_and_split_each_write_one_entry(enia, topics, coordinator):
    run_themes(enia)
    first, second, third = section_suggestions(enia)
    before = audit_count()
    suggestions.rename(first, "Conectividad", coordinator)
    assert first.label == "Conectividad" and audit_count() == before + 1
    merged = suggestions.merge(first, second, coordinator)
    assert merged.size == 20 and audit_count() == before + 2
    assert db.session.get(ThemeSuggestion, second.id) is None
    halves = suggestions.split(merged, coordinator)
    assert audit_count() == before + 3
    assert sorted(h.size for h in halves) == [10, 10]
    assert all(len(topic_of(h, topics)) == 1 for h in halves)
    with pytest.raises(ReviewError):
        suggestions.merge(halves[0], halves[0], coordinator)
    suggestions.reject(third, coordinator)
    assert audit_count() == before + 4


def test_tiny_consultations_give_no_more_than_one_suggestion(enia):
    for text in ("Internet en la sierra", "Más hospitales"):
        build_response(enia, [("5-3", text)])
    db.session.commit()
    run_themes(enia)
    assert len(section_suggestions(enia)) <= 1
