"""The report's writers: CSV zip, XLSX, JSON and PDF, parsed back and their numbers checked.

``make_dataset`` builds a small consultation result whose figures are worked out by hand
below; the download and CLI tests use it too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

import openpyxl
import pandas as pd
import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from consult.extensions import db
from consult.models import Answer, AnswerChoice, Consultation
from consult.models.vocab import ModerationState, RejectionReason
from consult.reports import writers
from consult.reports.frames import Report, build_report
from consult.reports.privacy import open_report
from consult.reports.writers import csv_zip, raw_rows, to_csv_zip, to_json, to_pdf, to_xlsx
from consult.reports.writers import xlsx as xlsx_writer
from tests.factories import build_response, make_theme

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


@pytest.fixture
def english(app):
    """Write in English (outside a request, reports are written in Spanish)."""
    with force_locale("en"):
        yield


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


def sheet(data: bytes, name: str, **kwargs) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name=name, **kwargs)


def summary_of(data: bytes) -> dict:
    """The Summary sheet's label → value (whatever its name, it is the first sheet)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r[0]}


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


def test_csv_holds_every_frame_with_its_numbers(confidential, english):
    files = read_zip(to_csv_zip(confidential))
    readme = files["README.txt"]
    assert "CONFIDENTIAL — coordinators only" in readme
    assert f"Responses counted: {COUNTED}" in readme
    assert "Filter: Responses with comments flagged as spam or duplicates: Left out" in readme
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


def test_csv_names_options_in_the_reports_language_beside_their_codes(confidential):
    def options(files):
        choices = [
            (r["option"], r["option_label"], r["group"], r["n"])
            for r in csv_records(files["choices.csv"])
        ]
        ranked = {r["option"]: r["option_label"] for r in csv_records(files["ranking.csv"])}
        return choices, ranked

    spanish = read_zip(to_csv_zip(confidential))
    choices, ranked = options(spanish)
    assert ("well", "Bien", "all", "6") in choices  # six academics answered "well"
    assert ("budget-funding", "Presupuesto y financiamiento", "academia", "6") in choices
    assert ranked == {
        "5-3": "Educación y competencias",
        "5-10": "Acceso, intercambio y gobernanza de datos",
    }
    assert "Respuestas contabilizadas: 12" in spanish["README.txt"]
    assert "CONFIDENCIAL — solo para coordinadores" in spanish["README.txt"]
    with force_locale("en"):
        english = read_zip(to_csv_zip(confidential))
    choices, ranked = options(english)
    assert ("well", "Well", "all", "6") in choices
    assert ranked["5-3"] == "Education and skills"
    # options.csv names every option in both languages, whatever the report's language.
    for files in (spanish, english):
        listed = {(r["question"], r["option"]): r for r in csv_records(files["options.csv"])}
        assert listed[("q-overall-fit", "partly")]["label_es"] == "En parte"
        assert listed[("q-overall-fit", "partly")]["label_en"] == "Partly"
        assert len([k for k in listed if k[0] == "q-ranking-priority-areas"]) == 10


def test_xlsx_sheets_numbers_and_layout(confidential, english):
    data = to_xlsx(confidential)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets)[:10] == [
        "Summary", "Participation", "Agreement", "Choices", "Rankings", "Comments",
        "Comments on passages", "Themes", "Quotes", "Words",
    ]  # fmt: skip
    likert = sheets["Agreement"]
    assert list(likert.columns[:3]) == ["Question code", "Question", "Stakeholder group"]
    likert = likert[likert["Question code"] == LIKERT].set_index("Stakeholder group")
    prompts = confidential.questions.set_index("question")["prompt_en"]
    assert set(likert["Question"]) == {prompts[LIKERT]}  # the wording, in English
    names = {"all": "All respondents", "academia": "Academia", "business": "Business",
             "citizens": "Citizens"}  # fmt: skip
    for group, (n, dk, agree, disagree) in EXPECTED_LIKERT.items():
        row = likert.loc[names[group]]
        assert (row["Answers to the question"], row["Don't know"]) == (n, dk)
        assert row["Agree (4–5)"] == pytest.approx(agree)
        assert row["Disagree (1–2)"] == pytest.approx(disagree)
    participation = sheets["Participation"]
    groups = participation[participation["Breakdown"] == "Stakeholder group"]
    assert dict(zip(groups["Category"], groups["Responses"], strict=True))["Academia"] == 6
    choices = sheets["Choices"]
    well = choices[
        (choices["Option"] == "Well") & (choices["Stakeholder group"] == "All respondents")
    ]
    assert list(well["Option (code)"]) == ["well"] and list(well["Chose it"]) == [6]

    assert summary_of(data)["Responses counted"] == COUNTED
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "CONFIDENTIAL — coordinators only" in str(book["Summary"]["A2"].value)
    agreement = book["Agreement"]
    assert agreement.freeze_panes == "A2"
    assert agreement["A1"].font.bold
    agree_column = [c.value for c in agreement[1]].index("Agree (4–5)")
    assert agreement.cell(row=2, column=agree_column + 1).number_format == "0.0%"
    assert agreement.column_dimensions["A"].width > 10
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 2


