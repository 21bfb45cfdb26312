"""The open report: small cells shown as "<K", figures of small rows withheld, no input changed.

Data: six academia responses (A1–A6, submitted on 10 March in Peru) and two companies
(C1, C2, on 11 March). With K = 5, a count of 1–4 is a small cell.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from consult.extensions import db
from consult.models import Consultation
from consult.reports.filters import ReportFilters
from consult.reports.frames import build_report
from consult.reports.privacy import open_report
from tests.factories import add_response

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


def test_participation_counts_below_k_are_shown_as_less_than_k(enia, small_cells):
    report = open_report(build_report(enia, audience="open"), K)
    assert report.responses == 8 and report.min_cell == K
    part = report.participation
    by_type = column(part["stakeholder_type"], "stakeholder_type")
    assert by_type["company"] == SMALL  # 2
    assert by_type["civil_society"] == 0  # 0: the number
    # 8 responses in all: academia's 6 would give the companies' 2 back (8 − 6), so it is
    # withheld too (the next smallest count of the breakdown).
    assert by_type["academia"] is None
    group = column(part["group"], "group")
    assert (group["academia"], group["business"], group["citizens"]) == (None, SMALL, 0)
    size = column(part["organisation_size"], "organisation_size")
    assert size == {"micro": 0, "small": SMALL, "medium": 0, "large": None}
    assert column(part["responding_as"], "responding_as") == {"individual": 0, "organisation": 8}
    # 6 academia on 10 March, 2 companies on 11 March; the running total of the 10th would
    # give both days back (6, then 8 − 6), so it goes with the day it protects.
    day = part["day"]
    assert list(day["day"]) == ["2024-03-10", "2024-03-11"]
    assert list(day["responses"]) == [None, SMALL]
    assert list(day["cumulative"]) == [None, 8]
    # The companies answered and commented on 5-1; academia on 5-1 and 5-2.
    assert column(part["sections_covered"], "sections") == {1: SMALL, 2: None}


def test_likert_small_cells_complements_and_withheld_figures(enia, small_cells):
    likert = open_report(build_report(enia, audience="open"), K).likert
    overall = row(likert, question="q-5-1-agree", group="all")
    # A1–A5 4, A6 dk, C1 2, C2 5: n 8, valid 7; points 0, 1, 0, 5, 1, dk 1.
    assert [overall[p] for p in ("1", "2", "3", "5", "dk")] == [0, SMALL, 0, SMALL, SMALL]
    assert overall["n"] == 8
    # valid 7 = n 8 − dk: withheld with dk; then the 4s are 7 − the hidden 2s and 5s, but
    # only with valid shown: the 4s and valid are withheld together.
    assert (overall["valid"], overall["4"]) == (None, None)
    for figure in ("mean", "share_2", "share_4", "agree", "disagree", "net", "dk_share"):
        assert overall[figure] is None, figure
    academia = row(likert, question="q-5-1-agree", group="academia")
    # A1–A5 4 and A6 dk: dk is small, so valid (n − dk) and the 4s (= valid) are withheld;
    # the overall n of 8 minus the business n ("<5") would give academia's n: withheld.
    assert (academia["dk"], academia["valid"], academia["4"], academia["n"]) == (
        SMALL,
        None,
        None,
        None,
    )
    assert (academia["mean"], academia["agree"]) == (None, None)
    business = row(likert, question="q-5-1-agree", group="business")  # C1 2, C2 5
    assert (business["n"], business["2"], business["5"], business["valid"]) == (SMALL,) * 4
    derived = ["share_1", "share_2", "share_5", "mean", "agree", "disagree", "net", "dk_share"]
    assert all(business[c] is None for c in derived)


def test_likert_figures_over_few_positions_are_withheld(enia, small_cells):
    likert = open_report(build_report(enia, audience="open"), K).likert
    # q-5-2: A1–A4 dk, A5 and A6 5: n 6, but only 2 took a position.
    q = row(likert, question="q-5-2-agree", group="academia")
    assert (q["n"], q["dk"], q["5"], q["valid"]) == (6, SMALL, SMALL, SMALL)
    for figure in ("mean", "share_5", "agree", "disagree", "net"):
        assert q[figure] is None, figure  # a mean of 2 people is theirs: withheld
    assert q["dk_share"] is None  # 4/6 of a shown 6 would reveal the hidden dk count


def test_a_likert_question_with_large_counts_keeps_its_figures(enia):
    # Academia: five 4s and five 5s; business: two 4s and three 5s.
    for n in range(15):
        add_response(
            enia,
            stakeholder_type="academia" if n < 10 else "company",
            submitted_at=datetime(2024, 3, 10, 15, n),
            answers={"q-5-3-agree": "4" if n % 2 else "5"},
        )
    db.session.commit()
    likert = open_report(build_report(enia, audience="open"), K).likert
    overall = row(likert, question="q-5-3-agree", group="all")
    assert (overall["n"], overall["4"], overall["5"], overall["dk"]) == (15, 7, 8, 0)
    assert overall["agree"] == 1 and overall["mean"] == pytest.approx(68 / 15)
    business = row(likert, question="q-5-3-agree", group="business")
    assert (business["n"], business["4"], business["5"]) == (5, SMALL, SMALL)
    # Figures computed from a hidden count are withheld, even agree (4 + 5 of 5).
    assert (business["agree"], business["mean"], business["share_4"]) == (None, None, None)
    academia = row(likert, question="q-5-3-agree", group="academia")
    # The groups' 4s add up to the overall 7, their 5s to 8: academia's 5 and 5 would
    # give the companies' back, so they are withheld too; academia's n stays.
    assert (academia["n"], academia["4"], academia["5"]) == (10, None, None)
    assert (academia["share_4"], academia["agree"], academia["net"]) == (None, None, None)


def test_choices_small_cells(enia, small_cells):
    choices = open_report(build_report(enia, audience="open"), K).choices
    # A1–A5 well, A6 partly, C1 well: 7 respondents of a single choice question, so the
    # options add up to them; "well" (6) goes with the hidden "partly" (1).
    well = row(choices, question="q-overall-fit", group="all", option="well")
    partly = row(choices, question="q-overall-fit", group="all", option="partly")
    assert (partly["n"], partly["respondents"], partly["share"]) == (SMALL, 7, None)
    assert (well["n"], well["respondents"], well["share"]) == (None, 7, None)
    business = row(choices, question="q-overall-fit", group="business", option="well")
    assert (business["n"], business["respondents"], business["share"]) == (SMALL, SMALL, None)
    # Academia's respondents (6) would give the companies' back (7 − 6): withheld.
    academia = row(choices, question="q-overall-fit", group="academia", option="well")
    assert academia["respondents"] is None


def test_ranking_small_cells(enia, small_cells):
    ranking = open_report(build_report(enia, audience="open"), K).ranking
    # A1–A6 ranked 5-3 then 5-1; A1 also ranked 5-9 third. 6 respondents.
    first = row(ranking, group="all", option="5-3")
    assert (first["n"], first["top3"], first["respondents"]) == (6, 6, 6)
    assert (first["mean_rank"], first["borda"], first["top3_share"]) == (1, 10, 1)
    rare = row(ranking, group="all", option="5-9")
    assert (rare["n"], rare["top3"]) == (SMALL, SMALL)
    assert rare["mean_rank"] is None  # A1's own rank: withheld
    # Borda and top-3 share over 6 shown respondents would reveal the hidden counts.
    assert (rare["borda"], rare["top3_share"]) == (None, None)


def test_comments_and_terms(enia, small_cells):
    report = open_report(build_report(enia, audience="open"), K)
    comments = report.comments
    assert row(comments, group="all")["n"] == 8
    assert row(comments, group="business")["n"] == SMALL
    assert row(comments, group="academia")["n"] is None  # 8 − 6 would give business's 2
    # Published texts: "datos" in 7, "regulación" in A1–A4 and C1 (5); C2's is pending.
    terms = dict(zip(report.terms["term"], report.terms["comments_using"], strict=True))
    assert terms == {"datos": 7, "abiertos": 6, "regulación": 5, "datos abiertos": 6}
    fewer = open_report(build_report(enia, audience="open"), 6)
    assert set(fewer.terms["term"]) == {"datos", "abiertos", "datos abiertos"}
    assert row(fewer.likert, question="q-5-1-agree", group="academia")["4"] == "<6"


def test_no_breakdown_leaves_a_single_hidden_count(enia, small_cells):
    """Checked here on the printed frames, independently of how suppression chose."""
    report = open_report(build_report(enia, audience="open"), K)
    breakdowns = [list(f["responses"]) for f in report.participation.values()]
    breakdowns = [[report.responses, *cells] for cells in breakdowns]
    respondents = report.choices.drop_duplicates(["question", "group"])
    for frame, keys, columns in (
        (report.likert, ["question"], ["n", "1", "2", "3", "4", "5", "dk", "valid"]),
        (report.choices, ["question", "option"], ["n"]),
        (respondents, ["question"], ["respondents"]),
        (report.ranking, ["question", "option"], ["n", "top3"]),
        (report.comments, ["section", "contribution"], ["n"]),
    ):
        for _key, part in frame.groupby(keys):
            for c in columns:
                breakdowns.append(list(part[c]))  # the all row and each group's
    for r in report.likert.to_dict("records"):
        breakdowns.append([r["n"], r["valid"], r["dk"]])
        breakdowns.append([r["valid"], r["1"], r["2"], r["3"], r["4"], r["5"]])
    for cells in breakdowns:
        assert sum(map(hidden, cells)) != 1, cells


def test_the_number_of_responses_is_hidden_when_filters_narrow_it_below_k(enia, small_cells):
    companies = ReportFilters(stakeholder_types=("company",))
    report = open_report(build_report(enia, companies, audience="open"), K)
    assert report.responses == SMALL  # 2 companies
    assert column(report.participation["group"], "group")["business"] == SMALL
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
