"""The coordinators' report page: its numbers, its filters, publication, and its queries."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Answer, AnswerChoice, AuditEntry, Comment, Consultation, Response
from consult.models.vocab import ModerationState, QuestionType
from tests.conftest import (
    goes_to_sign_in,
    session_csrf_token,
    statements,
)
from tests.factories import build_response, make_theme

REPORT = "/console/c/enia-2021/report/"
PUBLISH = "/console/c/enia-2021/report/publish"
LIKERT = "q-5-3-agree"
DAY = datetime(2026, 3, 10, 15, 0)


def respond(
    consultation: Consultation,
    answers: Mapping[str, str | list[str]] = (),
    *comments,
    **profile,
) -> Response:
    """A submitted response with these answers (likert point, choice code, or codes in
    order), added to the session; the caller commits."""
    response = build_response(consultation, comments, submitted_at=DAY, **profile)
    questions = {q.key: q for q in consultation.questions}
    for key, value in dict(answers).items():
        question = questions[key]
        answer = Answer(question_id=question.id)
        if question.type is QuestionType.RANKING:
            answer.choices = [AnswerChoice(option=c, position=i) for i, c in enumerate(value, 1)]
        elif question.type is QuestionType.MULTIPLE_CHOICE:
            answer.choices = [AnswerChoice(option=c) for c in value]
        else:
            answer.value = value
        response.answers.append(answer)
    return response


def known_responses(consultation: Consultation) -> None:
    """Seven responses worked out by hand in the tests below.

    Likert on 5.3: academia 5, 5, 4, 1; business (company) 2, don't know; citizens 3.
    Overall fit: academia well ×3 and partly; business poorly; citizens well.
    """
    academia = [("5", "well"), ("5", "well"), ("4", "well"), ("1", "partly")]
    for n, (point, fit) in enumerate(academia):
        respond(
            consultation,
            {
                LIKERT: point,
                "q-overall-fit": fit,
                "q-strengthen": ["budget-funding", "governance"],
                "q-ranking-priority-areas": ["5-3", "5-1", "5-2"],
            },
            ("5-3", f"La formación docente importa {n}"),
            stakeholder_type="academia",
            email=f"investigadora{n}@example.org",
        )
    for point, fit in (("2", "poorly"), ("dk", None)):
        answers = {LIKERT: point, "q-overall-fit": fit} if fit else {LIKERT: point}
        respond(consultation, answers, stakeholder_type="company", region="cusco")
    respond(
        consultation,
        {LIKERT: "3", "q-overall-fit": "well", "q-ranking-priority-areas": ["5-1", "5-3"]},
        stakeholder_type="individual",
        responding_as="individual",
        region="cusco",
    )
    db.session.commit()


class Tables(HTMLParser):
    """The text of each table's cells, by table id: {id: [[cell, …], …]}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.current = dict(attrs).get("id")
            self.tables[self.current] = []
        elif tag == "tr" and self.current:
            self.tables[self.current].append([])
        elif tag in ("td", "th") and self.current:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[self.current][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables_of(body: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(body)
    return parser.tables


def row(table: list[list[str]], label: str) -> list[str]:
    found = [r for r in table if r and r[0] == label]
    assert found, f"no row {label!r} in {[r[0] for r in table if r]}"
    return found[0]


@pytest.fixture
def coordinator_client(coordinator_client: FlaskClient) -> FlaskClient:
    """The signed-in coordinator, reading in English."""
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


def page(client: FlaskClient, url: str = REPORT) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.status_code
    return reply.get_data(as_text=True)


# ---------------------------------------------------------------- numbers


def test_report_page_shows_likert_results_overall_and_by_group(coordinator_client, enia):
    known_responses(enia)
    body = page(coordinator_client)
    tables = tables_of(body)
    likert = tables[f"q-{LIKERT}-1"]
    header = likert[0]
    assert header[:3] == ["Group", "Answers", "Strongly disagree"]
    overall = dict(zip(header, row(likert, "All respondents"), strict=True))
    assert overall["Answers"] == "7"
    assert overall["Strongly agree"] == "2 (33%)"  # of the six who took a position
    assert overall["Don't know"] == "1 (14%)"  # of all seven
    assert overall["Mean (1–5)"] == "3.33"
    assert (overall["Agree (4–5)"], overall["Disagree (1–2)"]) == ("50%", "33%")
    assert overall["Net agreement"] == "17%"
    academia = dict(zip(header, row(likert, "Academia"), strict=True))
    assert academia["Answers"] == "4"
    assert academia["Strongly agree"] == "2 (50%)"
    assert academia["Mean (1–5)"] == "3.75"
    assert academia["Net agreement"] == "50%"
    business = dict(zip(header, row(likert, "Business"), strict=True))
    assert business["Disagree"] == "1 (100%)"
    assert business["Net agreement"] == "-100%"
    matrix = tables["stance-matrix"]
    assert matrix[0][1:] == ["All respondents", "Business", "Academia", "Citizens"]
    assert row(
        matrix, "5.3. Education and skills — I agree with the target proposed for this area."
    )[1:] == ["17%", "-100%", "50%", "0%"]


def test_report_page_shows_choice_shares_and_rankings(coordinator_client, enia):
    known_responses(enia)
    tables = tables_of(page(coordinator_client))
    fit = tables["q-q-overall-fit-1"]
    assert fit[0] == ["Option", "All respondents", "Business", "Academia", "Citizens"]
    assert row(fit, "Well")[1:] == ["4 (67%)", "0 (0%)", "3 (75%)", "1 (100%)"]
    strengthen = tables["q-q-strengthen-1"]
    assert row(strengthen, "Budget and funding")[1:] == ["4 (100%)", "4 (100%)"]
    ranking = tables["q-q-ranking-priority-areas-1"]
    assert ranking[0][1:] == [
        "Ranked it",
        "Mean rank",
        "Borda score",
        "Share ranking it in the top 3",
    ]
    # 5-3: first four times (10 points each) and second once (9): 49 / 5 respondents.
    assert row(ranking, "Education and skills")[1:] == ["5", "1.20", "9.80", "100%"]
    by_group = tables["q-q-ranking-priority-areas-2"]
    assert ["Education and skills", "Citizens", "1", "2.00", "9.00", "100%"] in by_group


def test_participation_comments_and_charts_are_on_the_page(coordinator_client, enia):
    known_responses(enia)
    comments = db.session.scalars(sa.select(Comment).order_by(Comment.id)).all()
    comments[0].moderation = ModerationState.PUBLISHED
    make_theme(enia, "Docentes", *comments[:3])
    body = page(coordinator_client)
    tables = tables_of(body)
    groups = tables["participation-1"]
    assert row(groups, "Academia") == ["Academia", "4"]
    assert row(groups, "Business") == ["Business", "2"]
    assert row(tables["comments-5-3"], "Academia")[1:] == ["4", "0", "0", "4"]
    assert row(tables["themes-table"], "Docentes")[1:] == ["3", "3"]
    assert row(tables["terms-5-3"], "formación docente")[1:] == ["Phrase", "4"]
    quotes = re.findall(r'<p class="answer-text">([^<]*)</p>', body)
    assert quotes == ["La formación docente importa 0"]  # published ones only
    assert body.count("<h1") == 1
    assert body.count('<img alt="" src="data:image/svg+xml;base64,') >= 4  # the charts
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids))  # charts' own ids are kept apart
    assert "<caption id=" in body
    assert "investigadora0@example.org" not in body


