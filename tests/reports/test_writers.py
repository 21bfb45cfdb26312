"""The report's writers: CSV zip, XLSX, JSON and PDF, parsed back and their numbers checked.

``make_dataset`` builds a small consultation result whose figures are worked out by hand
below; the download and CLI tests use it too.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from consult.extensions import db
from consult.models import Answer, AnswerChoice, Consultation
from consult.models.vocab import ModerationState, RejectionReason
from consult.reports import writers
from consult.reports.frames import Report, build_report
from consult.reports.pdf import to_pdf
from consult.reports.privacy import open_report
from consult.reports.writers import raw_rows, to_csv_zip, to_json, to_xlsx
from tests.console.factories import build_response, make_theme

PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
NAMED_AUTHOR = "Rosa Quispe Mamani"
HIDDEN_NAME = "Nombre Oculto Anónimo"
PENDING_TEXT = "Texto pendiente que nadie debe leer"
REDACTED_ORIGINAL = "Mi teléfono es 999888777"
REDACTED_TEXT = "Texto editado por la moderación"
PRIVATE_TEXT = "Comentario de autora privada sobre talento"
LIKERT = "q-5-3-agree"


@dataclass
class Dataset:
    consultation: Consultation
    emails: list[str]


def _answer(response, questions, key, value=None, options=()):
    answer = Answer(question_id=questions[key].id, value=value)
    for position, option in options:
        answer.choices.append(AnswerChoice(option=option, position=position))
    response.answers.append(answer)


def make_dataset(consultation: Consultation) -> Dataset:
    """Twelve counted responses, plus ones a report must leave out.

    Academia (6): likert 5, 5, 4, 4, 2, dk; organisation names are formula payloads; each
    comments on 5-3 with a payload, published; the first publishes with her name, the
    second is anonymous but typed a name. Business (4 companies): likert 4, 3, 1, 1;
    a pending comment, a published redacted one, one by a private author. Citizens (2
    individuals): likert 5 and no answer; a rejected comment. Left out: a response whose
    comment is spam, a draft and a withdrawn response.
    """
    questions = {q.key: q for q in consultation.questions}
    emails = []

    def respond(n, stakeholder_type, likert, comments=(), **profile):
        email = f"persona{n:02d}@example.org"
        emails.append(email)
        response = build_response(
            consultation, comments, stakeholder_type=stakeholder_type, email=email, **profile
        )
        if likert is not None:
            _answer(response, questions, LIKERT, likert)
        return response

    tagged = []
    academia = ["5", "5", "4", "4", "2", "dk"]
    for n, (point, payload) in enumerate(zip(academia, PAYLOADS, strict=True)):
        profile = {"organisation_name": payload}
        if n == 0:
            profile.update(publication="named", display_name=NAMED_AUTHOR)
        if n == 1:
            profile.update(publication="anonymous", display_name=HIDDEN_NAME)
        comment = {"section": "5-3", "text": payload, "moderation": ModerationState.PUBLISHED}
        response = respond(n, "academia", point, [comment], **profile)
        _answer(response, questions, "q-overall-fit", "well")
        _answer(response, questions, "q-strengthen", options=[(None, "budget-funding")])
        _answer(response, questions, "q-ranking-priority-areas", options=[(1, "5-3"), (2, "5-10")])
        tagged.append(response)
    company = [
        ("4", {"section": "5-3", "text": PENDING_TEXT}),
        (
            "3",
            {
                "section": "5-3",
                "text": REDACTED_ORIGINAL,
                "redacted_text": REDACTED_TEXT,
                "moderation": ModerationState.PUBLISHED,
            },
        ),
        ("1", {"section": "5-3", "text": PRIVATE_TEXT, "moderation": ModerationState.PUBLISHED}),
        ("1", None),
    ]
    for n, (point, comment) in enumerate(company, start=6):
        publication = "private" if comment and comment["text"] == PRIVATE_TEXT else "anonymous"
        response = respond(
            n, "company", point, [comment] if comment else [], publication=publication
        )
        _answer(response, questions, "q-overall-fit", "partly")
        _answer(response, questions, "q-ranking-priority-areas", options=[(1, "5-10")])
    for n, point in ((10, "5"), (11, None)):
        rejected = {"section": "2", "text": "Fuera de tema", "moderation": "rejected"}
        respond(n, "individual", point, [rejected] if n == 10 else [], responding_as="individual")
    spam = {
        "section": "5-3",
        "text": "Compre ahora",
        "moderation": ModerationState.REJECTED,
        "rejection_reason": RejectionReason.SPAM,
    }
    build_response(consultation, [spam], stakeholder_type="company", email="spam@example.org")
    build_response(consultation, status="draft", email="borrador@example.org")
    build_response(consultation, status="withdrawn", email="retirada@example.org")
    db.session.commit()
    make_theme(consultation, "Talento", *[r.comments[0] for r in tagged[:3]])
    return Dataset(consultation, emails)


#: The likert breakdown of q-5-3-agree, worked out by hand: (n, dk, agree, disagree).
EXPECTED_LIKERT = {
    "all": (11, 1, 6 / 10, 3 / 10),
    "academia": (6, 1, 4 / 5, 1 / 5),
    "business": (4, 0, 1 / 4, 2 / 4),
    "citizens": (1, 0, 1.0, 0.0),
}
COUNTED = 12


@pytest.fixture
def dataset(enia) -> Dataset:
    return make_dataset(enia)


@pytest.fixture
def confidential(dataset) -> Report:
    return build_report(dataset.consultation)


@pytest.fixture
def open_version(app, dataset) -> Report:
    return open_report(build_report(dataset.consultation, audience="open"), 5)


# ---------------------------------------------------------------- readers


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    for name, content in files.items():
        assert content.startswith("\ufeff".encode()), f"{name} has no BOM"
    return {name: content.decode("utf-8-sig") for name, content in files.items()}


def csv_records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def all_text(report: Report, fmt: str) -> str:
    """Everything a reader of the file sees, as one string."""
    if fmt == "csv":
        return "\n".join(read_zip(to_csv_zip(report)).values())
    if fmt == "json":
        return to_json(report).decode()
    if fmt == "pdf":
        return pdf_text(to_pdf(report))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)


# ---------------------------------------------------------------- the same numbers


def test_frames_match_the_hand_worked_figures(confidential):
    assert confidential.responses == COUNTED
    likert = confidential.likert.set_index(["question", "group"])
    for group, (n, dk, agree, disagree) in EXPECTED_LIKERT.items():
        row = likert.loc[(LIKERT, group)]
        assert (row["n"], row["dk"]) == (n, dk)
        assert row["agree"] == pytest.approx(agree)
        assert row["disagree"] == pytest.approx(disagree)


def test_csv_holds_every_frame_with_its_numbers(confidential):
    files = read_zip(to_csv_zip(confidential))
    readme = files["README.txt"]
    assert "CONFIDENTIAL — coordinators only" in readme
    assert f"Responses counted: {COUNTED}" in readme
    assert "include_flagged: no" in readme
    for name in ("likert", "choices", "ranking", "comments", "themes", "quotes", "terms"):
        assert f"{name}.csv" in files
    for name in confidential.participation:
        assert f"participation_{name}.csv" in files
    groups = {
        r["group"]: int(r["responses"]) for r in csv_records(files["participation_group.csv"])
    }
    assert sum(groups.values()) == COUNTED
    assert (groups["academia"], groups["business"], groups["citizens"]) == (6, 4, 2)
    likert = {r["group"]: r for r in csv_records(files["likert.csv"]) if r["question"] == LIKERT}
    for group, (n, dk, agree, disagree) in EXPECTED_LIKERT.items():
        assert (int(likert[group]["n"]), int(likert[group]["dk"])) == (n, dk)
        assert float(likert[group]["agree"]) == pytest.approx(agree)
        assert float(likert[group]["disagree"]) == pytest.approx(disagree)
    assert not any(name.startswith("raw/") for name in files)  # none asked for


def test_xlsx_sheets_numbers_and_layout(confidential):
    data = to_xlsx(confidential)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    for name in ("Summary", "Participation", "Likert", "Choices", "Ranking", "Comments"):
        assert name in sheets
    for name in ("Themes", "Quotes", "Terms"):
        assert name in sheets
    likert = sheets["Likert"]
    likert = likert[likert["question"] == LIKERT].set_index("group")
    for group, (n, dk, agree, disagree) in EXPECTED_LIKERT.items():
        assert (likert.loc[group, "n"], likert.loc[group, "dk"]) == (n, dk)
        assert likert.loc[group, "agree"] == pytest.approx(agree)
        assert likert.loc[group, "disagree"] == pytest.approx(disagree)
    participation = sheets["Participation"]
    groups = participation[participation["breakdown"] == "group"]
    assert dict(zip(groups["category"], groups["responses"], strict=True))["academia"] == 6

    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Responses counted"] == COUNTED
    assert "CONFIDENTIAL — coordinators only" in str(book["Summary"]["A2"].value)
    sheet = book["Likert"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    agree_column = [c.value for c in sheet[1]].index("agree")
    assert sheet.cell(row=2, column=agree_column + 1).number_format == "0.0%"
    assert sheet.column_dimensions["A"].width > 10
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 2


def test_json_meta_and_frames(confidential):
    document = json.loads(to_json(confidential))
    meta = document["meta"]
    assert meta["responses"] == COUNTED
    assert meta["audience"] == "confidential"
    assert meta["slug"] == "enia-2021"
    assert meta["filters"]["stakeholder_types"] == "all"
    assert meta["computed_at"] == confidential.computed_at.isoformat()
    likert = {r["group"]: r for r in document["likert"] if r["question"] == LIKERT}
    for group, (n, dk, agree, disagree) in EXPECTED_LIKERT.items():
        assert (likert[group]["n"], likert[group]["dk"]) == (n, dk)
        assert likert[group]["agree"] == pytest.approx(agree)
        assert likert[group]["disagree"] == pytest.approx(disagree)
    assert set(document["participation"]) == set(confidential.participation)
    # NaN becomes null: no group of q-5-3 has an undefined share, but ranking's mean rank
    # of an option nobody in a group ranked does not exist; the document stays valid JSON.
    assert "NaN" not in to_json(confidential).decode()


def test_pdf_report_has_the_figures(confidential):
    text = pdf_text(to_pdf(confidential))
    assert "Informe de resultados" in text
    assert "CONFIDENCIAL" in text
    assert f"Respuestas contabilizadas: {COUNTED}" in text
    assert "Filtros" in text and "Calculado el" in text
    # the overall line of q-5-3-agree: 60 % agree, 30 % disagree, 1 of 11 don't know
    assert "de acuerdo 60,0 % · en desacuerdo 30,0 % · no sabe 9,1 %" in text
    assert "80,0 %" in text  # academia agree
    assert NAMED_AUTHOR in text  # a quote published with her name
    assert "Anónimo" in text


def test_every_format_agrees_on_the_count_and_a_breakdown(confidential, open_version):
    for report in (confidential, open_version):
        files = read_zip(to_csv_zip(report))
        assert f"Responses counted: {COUNTED}" in files["README.txt"]
        assert json.loads(to_json(report))["meta"]["responses"] == COUNTED
        assert f"Respuestas contabilizadas: {COUNTED}" in pdf_text(to_pdf(report))
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
        summary = dict(r[:2] for r in book["Summary"].iter_rows(values_only=True) if r[0])
        assert summary["Responses counted"] == COUNTED
        academia = report.likert.set_index(["question", "group"]).loc[(LIKERT, "academia")]
        from_csv = next(
            r
            for r in csv_records(files["likert.csv"])
            if (r["question"], r["group"]) == (LIKERT, "academia")
        )
        assert from_csv["n"] == "6" and academia["n"] == 6
        if report.audience == "confidential":
            assert float(from_csv["agree"]) == pytest.approx(0.8)
        else:  # a hidden count of 4s or 5s could be worked back from the share: withheld
            assert from_csv["agree"] == "" and academia["agree"] is None


# ---------------------------------------------------------------- confidential and open


def test_confidential_csv_holds_the_raw_rows(app, dataset, confidential):
    rows = raw_rows(dataset.consultation, confidential.filters)
    files = read_zip(to_csv_zip(confidential, raw_rows=rows))
    assert "raw/ holds one row per counted response" in files["README.txt"]
    responses = csv_records(files["raw/responses.csv"])
    assert len(responses) == COUNTED
    assert sorted(r["email"] for r in responses) == sorted(dataset.emails)
    assert {r["status"] for r in responses} == {"submitted"}
    assert "spam@example.org" not in files["raw/responses.csv"]
    assert list(responses[0]) == [
        "reference", "status", "stakeholder_type", "group", "region", "country",
        "responding_as", "organisation_name", "organisation_size", "gender", "age_band",
        "publication", "display_name", "email", "submitted_at",
    ]  # fmt: skip
    assert {r["group"] for r in responses} == {"academia", "business", "citizens"}
    answers = csv_records(files["raw/answers.csv"])
    likert = [a for a in answers if a["question"] == LIKERT]
    assert len(likert) == 11 and sum(a["value"] == "dk" for a in likert) == 1
    ranked = [a for a in answers if a["question"] == "q-ranking-priority-areas"]
    assert {(a["option"], a["position"]) for a in ranked} == {
        ("5-3", "1"),
        ("5-10", "2"),
        ("5-10", "1"),
    }
    comments = csv_records(files["raw/comments.csv"])
    texts = {c["text"] for c in comments}
    assert {PENDING_TEXT, REDACTED_ORIGINAL, PRIVATE_TEXT, "Fuera de tema"} <= texts
    assert "Compre ahora" not in texts  # the spam response is not counted
    redacted = next(c for c in comments if c["text"] == REDACTED_ORIGINAL)
    assert redacted["redacted_text"] == REDACTED_TEXT
    assert redacted["moderation"] == "published"
    rejected = next(c for c in comments if c["text"] == "Fuera de tema")
    assert rejected["rejection_reason"] == "off_topic"
    assert sum(c["themes"] == "Talento" for c in comments) == 3


def test_confidential_outputs_are_marked(confidential):
    assert "CONFIDENTIAL" in all_text(confidential, "xlsx")
    assert "CONFIDENTIAL" in all_text(confidential, "csv")
    assert json.loads(to_json(confidential))["meta"]["audience"] == "confidential"
    assert "CONFIDENCIAL" in all_text(confidential, "pdf")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf"])
def test_open_outputs_hold_no_personal_data(dataset, open_version, fmt):
    text = all_text(open_version, fmt)
    for email in dataset.emails:
        assert email not in text
    assert "@example.org" not in text
    assert HIDDEN_NAME not in text
    for secret in (PENDING_TEXT, REDACTED_ORIGINAL, PRIVATE_TEXT, "Fuera de tema"):
        assert secret not in text
    assert "<5" in text
    assert "CONFIDENTIAL" not in text and "CONFIDENCIAL" not in text
    if fmt != "pdf":
        assert NAMED_AUTHOR in text  # she chose to publish with her name
        assert REDACTED_TEXT in text


def test_open_csv_refuses_raw_rows_and_says_why(app, dataset, open_version):
    files = read_zip(to_csv_zip(open_version))
    assert not any(name.startswith("raw/") for name in files)
    assert "No raw response rows" in files["README.txt"]
    with pytest.raises(ValueError):
        to_csv_zip(open_version, raw_rows=raw_rows(dataset.consultation, open_version.filters))


def test_open_outputs_show_small_cells_as_less_than_k(open_version):
    files = read_zip(to_csv_zip(open_version))
    groups = {r["group"]: r["responses"] for r in csv_records(files["participation_group.csv"])}
    assert (groups["academia"], groups["business"], groups["citizens"]) == ("6", "<5", "<5")
    likert = {r["group"]: r for r in csv_records(files["likert.csv"]) if r["question"] == LIKERT}
    assert likert["business"]["n"] == "<5" and likert["business"]["agree"] == ""
    assert likert["all"]["n"] == "11"
    document = json.loads(to_json(open_version))
    business = next(
        r for r in document["likert"] if (r["question"], r["group"]) == (LIKERT, "business")
    )
    assert business["n"] == "<5" and business["agree"] is None
    sheet = pd.read_excel(io.BytesIO(to_xlsx(open_version)), sheet_name="Likert")
    row = sheet[(sheet["question"] == LIKERT) & (sheet["group"] == "business")].iloc[0]
    assert row["n"] == "<5" and pd.isna(row["agree"])
    assert "<5" in pdf_text(to_pdf(open_version))


# ---------------------------------------------------------------- spreadsheet safety


def test_csv_neutralises_formula_payloads(app, dataset, confidential):
    before = confidential.quotes.copy()
    rows = raw_rows(dataset.consultation, confidential.filters)
    files = read_zip(to_csv_zip(confidential, raw_rows=rows))
    pd.testing.assert_frame_equal(confidential.quotes, before)  # the report is untouched
    quoted = {r["text"] for r in csv_records(files["quotes.csv"])}
    names = {r["organisation_name"] for r in csv_records(files["raw/responses.csv"])}
    comments = {r["text"] for r in csv_records(files["raw/comments.csv"])}
    for payload in PAYLOADS:
        assert "'" + payload in quoted
        assert "'" + payload in names
        assert "'" + payload in comments
        assert payload not in quoted | names | comments


def test_xlsx_neutralises_formula_payloads(app, dataset, confidential):
    rows = raw_rows(dataset.consultation, confidential.filters)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(confidential, raw_rows=rows)))
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    for sheet_name, column in (("Quotes", "text"), ("Raw responses", "organisation_name")):
        sheet = book[sheet_name]
        index = [c.value for c in sheet[1]].index(column) + 1
        # XLSX stores a carriage return as _x000D_, which Excel decodes and openpyxl does not
        found = {
            str(sheet.cell(row=r, column=index).value).replace("_x000D_", "\r")
            for r in range(2, sheet.max_row + 1)
        }
        for payload in PAYLOADS:
            assert "'" + payload in found, (sheet_name, payload)


def test_confidential_xlsx_holds_the_raw_rows_that_fit(app, dataset, confidential):
    rows = raw_rows(dataset.consultation, confidential.filters)
    sheets = pd.read_excel(io.BytesIO(to_xlsx(confidential, raw_rows=rows)), sheet_name=None)
    responses = sheets["Raw responses"]
    assert len(responses) == COUNTED
    assert sorted(responses["email"]) == sorted(dataset.emails)
    assert len(sheets["Raw answers"]) == 43  # 11 likert, 10 choice, 6 options, 16 ranked
    assert len(sheets["Raw comments"]) == 10


def test_neutralise_leaves_other_values_alone():
    assert writers.neutralise("Hola") == "Hola"
    assert writers.neutralise("<5") == "<5"
    assert writers.neutralise(-3) == -3
    assert writers.neutralise("-3") == "'-3"
    frame = pd.DataFrame({"text": ["=1", "ok"], "n": [-1, 2]})
    safe = writers.safe_frame(frame)
    assert list(safe["text"]) == ["'=1", "ok"] and list(safe["n"]) == [-1, 2]
    assert list(frame["text"]) == ["=1", "ok"]


def test_xlsx_keeps_aggregates_when_rows_pass_excels_limit(app, dataset, confidential, monkeypatch):
    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 14)
    rows = raw_rows(dataset.consultation, confidential.filters)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(confidential, raw_rows=rows)))
    assert "Raw responses" in book.sheetnames  # 12 rows and a header fit in 14
    assert "Raw comments" in book.sheetnames
    assert "Raw answers" not in book.sheetnames  # 43 rows do not
    notes = [r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0] == "Raw rows"]
    assert "answers.csv: 43 rows, in the CSV download only." in notes
    assert "responses.csv: 12 rows, in sheet Raw responses." in notes
    assert len(pd.read_excel(io.BytesIO(to_xlsx(confidential)), sheet_name="Likert")) > 0

    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 5)
    quotes = openpyxl.load_workbook(io.BytesIO(to_xlsx(confidential)))["Quotes"]
    assert quotes.max_row == 5  # the header, three of seven quotes, the note
    assert quotes.cell(row=5, column=1).value == "4 more rows: see the CSV download."
