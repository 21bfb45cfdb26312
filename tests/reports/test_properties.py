"""Properties of the report on random data: every breakdown sums to the overall figure.

Each example writes a few random responses through the ORM (random stakeholder types,
statuses, likert points with "don't know", multiple choices, partial rankings and
comments, some refused as spam), computes the report, checks it, and deletes them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.models import Consultation
from consult.reports.filters import ReportFilters
from consult.reports.frames import build_report
from tests.factories import add_response, delete_responses

from .disclosure_people import ENIA

LIKERT = ["q-5-1-agree", "q-5-2-agree", "q-6-implementation-clear"]
POINTS = ["1", "2", "3", "4", "5", "dk"]
FIT = ["very-well", "well", "partly", "poorly", "not-at-all", "dont-know"]
STRENGTHEN = ["targets-deadlines", "budget-funding", "governance", "ethics-rights"]
RANKED = ["5-1", "5-2", "5-3", "5-4", "5-5", "5-6", "5-7", "5-8", "5-9", "5-10"]
#: (moderation, rejection reason); a spam refusal flags the whole response.
MODERATION = [
    ("pending", None),
    ("published", None),
    ("rejected", "off_topic"),
    ("rejected", "spam"),
]
CONTRIBUTIONS = ["problem_definition", "objective_formulation", "other"]

responses = st.fixed_dictionaries(
    {
        "stakeholder_type": st.sampled_from(ENIA.types),
        "status": st.sampled_from(["submitted", "submitted", "submitted", "draft", "withdrawn"]),
        "region": st.sampled_from(["lima_metropolitana", "cusco", "puno", "loreto"]),
        "size": st.sampled_from([None, "micro", "small", "medium", "large"]),
        "gender": st.sampled_from([None, "woman", "man", "non_binary", "prefer_not"]),
        "age_band": st.sampled_from([None, "18_29", "30_44", "60_plus"]),
        "hours": st.integers(0, 4 * 24 - 1),
        "likert": st.dictionaries(st.sampled_from(LIKERT), st.sampled_from(POINTS)),
        "fit": st.sampled_from([None, *FIT]),
        "strengthen": st.lists(st.sampled_from(STRENGTHEN), unique=True),
        "ranking": st.lists(st.sampled_from(RANKED), unique=True),
        "comments": st.dictionaries(
            st.sampled_from(["5-1", "5-3", "2"]),
            st.tuples(st.sampled_from(CONTRIBUTIONS), st.sampled_from(MODERATION)),
        ),
    }
)


def insert(consultation: Consultation, spec: dict) -> None:
    answers: dict = dict(spec["likert"])
    if spec["fit"]:
        answers["q-overall-fit"] = spec["fit"]
    if spec["strengthen"]:
        answers["q-strengthen"] = spec["strengthen"]
    if spec["ranking"]:
        answers["q-ranking-priority-areas"] = spec["ranking"]
    individual = spec["stakeholder_type"] == "individual"
    add_response(
        consultation,
        status=spec["status"],
        stakeholder_type=spec["stakeholder_type"],
        responding_as="individual" if individual else "organisation",
        organisation_size=None if individual else spec["size"],
        region=spec["region"],
        gender=spec["gender"],
        age_band=spec["age_band"],
        submitted_at=(
            None
            if spec["status"] == "draft"
            else datetime(2024, 3, 10) + timedelta(hours=spec["hours"])
        ),
        answers=answers,
        comments=[
            {
                "section": section,
                "text": f"Comentario sobre datos abiertos {section}",
                "contribution": contribution,
                "moderation": moderation,
                "rejection_reason": reason,
            }
            for section, (contribution, (moderation, reason)) in spec["comments"].items()
        ],
    )


def counted(spec: dict, include_flagged: bool) -> bool:
    flagged = any(reason == "spam" for _, (_, reason) in spec["comments"].values())
    return spec["status"] == "submitted" and (include_flagged or not flagged)


def assert_groups_sum_to_all(frame: pd.DataFrame, keys: list[str], values: list[str]) -> None:
    """For each key, the per-group rows add up to the ``all`` row."""
    if frame.empty:
        return
    overall = frame[frame["group"] == "all"].set_index(keys)[values].astype(int)
    groups = frame[frame["group"] != "all"].groupby(keys)[values].sum().astype(int)
    pd.testing.assert_frame_equal(
        groups.sort_index(), overall.sort_index(), check_names=False, check_like=True
    )


def assert_shares(frame: pd.DataFrame, columns: list[str], low: float = 0, high: float = 1):
    for column in columns:
        values = frame[column].dropna().astype(float)
        assert ((values >= low - 1e-9) & (values <= high + 1e-9)).all(), column


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(specs=st.lists(responses, max_size=12), include_flagged=st.booleans())
def test_breakdowns_sum_to_the_overall_figures(enia, specs, include_flagged):
    try:
        for spec in specs:
            insert(enia, spec)
        report = build_report(enia, ReportFilters(include_flagged=include_flagged))
        check(report, [s for s in specs if counted(s, include_flagged)])
    finally:
        delete_responses(enia)


def check(report, specs: list[dict]) -> None:
    total = len(specs)
    assert report.responses == total

    part = report.participation
    for name in ("stakeholder_type", "group", "responding_as", "region", "gender", "age_band"):
        assert part[name]["responses"].sum() == total, name
    assert part["sections_covered"]["responses"].sum() == total
    organisations = sum(1 for s in specs if s["stakeholder_type"] != "individual" and s["size"])
    assert part["organisation_size"]["responses"].sum() == organisations
    day = part["day"]
    assert (list(day["cumulative"])[-1] if total else 0) == total
    assert day["responses"].sum() == total

    likert = report.likert
    points = ["1", "2", "3", "4", "5", "dk"]
    assert_groups_sum_to_all(likert, ["question"], [*points, "n", "valid"])
    for question in LIKERT:
        given_points = [s["likert"][question] for s in specs if question in s["likert"]]
        rows = likert[(likert["question"] == question) & (likert["group"] == "all")]
        if not given_points:
            assert rows.empty
            continue
        overall = rows.iloc[0]
        assert [overall[p] for p in points] == [given_points.count(p) for p in points]
    shares = [f"share_{p}" for p in "12345"]
    assert_shares(likert, [*shares, "agree", "disagree", "dk_share"])
    assert_shares(likert, ["net"], -1, 1)
    assert_shares(likert, ["mean"], 1, 5)
    positions = likert[likert["valid"] > 0]
    assert (positions[shares].sum(axis=1) - 1).abs().max() < 1e-9 if len(positions) else True
    assert likert[likert["valid"] == 0]["mean"].isna().all()

    choices = report.choices
    assert_groups_sum_to_all(choices, ["question", "option"], ["n"])
    respondents = choices.drop_duplicates(["question", "group"])
    assert_groups_sum_to_all(respondents, ["question"], ["respondents"])
    fit = choices[(choices["question"] == "q-overall-fit") & (choices["group"] == "all")]
    assert dict(zip(fit["option"], fit["n"], strict=True)) == {
        option: sum(1 for s in specs if s["fit"] == option)
        for option in FIT
        if any(s["fit"] == option for s in specs)
    }
    assert_shares(choices, ["share"])

    ranking = report.ranking
    assert_groups_sum_to_all(ranking, ["question", "option"], ["n", "top3"])
    assert_groups_sum_to_all(
        ranking.drop_duplicates(["question", "group"]), ["question"], ["respondents"]
    )
    assert (
        ranking[ranking["group"] == "all"]["respondents"] == sum(1 for s in specs if s["ranking"])
    ).all()
    assert_shares(ranking, ["top3_share"])
    assert_shares(ranking, ["mean_rank"], 1, len(RANKED))
    assert_shares(ranking, ["borda"], 0, len(RANKED))

    comments = report.comments
    assert_groups_sum_to_all(comments, ["section", "contribution"], ["n"])
    assert comments[comments["group"] == "all"]["n"].sum() == sum(len(s["comments"]) for s in specs)
