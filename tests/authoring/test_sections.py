"""Sections written in the console: the tree, add with a preview, edit, move up and down,
delete; only editors; each change audited; after opening, kept as a revision and told on the
public page; the current version of the draft follows."""

from __future__ import annotations

import sqlalchemy as sa

from consult.content.versions import snapshot_current
from consult.extensions import db
from consult.models import AuditEntry, ConsultationEditor, Section, TextRevision
from consult.models.outcome import SectionText
from consult.models.vocab import Stage
from tests.conftest import create_account, post_form, signed_in_client
from tests.factories import make_response

SLUG = "enia-2021"
BASE = f"/console/c/{SLUG}/edit/sections"

NEW = {
    "number": "9",
    "title_es": "Evaluación y seguimiento",
    "title_en": "Evaluation and monitoring",
    "body_md_es": "Un **texto** <script>alert(1)</script>",
    "body_md_en": "A **text**",
    "comments_enabled": "y",
}


def section(key: str) -> Section | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Section).filter_by(key=key))


def order(consultation) -> list[str]:
    db.session.expire_all()
    return [
        s.key
        for s in db.session.scalars(
            sa.select(Section).filter_by(consultation_id=consultation.id).order_by(Section.position)
        )
    ]


def audits(action: str) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).filter_by(action=action)).all()


def in_preparation(consultation) -> None:
    consultation.stage = Stage.PREPARATION
    db.session.commit()


def test_the_tree_lists_parts_and_sub_parts_with_buttons(admin_client, enia):
    page = admin_client.get(BASE).get_data(as_text=True)
    assert 'id="section-5-3"' in page
    assert (
        page.index('id="section-5"') < page.index('id="section-5-1"') < page.index('id="section-6"')
    )
    assert 'name="to" value="up"' in page and 'name="to" value="down"' in page


def test_a_new_section_is_previewed_then_added_with_a_key_from_its_title(admin_client, enia):
    in_preparation(enia)
    shown = post_form(admin_client, f"{BASE}/new", {**NEW, "preview": "1"})
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "<strong>texto</strong>" in text and "<script>alert(1)" not in text
    assert section("evaluacion-y-seguimiento") is None  # a preview writes nothing

    added = post_form(admin_client, f"{BASE}/new", NEW)
    assert added.status_code == 302
    new = section("evaluacion-y-seguimiento")
    assert new.number == "9" and new.parent_id is None
    assert "<strong>texto</strong>" in new.body_html_es and "<script" not in new.body_html_es
    assert order(enia)[-1] == "evaluacion-y-seguimiento"
    (entry,) = audits("section.create")
    assert entry.after["title_en"] == "Evaluation and monitoring"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TextRevision)) == 0


def test_a_sub_part_goes_at_the_end_of_its_part_and_nests_one_level(admin_client, enia):
    in_preparation(enia)
    form = post_form(admin_client, f"{BASE}/new?parent=5", {}, form_url=f"{BASE}/new?parent=5")
    assert form.status_code == 422  # an empty form: nothing written
    page = admin_client.get(f"{BASE}/new?parent=5").get_data(as_text=True)
    assert 'value="5.' in page  # the next number under 5 is offered
    added = post_form(
        admin_client, f"{BASE}/new", {**NEW, "number": "5.99", "parent": "5", "key": "5-99"}
    )
    assert added.status_code == 302
    keys = order(enia)
    last_child = max(i for i, k in enumerate(keys) if k.startswith("5-") and k != "5-99")
    assert keys.index("5-99") == last_child + 1
    deeper = post_form(admin_client, f"{BASE}/new", {**NEW, "parent": "5-3", "key": "x"})
    assert deeper.status_code == 422
    assert "un solo nivel" in deeper.get_data(as_text=True)
    assert section("x") is None


def test_a_typed_key_is_checked(admin_client, enia):
    for key in ("5-3", "Mayúsculas", "new"):
        reply = post_form(admin_client, f"{BASE}/new", {**NEW, "key": key})
        assert reply.status_code == 422, key
    assert len(audits("section.create")) == 0


