"""Hostile input on every public form: never a 500, and a refusal stores nothing.

The forms are not listed here: they are found by walking the URL map and reading every
``<form>`` the public pages and the sign-in page show, to a newcomer, to a person with a
draft and to one who has submitted. Hypothesis then fills a form's fields with hostile
values (any Unicode, NUL and control characters, broken UTF-8, very long strings, wrong
types, unknown codes, fields missing or repeated, fields nobody asked for) and posts it as
a fresh visitor of that kind would, with the page's own CSRF token; now and then a field
goes as an uploaded file instead (multipart), which no form here takes.

Whatever comes back: no 500; a page that echoes the input runs nothing; a redirect stays
on this site; a refusal leaves the database exactly as it was; an accepted form changes
only the tables its view writes, and only the rows of the visitor's own response.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urlsplit

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.routing import Rule

from consult.extensions import db
from consult.models import Response
from tests.conftest import session_csrf_token

from .fuzzing import fuzz, hostile_text, hostile_value, typed_text
from .pages import HtmlField, HtmlForm, active_content, forms_on, post_through
from .people import Respondent, same_browser
from .routes import World, route_keys
from .state import Snapshot, changed_tables, snapshot

#: Statuses that refuse a request; it must leave the database as it was.
REFUSED = {400, 401, 403, 404, 405, 409, 413, 415, 422, 429}
#: Tables each form may write when it is accepted. A new form needs its line here.
WRITES = {
    "public.edit_profile": {"response"},
    "public.show_section": {"response", "answer", "answer_choice", "comment"},
    "public.show_general": {"response", "answer", "answer_choice"},
    "public.show_passage": {"response", "comment"},
    "public.submit": {"response"},
    "public.withdraw": {"response", "answer", "answer_choice", "comment"},
    "public.forget": set(),
    "public.edit_private": set(),
    "public.upload_paper": {"position_paper"},
    "public.remove_paper": {"position_paper"},
    "public.open_papers": set(),
    "auth.sign_in": {"sign_in_failure", "audit_entry", "user_account"},
}
#: What a refusal may still record: a failed sign-in counts towards the lock-out.
RECORDED_ON_REFUSAL = {"auth.sign_in": {"sign_in_failure", "audit_entry"}}
#: Forms that only a signed-in coordinator sees (the console has its own tests).
CONSOLE_ONLY = {"auth.sign_out"}
#: Forms shown only beside a position paper the visitor attached (tests/papers posts them).
WITH_A_PAPER = {"public.remove_paper"}
#: Who may see a form: a newcomer, a person with a draft, one who has submitted.
VISITORS = ("newcomer", "drafting", "submitted")


# ---------------------------------------------------------------- finding the forms


@dataclass(frozen=True)
class Spot:
    """Where a form lives: the visitor who sees it, its page, its place on the page."""

    visitor: str
    rule: Rule
    page: int
    index: int
    form: HtmlForm
    endpoint: str

    def __repr__(self) -> str:
        return f"<{self.form.method} {self.endpoint} from {self.rule.rule} as {self.visitor}>"


@dataclass
class Visit:
    """A fresh visitor of one kind: their browser and, unless new, their response."""

    client: FlaskClient
    respondent: Respondent | None

    def __post_init__(self) -> None:
        # Kept apart: withdrawing a draft deletes the response object's row.
        self.response_id = self.respondent.response.id if self.respondent else None


def fresh_visitor(world: World, kind: str) -> Visit:
    if kind == "newcomer":
        return Visit(world.app.test_client(), None)
    respondent = world.make_respondent(
        world.consultation,
        ("5-3", "Comentario previo"),
        status="draft" if kind == "drafting" else "submitted",
        publication="anonymous",
    )
    return Visit(respondent.client, respondent)


def public_pages(world: World) -> list[Rule]:
    """The GET routes a person reaches without signing in (static files aside)."""
    rules = route_keys(world.app)
    return [
        rule
        for key, rule in sorted(rules.items())
        if key.startswith("GET ") and rule.endpoint.split(".")[0] in ("public", "auth")
    ]


def endpoint_of(world: World, path: str, method: str) -> str:
    adapter = world.app.url_map.bind("consult.test")
    endpoint, _values = adapter.match(path, method=method)
    return endpoint


#: The forms found by the first test that looks (pages do not change within a run).
_FOUND: list[Spot] = []


@pytest.fixture
def spots(world: World) -> list[Spot]:
    """Every POST form the public pages show, found by visiting them."""
    if not _FOUND:
        _FOUND.extend(find_forms(world))
    rules = {rule.rule: rule for rule in world.app.url_map.iter_rules()}
    return [replace(spot, rule=rules[spot.rule.rule]) for spot in _FOUND]


def find_forms(world: World) -> list[Spot]:
    found = []
    for kind in VISITORS:
        visit = fresh_visitor(world, kind)
        for rule in public_pages(world):
            if kind == "newcomer" and "token" in rule.arguments:
                continue  # a newcomer holds no private link
            urls = page_urls(world, rule, visit)
            # Sections differ in their questions: one visitor reads them all.
            for page, url in enumerate(urls if kind == "drafting" else urls[:1]):
                reply = visit.client.get(url)
                if reply.status_code != 200 or reply.mimetype != "text/html":
                    continue
                for index, form in enumerate(forms_on(url, reply.get_data(as_text=True))):
                    if form.method == "POST":
                        endpoint = endpoint_of(world, form.path, "POST")
                        found.append(Spot(kind, rule, page, index, form, endpoint))
    return found


def page_urls(world: World, rule: Rule, visit: Visit) -> list[str]:
    """The rule's pages for this visitor (one per section where the rule takes a section)."""
    return world.every_url(rule, visit.respondent or world.respondent())


