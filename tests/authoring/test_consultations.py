"""A consultation written in the console: an admin creates it (in preparation, no
sections), whoever may edit it changes its fields, an admin archives it; the public home
lists what is open, upcoming and closed; the privacy notice and contact reach respondents."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consult.authoring import consultations as ops
from consult.authoring import editors
from consult.content import load_bundle
from consult.extensions import db
from consult.models import (
    AuditEntry,
    Consultation,
    ConsultationEditor,
    Section,
    TextRevision,
    User,
)
from consult.models.columns import utcnow
from consult.models.vocab import Stage
from tests.conftest import SMALL_BUNDLE, post_form, signed_in_client

NEW = "/console/admin/consultations/new"

FORM = {
    "slug": "datos-personales-2027",
    "title_es": "Reglamento de datos personales",
    "title_en": "Personal data regulation",
    "organiser_es": "Secretaría de Gobierno Digital",
    "organiser_en": "Digital Government Secretariat",
    "summary_md_es": "Una **consulta** sobre el reglamento.",
    "summary_md_en": "A **consultation** on the regulation.",
    "privacy_md_es": "Sus datos se tratan según la *Ley 29733*.",
    "privacy_md_en": "Your data is handled under *Law 29733*.",
    "contact": "consultas@example.gob.pe",
    "time_zone": "America/Lima",
    "opens_at": "2027-03-01T09:00",
    "closes_at": "2027-04-30T23:59",
}


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).filter_by(action=action)))


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Consultation))


def test_an_admin_creates_a_consultation_in_preparation_with_no_sections(admin_client):
    reply = post_form(admin_client, NEW, FORM)
    assert reply.status_code == 302
    assert reply.location.endswith("/console/c/datos-personales-2027/edit")
    c = db.session.scalar(sa.select(Consultation).filter_by(slug="datos-personales-2027"))
    assert c.stage is Stage.PREPARATION and c.sections == [] and c.archived_at is None
    # Typed in Lima's time (UTC−5), stored as UTC.
    assert c.opens_at == datetime(2027, 3, 1, 14, 0)
    assert c.closes_at == datetime(2027, 5, 1, 4, 59)
    assert c.summary_html_es == "<p>Una <strong>consulta</strong> sobre el reglamento.</p>\n"
    assert "<em>Law 29733</em>" in c.privacy_html_en
    assert c.contact == "consultas@example.gob.pe"
    # Peru's respondent profile, so the profile step works from the start.
    assert c.profile["stakeholder_type"] is not None
    [entry] = audit("consultation.create")
    assert entry.object_id == c.id and entry.after["slug"] == c.slug
    assert entry.after["stage"] == "preparation"
    page = admin_client.get("/console/c/datos-personales-2027/edit?lang=en")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Preview in Spanish" in body and "Preview in English" in body
    assert 'value="2027-03-01T09:00"' in body  # shown back in the consultation's zone


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "Datos_2027"}, "slug", "Use lowercase letters, digits and hyphens only"),
        ({"slug": "-datos"}, "slug", "Use lowercase letters, digits and hyphens only"),
        ({"slug": "enia-2021"}, "slug", "Another consultation has this address already"),
        ({"closes_at": "2027-02-01T09:00"}, "closes_at", "It must close after it opens."),
        ({"opens_at": "1 March"}, "opens_at", "Please give a date and time"),
        ({"title_en": "  "}, "title_en", "Please fill this in."),
        ({"summary_md_es": ""}, "summary_md_es", "Please fill this in."),
        ({"time_zone": "Lima"}, "time_zone", "Please give a time zone by its name"),
        ({"title_es": "x" * 301}, "title_es", "At most 300 characters"),
    ],
)
def test_the_create_form_refuses_bad_values_beside_their_field_and_writes_nothing(
    admin_client, enia, changes, field, message
):
    before = count()
    reply = post_form(admin_client, f"{NEW}?lang=en", {**FORM, **changes})
    body = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert message in body
    assert f'href="#{field}"' in body  # the summary links to the field
    assert f'id="{field}-error"' in body
    assert count() == before and audit("consultation.create") == []


def test_refusals_are_in_the_pages_language(admin_client):
    spanish = post_form(admin_client, f"{NEW}?lang=es", {**FORM, "title_en": ""})
    english = post_form(admin_client, f"{NEW}?lang=en", {**FORM, "title_en": ""})
    assert spanish.status_code == english.status_code == 422
    assert '<html lang="es"' in spanish.get_data(as_text=True)
    assert "Title in English: Please fill this in." in english.get_data(as_text=True)


def test_the_operation_checks_what_the_form_checks(app, admin, enia):
    values = ops.ConsultationValues(
        **{k: v for k, v in FORM.items() if k not in ("slug", "opens_at", "closes_at")},
        opens_at=datetime(2027, 3, 1),
        closes_at=datetime(2027, 3, 1),
    )
    with pytest.raises(ops.ConsultationRefused) as refused:
        ops.create_consultation("nueva", values, admin)
    assert refused.value.field == "closes_at"
    with pytest.raises(ops.ConsultationRefused) as refused:
        ops.create_consultation("Nueva Consulta", values, admin)
    assert refused.value.field == "slug"
    assert count() == 1


def _created(admin_client) -> Consultation:
    assert post_form(admin_client, NEW, FORM).status_code == 302
    return db.session.scalar(sa.select(Consultation).filter_by(slug=FORM["slug"]))


def test_an_editor_saves_changes_with_one_audit_entry_before_and_after(
    app, admin_client, make_user
):
    c = _created(admin_client)
    editor = make_user("editora@example.org")
    db.session.add(ConsultationEditor(consultation_id=c.id, user_id=editor.id))
    db.session.commit()
    browser = signed_in_client(app, editor.email)
    url = f"/console/c/{c.slug}/edit"
    reply = post_form(browser, url, {**FORM, "title_en": "Data regulation", "slug": "ignored"})
    assert reply.status_code == 302
    db.session.expire_all()
    assert c.title_en == "Data regulation" and c.slug == FORM["slug"]  # the address stays
    [entry] = audit("consultation.edit")
    assert entry.before == {"title_en": "Personal data regulation"}
    assert entry.after == {"title_en": "Data regulation"}
    assert entry.actor_id == editor.id
    # Nothing changed: nothing written.
    post_form(browser, url, {**FORM, "title_en": "Data regulation"})
    assert len(audit("consultation.edit")) == 1
    # In preparation nobody has read it: no text revision is kept.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TextRevision)) == 0


def test_a_bad_edit_is_refused_beside_its_field_and_changes_nothing(admin_client):
    c = _created(admin_client)
    url = f"/console/c/{c.slug}/edit?lang=en"
    reply = post_form(admin_client, url, {**FORM, "closes_at": "2027-01-01T00:00"})
    assert reply.status_code == 422
    assert "It must close after it opens." in reply.get_data(as_text=True)
    db.session.expire_all()
    assert c.closes_at == datetime(2027, 5, 1, 4, 59)
    assert audit("consultation.edit") == []


def test_a_coordinator_not_given_the_consultation_cannot_edit_it(admin_client, coordinator_client):
    c = _created(admin_client)
    url = f"/console/c/{c.slug}/edit"
    assert coordinator_client.get(url).status_code == 403
    reply = post_form(coordinator_client, url, FORM, form_url=f"/console/c/{c.slug}/")
    assert reply.status_code == 403
    assert audit("consultation.edit") == []
    # It is still there for reviewing, like every consultation.
    assert coordinator_client.get(f"/console/c/{c.slug}/").status_code == 200


def test_editing_wording_after_it_opened_keeps_a_text_revision(admin, enia):
    """The draft strategy is running and open: a change of wording is kept as a version."""
    values = ops.ConsultationValues(
        **{name: getattr(enia, name) for name in ops.TEXT_FIELDS},
        opens_at=enia.opens_at,
        closes_at=enia.closes_at,
        time_zone=enia.time_zone,
    )
    values.title_en = "A new title"
    assert ops.update_consultation(enia, values, admin) is True
    [revision] = db.session.scalars(sa.select(TextRevision))
    assert revision.target == "consultation" and revision.target_id == enia.id
    assert revision.after == {"title_en": "A new title"} and revision.changed_by_id == admin.id


# ---------------------------------------------------------------- archive and the home page


def _closed_small() -> Consultation:
    load_bundle(
        SMALL_BUNDLE, opens=utcnow() - timedelta(days=30), closes=utcnow() - timedelta(days=1)
    )
    return db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))


def test_an_open_consultation_cannot_be_archived(admin_client, enia):
    url = "/console/admin/c/enia-2021/archive"
    reply = post_form(admin_client, url, {"archived": "yes"}, form_url="/console/c/enia-2021/edit")
    assert reply.status_code == 302
    db.session.expire_all()
    assert enia.archived_at is None and audit("consultation.archive") == []


def test_an_archived_consultation_is_listed_nowhere_public(app, admin_client, client, enia):
    small = _closed_small()
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "Open for responses" in home and "Closed for responses" in home
    assert "/c/small-test/" in home and "/c/enia-2021/" in home
    url = "/console/admin/c/small-test/archive"
    form_url = "/console/c/small-test/edit"
    reply = post_form(admin_client, url, {"archived": "yes"}, form_url=form_url)
    assert reply.status_code == 302
    db.session.expire_all()
    assert small.archived_at is not None
    [entry] = audit("consultation.archive")
    assert entry.before == {"archived_at": None} and entry.after["archived_at"]
    # One consultation listed: the home page opens it, as before.
    reply = client.get("/")
    assert reply.status_code == 302 and reply.location.endswith("/c/enia-2021/")
    # Kept whole: its page still answers; the console lists it as archived.
    assert client.get("/c/small-test/").status_code == 200
    console = admin_client.get("/console/?lang=en").get_data(as_text=True)
    assert "Archived" in console
    # And back.
    post_form(admin_client, url, {"archived": "no"}, form_url=form_url)
    db.session.expire_all()
    assert small.archived_at is None and len(audit("consultation.unarchive")) == 1


def test_the_home_page_lists_no_consultation_in_preparation(admin_client, client, enia):
    _created(admin_client)
    _closed_small()
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "datos-personales-2027" not in home
    assert client.get("/c/datos-personales-2027/").status_code == 404


def test_an_archive_without_a_choice_is_refused(admin_client, enia):
    url = "/console/admin/c/enia-2021/archive"
    reply = post_form(admin_client, url, {}, form_url="/console/c/enia-2021/edit")
    assert reply.status_code == 400


# ---------------------------------------------------------------- privacy notice, contact


def test_respondents_read_the_privacy_notice_and_contact_where_they_consent(admin, client, enia):
    values = ops.ConsultationValues(
        **{name: getattr(enia, name) for name in ops.TEXT_FIELDS},
        opens_at=enia.opens_at,
        closes_at=enia.closes_at,
        time_zone=enia.time_zone,
    )
    values.privacy_md_es = "Tratamos sus datos según la **Ley 29733**."
    values.privacy_md_en = "We handle your data under **Law 29733**."
    values.contact = "datos@example.gob.pe"
    assert ops.update_consultation(enia, values, admin)
    for url in ("/c/enia-2021/profile", "/c/enia-2021/"):
        es = client.get(f"{url}?lang=es").get_data(as_text=True)
        assert "<strong>Ley 29733</strong>" in es
        assert 'href="mailto:datos@example.gob.pe"' in es
        en = client.get(f"{url}?lang=en").get_data(as_text=True)
        assert "<strong>Law 29733</strong>" in en and "Privacy notice" in en


def test_without_a_notice_or_contact_no_empty_section_is_shown(client, enia):
    body = client.get("/c/enia-2021/profile?lang=en").get_data(as_text=True)
    assert "Privacy notice" not in body and 'id="privacy-title"' not in body


def test_every_refusal_of_a_form_is_shown_at_once(admin_client, enia):
    bad = {"slug": "Mala Dirección", "title_en": "", "closes_at": "2027-02-01T09:00"}
    reply = post_form(admin_client, f"{NEW}?lang=en", {**FORM, **bad})
    body = reply.get_data(as_text=True)
    assert reply.status_code == 422
    for field in ("slug", "title_en", "closes_at"):
        assert f'id="{field}-error"' in body, field


def test_markup_typed_into_the_consultations_fields_is_shown_as_text(admin, client, enia):
    values = ops.ConsultationValues(
        **{name: getattr(enia, name) for name in ops.TEXT_FIELDS},
        opens_at=enia.opens_at,
        closes_at=enia.closes_at,
        time_zone=enia.time_zone,
    )
    values.contact = '<script>alert("c")</script>@x'
    values.privacy_md_es = '<img src=x onerror="alert(1)"> Aviso [enlace](javascript:alert(2))'
    values.title_es = "<b>Título</b>"
    assert ops.update_consultation(enia, values, admin)
    body = client.get("/c/enia-2021/profile?lang=es").get_data(as_text=True)
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert "<img" not in body and 'href="javascript' not in body
    assert 'href="mailto:' not in body  # not an address: shown as text only
    assert "<b>Título</b>" not in client.get("/c/enia-2021/").get_data(as_text=True)


def test_the_console_switches_between_consultations(admin_client, coordinator_client, enia):
    small = _closed_small()
    page = coordinator_client.get("/console/c/enia-2021/responses?lang=en").get_data(as_text=True)
    switcher = page.split('<details class="switcher">')[1].split("</details>")[0]
    assert 'href="/console/c/small-test/"' in switcher
    assert 'href="/console/c/enia-2021/" aria-current="true"' in switcher
    # A coordinator given nothing is offered no editing; an admin is, and may create one.
    assert 'href="/console/c/enia-2021/edit"' not in page and NEW not in page
    admin_page = admin_client.get("/console/c/enia-2021/?lang=en").get_data(as_text=True)
    assert 'href="/console/c/enia-2021/edit"' in admin_page and NEW in admin_page
    # An archived consultation leaves the switcher (the console's list keeps it).
    ops.archive_consultation(small, db.session.scalar(sa.select(User).filter_by(role="admin")))
    page = coordinator_client.get("/console/c/enia-2021/?lang=en").get_data(as_text=True)
    assert '<details class="switcher">' not in page
    listed = coordinator_client.get("/console/?lang=en").get_data(as_text=True)
    assert 'href="/console/c/small-test/"' in listed.split("<h2>Archived</h2>")[1]


def test_the_edit_form_sent_back_unchanged_changes_nothing(admin_client, enia):
    """The draft strategy opened at a time with seconds; the form shows minutes."""
    enia.opens_at = enia.opens_at.replace(second=37)
    db.session.commit()
    opens = enia.opens_at
    page = admin_client.get("/console/c/enia-2021/edit").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="text" name="(\w+)" id="\w+" value="([^"]*)"', page))
    fields.update(
        re.findall(r'<input type="datetime-local" name="(\w+)" id="\w+" value="([^"]*)"', page)
    )
    fields.update(re.findall(r'<textarea name="(\w+)" id="\w+"[^>]*>([^<]*)</textarea>', page))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    reply = post_form(admin_client, "/console/c/enia-2021/edit", fields)
    assert reply.status_code == 302
    db.session.expire_all()
    assert enia.opens_at == opens
    assert audit("consultation.edit") == []


def test_an_editor_opens_a_finished_consultation_and_not_an_unfinished_one(
    admin_client, coordinator_client, coordinator, admin
):
    assert post_form(admin_client, NEW, FORM).status_code == 302
    c = db.session.scalar(sa.select(Consultation).filter_by(slug="datos-personales-2027"))
    editors.give_access(c, coordinator, admin)
    edit = f"/console/c/{c.slug}/edit"
    # No section yet: refused, with the reason, and still in preparation.
    reply = post_form(coordinator_client, f"/console/c/{c.slug}/open", {}, form_url=edit)
    assert reply.status_code == 302
    page = coordinator_client.get(edit).get_data(as_text=True)
    assert "sin una sección" in page
    db.session.expire_all()
    assert db.session.get(Consultation, c.id).stage is Stage.PREPARATION
    assert audit("consultation.stage") == []
    # With a section in both languages it opens, with one audit entry.
    db.session.add(
        Section(
            consultation_id=c.id, key="uno", number="1", position=1,
            title_es="Uno", title_en="One", body_md_es="Texto.", body_md_en="Text.",
            body_html_es="<p>Texto.</p>", body_html_en="<p>Text.</p>",
        )
    )  # fmt: skip
    db.session.commit()
    post_form(coordinator_client, f"/console/c/{c.slug}/open", {}, form_url=edit)
    db.session.expire_all()
    assert db.session.get(Consultation, c.id).stage is Stage.RUNNING
    assert len(audit("consultation.stage")) == 1
    assert 'action="/console/c/datos-personales-2027/open"' not in coordinator_client.get(
        edit
    ).get_data(as_text=True)