def test_moving_swaps_siblings_and_a_part_takes_its_sub_parts(admin_client, enia):
    before = order(enia)
    moved = post_form(admin_client, f"{BASE}/5-3/move", {"to": "up"}, form_url=BASE)
    assert moved.status_code == 302
    after = order(enia)
    assert after.index("5-3") == before.index("5-2") and after.index("5-2") == before.index("5-3")
    post_form(admin_client, f"{BASE}/5/move", {"to": "down"}, form_url=BASE)
    after = order(enia)
    assert after.index("6") < after.index("5") < after.index("5-1")
    assert [s for s in after if s.startswith("5-")] == [
        s for s in after[after.index("5") + 1 :] if s.startswith("5-")
    ]
    assert len(audits("section.move")) == 2
    first = after[0]
    same = post_form(admin_client, f"{BASE}/{first}/move", {"to": "up"}, form_url=BASE)
    assert same.status_code == 302 and order(enia) == after
    wrong = post_form(admin_client, f"{BASE}/5/move", {"to": "sideways"}, form_url=BASE)
    assert wrong.status_code == 400 and order(enia) == after


def test_only_editors_write(app, enia, coordinator_client):
    assert coordinator_client.get(BASE).status_code == 403
    assert coordinator_client.get(f"{BASE}/5-3").status_code == 403
    editor = create_account("editora@example.org")
    db.session.add(ConsultationEditor(consultation_id=enia.id, user_id=editor.id))
    db.session.commit()
    client = signed_in_client(app, editor.email)
    reply = post_form(client, f"{BASE}/5-3", {**NEW, "number": "5.3"})
    assert reply.status_code == 302
    assert section("5-3").title_es == NEW["title_es"]


def test_deleting_is_refused_while_people_commented_or_answered(admin_client, enia):
    make_response(enia, ("5-3", "Un comentario"))
    page = admin_client.get(f"{BASE}/5-3/delete")
    assert "1 comments" in page.get_data(as_text=True) or "comment" in page.get_data(as_text=True)
    refused = post_form(admin_client, f"{BASE}/5-3/delete", {}, form_url=f"{BASE}/5-4/delete")
    assert refused.status_code == 409
    assert section("5-3") is not None
    make_response(enia, answers={"q-5-4-agree": "2"})
    assert post_form(admin_client, f"{BASE}/5-4/delete", {}).status_code == 409
    assert post_form(admin_client, f"{BASE}/5/delete", {}).status_code == 409  # sub-parts
    assert audits("section.delete") == []


def test_deleting_a_section_nobody_answered_takes_its_questions(admin_client, enia):
    assert post_form(admin_client, f"{BASE}/5-5/delete", {}).status_code == 302
    assert section("5-5") is None
    (entry,) = audits("section.delete")
    assert entry.before["key"] == "5-5" and "q-5-5-agree" in entry.before["questions"]


def test_a_versioned_section_is_not_deleted(admin_client, enia):
    snapshot_current(enia)
    db.session.commit()
    reply = post_form(admin_client, f"{BASE}/5-5/delete", {})
    assert reply.status_code == 409 and section("5-5") is not None


def test_an_edit_after_opening_is_kept_and_told_on_the_public_page(app, admin_client, enia):
    public = app.test_client()
    assert "Last changed on" not in public.get(f"/c/{SLUG}/s/5-3?lang=en").get_data(as_text=True)
    form = admin_client.get(f"{BASE}/5-3")
    assert form.status_code == 200
    old = section("5-3")
    old_title = old.title_en
    values = {
        "number": old.number,
        "title_es": old.title_es,
        "title_en": "Education, renamed",
        "body_md_es": old.body_md_es,
        "body_md_en": old.body_md_en,
        "comments_enabled": "y",
    }
    assert post_form(admin_client, f"{BASE}/5-3", values).status_code == 302
    (revision,) = db.session.scalars(sa.select(TextRevision)).all()
    assert revision.target == "section" and revision.target_id == old.id
    assert revision.before == {"title_en": old_title}
    assert revision.after == {"title_en": "Education, renamed"}
    page = public.get(f"/c/{SLUG}/s/5-3?lang=en").get_data(as_text=True)
    assert "Education, renamed" in page and "Last changed on" in page
    assert "Last changed on" not in public.get(f"/c/{SLUG}/s/5-4?lang=en").get_data(as_text=True)
    # The same form again changes nothing and keeps no revision.
    assert post_form(admin_client, f"{BASE}/5-3", values).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TextRevision)) == 1