def test_every_public_form_is_found_and_has_its_writes_listed(app, world, spots):
    posts = {
        rule.endpoint
        for key, rule in route_keys(app).items()
        if key.startswith("POST ") and rule.endpoint.split(".")[0] in ("public", "auth")
    }
    reached = {spot.endpoint for spot in spots}
    assert posts - CONSOLE_ONLY - WITH_A_PAPER - reached == set(), (
        "a public POST route no page offers a form for"
    )
    assert reached - set(WRITES) == set(), "a new form: list the tables it writes in WRITES"
    sections = {spot.form.path for spot in spots if spot.endpoint == "public.show_section"}
    assert len(sections) == len(world.consultation.sections)
    assert {s.visitor for s in spots} == set(VISITORS)


# ---------------------------------------------------------------- filling them in

MISSING = "missing"
#: Stands for the values the page itself holds (its CSRF token, its form token …).
AS_SHOWN = "as shown"


def _valid(field: HtmlField) -> st.SearchStrategy[list[str]]:
    """Values a person could send for the field."""
    if field.kind == "select" and field.count > 1:
        # A ranking: positions 1..k on k of the items, the others blank.
        n = field.count
        return st.integers(0, n).flatmap(
            lambda k: st.permutations([str(i) for i in range(1, k + 1)] + [""] * (n - k))
        )
    if field.kind == "checkbox":
        return st.lists(st.sampled_from(field.options), unique=True, max_size=len(field.options))
    if field.is_choice and field.options:
        return st.sampled_from(field.options).map(lambda v: [v])
    if field.is_text:
        return typed_text.map(lambda v: [v])
    return st.just(list(field.default))


def _hostile(field: HtmlField) -> st.SearchStrategy:
    """The field as a bad client sends it: hostile, missing, repeated or a file."""
    controls = field.count if field.kind == "select" else 1  # one value per ranked item
    return st.one_of(
        st.lists(hostile_value, min_size=1, max_size=controls),
        st.just(MISSING),
        st.lists(st.one_of(hostile_value, _valid(field).map(lambda v: v[0] if v else "")),
                 min_size=2, max_size=4),
        hostile_value.map(lambda v: [("file", v)]),
    )  # fmt: skip