def test_the_page_reads_well_before_any_response(coordinator_client, enia):
    body = page(coordinator_client)
    assert "<strong>0</strong> submitted responses counted" in body
    assert "No answers yet." in body and "No comments." in body
    assert row(tables_of(body)["participation-1"], "Academia") == ["Academia", "0"]


def test_filters_change_what_is_counted_and_are_printed(coordinator_client, enia):
    known_responses(enia)
    body = page(coordinator_client)
    assert "<strong>7</strong> submitted responses counted" in body
    body = page(coordinator_client, f"{REPORT}?stakeholder_type=academia&region=lima_metropolitana")
    assert "<strong>4</strong> submitted responses counted" in body
    assert "<dt>Stakeholder types</dt><dd>Academia or research</dd>" in body
    assert "<dt>Regions</dt><dd>Lima Metropolitana</dd>" in body
    assert row(tables_of(body)["participation-1"], "Business") == ["Business", "0"]
    later = (DAY + timedelta(days=1)).date().isoformat()
    body = page(coordinator_client, f"{REPORT}?date_from={later}&stakeholder_type=nonsense")
    assert "<strong>0</strong> submitted responses counted" in body
    assert "were ignored: stakeholder_type" in body


def test_filters_are_kept_in_the_download_links(app, coordinator_client, enia):
    if "console.reports.download_xlsx" not in app.view_functions:
        pytest.skip("the downloads are not there yet")
    known_responses(enia)
    body = page(coordinator_client, f"{REPORT}?stakeholder_type=academia&include_flagged=1")
    links = [html.unescape(u) for u in _hrefs(body) if "/report/report." in u]
    assert len(links) == 8
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["stakeholder_type"] == ["academia"]
        assert query["include_flagged"] == ["1"]
    assert {parse_qs(urlsplit(u).query)["audience"][0] for u in links} == {"open", "confidential"}
    assert "Confidential: for coordinators only." in body


