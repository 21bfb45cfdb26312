"""Opinion groups from answers: planted groups found again, consensus and division right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from consult.insight.groups import describe, find_groups, likert_values, question_weights


def opposite_camps(per_camp: int = 30, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Two camps: the first agrees with s1–s4 and disagrees with s5–s8, the second the
    reverse; everybody agrees with s9. A little noise, some answers missing."""
    rng = np.random.default_rng(seed)
    camp = np.repeat([0, 1], per_camp)
    profile = np.array([[2, 2, 2, 2, -2, -2, -2, -2, 2], [-2, -2, -2, -2, 2, 2, 2, 2, 2]])
    answers = profile[camp] + rng.integers(-1, 1, size=(len(camp), 9))
    answers = np.clip(answers, -2, 2).astype(float)
    answers[:, 8] = np.clip(answers[:, 8], 1, 2)  # s9: agreed by all
    frame = pd.DataFrame(answers, columns=[f"s{j}" for j in range(1, 10)])
    return frame, camp


def test_two_opposite_camps_are_found_as_two_groups():
    frame, camp = opposite_camps()
    found = find_groups(frame)
    assert found is not None
    assert [g.size for g in found.groups] == [30, 30]
    # Each camp is one group, whichever number it got.
    assert len(set(found.labels[camp == 0])) == 1
    assert len(set(found.labels[camp == 1])) == 1
    assert found.silhouette > 0.5


def test_groups_are_the_same_each_time():
    frame, _camp = opposite_camps(seed=3)
    first, second = find_groups(frame), find_groups(frame)
    assert np.array_equal(first.labels, second.labels)
    assert first.divisive == second.divisive


def test_missing_answers_do_not_stop_the_map():
    frame, camp = opposite_camps(per_camp=40)
    rng = np.random.default_rng(7)
    holes = frame.mask(rng.random(frame.shape) < 0.3)
    holes.iloc[0] = np.nan  # someone who answered nothing
    holes["s8"] = np.nan  # a statement nobody answered
    found = find_groups(holes)
    assert found is not None
    assert found.labels[0] == 0  # answered nothing: in no group
    assert sum(g.size for g in found.groups) == (found.labels > 0).sum()
    assert (found.labels[1:] > 0).mean() > 0.95
    agree = found.labels[1:][camp[1:] == 0]
    assert np.mean(agree == np.bincount(agree).argmax()) > 0.9
    assert all(d["statement"] != "s8" for d in found.divisive)


def test_one_answer_places_nobody():
    frame, _camp = opposite_camps(per_camp=20)
    frame.iloc[:5, 1:] = np.nan  # five people answered s1 only
    found = find_groups(frame)
    assert list(found.labels[:5]) == [0] * 5
    assert sum(g.size for g in found.groups) == 35
    # Their answers count in no share: s1 is agreed by the 15 others of camp 1 alone.
    s1 = next(d for d in found.divisive if d["statement"] == "s1")
    assert sorted(s1["shares"]) == [0.0, 1.0]


def test_a_choice_question_counts_once_towards_being_placed():
    rng = np.random.default_rng(2)
    chose_a = rng.random(40) < 0.5
    frame = pd.DataFrame({"s1": np.nan, "q:a": chose_a * 1.0, "q:b": ~chose_a * 1.0})
    questions = pd.Series({"q:a": "q", "q:b": "q"})
    # Two columns answered, but one question: nobody is placed, so there is no map.
    assert find_groups(frame, questions=questions) is None
    assert find_groups(frame) is not None  # counted as two, they would have been


def test_too_few_respondents_give_no_map():
    frame, _camp = opposite_camps(per_camp=4)
    assert find_groups(frame) is None
    assert find_groups(frame.iloc[:, :1].join(frame.iloc[:, :0]).head(0)) is None


def test_answers_all_alike_give_no_map():
    assert find_groups(pd.DataFrame(np.ones((30, 4)), columns=list("abcd"))) is None


def test_consensus_divisive_and_distinctive_on_a_known_matrix():
    # Group 1 (4 people) and group 2 (4 people); columns:
    # "both" agreed by 4/4 and 3/4 → consensus; "split" 4/4 vs 0/4 → divisive and
    # distinctive; "even" 2/4 in both → neither consensus nor divisive.
    frame = pd.DataFrame(
        {
            "both": [2, 1, 2, 1, 2, 1, 2, -1],
            "split": [2, 2, 1, 1, -2, -2, -1, -1],
            "even": [1, 1, -1, -1, 1, -1, 1, -1],
        },
        dtype=float,
    )
    labels = np.array([1, 1, 1, 1, 2, 2, 2, 2])
    types = pd.Series(["academia"] * 3 + ["company"] + ["company"] * 4)
    found = describe(frame, labels, types)
    assert [c["statement"] for c in found.consensus] == ["both"]
    assert found.consensus[0]["shares"] == [1.0, 0.75]
    assert [d["statement"] for d in found.divisive] == ["split"]
    assert found.divisive[0]["shares"] == [1.0, 0.0]
    assert found.divisive[0]["spread"] == 1.0
    first = found.groups[0]
    assert first.composition == {"academia": 3, "company": 1}
    assert first.distinctive[0] == {
        "statement": "split",
        "group_share": 1.0,
        "rest_share": 0.0,
        "difference": 1.0,
    }


def test_shares_count_only_those_who_answered():
    frame = pd.DataFrame({"a": [2, np.nan, np.nan, -2], "b": [1, 1, -1, -1]})
    found = describe(frame, np.array([1, 1, 2, 2]))
    # Group 1: one answer of "a", an agreement → 100 %; group 2: one, a disagreement → 0 %.
    assert found.divisive[0] == {"statement": "a", "shares": [1.0, 0.0], "spread": 1.0}


@pytest.mark.parametrize(
    ("point", "value"), [("1", -2), ("3", 0), ("5", 2), ("dk", None), (None, None)]
)
def test_agreement_points_are_centred_on_neutral(point, value):
    got = likert_values(pd.Series([point], dtype=object)).iloc[0]
    assert (np.isnan(got) and value is None) or got == value


def test_a_questions_options_weigh_together_as_one_statement():
    columns = pd.Index(["s1", "q:a", "q:b", "q:c", "q:d"])
    weights = question_weights(columns, pd.Series({"q:a": "q", "q:b": "q", "q:c": "q", "q:d": "q"}))
    assert weights.tolist() == [1.0, 0.5, 0.5, 0.5, 0.5]
