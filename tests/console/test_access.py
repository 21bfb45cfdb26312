"""No console page answers anyone but a signed-in coordinator; admin pages only admins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import IntegerConverter, Rule

from consult.extensions import db
from consult.models import User
from tests.conftest import goes_to_sign_in, session_csrf_token

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
KNOWN = {"console.show_dashboard", "console.admin.list_users", "console.admin.list_audit"}


def console_rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("console.")]


def url_of(rule: Rule, slug: str) -> str:
    """The rule's path with dummy values: the loaded consultation's slug, 1, or "x"."""
    values = {
        name: slug if name == "slug" else 1 if isinstance(converter, IntegerConverter) else "x"
        for name, converter in rule._converters.items()
    }
    _domain, path = rule.build(values, append_unknown=False)
    return path


def requests_of(app: Flask, slug: str) -> Iterator[tuple[str, str, str]]:
    for rule in console_rules(app):
        for method in sorted(rule.methods & set(METHODS)):
            yield rule.endpoint, method, url_of(rule, slug)


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table, so any write shows."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    return rows


def send(app: Flask, client, method: str, url: str):
    """A request as a browser's form would send it: with a valid CSRF token."""
    data = {"csrf_token": session_csrf_token(app, client)} if method != "GET" else None
    return client.open(url, method=method, data=data)


def test_anonymous_visitors_are_refused_everywhere_and_change_nothing(app, client, enia):
    before = database_rows()
    walked = []
    for endpoint, method, url in requests_of(app, enia.slug):
        reply = send(app, client, method, url)
        assert goes_to_sign_in(reply) or reply.status_code in (401, 403), (endpoint, method)
        walked.append(endpoint)
    assert len(walked) >= len(console_rules(app)) > len(KNOWN)
    assert KNOWN.issubset(walked)
    assert database_rows() == before


def test_coordinators_are_refused_the_admin_pages(app, coordinator_client, enia, make_user):
    make_user("otra@example.org", "admin")
    before = database_rows()
    admin_requests = [r for r in requests_of(app, enia.slug) if r[0].startswith("console.admin.")]
    assert len(admin_requests) >= 4
    for endpoint, method, url in admin_requests:
        reply = send(app, coordinator_client, method, url)
        assert reply.status_code == 403, (endpoint, method, reply.status_code)
    assert database_rows() == before


def test_admins_are_let_into_every_console_page(app, admin_client, enia):
    for endpoint, method, url in requests_of(app, enia.slug):
        reply = send(app, admin_client, method, url)
        assert reply.status_code != 403, (endpoint, method)
        assert reply.status_code < 500, (endpoint, method, reply.status_code)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/console/admin/users", {"email": "nuevo@example.org", "role": "admin"}),
        ("/console/admin/users/{id}", {"role": "admin"}),
        ("/console/admin/users/{id}", {"active": "no"}),
    ],
)
def test_admin_forms_without_a_csrf_token_are_refused(admin_client, make_user, url, data):
    target = make_user("ana@example.org")
    before = database_rows()
    reply = admin_client.post(url.format(id=target.id), data=data)
    assert reply.status_code == 400
    assert database_rows() == before
    assert db.session.scalar(sa.select(User.role).filter_by(id=target.id)) == "coordinator"
