"""Administrators manage accounts and read the audit trail."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry, User
from consult.models.vocab import Role
from consult.reviewing import audit
from tests.conftest import goes_to_sign_in, post_form, sign_in

USERS = "/console/admin/users"
AUDIT = "/console/admin/audit"


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def update(client, user: User, **data):
    return post_form(client, f"{USERS}/{user.id}", data, form_url=USERS)


def shown_password(html: str) -> str:
    match = re.search(r'<code class="password"[^>]*>([^<]+)</code>', html)
    assert match, html
    return match.group(1)


# ---------------------------------------------------------------- accounts


def test_users_page_lists_accounts_with_role_and_status_in_words(admin_client, admin, make_user):
    make_user("gone@example.org", "coordinator")
    gone = db.session.scalar(sa.select(User).filter_by(email="gone@example.org"))
    gone.active = False
    db.session.commit()
    page = admin_client.get(USERS)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("<h1>") == 1
    assert "gone@example.org" in html and admin.email in html
    assert "Deactivated" in html or "Desactivad" in html
    assert '<th scope="row"' in html and '<th scope="col"' in html
    assert page.headers["Cache-Control"] == "no-store, private"


def test_admin_adds_a_coordinator_who_signs_in_with_the_password_shown_once(app, admin_client):
    reply = post_form(admin_client, USERS, {"email": "Nuevo@Example.org", "role": "coordinator"})
    assert reply.status_code == 200
    password = shown_password(reply.get_data(as_text=True))
    assert len(password) >= 12

    user = db.session.scalar(sa.select(User).filter_by(email="nuevo@example.org"))
    assert user is not None and user.role is Role.COORDINATOR and user.active
    created = db.session.scalars(sa.select(AuditEntry).filter_by(action="user.create")).all()
    assert [(e.actor_email, e.object_id, e.after) for e in created[1:]] == [
        ("admin@example.org", user.id, {"email": "nuevo@example.org", "role": "coordinator"})
    ]
    assert password not in user.password_hash and user.check_password(password)
    assert password not in admin_client.get(USERS).get_data(as_text=True)

    newcomer = app.test_client()
    assert sign_in(newcomer, "nuevo@example.org", password).status_code == 302
    assert newcomer.get("/console/").status_code == 200


def test_adding_refuses_a_bad_email_a_duplicate_or_an_unknown_role(admin_client, admin):
    for data in (
        {"email": "not-an-email", "role": "coordinator"},
        {"email": admin.email.upper(), "role": "coordinator"},
        {"email": "ok@example.org", "role": "superuser"},
    ):
        reply = post_form(admin_client, USERS, data)
        assert reply.status_code == 422
        assert 'class="error-summary"' in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_admin_changes_role_deactivates_and_reactivates(app, admin_client, make_user):
    user = make_user("ana@example.org")

    assert update(admin_client, user, role="admin").status_code == 302
    assert reload(user).role is Role.ADMIN
    assert "ana@example.org" in admin_client.get(USERS).get_data(as_text=True)

    assert update(admin_client, user, active="no").status_code == 302
    assert reload(user).active is False
    assert sign_in(app.test_client(), "ana@example.org").status_code == 401

    assert update(admin_client, user, active="yes").status_code == 302
    assert reload(user).active is True
    assert sign_in(app.test_client(), "ana@example.org").status_code == 302


def test_an_invalid_change_is_refused_with_the_error_shown(admin_client, make_user):
    user = make_user("ana@example.org")
    for data in ({"role": "owner"}, {"active": "maybe"}, {}):
        reply = update(admin_client, user, **data)
        assert reply.status_code == 422
        assert f'id="user-{user.id}-error"' in reply.get_data(as_text=True)
    assert reload(user).role is Role.COORDINATOR and reload(user).active
    assert update(admin_client, user, role="admin").status_code == 302
    assert (
        post_form(admin_client, f"{USERS}/999999", {"role": "admin"}, form_url=USERS).status_code
        == 404
    )


def test_admin_cannot_deactivate_or_demote_self(admin_client, admin):
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    for data in ({"active": "no"}, {"role": "coordinator"}):
        reply = update(admin_client, admin, **data)
        assert reply.status_code == 422
        assert "No puede desactivar ni reducir el rol de su propia cuenta" in reply.get_data(
            as_text=True
        )
    me = reload(admin)
    assert me.role is Role.ADMIN and me.active and me.session_version == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == entries
    assert admin_client.get(USERS).status_code == 200  # still signed in


def test_a_demoted_admin_loses_the_admin_pages_at_once(app, admin_client, make_user):
    other = make_user("otra@example.org", "admin")
    other_client = app.test_client()
    sign_in(other_client, other.email)
    assert other_client.get(USERS).status_code == 200
    update(admin_client, other, role="coordinator")
    assert goes_to_sign_in(other_client.get(USERS))  # the session ended with the change
    sign_in(other_client, other.email)
    assert other_client.get(USERS).status_code == 403


# ---------------------------------------------------------------- audit trail


def add_entry(action: str, actor_email: str, at: datetime, **kwargs) -> None:
    entry = audit.record(None, action, "comment", 7, actor_email=actor_email, **kwargs)
    entry.at = at
    db.session.commit()


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_audit_page_lists_entries_newest_first_with_before_and_after(admin_client):
    add_entry(
        "comment.moderate",
        "ana@example.org",
        datetime(2025, 3, 1, 15, 0),
        before={"status": "pending"},
        after={"status": "published"},
    )
    add_entry("theme.create", "luis@example.org", datetime(2025, 3, 2, 15, 0))
    page = admin_client.get(AUDIT)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    listed = rows(html)
    # The admin's account was created, then signed in, just now; the others are older.
    assert len(listed) == 4
    assert "user.sign_in" in listed[0] and "admin@example.org" in listed[0]
    assert "user.create" in listed[1] and "command line" in listed[1]
    assert "theme.create" in listed[2] and "comment.moderate" in listed[3]
    assert "ana@example.org" in listed[3] and "comment 7" in listed[3]
    assert "1 de marzo de 2025, 10:00" in listed[3]  # 15:00 UTC, shown in Peru time
    assert "{&#34;status&#34;: &#34;pending&#34;}" in listed[3]
    assert "{&#34;status&#34;: &#34;published&#34;}" in listed[3]
    # Read-only: the only form that posts is the console's sign-out.
    assert re.findall(r'<form method="post" action="([^"]+)"', html) == ["/auth/sign-out"]


def test_audit_filters_by_action_and_actor(admin_client):
    add_entry("comment.moderate", "ana@example.org", datetime(2025, 3, 1, 15, 0))
    add_entry("comment.moderate", "luis@example.org", datetime(2025, 3, 1, 16, 0))
    add_entry("theme.create", "ana@example.org", datetime(2025, 3, 1, 17, 0))

    by_action = rows(admin_client.get(AUDIT, query_string={"action": "comment.moderate"}).text)
    assert len(by_action) == 2 and all("comment.moderate" in r for r in by_action)

    by_actor = rows(admin_client.get(AUDIT, query_string={"actor": "ANA@"}).text)
    assert len(by_actor) == 2 and all("ana@example.org" in r for r in by_actor)

    both = {"action": "theme.create", "actor": "ana"}
    assert len(rows(admin_client.get(AUDIT, query_string=both).text)) == 1
    by_object = {"object_type": "comment", "object_id": "7"}
    assert len(rows(admin_client.get(AUDIT, query_string=by_object).text)) == 3


def test_audit_dates_are_days_in_peru(admin_client):
    # 03:00 UTC on 2 March is still 1 March (22:00) in Lima.
    add_entry("comment.moderate", "ana@example.org", datetime(2025, 3, 2, 3, 0))
    day_one = {"date_from": "2025-03-01", "date_to": "2025-03-01"}
    assert len(rows(admin_client.get(AUDIT, query_string=day_one).text)) == 1
    day_two = {"date_from": "2025-03-02", "action": "comment.moderate"}
    reply = admin_client.get(AUDIT, query_string=day_two)
    assert reply.status_code == 200 and rows(reply.text) == []


def test_bad_filters_are_refused_with_the_error_shown(admin_client):
    for query in (
        {"date_from": "2025-13-45"},
        {"date_from": "2025-03-02", "date_to": "2025-03-01"},
        {"object_id": "-3"},
        {"object_id": "99999999999999999999"},
        {"action": "no.such.action"},
        {"actor": "a\x00b"},
        {"date_to": "9999-12-31"},
    ):
        reply = admin_client.get(AUDIT, query_string=query)
        assert reply.status_code == 422, query
        assert 'class="error-summary"' in reply.text
        assert 'class="field has-error"' in reply.text
    typed = admin_client.get(AUDIT, query_string={"date_from": "1/3/2025"})
    assert 'value="1/3/2025"' in typed.text  # kept as typed, to correct


def test_audit_output_is_escaped(admin_client):
    add_entry(
        "comment.redact",
        "<b>ana</b>@example.org",
        datetime(2025, 3, 1),
        after={"text": "<script>alert(1)</script>"},
    )
    html = admin_client.get(AUDIT).text
    assert "<script>alert(1)</script>" not in html and "<b>ana</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_audit_is_paginated(admin_client):
    for minute in range(55):
        add_entry("comment.moderate", "ana@example.org", datetime(2025, 3, 1, 12, minute))
    first = admin_client.get(AUDIT, query_string={"action": "comment.moderate"})
    assert len(rows(first.text)) == 50 and 'rel="next"' in first.text
    second = admin_client.get(AUDIT, query_string={"action": "comment.moderate", "page": 2})
    assert len(rows(second.text)) == 5
    assert "07:04" in rows(second.text)[0]  # 12:04 UTC, the fifth oldest
