"""The report's frames on a hand-built consultation whose every figure is worked out by hand.

Seven submitted responses are counted by default:

    R1 academia              org  large   lima_metropolitana  woman       30_44   named
    R2 academia              org  small   arequipa            man         45_59   anonymous
    R3 academia              org  medium  cusco               -           -       private
    R4 company               org  micro   lima_metropolitana  woman       18_29   anonymous
    R5 company               org  large   arequipa            man         30_44   named
    R6 business_association  org  medium  lima_metropolitana  prefer_not  60_plus private
    R7 individual            ind  -       abroad              -           -       anonymous

plus a draft (D) and a withdrawn response (W) that never count, and a submitted response
(S, civil society) whose comment was refused as spam: left out unless ``include_flagged``.
Groups: academia = R1–R3, business = R4–R6 (company + business association), citizens = R7.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from consult.extensions import db
from consult.models import Consultation
from consult.models.vocab import ModerationState
from consult.reports.filters import ReportFilters
from consult.reports.frames import build_report
from tests.factories import add_response, add_theme, comment_in

approx = pytest.approx

T1 = "Los datos abiertos son necesarios: datos para la inteligencia artificial."
T2 = "Juan Pérez opina que the open data and datos abiertos matter."
T2_REDACTED = "[nombre retirado] opina que datos abiertos importan."
T4 = "Necesitamos blockchain y datos abiertos con inteligencia artificial."
T3 = "Faltan docentes formados en programación."
T5 = "Las empresas ofrecen formación dual a docentes."
T7 = "Vendo entradas baratas."


@pytest.fixture
def fixture_data(enia: Consultation) -> dict:
    """The responses described in the module docstring, committed."""
    r = {}
    r["R1"] = add_response(
        enia,
        stakeholder_type="academia",
        organisation_size="large",
        region="lima_metropolitana",
        gender="woman",
        age_band="30_44",
        publication="named",
        display_name="Ana Quispe",
        email="ana@example.org",
        submitted_at=datetime(2024, 3, 10, 15, 0),  # Peru 10:00, 10 March
        answers={
            "q-5-1-agree": "5",
            "q-2-objective-agree": "4",
            "q-overall-fit": "well",
            "q-strengthen": ["budget-funding", "governance"],
            "q-ranking-priority-areas": ["5-3", "5-1", "5-10"],
        },
        comments=[{"section": "5-1", "text": T1, "moderation": "published"}],
    )
    r["R2"] = add_response(
        enia,
        stakeholder_type="academia",
        organisation_size="small",
        region="arequipa",
        gender="man",
        age_band="45_59",
        publication="anonymous",
        email="juan@example.org",
        submitted_at=datetime(2024, 3, 11, 3, 0),  # Peru 22:00, 10 March
        answers={
            "q-5-1-agree": "4",
            "q-overall-fit": "well",
            "q-strengthen": ["budget-funding"],
            "q-ranking-priority-areas": ["5-1", "5-3", "5-2", "5-10"],
        },
        comments=[
            {
                "section": "5-1",
                "text": T2,
                "redacted_text": T2_REDACTED,
                "moderation": "published",
                "contribution": "objective_formulation",
            }
        ],
    )
    r["R3"] = add_response(
        enia,
        stakeholder_type="academia",
        organisation_size="medium",
        region="cusco",
        publication="private",
        submitted_at=datetime(2024, 3, 11, 14, 0),  # Peru 09:00, 11 March
        answers={"q-5-1-agree": "dk", "q-overall-fit": "partly"},
        comments=[{"section": "5-3", "text": T3, "moderation": "published"}],
    )
    r["R4"] = add_response(
        enia,
        stakeholder_type="company",
        organisation_size="micro",
        region="lima_metropolitana",
        gender="woman",
        age_band="18_29",
        publication="anonymous",
        submitted_at=datetime(2024, 3, 11, 20, 0),  # Peru 15:00, 11 March
        answers={
            "q-5-1-agree": "2",
            "q-overall-fit": "very-well",
            "q-strengthen": ["budget-funding", "talent-education", "governance"],
            "q-ranking-priority-areas": ["5-10", "5-3"],
        },
        comments=[{"section": "5-1", "text": T4}],  # pending
    )
    r["R5"] = add_response(
        enia,
        stakeholder_type="company",
        organisation_size="large",
        region="arequipa",
        gender="man",
        age_band="30_44",
        publication="named",
        display_name="Empresa Andina SAC",
        submitted_at=datetime(2024, 3, 12, 16, 0),  # Peru 11:00, 12 March
        answers={
            "q-5-1-agree": "4",
            "q-overall-fit": "well",
            "q-strengthen": ["talent-education"],
            "q-ranking-priority-areas": ["5-3"],
        },
        comments=[
            {"section": "5-3", "text": T5, "moderation": "published", "contribution": "other"}
        ],
    )
    r["R6"] = add_response(
        enia,
        stakeholder_type="business_association",
        organisation_size="medium",
        region="lima_metropolitana",
        gender="prefer_not",
        age_band="60_plus",
        publication="private",
        submitted_at=datetime(2024, 3, 12, 5, 0),  # Peru 00:00 exactly, 12 March
        answers={"q-overall-fit": "partly"},  # only a general question: 0 sections
    )
    r["R7"] = add_response(
        enia,
        stakeholder_type="individual",
        responding_as="individual",
        region="abroad",
        country="ES",
        publication="anonymous",
        submitted_at=datetime(2024, 3, 13, 2, 0),  # Peru 21:00, 12 March
        answers={
            "q-5-1-agree": "3",
            "q-6-implementation-clear": "dk",
            "q-overall-fit": "dont-know",
            "q-strengthen": ["ethics-rights", "budget-funding"],
            "q-ranking-priority-areas": ["5-2", "5-1", "5-3", "5-4", "5-5"],
        },
        comments=[
            {
                "section": "5-3",
                "text": T7,
                "moderation": "rejected",
                "rejection_reason": "off_topic",
                "contribution": "objective_formulation",
            }
        ],
    )
    never = {
        "q-5-1-agree": "1",
        "q-overall-fit": "not-at-all",
        "q-strengthen": ["monitoring-evaluation"],
        "q-ranking-priority-areas": ["5-9"],
    }
    r["D"] = add_response(
        enia,
        status="draft",
        stakeholder_type="company",
        organisation_size="small",
        submitted_at=None,
        answers=never,
        comments=[{"section": "5-1", "text": "Borrador xilófono", "moderation": "published"}],
    )
    r["W"] = add_response(
        enia,
        status="withdrawn",
        stakeholder_type="academia",
        submitted_at=datetime(2024, 3, 11, 15, 0),
        answers=never,
        comments=[{"section": "5-3", "text": "Retirado xilófono", "moderation": "published"}],
    )
    r["S"] = add_response(
        enia,
        stakeholder_type="civil_society",
        organisation_size="small",
        region="puno",
        submitted_at=datetime(2024, 3, 13, 15, 0),  # Peru 10:00, 13 March
        answers={"q-5-1-agree": "1", "q-overall-fit": "poorly"},
        comments=[
            {
                "section": "5-1",
                "text": "Compre casino barato",
                "moderation": "rejected",
                "rejection_reason": "spam",
                "contribution": "other",
            }
        ],
    )
    add_theme(
        enia,
        "Datos",
        comment_in(r["R1"], "5-1"),
        comment_in(r["R2"], "5-1"),
        comment_in(r["R4"], "5-1"),
        comment_in(r["D"], "5-1"),
        comment_in(r["S"], "5-1"),
    )
    add_theme(
        enia,
        "Educación",
        comment_in(r["R3"], "5-3"),
        comment_in(r["R5"], "5-3"),
        comment_in(r["W"], "5-3"),
    )
    db.session.commit()
    return r


def counts(frame: pd.DataFrame, key: str, value: str = "responses") -> dict:
    return {k: int(v) for k, v in zip(frame[key], frame[value], strict=True)}


def row(frame: pd.DataFrame, **keys) -> dict:
    """The one row of ``frame`` matching ``keys``, as a dict."""
    match = frame
    for column, wanted in keys.items():
        match = match[match[column] == wanted]
    assert len(match) == 1, f"{len(match)} rows for {keys}"
    return match.iloc[0].to_dict()


def rows(frame: pd.DataFrame, **keys) -> pd.DataFrame:
    match = frame
    for column, wanted in keys.items():
        match = match[match[column] == wanted]
    return match


# ----------------------------------------------------------------- participation


def test_only_submitted_unflagged_responses_are_counted(enia, fixture_data):
    report = build_report(enia)
    assert report.responses == 7  # R1–R7; not D (draft), W (withdrawn), S (spam)
    assert report.audience == "confidential"


def test_participation_by_stakeholder_type_and_group(enia, fixture_data):
    part = build_report(enia).participation
    by_type = counts(part["stakeholder_type"], "stakeholder_type")
    assert by_type == {
        "company": 2,
        "business_association": 1,
        "academia": 3,
        "civil_society": 0,  # S is flagged
        "trade_union": 0,
        "technical_community": 0,
        "public_sector": 0,
        "international_org": 0,
        "individual": 1,
        "other": 0,
    }
    assert counts(part["group"], "group") == {
        "business": 3,  # 2 company + 1 business association
        "academia": 3,
        "civil_society": 0,
        "technical_community": 0,
        "public_sector": 0,
        "international": 0,
        "citizens": 1,
        "other": 0,
    }


def test_participation_by_profile(enia, fixture_data):
    part = build_report(enia).participation
    assert counts(part["responding_as"], "responding_as") == {"individual": 1, "organisation": 6}
    # R7 (an individual) has no size; no "not_given" row for organisations.
    assert counts(part["organisation_size"], "organisation_size") == {
        "micro": 1,
        "small": 1,
        "medium": 2,
        "large": 2,
    }
    regions = counts(part["region"], "region")
    assert {k: v for k, v in regions.items() if v} == {
        "lima_metropolitana": 3,  # R1, R4, R6
        "arequipa": 2,  # R2, R5
        "cusco": 1,
        "abroad": 1,
    }
    assert sum(regions.values()) == 7
    assert counts(part["gender"], "gender") == {
        "woman": 2,
        "man": 2,
        "non_binary": 0,
        "other": 0,
        "prefer_not": 1,
        "not_given": 2,  # R3, R7
    }
    assert counts(part["age_band"], "age_band") == {
        "under_18": 0,
        "18_29": 1,
        "30_44": 2,
        "45_59": 1,
        "60_plus": 1,
        "prefer_not": 0,
        "not_given": 2,  # R3, R7
    }


def test_participation_per_day_in_peru(enia, fixture_data):
    day = build_report(enia).participation["day"]
    # R2 (03:00 UTC on 11 March) is 10 March in Peru; R6 (05:00 UTC) is Peru's midnight of
    # 12 March; R7 (02:00 UTC on 13 March) is 12 March in Peru.
    assert list(day["day"]) == ["2024-03-10", "2024-03-11", "2024-03-12"]
    assert list(day["responses"]) == [2, 2, 3]
    assert list(day["cumulative"]) == [2, 4, 7]


def test_sections_covered(enia, fixture_data):
    covered = build_report(enia).participation["sections_covered"]
    # R6 answered only a general question: 0. R2 (5-1), R4 (5-1): 1.
    # R1 (5-1, 2), R3 (5-1, 5-3), R5 (5-1, 5-3): 2. R7 (5-1, 6, 5-3): 3.
    assert counts(covered, "sections") == {0: 1, 1: 2, 2: 3, 3: 1}


# ----------------------------------------------------------------- likert


def test_likert_overall(enia, fixture_data):
    likert = build_report(enia).likert
    q = row(likert, question="q-5-1-agree", group="all")
    # Answers: R1 5, R2 4, R3 dk, R4 2, R5 4, R7 3 → n 6, dk 1, valid 5.
    assert [q[p] for p in ("1", "2", "3", "4", "5", "dk")] == [0, 1, 1, 2, 1, 1]
    assert (q["n"], q["valid"]) == (6, 5)
    assert [q[f"share_{p}"] for p in "12345"] == approx([0, 1 / 5, 1 / 5, 2 / 5, 1 / 5])
    assert q["mean"] == approx((2 + 3 + 4 + 4 + 5) / 5)  # 3.6
    assert q["agree"] == approx(3 / 5)  # 5 took a position; 3 chose 4 or 5
    assert q["disagree"] == approx(1 / 5)  # R4 chose 2
    assert q["net"] == approx(2 / 5)
    assert q["dk_share"] == approx(1 / 6)  # over every answer, dk included


def test_likert_by_group(enia, fixture_data):
    likert = build_report(enia).likert
    q51 = rows(likert, question="q-5-1-agree")
    assert set(q51["group"]) == {"all", "academia", "business", "citizens"}
    academia = row(q51, group="academia")  # R1 5, R2 4, R3 dk
    assert (academia["n"], academia["dk"], academia["valid"]) == (3, 1, 2)
    assert (academia["4"], academia["5"]) == (1, 1)
    assert academia["mean"] == approx(9 / 2)
    assert (academia["agree"], academia["disagree"], academia["net"]) == approx((1, 0, 1))
    assert academia["dk_share"] == approx(1 / 3)
    business = row(q51, group="business")  # R4 2, R5 4 (R6 did not answer)
    assert (business["n"], business["dk"], business["valid"]) == (2, 0, 2)
    assert (business["2"], business["4"]) == (1, 1)
    assert business["mean"] == approx(6 / 2)
    assert (business["agree"], business["disagree"], business["net"]) == approx((0.5, 0.5, 0))
    assert business["dk_share"] == 0
    citizens = row(q51, group="citizens")  # R7 3
    assert (citizens["n"], citizens["3"], citizens["valid"]) == (1, 1, 1)
    assert (citizens["mean"], citizens["share_3"], citizens["net"]) == approx((3, 1, 0))


def test_likert_with_only_dont_know_has_no_mean(enia, fixture_data):
    likert = build_report(enia).likert
    q = row(likert, question="q-6-implementation-clear", group="all")  # R7 dk only
    assert (q["n"], q["dk"], q["valid"]) == (1, 1, 0)
    assert q["dk_share"] == 1
    assert all(pd.isna(q[c]) for c in ("mean", "agree", "disagree", "net", "share_1"))
    q2 = row(likert, question="q-2-objective-agree", group="all")  # R1 4 only
    assert (q2["n"], q2["4"], q2["mean"], q2["agree"]) == (1, 1, 4, 1)


# ----------------------------------------------------------------- choices


def test_single_choice(enia, fixture_data):
    choices = build_report(enia).choices
    fit = rows(choices, question="q-overall-fit")
    # All 7 answered: well R1 R2 R5; partly R3 R6; very-well R4; dont-know R7.
    overall = rows(fit, group="all")
    assert counts(overall, "option", "n") == {
        "well": 3,
        "partly": 2,
        "very-well": 1,
        "dont-know": 1,
    }
    assert set(overall["respondents"]) == {7}
    assert row(overall, option="well")["share"] == approx(3 / 7)
    assert row(overall, option="partly")["share"] == approx(2 / 7)
    academia = rows(fit, group="academia")  # R1 well, R2 well, R3 partly
    assert counts(academia, "option", "n") == {"well": 2, "partly": 1}
    assert row(academia, option="well")["share"] == approx(2 / 3)
    business = rows(fit, group="business")  # R4 very-well, R5 well, R6 partly
    assert counts(business, "option", "n") == {"very-well": 1, "well": 1, "partly": 1}
    assert list(business["share"]) == approx([1 / 3, 1 / 3, 1 / 3])
    assert row(fit, group="citizens", option="dont-know")["share"] == 1
    assert "not-at-all" not in set(choices["option"])  # only D and W chose it
    assert "poorly" not in set(choices["option"])  # only S (flagged)


def test_multiple_choice_shares_are_over_respondents_who_answered(enia, fixture_data):
    choices = build_report(enia).choices
    strengthen = rows(choices, question="q-strengthen")
    overall = rows(strengthen, group="all")
    # Answered by R1, R2, R4, R5, R7: 5 respondents (not by R3, R6).
    assert set(overall["respondents"]) == {5}
    assert counts(overall, "option", "n") == {
        "budget-funding": 4,  # R1 R2 R4 R7
        "governance": 2,  # R1 R4
        "talent-education": 2,  # R4 R5
        "ethics-rights": 1,  # R7
    }
    assert row(overall, option="budget-funding")["share"] == approx(4 / 5)
    assert row(overall, option="ethics-rights")["share"] == approx(1 / 5)
    academia = rows(strengthen, group="academia")  # R1, R2
    assert counts(academia, "option", "n") == {"budget-funding": 2, "governance": 1}
    assert row(academia, option="governance")["share"] == approx(1 / 2)
    business = rows(strengthen, group="business")  # R4, R5
    assert counts(business, "option", "n") == {
        "budget-funding": 1,
        "talent-education": 2,
        "governance": 1,
    }
    assert row(business, option="talent-education")["share"] == 1
    assert set(rows(strengthen, group="citizens")["share"]) == {1}  # R7 alone


# ----------------------------------------------------------------- ranking


def test_ranking_overall(enia, fixture_data):
    ranking = build_report(enia).ranking
    overall = rows(ranking, question="q-ranking-priority-areas", group="all")
    # Rankings of R1 [5-3 5-1 5-10], R2 [5-1 5-3 5-2 5-10], R4 [5-10 5-3], R5 [5-3],
    # R7 [5-2 5-1 5-3 5-4 5-5]: 5 respondents; 10 options, so rank r earns 11 − r points.
    assert set(overall["respondents"]) == {5}
    assert set(overall["option"]) == {"5-1", "5-2", "5-3", "5-4", "5-5", "5-10"}
    expected = {
        # option: (n, mean rank, Borda, top-3 share)
        "5-3": (5, (1 + 2 + 2 + 1 + 3) / 5, (10 + 9 + 9 + 10 + 8) / 5, 5 / 5),
        "5-1": (3, (2 + 1 + 2) / 3, (9 + 10 + 9) / 5, 3 / 5),
        "5-10": (3, (3 + 4 + 1) / 3, (8 + 7 + 10) / 5, 2 / 5),
        "5-2": (2, (3 + 1) / 2, (8 + 10) / 5, 2 / 5),
        "5-4": (1, 4, 7 / 5, 0),
        "5-5": (1, 5, 6 / 5, 0),
    }
    for option, (n, mean_rank, borda, top3_share) in expected.items():
        got = row(overall, option=option)
        assert got["n"] == n, option
        assert (got["mean_rank"], got["borda"], got["top3_share"]) == approx(
            (mean_rank, borda, top3_share)
        ), option
    assert row(overall, option="5-3")["top3"] == 5
    # Sorted by Borda score, best first.
    assert list(overall["option"]) == ["5-3", "5-1", "5-10", "5-2", "5-4", "5-5"]


def test_ranking_by_group(enia, fixture_data):
    ranking = build_report(enia).ranking
    q = rows(ranking, question="q-ranking-priority-areas")
    academia = rows(q, group="academia")  # R1, R2: 2 respondents
    assert set(academia["respondents"]) == {2}
    assert row(academia, option="5-10")["mean_rank"] == approx((3 + 4) / 2)
    assert row(academia, option="5-10")["borda"] == approx((8 + 7) / 2)
    assert row(academia, option="5-10")["top3_share"] == approx(1 / 2)
    assert row(academia, option="5-2")["borda"] == approx(8 / 2)
    business = rows(q, group="business")  # R4, R5 (R6 did not rank): 2 respondents
    assert set(business["option"]) == {"5-10", "5-3"}
    assert row(business, option="5-3")["borda"] == approx((9 + 10) / 2)
    assert row(business, option="5-10")["borda"] == approx(10 / 2)
    citizens = rows(q, group="citizens")  # R7 alone
    assert counts(citizens, "option", "borda") == {
        "5-2": 10,
        "5-1": 9,
        "5-3": 8,
        "5-4": 7,
        "5-5": 6,
    }
    assert row(citizens, option="5-4")["top3_share"] == 0
    assert "5-9" not in set(ranking["option"])  # ranked only by D and W


# ----------------------------------------------------------------- comments


def test_comments_by_section_contribution_and_group(enia, fixture_data):
    comments = build_report(enia).comments
    overall = rows(comments, group="all")
    by_cell = {(s, c): n for s, c, n in overall[["section", "contribution", "n"]].itertuples(False)}
    assert by_cell == {
        ("5-1", "problem_definition"): 2,  # R1, R4
        ("5-1", "objective_formulation"): 1,  # R2
        ("5-3", "problem_definition"): 1,  # R3
        ("5-3", "other"): 1,  # R5
        ("5-3", "objective_formulation"): 1,  # R7 (refused off-topic: still counted)
    }
    grouped = rows(comments[comments["group"] != "all"])
    cells = {tuple(r) for r in grouped[["section", "contribution", "group", "n"]].itertuples(False)}
    assert cells == {
        ("5-1", "problem_definition", "academia", 1),
        ("5-1", "problem_definition", "business", 1),
        ("5-1", "objective_formulation", "academia", 1),
        ("5-3", "problem_definition", "academia", 1),
        ("5-3", "other", "business", 1),
        ("5-3", "objective_formulation", "citizens", 1),
    }


def test_themes_by_group(enia, fixture_data):
    themes = build_report(enia).themes
    cells = {(t, g): n for t, g, n in themes[["theme", "group", "n"]].itertuples(False)}
    # Datos tags R1, R2, R4 (and D, S, which do not count); Educación R3, R5 (and W).
    assert cells == {
        ("Datos", "all"): 3,
        ("Datos", "academia"): 2,
        ("Datos", "business"): 1,
        ("Educación", "all"): 2,
        ("Educación", "academia"): 1,
        ("Educación", "business"): 1,
    }


def quote_rows(quotes: pd.DataFrame) -> list[tuple]:
    """(section, text, author) of each quote; a missing author as None."""
    return [
        (s, t, None if pd.isna(a) else a)
        for s, t, a in quotes[["section", "text", "author"]].itertuples(False)
    ]


def test_quotes_are_published_comments_of_authors_who_chose_publication(enia, fixture_data):
    quotes = build_report(enia).quotes
    got = quote_rows(quotes)
    # R3's published comment is private; R4's is pending; R7's was refused.
    # In reading order: by section, then by comment.
    assert got == [
        ("5-1", T1, "Ana Quispe"),
        ("5-1", T2_REDACTED, None),  # anonymous; the redacted text replaces the original
        ("5-3", T5, "Empresa Andina SAC"),
    ]
    assert row(quotes, text=T5)["group"] == "business"
    assert row(quotes, text=T5)["stakeholder_type"] == "company"
    assert row(quotes, text=T5)["contribution"] == "other"
    every = build_report(enia, quotes_per_section=None).quotes
    assert quote_rows(every) == got
    one = build_report(enia, quotes_per_section=1).quotes
    assert list(one["text"]) == [T1, T5]  # the first of each section


def test_no_email_in_any_frame(enia, fixture_data):
    report = build_report(enia)
    frames = [*report.participation.values(), report.likert, report.choices, report.ranking]
    frames += [report.comments, report.themes, report.quotes, report.terms]
    for frame in frames:
        assert not frame.astype(str).apply(lambda c: c.str.contains("@")).any().any()


# ----------------------------------------------------------------- terms


def terms_of(report, section: str, kind: str) -> dict[str, int]:
    found = rows(report.terms, section=section, kind=kind)
    return counts(found, "term", "comments_using")


def test_terms_count_comments_using_each_word_without_stop_words(enia, fixture_data):
    report = build_report(enia)
    # 5-1 reads T1 (R1), T2 (R2, the original: a confidential report), T4 (R4, pending).
    assert terms_of(report, "5-1", "word") == {
        "datos": 3,  # T1 uses it twice: still one comment
        "abiertos": 3,
        "inteligencia": 2,
        "artificial": 2,
        "necesarios": 1,
        "juan": 1,
        "pérez": 1,
        "opina": 1,
        "data": 1,
        "matter": 1,
        "necesitamos": 1,
        "blockchain": 1,
    }
    # Phrases used by a single comment are left out.
    assert terms_of(report, "5-1", "phrase") == {
        "datos abiertos": 3,
        "inteligencia artificial": 2,
    }
    assert set(rows(report.terms, section="5-1")["comments"]) == {3}
    stop = {"los", "son", "para", "que", "the", "and", "open", "con"}
    assert not stop & set(report.terms["term"])
    assert "xilófono" not in set(report.terms["term"])  # D and W
    assert "casino" not in set(report.terms["term"])  # S is flagged
    assert set(report.terms["section"]) == {"5-1", "5-3"}


def test_open_terms_come_only_from_published_text(enia, fixture_data):
    report = build_report(enia, audience="open")
    # Published in 5-1: T1 (R1) and the redacted T2 (R2); T4 is pending.
    assert terms_of(report, "5-1", "word") == {
        "datos": 2,
        "abiertos": 2,
        "necesarios": 1,
        "inteligencia": 1,
        "artificial": 1,
        "nombre": 1,
        "retirado": 1,
        "opina": 1,
        "importan": 1,
    }
    assert terms_of(report, "5-1", "phrase") == {"datos abiertos": 2}
    terms = set(report.terms["term"])
    assert "blockchain" not in terms  # only in a pending comment
    assert not {"juan", "pérez"} & terms  # only in the text redacted away
    assert "vendo" not in terms  # only in a refused comment


# ----------------------------------------------------------------- filters


def test_filter_by_stakeholder_types(enia, fixture_data):
    report = build_report(
        enia, ReportFilters(stakeholder_types=("company", "business_association"))
    )
    assert report.responses == 3  # R4, R5, R6
    assert counts(report.participation["group"], "group")["business"] == 3
    q = row(report.likert, question="q-5-1-agree", group="all")  # R4 2, R5 4
    assert (q["n"], q["mean"]) == (2, approx(3))
    assert set(report.likert["group"]) == {"all", "business"}


def test_filter_by_region(enia, fixture_data):
    report = build_report(enia, ReportFilters(regions=("arequipa", "abroad")))
    assert report.responses == 3  # R2, R5, R7
    q = row(report.likert, question="q-5-1-agree", group="all")  # R2 4, R5 4, R7 3
    assert (q["n"], q["mean"], q["agree"]) == (3, approx(11 / 3), approx(2 / 3))


def test_filter_by_peru_days(enia, fixture_data):
    def counted(**days):
        return build_report(enia, ReportFilters(**days)).responses

    # 11 March in Peru: R3, R4 (R2 was 11 March in UTC but 10 March in Peru).
    assert counted(date_from=date(2024, 3, 11), date_to=date(2024, 3, 11)) == 2
    # Up to 10 March: R1, R2.
    assert counted(date_to=date(2024, 3, 10)) == 2
    # From 12 March: R6 (Peru's midnight), R5, R7 (13 March in UTC).
    assert counted(date_from=date(2024, 3, 12)) == 3
    day = build_report(enia, ReportFilters(date_from=date(2024, 3, 12))).participation["day"]
    assert (list(day["day"]), list(day["cumulative"])) == (["2024-03-12"], [3])


def test_filter_by_moderation_state(enia, fixture_data):
    report = build_report(enia, ReportFilters(moderation=ModerationState.PUBLISHED))
    assert report.responses == 7  # the state narrows the comments, not the responses
    overall = rows(report.comments, group="all")
    by_cell = {(s, c): n for s, c, n in overall[["section", "contribution", "n"]].itertuples(False)}
    assert by_cell == {
        ("5-1", "problem_definition"): 1,  # R1 (R4 is pending)
        ("5-1", "objective_formulation"): 1,  # R2
        ("5-3", "problem_definition"): 1,  # R3
        ("5-3", "other"): 1,  # R5 (R7 was refused)
    }
    themes = rows(report.themes, group="all")
    assert counts(themes, "theme", "n") == {"Datos": 2, "Educación": 2}  # R1 R2; R3 R5
    pending = build_report(enia, ReportFilters(moderation=ModerationState.PENDING))
    assert list(pending.comments["n"]) == [1, 1]  # R4: the "all" row and business
    assert terms_of(pending, "5-1", "word")["blockchain"] == 1


def test_include_flagged(enia, fixture_data):
    report = build_report(enia, ReportFilters(include_flagged=True))
    assert report.responses == 8  # R1–R7 and S
    part = report.participation
    assert counts(part["stakeholder_type"], "stakeholder_type")["civil_society"] == 1
    assert list(part["day"]["day"])[-1] == "2024-03-13"
    assert list(part["day"]["cumulative"])[-1] == 8
    q = row(report.likert, question="q-5-1-agree", group="all")  # S chose 1
    assert (q["n"], q["1"], q["valid"]) == (7, 1, 6)
    assert q["mean"] == approx((1 + 2 + 3 + 4 + 4 + 5) / 6)
    assert row(report.likert, question="q-5-1-agree", group="civil_society")["n"] == 1
    assert row(report.comments, section="5-1", contribution="other", group="all")["n"] == 1
    assert counts(rows(report.themes, group="all"), "theme", "n")["Datos"] == 4
    assert "casino" in set(report.terms["term"])
    assert "not-at-all" not in set(report.choices["option"])  # D and W never count


def test_quotes_follow_the_reading_order_of_sections(enia):
    # Section 5-2 comes before 5-10 in the document, though "5-10" < "5-2" as text.
    for section in ("5-10", "5-2", "5-10", "5-2"):
        add_response(
            enia,
            submitted_at=datetime(2024, 3, 10, 15, 0),
            comments=[{"section": section, "text": f"Sobre {section}", "moderation": "published"}],
        )
    db.session.commit()
    for per_section in (None, 50, 1):
        quotes = build_report(enia, quotes_per_section=per_section).quotes
        expected = ["5-2", "5-2", "5-10", "5-10"] if per_section != 1 else ["5-2", "5-10"]
        assert list(quotes["section"]) == expected, per_section
