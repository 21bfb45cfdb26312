"""The dashboard, the responses and comments lists: figures, filters, sorting, pages, queries."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Response
from tests.conftest import statements
from tests.factories import comment_of, make_response, make_responses, make_theme

BASE = "/console/c/enia-2021"


@pytest.fixture
def console(coordinator_client: FlaskClient) -> FlaskClient:
    """A signed-in coordinator reading the console in English."""
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


def page(client: FlaskClient, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, (url, reply.status_code)
    return reply.get_data(as_text=True)


def references(body: str) -> list[str]:
    """Response references in the order the responses list shows them."""
    return re.findall(r'/responses/\d+">([^<]+)</a></th>', body)


def comment_texts(body: str) -> list[str]:
    """Comment texts in the order the comments list shows them."""
    return [html.unescape(t) for t in re.findall(r'<p class="answer-text">([^<]*)</p>', body)]


def matching(body: str) -> int:
    found = re.search(r"([\d,]+) (?:response|comment)\(s\) match\.", body)
    assert found, "no count of matching rows on the page"
    return int(found.group(1).replace(",", ""))


def rows_of(body: str) -> list[str]:
    return references(body) if "response(s) match." in body else comment_texts(body)


# ---------------------------------------------------------------- dashboard


def test_dashboard_figures_match_the_data_and_lead_to_lists_of_that_many(console, enia):
    day = datetime(2026, 3, 10, 15, 0)
    make_response(
        enia,
        ("5-3", "Uno"),
        {"section": "5-1", "text": "Dos", "moderation": "published"},
        submitted_at=day,
    )
    make_response(enia, ("5-3", "Tres"), region="cusco", submitted_at=day + timedelta(hours=1))
    make_response(
        enia,
        {"section": "5-3", "text": "Cuatro", "moderation": "rejected"},
        stakeholder_type="company",
        submitted_at=datetime(2026, 3, 10, 4, 30),  # 23:30 on 9 March in Lima
    )
    make_response(
        enia,
        ("5-2", "Cinco"),
        stakeholder_type="individual",
        responding_as="individual",
        submitted_at=datetime(2026, 3, 12, 12, 0),
    )
    make_response(enia, ("5-3", "Borrador"), status="draft")
    make_response(enia, ("5-3", "Retirado"), status="withdrawn")
    body = page(console, f"{BASE}/")

    def figure(label: str) -> int:
        found = re.search(rf"<strong>([\d,]+)</strong> {label}</a>", body)
        assert found, label
        return int(found.group(1))

    assert figure("responses submitted") == 4
    assert figure("drafts") == 1
    assert figure("withdrawn") == 1
    assert figure("comments") == 5
    assert figure("comments awaiting moderation") == 3

    def linked(fragment: str) -> int:
        found = re.search(rf'href="[^"]*{re.escape(fragment)}[^"]*">([\d,]+)</a>', body)
        assert found, fragment
        return int(found.group(1))

    assert linked("stakeholder_type=academia") == 2
    assert linked("stakeholder_type=company") == 1
    assert linked("stakeholder_type=individual") == 1
    assert linked("stakeholder_type=trade_union") == 0
    assert linked("date_from=2026-03-09&amp;date_to=2026-03-09") == 1
    assert linked("date_from=2026-03-10&amp;date_to=2026-03-10") == 2
    assert linked("date_from=2026-03-12&amp;date_to=2026-03-12") == 1
    section_links = dict(
        re.findall(r'href="[^"]*section=(5-[123])&amp;moderation="[^>]*>(\d+)</a>', body)
    )
    assert section_links == {"5-1": "1", "5-2": "1", "5-3": "3"}

    links = re.findall(r'<a href="([^"]+)">(?:<strong>)?([\d,]+)(?:</strong>)?', body)
    assert len(links) > 30
    for href, number in links:
        listed = page(console, html.unescape(href))
        assert matching(listed) == int(number), href
        assert len(rows_of(listed)) == int(number), href


def test_an_empty_consultation_shows_zeros(console, enia):
    body = page(console, f"{BASE}/")
    assert "<strong>0</strong> responses submitted" in body
    assert "No response has been submitted yet." in body


def test_theme_counts_lead_to_lists_of_that_many(console, enia):
    kept = [comment_of(make_response(enia, ("5-3", f"Enviado {n}"))) for n in range(2)]
    gone = comment_of(make_response(enia, ("5-3", "Retirado"), status="withdrawn"))
    make_theme(enia, "Becas", *kept, gone)
    make_theme(enia, "Vacío")
    body = page(console, f"{BASE}/themes")
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="num"><a href="([^"]+)">(\d+)<', body
    )
    assert [(name, n) for name, _, n in rows] == [("Becas", "2"), ("Vacío", "0")]
    for _, href, n in rows:
        assert len(comment_texts(page(console, html.unescape(href)))) == int(n)


# ---------------------------------------------------------------- filters


@pytest.fixture
def varied(enia) -> dict[str, Response]:
    a = make_response(
        enia,
        {"section": "5-3", "text": "Formar DOCENTES en IA"},
        {
            "section": "5-1",
            "text": "Laboratorios abiertos",
            "contribution": "other",
            "moderation": "published",
        },
        submitted_at=datetime(2026, 3, 10, 15, 0),
    )
    b = make_response(
        enia,
        {
            "section": "5-1",
            "text": "Sandbox regulatorio al 100%",
            "contribution": "objective_formulation",
            "moderation": "published",
        },
        stakeholder_type="company",
        region="arequipa",
        submitted_at=datetime(2026, 3, 10, 4, 30),  # 9 March in Lima
    )
    c = make_response(
        enia,
        {
            "section": "5-3",
            "text": "Más becas_para mujeres",
            "contribution": "other",
            "moderation": "rejected",
            "rejection_reason": "spam",
        },
        stakeholder_type="individual",
        responding_as="individual",
        region="cusco",
        submitted_at=datetime(2026, 3, 11, 20, 0),
    )
    d = make_response(
        enia,
        ("5-2", "Becas para docentes rurales"),
        region="cusco",
        submitted_at=datetime(2026, 3, 12, 12, 0),
    )
    e = make_response(enia, ("5-3", "Solo un borrador"), status="draft")
    make_theme(enia, "Becas", comment_of(c), comment_of(d, "5-2"))
    return {"A": a, "B": b, "C": c, "D": d, "E": e}


A1, A2, B1, C1, D1, E1 = (
    "Formar DOCENTES en IA",
    "Laboratorios abiertos",
    "Sandbox regulatorio al 100%",
    "Más becas_para mujeres",
    "Becas para docentes rurales",
    "Solo un borrador",
)

FILTERS = [
    ("", "ABCD", {A1, A2, B1, C1, D1}),
    ("stakeholder_type=academia", "AD", {A1, A2, D1}),
    ("region=cusco", "CD", {C1, D1}),
    ("responding_as=individual", "C", {C1}),
    ("responding_as=organisation", "ABD", {A1, A2, B1, D1}),
    ("section=5-3", "AC", {A1, C1}),
    ("contribution=objective_formulation", "B", {B1}),
    ("contribution=other", "AC", {A2, C1}),
    ("moderation=pending", "AD", {A1, D1}),
    ("moderation=published", "AB", {A2, B1}),
    ("moderation=rejected", "C", {C1}),
    ("theme={theme}", "CD", {C1, D1}),
    ("date_from=2026-03-10&date_to=2026-03-10", "A", {A1, A2}),
    ("date_from=2026-03-09&date_to=2026-03-09", "B", {B1}),
    ("date_from=2026-03-11", "CD", {C1, D1}),
    ("date_to=2026-03-10", "AB", {A1, A2, B1}),
    ("q=docentes", "AD", {A1, D1}),
    ("q=formar", "A", {A1}),
    ("q=%25", "B", {B1}),
    ("q=100%25", "B", {B1}),
    ("q=_", "C", {C1}),
    ("q=s_p", "C", {C1}),
    ("status=draft", "E", {E1}),
    ("status=all", "ABCDE", {A1, A2, B1, C1, D1, E1}),
    ("stakeholder_type=academia&section=5-3", "A", {A1}),
    ("region=cusco&moderation=rejected", "C", {C1}),
]


@pytest.mark.parametrize(
    ("query", "responses", "comments"), FILTERS, ids=[f[0] or "none" for f in FILTERS]
)
def test_each_filter_narrows_both_lists(console, varied, query, responses, comments):
    theme = db.session.scalar(sa.text("SELECT id FROM theme"))
    query = query.format(theme=theme)
    listed = page(console, f"{BASE}/responses?{query}")
    assert sorted(references(listed)) == sorted(varied[k].reference for k in responses)
    assert matching(listed) == len(responses)
    shown = page(console, f"{BASE}/comments?{query}")
    assert sorted(comment_texts(shown)) == sorted(comments)
    assert matching(shown) == len(comments)


@pytest.mark.parametrize("list_name", ["responses", "comments"])
def test_unknown_filter_values_are_ignored_with_a_notice(console, varied, list_name):
    query = (
        "stakeholder_type=martians&region=atlantis&section=99&theme=abc"
        "&date_from=2026-13-45&status=lost&moderation=maybe&sort=sideways&page=x"
    )
    body = page(console, f"{BASE}/{list_name}?{query}")
    assert "Some filter values were not understood and were ignored:" in body
    for name in ("stakeholder_type", "region", "section", "theme", "date_from", "status"):
        assert name in body.split("were ignored:")[1].split("</p>")[0]
    assert matching(body) == (4 if list_name == "responses" else 5)


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=0001-01-01", "q=%00", "q=%09"])
@pytest.mark.parametrize("list_name", ["responses", "comments"])
def test_odd_but_valid_filter_values_do_not_break_the_lists(console, varied, query, list_name):
    body = page(console, f"{BASE}/{list_name}?{query}")
    assert matching(body) == (4 if list_name == "responses" else 5)


def test_search_ignores_case_in_accented_letters_too(console, enia):
    make_response(enia, ("5-3", "Ética de la IA en la escuela"))
    assert comment_texts(page(console, f"{BASE}/comments?q=ética")) == [
        "Ética de la IA en la escuela"
    ]


def test_a_clean_list_shows_no_notice(console, varied):
    assert "were not understood" not in page(console, f"{BASE}/responses?region=cusco")


# ---------------------------------------------------------------- sorting and pages


def test_sorting_the_responses_list(console, varied):
    by = {k: varied[k].reference for k in "ABCD"}
    assert references(page(console, f"{BASE}/responses")) == [by[k] for k in "DCAB"]
    assert references(page(console, f"{BASE}/responses?sort=oldest")) == [by[k] for k in "BACD"]
    assert references(page(console, f"{BASE}/responses?sort=reference")) == sorted(by.values())
    grouped = references(page(console, f"{BASE}/responses?sort=stakeholder"))
    assert grouped == [by[k] for k in "DABC"]  # academia (newest first), company, individual


@pytest.fixture
def sixty(enia) -> list[Response]:
    return make_responses(enia, 60, start=datetime(2026, 3, 1, 15, 0))


def test_responses_come_a_page_at_a_time(console, sixty):
    newest_first = [r.reference for r in reversed(sixty)]
    first = page(console, f"{BASE}/responses")
    assert references(first) == newest_first[:50]
    assert "Page 1 of 2" in first
    second = page(console, f"{BASE}/responses?page=2")
    assert references(second) == newest_first[50:]
    beyond = page(console, f"{BASE}/responses?page=9")
    assert references(beyond) == newest_first[50:]
    assert "Page 2 of 2" in beyond


def test_comments_come_a_page_at_a_time_and_the_pager_keeps_filters(console, sixty):
    first = page(console, f"{BASE}/comments?section=5-3")
    assert len(comment_texts(first)) == 50
    following = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert following
    target = html.unescape(following.group(1))
    assert "section=5-3" in target and "page=2" in target
    second = page(console, target)
    assert len(comment_texts(second)) == 10
    assert not set(comment_texts(first)) & set(comment_texts(second))
    assert comment_texts(page(console, f"{BASE}/comments?page=99")) == comment_texts(second)


# ---------------------------------------------------------------- queries


def statements_for(client: FlaskClient, url: str) -> int:
    page(client, url)  # the same warm-up for both sizes
    with statements() as seen:
        page(client, url)
    return len(seen)


@pytest.mark.parametrize("list_name", ["responses", "comments"])
def test_one_page_takes_as_many_queries_for_30_or_300_responses(console, enia, list_name):
    url = f"{BASE}/{list_name}"
    few = make_responses(enia, 30)
    make_theme(enia, "Docentes", *(comment_of(r) for r in few[:10]))
    small = statements_for(console, url)
    assert small >= 5  # the listener sees the request's statements
    many = make_responses(enia, 270, stakeholder_type="company", region="cusco")
    make_theme(enia, "Becas", *(comment_of(r) for r in many[-40:]))
    assert matching(page(console, url)) == 300
    assert statements_for(console, url) == small


# ---------------------------------------------------------------- escaping


def test_respondent_text_is_escaped_everywhere_in_the_console(console, enia):
    script = '<script>alert("x")</script>'
    response = make_response(enia, ("5-3", f"Hola {script}"), organisation_name=f"Org {script}")
    comment = comment_of(response)
    for url in (
        f"{BASE}/comments",
        f"{BASE}/comments/{comment.id}",
        f"{BASE}/responses/{response.id}",
        f"{BASE}/responses",
    ):
        body = page(console, url)
        assert "<script>alert" not in body, url
        assert "&lt;script&gt;alert(" in body, url