@st.composite
def filled(draw: Callable, form: HtmlForm) -> list[tuple[str, object]]:
    """The form filled in, up to three fields hostile; the CSRF token is kept (tested apart).

    The other fields keep what the page holds or get a value a person could give, so a
    hostile value also reaches the checks behind the first one.
    """
    names = [name for name in form.fields if name != "csrf_token"]
    bad = draw(st.lists(st.sampled_from(names), unique=True, max_size=3)) if names else []
    pairs: list[tuple[str, object]] = [("csrf_token", AS_SHOWN)]
    for name in names:
        field = form.fields[name]
        if name in bad:
            values = draw(_hostile(field))
        elif field.kind == "submit":
            values = draw(st.one_of(st.just(MISSING), _valid(field)))
        else:
            values = draw(st.one_of(st.just(AS_SHOWN), _valid(field)))
        if values == AS_SHOWN:
            pairs.append((name, AS_SHOWN))
        elif values != MISSING:
            pairs += [(name, v) for v in values]
    extra = draw(st.lists(st.tuples(hostile_text, hostile_value), max_size=2))
    return pairs + extra


def as_shown(form: HtmlForm, pairs: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Put the page's own values where the pairs keep them (tokens are new on each page)."""
    out: list[tuple[str, object]] = []
    for name, value in pairs:
        if value == AS_SHOWN:
            out += [(name, v) for v in form.fields[name].default]
        else:
            out.append((name, value))
    return out


def send(client: FlaskClient, url: str, pairs: list[tuple[str, object]]):
    """Post the pairs as a browser would: urlencoded, or multipart when a file is among them."""
    if any(isinstance(v, tuple) for _k, v in pairs):
        data: dict[str, list] = {}
        for key, value in pairs:
            if isinstance(value, tuple):
                content = value[1] if isinstance(value[1], bytes) else value[1].encode()
                value = (io.BytesIO(content), "upload.txt")
            elif isinstance(value, bytes):
                value = value.decode("latin-1")
            data.setdefault(key, []).append(value)
        return client.post(url, data=data, content_type="multipart/form-data")
    body = urlencode(pairs)
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


# ---------------------------------------------------------------- the checks


def stays_here(reply) -> bool:
    location = urlsplit(reply.location or "")
    return location.netloc in ("", "consult.test") and not (reply.location or "").startswith("//")


def _columns(table: str) -> list[str]:
    return list(db.metadata.tables[table].columns.keys())


def foreign_changes(before: Snapshot, after: Snapshot, visit: Visit) -> list[str]:
    """Rows changed that are not the visitor's own (a newcomer may only add a response)."""
    own = visit.response_id
    answers = set()
    problems = []
    for table in ("response", "answer", "comment", "answer_choice"):
        cols = _columns(table)
        touched = set(before[table]) ^ set(after[table])
        for row in touched:
            record = dict(zip(cols, row, strict=True))
            if table == "response":
                mine = record["id"] == own or (own is None and row not in before[table])
            elif table == "answer_choice":
                mine = record["answer_id"] in answers
            else:
                mine = record["response_id"] == own
                if table == "answer" and mine:
                    answers.add(record["id"])
            if not mine:
                problems.append(f"{table} row {row[:3]} is not the visitor's")
    if own is None and len(after["response"]) - len(before["response"]) > 1:
        problems.append("more than one response started")
    return problems


def check_reply(spot: Spot, visit: Visit, reply, before: Snapshot, after: Snapshot) -> None:
    status = reply.status_code
    assert status < 500, f"{spot}: {status}"
    if reply.mimetype == "text/html":
        assert active_content(reply.get_data(as_text=True)) == [], spot
    if 300 <= status < 400:
        assert stays_here(reply), (spot, reply.location)
    changes = changed_tables(before, after)
    if status in REFUSED:
        allowed = RECORDED_ON_REFUSAL.get(spot.endpoint, set())
        assert changes <= allowed, f"{spot} refused with {status} but changed {changes}"
    else:
        assert changes <= WRITES[spot.endpoint], f"{spot} changed {changes}"
        assert foreign_changes(before, after, visit) == [], spot


@fuzz(50)
@given(data=st.data())
def test_hostile_forms_never_fail_and_refusals_store_nothing(world, spots, data):
    spot = data.draw(st.sampled_from(spots), label="form")
    # Drawn from the form as found, before any request, so an example replays the same way.
    drawn = data.draw(filled(spot.form), label="fields")
    visit = fresh_visitor(world, spot.visitor)
    url = page_urls(world, spot.rule, visit)[spot.page]
    page = visit.client.get(url)
    forms = forms_on(url, page.get_data(as_text=True))
    assert len(forms) > spot.index, (spot, url, page.status_code, [f.action for f in forms])
    form = forms[spot.index]
    assert form.fields.keys() == spot.form.fields.keys(), (spot, list(form.fields))
    before = snapshot()
    reply = send(visit.client, form.action, as_shown(form, drawn))
    after = snapshot()
    check_reply(spot, visit, reply, before, after)


@fuzz(20)
@given(text=typed_text.filter(str.strip))
def test_any_text_a_person_types_is_kept_exactly(world, text):
    """Nothing typed is lost or mangled: any Unicode comes back as it was (trimmed)."""
    visit = fresh_visitor(world, "drafting")
    page = "/c/enia-2021/s/5-1"
    values = {"comment": text, "contribution": "other", "q_q_5_1_change": text}
    reply = post_through(visit.client, page, values)
    assert reply.status_code == 302, reply.get_data(as_text=True)[:500]
    db.session.expire_all()
    response = db.session.get(Response, visit.response_id)
    comment = next(c for c in response.comments if c.section.key == "5-1")
    answer = next(a for a in response.answers if a.question.key == "q-5-1-change")
    assert comment.text == answer.value == text.strip()
    shown = forms_on(page, visit.client.get(page).get_data(as_text=True))
    fields = next(form.fields for form in shown if "comment" in form.fields)
    assert fields["comment"].default == [text.strip()]


# ---------------------------------------------------------------- found by the search


@pytest.mark.parametrize(
    ("url", "field", "others"),
    [
        ("/c/enia-2021/profile", "organisation_name", {}),
        ("/auth/sign-in", "email", {"password": "x"}),
        ("/auth/sign-in", "password", {"email": "a@example.org"}),
    ],
)
def test_a_file_in_place_of_a_text_field_is_refused(app, enia, url, field, others):
    """Flask-WTF hands an uploaded file to a text field, whose validators failed (500)."""
    browser = app.test_client()
    upload = (io.BytesIO(b"x"), "upload.txt")
    data = {"csrf_token": session_csrf_token(app, browser), field: upload, **others}
    before = snapshot()
    reply = browser.post(url, data=data, content_type="multipart/form-data")
    assert reply.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("email", ["a\x00b@example.org", "a\x1b@example.org", "\x00"])
def test_control_characters_in_the_sign_in_email_are_refused(app, enia, email):
    """A NUL reached the sign-in query, which PostgreSQL refuses (500 there)."""
    browser = app.test_client()
    data = {"csrf_token": session_csrf_token(app, browser), "email": email, "password": "x"}
    before = snapshot()
    assert browser.post("/auth/sign-in", data=data).status_code == 422
    assert snapshot() == before


@pytest.mark.parametrize(
    ("url", "values"),
    [
        ("/console/c/enia-2021/themes", {"name": (io.BytesIO(b"x"), "upload.txt")}),
        ("/console/admin/users", {"email": (io.BytesIO(b"x"), "upload.txt")}),
        ("/console/admin/users", {"email": "x\x00@example.org", "role": "coordinator"}),
    ],
)
def test_console_forms_refuse_files_and_nul_too(app, world, url, values):
    """The same two holes were in the console: a file in a text field, a NUL in a new
    account's email (checked against the database before its format)."""
    browser = same_browser(app, world.signed_in["admin"])
    data = {"csrf_token": session_csrf_token(app, browser), **values}
    before = snapshot()
    files = any(isinstance(value, tuple) for value in values.values())
    reply = browser.post(url, data=data, content_type="multipart/form-data" if files else None)
    assert reply.status_code in (400, 422)
    assert snapshot() == before
