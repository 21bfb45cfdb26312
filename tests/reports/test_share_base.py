"""The share base: agreement shares over valid answers or over everyone who answered.

Six people answer the agreement question on 5.3: four agree (4, 5, 4, 5) and two say
"don't know". Over valid answers ("don't know" left out) all four of four agree: 100 %;
over everyone who answered, four of six: 67 %. Each output states which base it uses, and
CSV and JSON carry both counts (``n`` 6, ``valid`` 4), so either share can be computed.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

import openpyxl
import pytest
from flask_babel import force_locale

from consult.content import ContentError, load_bundle
from consult.extensions import db
from consult.models import Consultation
from consult.models.vocab import ShareBase
from consult.reports.frames import build_report
from consult.reports.labels import share_note
from consult.reports.privacy import open_report
from consult.reports.tables import report_page
from consult.reports.writers import to_csv_zip, to_json, to_pdf, to_xlsx
from tests.content.test_bundles import consultation, copy_bundle, count, edit_yaml
from tests.factories import build_response
from tests.reports.disclosure import audit
from tests.reports.disclosure_xlsx import read_xlsx, words
from tests.reports.test_disclosure import consultation as random_consultation
from tests.reports.test_disclosure import document, found, likert
from tests.reports.test_views import page, row, tables_of
from tests.reports.test_writers import csv_records, pdf_text, read_zip

LIKERT = "q-5-3-agree"
SIX = ["4", "5", "4", "5", "dk", "dk"]
VALID_NOTE = (
    "Shares are of those who took a position (“don't know” left out); the share of"
    " “don't know” is of everyone who answered the question."
)
ANSWERED_NOTE = (
    "Shares are of everyone who answered the question, “don't know” included; the mean"
    " (1–5) is of those who took a position."
)
#: Base → (share agreeing, as the English page prints it; the note).
STATED = {"valid": ("100%", VALID_NOTE), "answered": ("67%", ANSWERED_NOTE)}
#: The start of each note, as a chart draws it (before any quote mark or line break).
OPENING = {
    "valid": "Shares are of those who took a position",
    "answered": "Shares are of everyone who answered the question",
}


def answer(consultation: Consultation, points: list[str], stakeholder_type: str = "academia"):
    for point in points:
        responding_as = "individual" if stakeholder_type == "individual" else "organisation"
        build_response(
            consultation,
            answers={LIKERT: point},
            stakeholder_type=stakeholder_type,
            responding_as=responding_as,
        )


def six_answers(consultation: Consultation, base: str) -> None:
    """The six answers of the module docstring, on a consultation with this share base."""
    consultation.share_base = ShareBase(base)
    answer(consultation, SIX)
    db.session.commit()


def overall(report) -> dict:
    frame = report.likert
    return frame[(frame["question"] == LIKERT) & (frame["group"] == "all")].iloc[0].to_dict()


def flat(text: str) -> str:
    return " ".join(text.split())


def words_of(body: str) -> str:
    """A page's text, tags left out and entities read, on one line."""
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", body)))


# ---------------------------------------------------------------- the figures


def test_over_valid_answers_dont_know_is_left_out_of_the_shares(enia):
    six_answers(enia, "valid")
    figures = overall(build_report(enia))
    assert (figures["n"], figures["valid"], figures["dk"]) == (6, 4, 2)
    assert figures["share_base"] == "valid"
    assert figures["agree"] == pytest.approx(1.0)  # 4 of the 4 who took a position
    assert (figures["share_4"], figures["share_5"]) == (pytest.approx(0.5), pytest.approx(0.5))
    assert figures["net"] == pytest.approx(1.0)
    assert figures["dk_share"] == pytest.approx(2 / 6)
    assert figures["mean"] == pytest.approx(4.5)


def test_over_everyone_who_answered_dont_know_counts_in_the_shares(enia):
    six_answers(enia, "answered")
    report = build_report(enia)
    assert report.share_base is ShareBase.ANSWERED
    figures = overall(report)
    assert (figures["n"], figures["valid"], figures["dk"]) == (6, 4, 2)
    assert figures["share_base"] == "answered"
    assert figures["agree"] == pytest.approx(4 / 6)  # 67 %
    assert (figures["share_4"], figures["share_5"]) == (pytest.approx(2 / 6), pytest.approx(2 / 6))
    assert figures["net"] == pytest.approx(4 / 6)
    shares = [figures[f"share_{p}"] for p in "12345"] + [figures["dk_share"]]
    assert sum(shares) == pytest.approx(1.0)  # the six shares fill the whole
    assert figures["mean"] == pytest.approx(4.5)  # a mean is of the scale's points only


