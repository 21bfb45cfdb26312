"""The open report: groups of fewer than K pooled, everything else published, no input changed.

Data (``small_cells``): six academia responses (A1–A6, submitted on 10 March in Peru) and
two companies (C1, C2, on 11 March). With K = 5, business is too small for a row of its
own, and since a pool of two would be 8 − 6, academia joins it.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from consult.extensions import db
from consult.models import Consultation
from consult.reports.filters import ReportFilters
from consult.reports.frames import build_report
from consult.reports.grouping import OTHER, OTHER_ACTOR
from consult.reports.privacy import open_report, pooled
from tests.factories import add_response, add_theme

K = 5
SMALL = "<5"


@pytest.fixture
def small_cells(enia: Consultation) -> None:
    for n in range(1, 7):
        add_response(
            enia,
            stakeholder_type="academia",
            organisation_size="large",
            submitted_at=datetime(2024, 3, 10, 15, n),
            answers={
                "q-5-1-agree": "dk" if n == 6 else "4",
                "q-5-2-agree": "5" if n >= 5 else "dk",
                "q-overall-fit": "partly" if n == 6 else "well",
                "q-ranking-priority-areas": ["5-3", "5-1", "5-9"] if n == 1 else ["5-3", "5-1"],
            },
            comments=[
                {
                    "section": "5-1",
                    "text": "Datos abiertos" + (" y regulación" if n <= 4 else ""),
                    "moderation": "published",
                }
            ],
        )
    add_response(
        enia,
        stakeholder_type="company",
        organisation_size="small",
        submitted_at=datetime(2024, 3, 11, 15, 0),
        answers={"q-5-1-agree": "2", "q-overall-fit": "well"},
        comments=[{"section": "5-1", "text": "Datos y regulación", "moderation": "published"}],
    )
    add_response(
        enia,
        stakeholder_type="company",
        organisation_size="small",
        submitted_at=datetime(2024, 3, 11, 16, 0),
        answers={"q-5-1-agree": "5"},
        # Pending: never in an open report's words.
        comments=[{"section": "5-1", "text": "Datos y regulación"}],
    )
    db.session.commit()


def row(frame: pd.DataFrame, **keys) -> dict:
    match = frame
    for column, wanted in keys.items():
        match = match[match[column] == wanted]
    assert len(match) == 1, f"{len(match)} rows for {keys}"
    return match.iloc[0].to_dict()


def column(frame: pd.DataFrame, key: str, value: str = "responses") -> dict:
    return dict(zip(frame[key], frame[value], strict=True))


def hidden(value) -> bool:
    """Shown as "<K" or withheld."""
    return value is None or isinstance(value, str)


def test_small_kinds_are_pooled_and_the_pool_never_counts_fewer_than_k():
    assert pooled({"a": 30, "b": 6, "c": 3, "d": 1}, K) == {"b", "c", "d"}  # 4, then b joins
    assert pooled({"a": 30, "b": 6, "c": 5}, K) == set()
    assert pooled({"a": 30, "b": 3, "c": 0}, K) == {"a", "b"}  # everyone: only "all" is shown
    assert pooled({"a": 12, "b": 8, "c": 6, "d": 4}, K) == {"c", "d"}
    assert pooled({"a": 7, "b": 7, "c": 2}, K) == {"b", "c"}  # ties: the later one joins
    assert pooled({"a": 9, "b": 2, "c": 2, "d": 1}, K) == {"b", "c", "d"}
    assert pooled({"a": 0, "b": 0}, K) == set()  # zeros say nothing about anyone
    assert pooled({"a": 4, "b": 1}, 3) == {"b", "a"}


def test_participation_pools_small_kinds_and_keeps_types_consistent_with_groups(enia, small_cells):
    report = open_report(build_report(enia, audience="open"), K)
    assert report.responses == 8
    groups = column(report.participation["group"], "group")
    # Business (2) alone would be 8 − 6: academia joins it, and only the pool is shown.
    assert groups[OTHER] == 8 and "academia" not in groups and "business" not in groups
    types = column(report.participation["stakeholder_type"], "stakeholder_type")
    assert types[OTHER] == 8 and "academia" not in types and "company" not in types
    assert all(n == 0 for kind, n in types.items() if kind != OTHER)
    sizes = column(report.participation["organisation_size"], "organisation_size")
    assert {size: n for size, n in sizes.items() if n} == {OTHER: 8}  # large 6, small 2
    # Days: 10 March (6) is a row; 11 March (2) is too few, merged into the day before.
    days = report.participation["day"].to_dict("records")
    assert days == [{"day": "2024-03-11", "since": "2024-03-10", "responses": 8, "cumulative": 8}]


def test_a_type_is_shown_only_where_its_group_cannot_give_a_small_one_back(enia):
    """Civil society 26 = civil_society 24 + trade_union 2: with the type civil_society on a
    row of its own, the group's row minus it would say that two trade unions answered."""
    moment = datetime(2024, 3, 10, 12, 0)
    for kind, count in (
        ("civil_society", 24),
        ("trade_union", 2),
        ("academia", 30),
        ("company", 6),
    ):
        for _ in range(count):
            add_response(enia, stakeholder_type=kind, submitted_at=moment)
    db.session.commit()
    report = open_report(build_report(enia, audience="open"), K)
    groups = column(report.participation["group"], "group")
    types = column(report.participation["stakeholder_type"], "stakeholder_type")
    assert (groups["civil_society"], groups["academia"], groups["business"]) == (26, 30, 6)
    assert OTHER not in groups
    assert (types["academia"], types["company"], types[OTHER]) == (30, 6, 26)
    assert "civil_society" not in types and "trade_union" not in types


