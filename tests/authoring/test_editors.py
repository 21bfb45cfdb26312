"""An admin gives a coordinator a consultation to edit, and takes it back, each audited; a
coordinator edits only what was given to them; admins edit every consultation."""

from __future__ import annotations

import sqlalchemy as sa

from consult.authoring import editors
from consult.authoring.access import can_edit, editable_ids
from consult.extensions import db
from consult.models import AuditEntry, ConsultationEditor
from tests.conftest import post_form, signed_in_client

EDITORS = "/console/admin/c/enia-2021/editors"
EDIT = "/console/c/enia-2021/edit"


def grants() -> set[tuple[int, int]]:
    return set(
        db.session.execute(
            sa.select(ConsultationEditor.consultation_id, ConsultationEditor.user_id)
        )
    )


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).filter_by(action=action)))


def test_an_admin_gives_and_takes_a_coordinators_access(app, admin, admin_client, enia, make_user):
    coordinator = make_user("coordinadora@example.org")
    browser = signed_in_client(app, coordinator.email)
    assert browser.get(EDIT).status_code == 403

    page = admin_client.get(f"{EDITORS}?lang=en").get_data(as_text=True)
    assert "coordinadora@example.org" in page and "Give access" in page
    reply = post_form(admin_client, EDITORS, {"user_id": coordinator.id, "action": "give"})
    assert reply.status_code == 302
    assert grants() == {(enia.id, coordinator.id)}
    [given] = entries("consultation.editor_add")
    assert given.actor_id == admin.id and given.object_id == enia.id
    assert given.after["editor"] == "coordinadora@example.org"
    assert browser.get(EDIT).status_code == 200
    assert "Take access away" in admin_client.get(f"{EDITORS}?lang=en").get_data(as_text=True)

    # Giving twice changes nothing (and records nothing).
    post_form(admin_client, EDITORS, {"user_id": coordinator.id, "action": "give"})
    assert len(entries("consultation.editor_add")) == 1

    reply = post_form(admin_client, EDITORS, {"user_id": coordinator.id, "action": "take"})
    assert reply.status_code == 302 and grants() == set()
    [taken] = entries("consultation.editor_remove")
    assert taken.before["editor"] == "coordinadora@example.org"
    assert browser.get(EDIT).status_code == 403


def test_a_bad_request_is_refused_with_nothing_written(admin_client, enia, make_user):
    coordinator = make_user("coordinadora@example.org")
    for data in (
        {},
        {"user_id": coordinator.id, "action": "own"},
        {"user_id": "99999", "action": "give"},
        {"user_id": "x", "action": "give"},
    ):
        assert post_form(admin_client, EDITORS, data).status_code == 400
    assert grants() == set()


def test_an_admin_is_never_given_a_consultation(admin_client, enia, make_user):
    other = make_user("otra-admin@example.org", "admin")
    reply = post_form(admin_client, f"{EDITORS}?lang=en", {"user_id": other.id, "action": "give"})
    assert reply.status_code == 400
    assert "admins edit all" in reply.get_data(as_text=True)
    assert grants() == set()


def test_coordinators_cannot_reach_the_editors_page(coordinator_client, enia):
    assert coordinator_client.get(EDITORS).status_code == 403


def test_the_access_rule(app, admin, coordinator, enia, make_user):
    other = make_user("otro@example.org")
    editors.give_access(enia, coordinator, admin)
    assert can_edit(admin, enia) and editable_ids(admin) is None
    assert can_edit(coordinator, enia) and editable_ids(coordinator) == {enia.id}
    assert not can_edit(other, enia) and editable_ids(other) == set()
    # A deactivated coordinator edits nothing.
    coordinator.active = False
    db.session.commit()
    assert not can_edit(coordinator, enia)