def test_xlsx_in_spanish(confidential):
    data = to_xlsx(confidential)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets)[:4] == ["Resumen", "Participación", "Acuerdo", "Opciones"]
    summary = summary_of(data)
    assert summary["Respuestas contabilizadas"] == COUNTED
    assert summary["Filtro: Tipos de actor"] == "Todas"
    likert = sheets["Acuerdo"]
    overall = likert[likert["Grupo de actores"] == "Todas las personas que respondieron"].iloc[0]
    assert (overall["Respuestas a la pregunta"], overall["No sé"]) == (11, 1)
    assert overall["De acuerdo (4–5)"] == pytest.approx(0.6)
    choices = sheets["Opciones"]
    assert "Presupuesto y financiamiento" in set(choices["Opción"])
    assert "budget-funding" in set(choices["Opción (código)"])
    ranking = sheets["Prioridades"]
    assert set(ranking["Opción"]) == {
        "Educación y competencias",
        "Acceso, intercambio y gobernanza de datos",
    }


def test_json_meta_and_frames(confidential):
    document = json.loads(to_json(confidential))
    meta = document["meta"]
    assert meta["responses"] == COUNTED
    assert meta["audience"] == "confidential"
    assert meta["slug"] == "enia-2021"
    assert meta["language"] == "es"
    assert meta["filters"] == {
        "stakeholder_types": [], "regions": [], "date_from": None, "date_to": None,
        "moderation": None, "include_flagged": False, "channels": [], "by": "group",
    }  # fmt: skip
    assert ["Tipos de actor", "Todas"] in meta["filters_described"]
    assert meta["computed_at"] == confidential.computed_at.isoformat()
    assert meta["min_cell"] is None and meta["privacy_note"] is None
    likert = {r["group"]: r for r in document["likert"] if r["question"] == LIKERT}
    for group, (n, dk, agree, disagree) in EXPECTED_LIKERT.items():
        assert (likert[group]["n"], likert[group]["dk"]) == (n, dk)
        assert likert[group]["agree"] == pytest.approx(agree)
        assert likert[group]["disagree"] == pytest.approx(disagree)
    assert set(document["participation"]) == set(confidential.participation)
    well = next(r for r in document["choices"] if (r["option"], r["group"]) == ("well", "all"))
    assert (well["option_label"], well["n"]) == ("Bien", 6)
    # NaN becomes null: no group of q-5-3 has an undefined share, but ranking's mean rank
    # of an option nobody in a group ranked does not exist; the document stays valid JSON.
    assert "NaN" not in to_json(confidential).decode()


def test_pdf_report_has_the_figures(confidential):
    text = pdf_text(to_pdf(confidential))
    assert "Informe de resultados" in text
    assert "CONFIDENCIAL" in text
    assert f"Respuestas contabilizadas: {COUNTED}" in text
    assert "Filtros" in text and "Calculado el" in text
    assert "Tipos de actor: Todas" in text
    # the overall line of q-5-3-agree: 60 % agree, 30 % disagree, 1 of 11 don't know
    assert "de acuerdo 60,0 % · en desacuerdo 30,0 % · no sabe 9,1 %" in text
    assert "80,0 %" in text  # academia agree
    assert NAMED_AUTHOR in text  # a quote published with her name
    assert "Anónimo" in text
    # options by their labels, never their codes
    assert "Bien 6 60,0 %" in text and "Presupuesto y financiamiento 6 100,0 %" in text
    assert "Educación y competencias" in text
    for code in ("budget-funding", "partly", "5-10"):
        assert code not in text


def test_pdf_in_english(confidential, english):
    text = pdf_text(to_pdf(confidential))
    assert "Results report" in text and "Informe de resultados" not in text
    assert "CONFIDENTIAL — coordinators only" in text
    assert f"Responses counted: {COUNTED}" in text
    assert "Stakeholder types: All" in text
    assert "agree 60.0 % · disagree 30.0 % · don't know 9.1 %" in text
    assert "Well 6 60.0 %" in text and "Budget and funding" in text
    assert "Education and skills" in text