def test_likert_rows_are_published_whole_or_pooled_with_their_figures(enia, small_cells):
    report = open_report(build_report(enia, audience="open"), K)
    # q-5-1: academia 4 ×5 and dk; companies 2 and 5. Academia (6) is a row of its own;
    # business (2) alone is too few, so it joins academia and the pool is everyone.
    likert = report.likert[report.likert["question"] == "q-5-1-agree"]
    assert set(likert["group"]) == {"all"}
    overall = row(likert, group="all")
    assert (overall["n"], overall["4"], overall["2"], overall["5"], overall["dk"]) == (
        8,
        5,
        1,
        1,
        1,
    )
    assert overall["mean"] == pytest.approx((4 * 5 + 2 + 5) / 7)
    # q-5-2: only academia answered, 5 ×2 and dk ×4. Six would be a row of its own, but
    # academia is pooled in participation (with business's 2), so it is pooled here too:
    # shown here, its six would bound the participation pool's members.
    likert = report.likert[report.likert["question"] == "q-5-2-agree"]
    assert set(likert["group"]) == {"all"}
    overall = row(likert, group="all")
    assert (overall["5"], overall["dk"], overall["share_5"]) == (2, 4, 1.0)


def test_a_pool_row_carries_its_own_figures(enia):
    moment = datetime(2024, 3, 10, 12, 0)
    points = {"academia": ["5"] * 6, "company": ["1", "2", "4"], "individual": ["5", "dk"]}
    for kind, values in points.items():
        for value in values:
            add_response(
                enia,
                stakeholder_type=kind,
                responding_as="individual" if kind == "individual" else "organisation",
                submitted_at=moment,
                answers={"q-5-1-agree": value},
            )
    db.session.commit()
    likert = open_report(build_report(enia, audience="open"), K).likert
    pool = row(likert, question="q-5-1-agree", group=OTHER)
    # Business 3 and citizens 2: five answers, four taking a position (1, 2, 4, 5).
    assert (pool["n"], pool["valid"], pool["dk"], pool["1"], pool["5"]) == (5, 4, 1, 1, 1)
    assert pool["mean"] == pytest.approx(3.0) and pool["agree"] == pytest.approx(0.5)
    assert pool["dk_share"] == pytest.approx(0.2)
    assert set(likert["group"]) == {"all", "academia", OTHER}


def test_a_question_answered_by_fewer_than_k_is_not_published(enia):
    for n in range(4):
        add_response(enia, submitted_at=datetime(2024, 3, 10, 12, n), answers={"q-5-9-agree": "4"})
    db.session.commit()
    report = open_report(build_report(enia, audience="open"), K)
    assert "q-5-9-agree" not in set(report.likert["question"])
    assert report.responses == SMALL  # four responses in all


def test_choices_and_rankings_pool_their_respondents(enia, small_cells):
    report = open_report(build_report(enia, audience="open"), K)
    # Overall fit: academia 5 well and 1 partly (6, shown), company 1 well (too few, and a
    # pool of one: academia joins, so only "all").
    fit = report.choices[report.choices["question"] == "q-overall-fit"]
    assert set(fit["group"]) == {"all"}
    assert row(fit, group="all", option="well")["n"] == 6
    assert row(fit, group="all", option="well")["respondents"] == 7
    assert row(fit, group="all", option="well")["share"] == pytest.approx(6 / 7)
    ranking = report.ranking[report.ranking["question"] == "q-ranking-priority-areas"]
    assert set(ranking["group"]) == {"all"}  # academia is pooled in participation
    first = row(ranking, group="all", option="5-3")
    assert (first["n"], first["mean_rank"], first["respondents"]) == (6, 1.0, 6)


def test_comments_themes_and_terms(enia, small_cells):
    report = open_report(build_report(enia, audience="open"), K)
    comments = report.comments
    assert row(comments, group="all")["n"] == 8
    assert set(comments["group"]) == {"all"}  # business's 2 would need academia's 6 too
    # Published texts: "datos" in 7, "regulación" in A1–A4 and C1 (5); C2's is pending.
    terms = dict(zip(report.terms["term"], report.terms["comments_using"], strict=True))
    assert terms == {"datos": 7, "abiertos": 6, "regulación": 5, "datos abiertos": 6}
    fewer = open_report(build_report(enia, audience="open"), 6)
    assert set(fewer.terms["term"]) == {"datos", "abiertos", "datos abiertos"}