@pytest.mark.parametrize("base", ["valid", "answered"])
def test_the_open_report_pools_the_same_groups_whichever_the_base(enia, base):
    """Academia (6) is shown; business (2) and citizens (3) are pooled as "Other groups",
    whose figures are recomputed on the base: 4 of business, 5 and 2 of citizens agree or
    not, two say "don't know" — two agree of three valid answers, of five in all."""
    six_answers(enia, base)
    answer(enia, ["4", "dk"], "company")
    answer(enia, ["5", "2", "dk"], "individual")
    db.session.commit()
    opened = open_report(build_report(enia, audience="open"), 5)
    rows = opened.likert[opened.likert["question"] == LIKERT].set_index("group")
    assert set(rows.index) == {"all", "academia", "other_groups"}
    pool = rows.loc["other_groups"]
    assert (pool["n"], pool["valid"], pool["dk"], pool["share_base"]) == (5, 3, 2, base)
    assert pool["agree"] == pytest.approx(2 / 3 if base == "valid" else 2 / 5)
    assert pool["disagree"] == pytest.approx(1 / 3 if base == "valid" else 1 / 5)
    assert pool["mean"] == pytest.approx(11 / 3)
    assert rows.loc["academia", "agree"] == pytest.approx(1.0 if base == "valid" else 4 / 6)


def test_the_auditor_reads_shares_over_the_base_the_row_names():
    """Two "<5" counts adding up to 4: the share of point 1 over everyone who answered
    (2 of 20) pins both; read over the 16 valid answers it would be 1.6 people."""
    row = likert("q-6", "all", 4, ["<5", "<5", 5, 4, 3], n=20, valid=16)
    over_answered = dict(row, share_1=0.1, share_base="answered")
    leaks = audit(document(likert=[over_answered]))
    assert found(leaks, "likert q-6", "all", "1 printed '<5' is exactly 2")
    assert found(leaks, "likert q-6", "all", "2 printed '<5' is exactly 2")
    over_valid = dict(row, share_1=0.125, share_base="valid")  # 2 of 16: the same reading
    assert found(audit(document(likert=[over_valid])), "likert q-6", "all", "is exactly 2")


@pytest.mark.parametrize(
    ("sizes", "seed"),
    [
        ([25, 3, 5, 7, 30, 32, 4, 28, 3, 2], 362),
        ([1, 0, 32, 36, 3, 3, 4, 3, 6, 26], 5845),
        ([14, 1, 0, 1, 4, 5, 5, 8, 5, 32], 7753),
    ],
)
def test_open_outputs_over_everyone_who_answered_leak_nothing(enia, sizes, seed):
    """The disclosure auditor, reading shares as shares of ``n``, finds nothing to learn
    about fewer than K people in the open JSON and XLSX (the auditor's own examples)."""
    enia.share_base = ShareBase.ANSWERED
    random_consultation(enia, sizes, seed)
    report = build_report(enia, audience="open")
    truth = json.loads(to_json(report))
    labels = words(enia.profile)
    for k in (3, 5):
        opened = open_report(report, k)
        document = json.loads(to_json(opened))
        workbook = read_xlsx(to_xlsx(opened), labels, k)
        for output in (document, workbook):
            assert {r["share_base"] for r in output["likert"]} == {"answered"}
            assert audit(output, truth=truth) == [], f"K = {k}"


# ---------------------------------------------------------------- what people read


@pytest.mark.parametrize("base", ["valid", "answered"])
def test_the_report_page_says_which_base_every_agreement_table_uses(coordinator_client, enia, base):
    six_answers(enia, base)
    coordinator_client.get("/console/?lang=en")
    body = page(coordinator_client)
    agree, note = STATED[base]
    likert = tables_of(body)[f"q-{LIKERT}-1"]
    figures = dict(zip(likert[0], row(likert, "All respondents"), strict=True))
    assert figures["Agree (4–5)"] == agree
    assert figures["Answers"] == "6"
    text = words_of(body)
    # The question's table, the overview and the net-agreement matrix each carry the note.
    assert text.count(note) == 3
    assert text.count(STATED["valid" if base == "answered" else "answered"][1]) == 0
    table = re.search(rf'<table id="q-{LIKERT}-1"[^>]*>', body).group(0)
    assert f'aria-describedby="q-{LIKERT}-1-note"' in table


def test_the_public_results_say_which_base_they_use(client, enia):
    six_answers(enia, "answered")
    enia.summary_published = True
    db.session.commit()
    client.get("/?lang=en")
    body = client.get("/c/enia-2021/results").get_data(as_text=True)
    figures = dict(
        zip(
            tables_of(body)[f"q-{LIKERT}-1"][0],
            row(tables_of(body)[f"q-{LIKERT}-1"], "All respondents"),
            strict=True,
        )
    )
    assert figures["Agree (4–5)"] == "67%"
    assert ANSWERED_NOTE in words_of(body)