def test_every_format_agrees_on_the_count_and_a_breakdown(confidential, open_version, english):
    for report in (confidential, open_version):
        files = read_zip(to_csv_zip(report))
        assert f"Responses counted: {COUNTED}" in files["README.txt"]
        assert json.loads(to_json(report))["meta"]["responses"] == COUNTED
        assert f"Responses counted: {COUNTED}" in pdf_text(to_pdf(report))
        assert summary_of(to_xlsx(report))["Responses counted"] == COUNTED
        academia = report.likert.set_index(["question", "group"]).loc[(LIKERT, "academia")]
        from_csv = next(
            r
            for r in csv_records(files["likert.csv"])
            if (r["question"], r["group"]) == (LIKERT, "academia")
        )
        assert from_csv["n"] == "6" and academia["n"] == 6
        # Six is enough for a group of its own: the open report publishes it whole.
        assert float(from_csv["agree"]) == pytest.approx(0.8) == academia["agree"]


# ---------------------------------------------------------------- confidential and open


def test_confidential_csv_holds_the_raw_rows(app, dataset, confidential, english):
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


class ManyRows:
    """A raw file of incompressible rows, counting how many have been read."""

    name = "many.csv"
    columns = ["n", "noise"]

    def __init__(self, rows: int) -> None:
        self.total, self.read = rows, 0

    def rows(self):
        for n in range(self.total):
            self.read += 1
            yield [n, hashlib.sha256(str(n).encode()).hexdigest() * 2]


def test_the_csv_zip_streams_raw_rows_batch_by_batch(confidential, monkeypatch):
    monkeypatch.setattr(csv_zip, "RAW_BATCH", 500)
    raw = ManyRows(40_000)  # about 5 MB of text that deflate cannot shrink much
    chunks = csv_zip.csv_zip_chunks(confidential, raw_rows=[raw])
    first = next(chunks)  # README and every aggregate, before any raw row is read
    assert raw.read == 0
    assert "README.txt" in first.decode("latin-1")
    seen = [first]
    read_when = []
    for chunk in chunks:
        seen.append(chunk)
        read_when.append(raw.read)
    assert read_when[0] < raw.total  # raw bytes go out while rows are still being read
    assert len(seen) > 20
    assert max(len(c) for c in seen[1:]) < 512 * 1024  # each chunk stays small
    with zipfile.ZipFile(io.BytesIO(b"".join(seen))) as archive:
        assert archive.testzip() is None
        rows = list(csv.reader(io.StringIO(archive.read("raw/many.csv").decode("utf-8-sig"))))
    assert rows[0] == ["n", "noise"] and len(rows) == 40_001 and rows[-1][0] == "39999"


def test_confidential_outputs_are_marked(confidential):
    assert "CONFIDENCIAL" in all_text(confidential, "xlsx")
    assert "CONFIDENCIAL" in all_text(confidential, "csv")
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
    assert "Otros grupos" in " ".join(text.split())  # the rule, stated in every open output
    assert "CONFIDENTIAL" not in text and "CONFIDENCIAL" not in text
    if fmt != "pdf":
        assert NAMED_AUTHOR in text  # she chose to publish with her name
        assert REDACTED_TEXT in text


def test_open_csv_refuses_raw_rows_and_says_why(app, dataset, open_version, english):
    files = read_zip(to_csv_zip(open_version))
    assert not any(name.startswith("raw/") for name in files)
    assert "No raw response rows" in files["README.txt"]
    with pytest.raises(ValueError):
        to_csv_zip(open_version, raw_rows=raw_rows(dataset.consultation, open_version.filters))