def _hrefs(body: str) -> list[str]:
    class Links(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.found.append(dict(attrs)["href"])

    parser = Links()
    parser.found = []
    parser.feed(body)
    return parser.found


def test_anonymous_visitors_are_sent_to_sign_in(app, client, enia):
    assert goes_to_sign_in(client.get(REPORT))
    assert goes_to_sign_in(post_publish(app, client, "1"))
    assert db.session.scalar(sa.select(Consultation.summary_published)) is False


# ---------------------------------------------------------------- publication


def audit_entries(action: str) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).filter_by(action=action)).all()


def post_publish(app: Flask, client: FlaskClient, value: str):
    token = session_csrf_token(app, client)
    return client.post(PUBLISH, data={"csrf_token": token, "published": value})


def test_publishing_and_unpublishing_are_audited_once(app, coordinator_client, enia):
    reply = post_publish(app, coordinator_client, "1")
    assert reply.status_code == 302 and reply.location.endswith(REPORT)
    db.session.expire_all()
    assert enia.summary_published is True
    published = audit_entries("report.publish")
    assert len(published) == 1
    entry = published[0]
    assert (entry.object_type, entry.object_id) == ("consultation", enia.id)
    assert entry.actor_email == "coordinadora@example.org"
    assert "Unpublish the public summary" in page(coordinator_client)

    post_publish(app, coordinator_client, "1")  # already published: nothing written
    assert len(audit_entries("report.publish")) == 1

    post_publish(app, coordinator_client, "0")
    db.session.expire_all()
    assert enia.summary_published is False
    assert len(audit_entries("report.unpublish")) == 1
    assert len(audit_entries("report.publish")) == 1


def test_publishing_needs_a_csrf_token_and_a_choice(app, coordinator_client, enia):
    assert coordinator_client.post(PUBLISH, data={"published": "1"}).status_code == 400
    assert post_publish(app, coordinator_client, "maybe").status_code == 400
    db.session.expire_all()
    assert enia.summary_published is False
    assert audit_entries("report.publish") == []


# ---------------------------------------------------------------- queries


def statements_for(client: FlaskClient, url: str) -> int:
    page(client, url)
    with statements() as seen:
        page(client, url)
    return len(seen)


def add_responses(consultation: Consultation, count: int) -> None:
    types = ["academia", "company", "individual", "civil_society"]
    for n in range(count):
        respond(
            consultation,
            {
                LIKERT: str(n % 5 + 1),
                "q-overall-fit": "well" if n % 2 else "partly",
                "q-strengthen": ["governance"],
                "q-ranking-priority-areas": ["5-1", "5-3"],
            },
            {"section": "5-3", "text": f"Comentario {n}", "moderation": ModerationState.PUBLISHED},
            stakeholder_type=types[n % len(types)],
            responding_as="individual" if types[n % 4] == "individual" else "organisation",
        )
    db.session.commit()


def test_the_page_takes_as_many_queries_for_20_or_200_responses(coordinator_client, enia):
    add_responses(enia, 20)
    few = statements_for(coordinator_client, REPORT)
    assert few >= 10  # the listener sees the request's statements
    add_responses(enia, 180)
    assert "<strong>200</strong> submitted responses counted" in page(coordinator_client)
    assert statements_for(coordinator_client, REPORT) == few