def test_the_current_version_follows_an_edit(admin_client, enia):
    snapshot_current(enia)
    db.session.commit()
    old = section("5-3")
    values = {
        "number": old.number,
        "title_es": "Educación revisada",
        "title_en": old.title_en,
        "body_md_es": "Texto *nuevo*",
        "body_md_en": old.body_md_en,
        "comments_enabled": "y",
    }
    assert post_form(admin_client, f"{BASE}/5-3", values).status_code == 302
    text = db.session.scalar(sa.select(SectionText).filter_by(section_id=old.id))
    assert text.title_es == "Educación revisada" and "<em>nuevo</em>" in text.body_html_es


def test_the_home_and_general_pages_tell_their_own_last_change(app, enia):
    public = app.test_client()
    general = next(q for q in enia.questions if q.section_id is None)
    for target, target_id in (("consultation", enia.id), ("question", general.id)):
        db.session.add(
            TextRevision(
                consultation_id=enia.id,
                target=target,
                target_id=target_id,
                before={"x": "a"},
                after={"x": "b"},
            )
        )
    db.session.commit()
    assert "Last changed on" in public.get(f"/c/{SLUG}/?lang=en").get_data(as_text=True)
    assert "Last changed on" in public.get(f"/c/{SLUG}/general?lang=en").get_data(as_text=True)
    assert "Last changed on" not in public.get(f"/c/{SLUG}/s/5-3?lang=en").get_data(as_text=True)
    # Before it opens, no note (whatever is stored).
    enia.stage = Stage.PREPARATION
    db.session.commit()
    page = signed_in_client(app, create_account("c@example.org").email).get(f"/c/{SLUG}/?lang=en")
    assert "Last changed on" not in page.get_data(as_text=True)


def test_numbers_follow_places_when_asked(admin_client, enia):
    post_form(admin_client, f"{BASE}/5-3/move", {"to": "up"}, form_url=BASE)
    assert (section("5-3").number, section("5-2").number) == ("5.3", "5.2")  # typed: kept
    reply = post_form(admin_client, f"{BASE}/renumber", {}, form_url=BASE)
    assert reply.status_code == 302
    assert (section("5-3").number, section("5-2").number) == ("5.2", "5.3")
    (entry,) = audits("section.renumber")
    assert entry.before == {"5-3": "5.3", "5-2": "5.2"}
    # Open: each changed number is a revision of its section.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TextRevision)) == 2
    again = post_form(admin_client, f"{BASE}/renumber", {}, form_url=BASE)
    assert again.status_code == 302 and len(audits("section.renumber")) == 1


def test_a_key_taken_by_another_editor_a_moment_ago_is_refused(app, admin, enia):
    from consult.authoring import sections as ops
    from consult.authoring.texts import EditRefused

    _ = enia.sections  # what this editor read
    with db.engine.begin() as other:
        other.execute(
            sa.insert(Section).values(
                consultation_id=enia.id,
                key="carrera",
                number="8",
                position=99,
                title_es="Otra",
                title_en="Other",
                body_md_es="",
                body_md_en="",
                body_html_es="",
                body_html_en="",
            )
        )
    values = ops.SectionInput(
        number="9", title_es="Mía", title_en="Mine", body_md_es="", body_md_en="", key="carrera"
    )
    try:
        ops.create_section(enia, values, admin)
    except EditRefused as refused:
        assert refused.field == "key"
    else:
        raise AssertionError("not refused")
    assert len(audits("section.create")) == 0