def test_every_agreement_chart_carries_the_note(app, enia):
    six_answers(enia, "answered")
    with app.test_request_context("/?lang=en"), force_locale("en"):
        report = build_report(enia)
        shown = report_page(report, enia)
        charts = [shown["likert_overview"]] + [
            t for q in shown["questions"] if q["key"] == LIKERT for t in q["tables"]
        ]
        for table in charts:
            assert table.note == ANSWERED_NOTE
            assert OPENING["answered"] in words_of(table.svg)
        assert shown["matrix"].note == ANSWERED_NOTE


# ---------------------------------------------------------------- downloads


@pytest.fixture
def english(app):
    with force_locale("en"):
        yield


@pytest.mark.parametrize("base", ["valid", "answered"])
def test_csv_and_json_carry_both_counts_and_the_base(enia, english, base):
    six_answers(enia, base)
    report = build_report(enia)
    files = read_zip(to_csv_zip(report))
    rows = [r for r in csv_records(files["likert.csv"]) if r["question"] == LIKERT]
    everyone = next(r for r in rows if r["group"] == "all")
    assert (everyone["n"], everyone["valid"], everyone["dk"]) == ("6", "4", "2")
    assert everyone["share_base"] == base
    # Either share follows from the counts.
    agreeing = int(everyone["4"]) + int(everyone["5"])
    over = int(everyone["valid"] if base == "valid" else everyone["n"])
    assert float(everyone["agree"]) == pytest.approx(agreeing / over)
    readme = flat(files["README.txt"])
    assert f"Agreement shares: {STATED[base][1]}" in readme
    assert "share_base names the one that share_1 to share_5, agree, disagree" in readme

    document = json.loads(to_json(report))
    assert document["meta"]["share_base"] == base
    assert document["meta"]["share_note"] == STATED[base][1]
    record = next(r for r in document["likert"] if (r["question"], r["group"]) == (LIKERT, "all"))
    assert (record["n"], record["valid"], record["share_base"]) == (6, 4, base)
    assert record["agree"] == pytest.approx(1.0 if base == "valid" else 4 / 6)


@pytest.mark.parametrize("base", ["valid", "answered"])
def test_the_xlsx_says_which_base_under_the_table_on_the_chart_and_in_the_summary(
    enia, english, base
):
    six_answers(enia, base)
    data = to_xlsx(build_report(enia))
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [list(r) for r in book["Agreement"].iter_rows(values_only=True)]
    header = cells[0]
    assert {"Answers to the question", "Took a position", "Share base"} <= set(header)
    overall_row = next(
        dict(zip(header, r, strict=True))
        for r in cells[1:]
        if r[0] == LIKERT and r[header.index("Stakeholder group")] == "All respondents"
    )
    assert overall_row["Share base"] == ShareBase(base).label
    assert (overall_row["Answers to the question"], overall_row["Took a position"]) == (6, 4)
    assert overall_row["Agree (4–5)"] == pytest.approx(1.0 if base == "valid" else 4 / 6)
    notes = [r[0] for r in cells if r[0] and all(v is None for v in r[1:])]
    assert notes == [STATED[base][1]]
    summary = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r[0]}
    assert summary["Agreement shares"] == STATED[base][1]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = archive.read("xl/charts/chart2.xml").decode()  # chart1: participation
    assert OPENING[base] in chart


@pytest.mark.parametrize("base", ["valid", "answered"])
def test_the_pdf_says_which_base(enia, english, base):
    six_answers(enia, base)
    text = flat(pdf_text(to_pdf(build_report(enia))))
    assert STATED[base][1] in text
    assert f"agree {'100.0' if base == 'valid' else '66.7'} %" in text


def test_the_note_is_said_in_spanish_too(app):
    with force_locale("es"):
        assert share_note("valid") == (
            "Los porcentajes son de quienes tomaron posición (sin contar «No sé»); el de"
            " «No sé» es de todas las personas que respondieron la pregunta."
        )
        assert share_note("answered") == (
            "Los porcentajes son de todas las personas que respondieron la pregunta, «No sé»"
            " incluido; el promedio (1–5) es de quienes tomaron posición."
        )


# ---------------------------------------------------------------- the bundle


def test_a_bundle_chooses_its_share_base_and_valid_is_the_default(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    load_bundle(bundle)
    assert consultation("small-test").share_base is ShareBase.VALID

    edit_yaml(bundle / "consultation.yaml", lambda meta: meta.update(share_base="answered"))
    report = load_bundle(bundle)
    assert consultation("small-test").share_base is ShareBase.ANSWERED
    assert report.updated == ["consultation small-test"]


def test_the_shipped_draft_keeps_valid_answers(enia):
    assert enia.share_base is ShareBase.VALID


def test_a_bundle_with_another_share_base_is_refused(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / "consultation.yaml", lambda meta: meta.update(share_base="everyone"))
    with pytest.raises(ContentError) as refused:
        load_bundle(bundle)
    message = str(refused.value)
    assert "consultation.yaml: share_base must be valid or answered, not 'everyone'" in message
    assert count(Consultation) == 0