def test_open_outputs_pool_small_groups_and_publish_the_rest(open_version, english):
    """Business (4) and citizens (2) are pooled as "Other groups"; academia (6) and every
    figure of a published row, small counts included, are published as they are."""
    rule = "Groups with fewer than 5 responses are shown together as “Other groups”."
    files = read_zip(to_csv_zip(open_version))
    assert rule in " ".join(files["README.txt"].split())
    groups = {r["group"]: r["responses"] for r in csv_records(files["participation_group.csv"])}
    assert (groups["academia"], groups["other_groups"]) == ("6", "6")
    assert "business" not in groups and "citizens" not in groups
    likert = {r["group"]: r for r in csv_records(files["likert.csv"]) if r["question"] == LIKERT}
    assert set(likert) == {"all", "academia", "other_groups"}
    # Business 4, 3, 1, 1 and a citizen's 5: five answers, two of them 4 or 5.
    assert likert["other_groups"]["n"] == "5" and float(likert["other_groups"]["agree"]) == 0.4
    assert likert["other_groups"]["1"] == "2"  # a small count, of a group of five
    assert (likert["all"]["n"], likert["all"]["dk"], likert["all"]["valid"]) == ("11", "1", "10")
    document = json.loads(to_json(open_version))
    pooled = next(
        r for r in document["likert"] if (r["question"], r["group"]) == (LIKERT, "other_groups")
    )
    assert pooled["n"] == 5 and pooled["agree"] == pytest.approx(0.4)
    assert document["meta"]["min_cell"] == 5
    assert document["meta"]["privacy_note"].startswith(rule)
    agreement = sheet(to_xlsx(open_version), "Agreement")
    row = agreement[
        (agreement["Question code"] == LIKERT) & (agreement["Stakeholder group"] == "Other groups")
    ].iloc[0]
    assert row["Answers to the question"] == 5 and row["Agree (4–5)"] == pytest.approx(0.4)
    categories = set(sheet(to_xlsx(open_version), "Participation")["Category"].astype(str))
    assert "Other groups" in categories and "other_groups" not in categories
    text = " ".join(pdf_text(to_pdf(open_version)).split())
    assert "Other groups" in text and rule in text
    assert "<5" not in text and "Business" not in text


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


def test_xlsx_writes_formula_payloads_as_plain_text(app, dataset, confidential, english):
    """No cell is a formula, and text reads as written: a string cell never runs, so no
    neutralising apostrophe is needed (or shown) in a workbook."""
    rows = raw_rows(dataset.consultation, confidential.filters)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(confidential, raw_rows=rows)))
    for worksheet in book:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate, cell.value)
    for sheet_name, column in (("Quotes", "Text"), ("Raw responses", "Organisation")):
        worksheet = book[sheet_name]
        index = [c.value for c in worksheet[1]].index(column) + 1
        # XLSX stores a carriage return as _x000D_, which Excel decodes and openpyxl does not
        found = {
            str(worksheet.cell(row=r, column=index).value).replace("_x000D_", "\r")
            for r in range(2, worksheet.max_row + 1)
        }
        for payload in PAYLOADS:
            assert payload in found, (sheet_name, payload)
            assert "'" + payload not in found, (sheet_name, payload)


def test_confidential_xlsx_holds_the_raw_rows_that_fit(app, dataset, confidential, english):
    rows = raw_rows(dataset.consultation, confidential.filters)
    sheets = pd.read_excel(io.BytesIO(to_xlsx(confidential, raw_rows=rows)), sheet_name=None)
    responses = sheets["Raw responses"]
    assert len(responses) == COUNTED
    assert sorted(responses["Email"]) == sorted(dataset.emails)
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


def raw_notes(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r[0] == "Raw rows"]


def test_xlsx_keeps_aggregates_when_rows_pass_excels_limit(
    app, dataset, confidential, monkeypatch, english
):
    monkeypatch.setattr(xlsx_writer, "EXCEL_MAX_ROWS", 14)
    rows = raw_rows(dataset.consultation, confidential.filters)
    data = to_xlsx(confidential, raw_rows=rows)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Raw responses" in book.sheetnames  # 12 rows and a header fit in 14
    assert "Raw comments" in book.sheetnames
    assert "Raw answers" not in book.sheetnames  # 43 rows do not
    notes = raw_notes(data)
    assert "answers.csv: 43 rows, in the CSV download only." in notes
    assert "responses.csv: 12 rows, in the sheet “Raw responses”." in notes
    assert len(sheet(to_xlsx(confidential), "Agreement")) > 0

    monkeypatch.setattr(xlsx_writer, "EXCEL_MAX_ROWS", 5)
    quotes = openpyxl.load_workbook(io.BytesIO(to_xlsx(confidential)))["Quotes"]
    assert quotes.max_row == 5  # the header, three of seven quotes, the note
    assert quotes.cell(row=5, column=1).value == "4 more rows: see the CSV download."


def test_xlsx_built_on_the_web_leaves_long_raw_files_to_the_csv(
    app, dataset, confidential, english
):
    rows = raw_rows(dataset.consultation, confidential.filters)
    data = to_xlsx(confidential, raw_rows=rows, raw_limit=20)
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert "Raw responses" in names and "Raw comments" in names  # 12 and 10 rows
    assert "Raw answers" not in names  # 43 rows
    (note,) = [n for n in raw_notes(data) if n.startswith("answers.csv")]
    assert "too many for a workbook built on the web" in note
    assert "consult report --format xlsx" in note