def test_themes_by_group_follow_the_rule(enia):
    moment = datetime(2024, 3, 10, 12, 0)
    comments = []
    for kind, count in (("academia", 7), ("company", 2)):
        for _ in range(count):
            response = add_response(
                enia,
                stakeholder_type=kind,
                submitted_at=moment,
                comments=[{"section": "5-1", "text": "Datos", "moderation": "published"}],
            )
            comments.append(response.comments[0])
    add_theme(enia, "Datos", *comments)
    add_theme(enia, "Pocos", *comments[:3])
    db.session.commit()
    themes = open_report(build_report(enia, audience="open"), K).themes
    datos = themes[themes["theme"] == "Datos"]
    # Academia 7 and business 2: the pool of 2 takes academia, so only the total.
    assert set(datos["group"]) == {"all"} and row(datos, group="all")["n"] == 9
    assert "Pocos" not in set(themes["theme"])  # three comments in all


def test_quotes_name_a_group_only_when_it_is_shown(enia):
    moment = datetime(2024, 3, 10, 12, 0)
    published = [{"section": "5-1", "text": "Una cita", "moderation": "published"}]
    for _ in range(6):
        add_response(enia, stakeholder_type="academia", submitted_at=moment, comments=published)
    for _ in range(5):
        add_response(enia, stakeholder_type="company", submitted_at=moment)
    add_response(
        enia,
        stakeholder_type="international_org",
        submitted_at=moment,
        publication="named",
        display_name="Organización Internacional X",
        comments=published,
    )
    db.session.commit()
    report = open_report(build_report(enia, audience="open"), K)
    groups = dict(zip(report.quotes["author"].fillna(""), report.quotes["group"], strict=True))
    # International (1) is pooled (with business, the smallest shown group); academia (6) is
    # a row of its own. The named author keeps her name, not her group.
    assert groups["Organización Internacional X"] == OTHER_ACTOR
    assert set(report.quotes["group"]) == {"academia", OTHER_ACTOR}
    named = report.quotes[report.quotes["author"] == "Organización Internacional X"]
    assert named["stakeholder_type"].isna().all()


def test_the_number_of_responses_is_hidden_when_filters_narrow_it_below_k(enia, small_cells):
    companies = ReportFilters(stakeholder_types=("company",))
    report = open_report(build_report(enia, companies, audience="open"), K)
    assert report.responses == SMALL  # 2 companies
    assert report.participation["group"].empty and report.likert.empty
    confidential = build_report(enia, companies)
    assert confidential.responses == 2  # coordinators see it whole
    wide = open_report(build_report(enia, audience="open"), K)
    assert wide.responses == 8
    nobody = ReportFilters(regions=("tumbes",))
    assert open_report(build_report(enia, nobody, audience="open"), K).responses == 0


def test_open_report_leaves_its_input_unchanged(enia, small_cells):
    report = build_report(enia, audience="open")
    before = {
        name: getattr(report, name).copy(deep=True)
        for name in ("likert", "choices", "ranking", "comments", "themes", "quotes", "terms")
    }
    participation = {name: frame.copy(deep=True) for name, frame in report.participation.items()}
    opened = open_report(report, K)
    assert opened is not report
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(report, name), frame)
    for name, frame in participation.items():
        pd.testing.assert_frame_equal(report.participation[name], frame)
    assert (report.responses, report.min_cell) == (8, None)
    assert column(report.participation["stakeholder_type"], "stakeholder_type")["company"] == 2


def test_the_confidential_report_is_refused(enia, small_cells):
    confidential = build_report(enia)
    with pytest.raises(ValueError, match="audience='open'"):
        open_report(confidential, K)
    company = column(confidential.participation["stakeholder_type"], "stakeholder_type")
    assert company["company"] == 2  # its figures stay whole
    # The confidential words include the pending comment: "regulación" in 6.
    terms = dict(zip(confidential.terms["term"], confidential.terms["comments_using"], strict=True))
    assert terms["regulación"] == 6


def test_open_words_never_come_from_authors_who_chose_not_to_publish(enia):
    from consult.extensions import db
    from tests.factories import add_response

    for _ in range(6):
        add_response(
            enia,
            submitted_at=datetime(2024, 3, 1, 12, 0),
            publication="private",
            comments=[
                {
                    "section": "5-1",
                    "text": "palabrasecreta del borrador",
                    "contribution": "other",
                    "moderation": "published",
                }
            ],
        )
    db.session.commit()
    assert "palabrasecreta" not in set(build_report(enia, audience="open").terms["term"])
    assert "palabrasecreta" in set(build_report(enia).terms["term"])
