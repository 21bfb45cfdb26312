"""Bundles in and out of the console: a consultation downloaded as a zipped bundle, and a
zipped bundle imported by an administrator — a summary of what would change first, with
nothing written, then a confirmation that loads it in one transaction."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from consult.authoring import imports
from consult.content import load_bundle
from consult.content.export import bundle_files, bundle_zip, zip_files
from consult.extensions import db
from consult.models import (
    Answer,
    AuditEntry,
    Comment,
    Consultation,
    ConsultationEditor,
    Question,
    Section,
)
from tests.conftest import (
    SMALL_BUNDLE,
    _empty_tables,
    create_account,
    post_form,
    signed_in_client,
)
from tests.factories import make_response

IMPORT = "/console/admin/import?lang=en"
CONFIRM = "/console/admin/import/confirm?lang=en"
EXPORT = "/console/c/small-test/bundle.zip"
CONTENT = (Consultation, Section, Question, Answer, Comment)


def zipped(folder: Path, top: str = "small") -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return data.getvalue()


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A copy of the small bundle to change."""
    folder = tmp_path / "small"
    shutil.copytree(SMALL_BUNDLE, folder)
    return folder


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rows() -> dict[str, list[tuple]]:
    db.session.expire_all()
    out = {}
    for model in (*CONTENT, AuditEntry):
        table = model.__table__
        query = sa.select(table).order_by(*table.primary_key.columns)
        out[table.name] = [tuple(r) for r in db.session.execute(query)]
    return out


def upload(client, data: bytes):
    return post_form(client, IMPORT, {"bundle": (io.BytesIO(data), "bundle.zip")})


def kept(app) -> list[Path]:
    folder = Path(app.instance_path) / "bundle-imports"
    return sorted(folder.glob("*.zip")) if folder.is_dir() else []


def upload_token(page: str) -> str:
    marker = 'name="upload" value="'
    assert marker in page, page
    return page.split(marker, 1)[1].split('"', 1)[0]


def confirm(client, token: str):
    return post_form(client, CONFIRM, {"upload": token}, form_url=IMPORT)


def small() -> Consultation | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))


# ---------------------------------------------------------------- importing


def test_a_new_consultation_is_summarised_then_created_on_confirmation(app, admin_client, admin):
    before = rows()
    reply = upload(admin_client, zipped(SMALL_BUNDLE))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200, page
    assert "small-test" in page and "Create the consultation" in page
    assert "<code>one</code>" in page and "<code>colour</code>" in page
    assert rows() == before, "the summary wrote something"
    assert len(kept(app)) == 1
    token = upload_token(page)
    done = confirm(admin_client, token)
    assert done.status_code == 302, done.get_data(as_text=True)
    assert done.location.endswith("/console/c/small-test/")
    consultation = small()
    assert [s.key for s in consultation.sections] == ["one", "two"]
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="consultation.import"))
    assert entry.actor_id == admin.id and entry.object_id == consultation.id
    assert entry.before == {"slug": "small-test", "existed": False}
    assert "section one" in entry.after["created"]
    assert kept(app) == [], "the upload is removed once loaded"
    again = confirm(admin_client, token)
    assert again.status_code == 422


def test_the_same_bundle_as_stored_changes_nothing_and_offers_no_button(app, admin_client):
    load_bundle(SMALL_BUNDLE)
    reply = upload(admin_client, zipped(SMALL_BUNDLE))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "there is nothing to import" in page
    assert 'name="upload"' not in page
    assert kept(app) == []


def test_changes_are_listed_then_loaded_with_the_responses_kept(app, admin_client, bundle):
    load_bundle(SMALL_BUNDLE)
    response = make_response(small(), ("one", "Un comentario"), answers={"colour": "red"})
    edit(bundle / "sections" / "01-one.yaml", lambda d: d["title"].update(en="One, renamed"))
    edit(bundle / "sections" / "01-one.yaml", lambda d: d.pop("questions"))  # "must": unanswered
    (bundle / "sections" / "03-three.yaml").write_text(
        'key: three\nnumber: "2"\ntitle: {es: "Tres", en: "Three"}\n'
        'body: {es: "Texto tres.", en: "Text three."}\n',
        encoding="utf-8",
    )
    edit(
        bundle / "consultation.yaml",
        lambda d: d.update(contact="equipo@example.org", privacy={"es": "Aviso.", "en": "Notice."}),
    )
    before = rows()
    reply = upload(admin_client, zipped(bundle))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200, page
    assert rows() == before
    added = page.split('id="added-title"', 1)[1].split("</section>", 1)[0]
    changed = page.split('id="changed-title"', 1)[1].split("</section>", 1)[0]
    removed = page.split('id="removed-title"', 1)[1].split("</section>", 1)[0]
    assert "<code>three</code>" in added
    assert "<code>one</code> (title)" in changed
    assert "contact, privacy" in changed
    assert "<code>must</code>" in removed
    assert "Refused" not in page
    done = confirm(admin_client, upload_token(page))
    assert done.status_code == 302
    consultation = small()
    assert [s.key for s in consultation.sections] == ["one", "two", "three"]
    assert consultation.sections[0].title_en == "One, renamed"
    assert consultation.contact == "equipo@example.org"
    assert consultation.privacy_html_es == "<p>Aviso.</p>\n"
    assert "must" not in {q.key for q in consultation.questions}
    answers = db.session.scalars(sa.select(Answer).filter_by(response_id=response.id)).all()
    assert [a.value for a in answers] == ["red"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_what_would_lose_answers_is_refused_and_nothing_can_be_confirmed(app, admin_client, bundle):
    load_bundle(SMALL_BUNDLE)
    make_response(small(), ("two", "Sobre la dos"), answers={"colour": "red", "must": "x"})
    (bundle / "sections" / "02-two.yaml").unlink()  # holds a comment

    def meta(d):
        d["questions"][0]["options"] = [  # "red" was chosen
            {"code": "blue", "es": "Azul", "en": "Blue"},
            {"code": "green", "es": "Verde", "en": "Green"},
        ]

    edit(bundle / "consultation.yaml", meta)
    edit(bundle / "sections" / "01-one.yaml", lambda d: d["questions"][0].update(type="long_text"))
    before = rows()
    reply = upload(admin_client, zipped(bundle))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200, page
    refused = page.split('id="refused-title"', 1)[1].split("</section>", 1)[0]
    assert "<code>two</code>" in refused
    assert "1 stored answer, comment or response holds it." in refused
    assert "1 answer chose these options" in refused
    assert "<code>colour</code> (options: red)" in refused
    assert "<code>must</code> (type)" in refused
    assert 'name="upload"' not in page
    assert rows() == before
    assert kept(app) == []


def test_a_refusal_found_at_confirmation_writes_nothing(app, admin_client, bundle):
    """Answers arrive between the summary and the confirmation: the load is refused."""
    load_bundle(SMALL_BUNDLE)
    edit(bundle / "sections" / "01-one.yaml", lambda d: d["questions"][0].update(type="long_text"))
    reply = upload(admin_client, zipped(bundle))
    token = upload_token(reply.get_data(as_text=True))
    make_response(small(), answers={"must": "x"})
    before = rows()
    done = confirm(admin_client, token)
    assert done.status_code == 422
    assert "<code>must</code> (type)" in done.get_data(as_text=True)
    assert rows() == before


@pytest.mark.parametrize(
    "token", ["", "../../etc/passwd", "0" * 32, "A" * 32, "/tmp/x.zip", "0" * 31 + "g"]
)
def test_a_confirmation_names_no_path_and_no_unknown_upload(app, admin_client, token):
    before = rows()
    reply = confirm(admin_client, token)
    assert reply.status_code == 422
    assert "upload the zip file again" in reply.get_data(as_text=True)
    assert rows() == before


def test_an_expired_upload_is_not_loaded(app, admin_client):
    reply = upload(admin_client, zipped(SMALL_BUNDLE))
    token = upload_token(reply.get_data(as_text=True))
    (path,) = kept(app)
    old = time.time() - imports.KEEP_FOR - 10
    os.utime(path, (old, old))
    assert confirm(admin_client, token).status_code == 422
    assert small() is None
    assert kept(app) == []


def test_a_damaged_zip_or_bundle_is_refused_with_a_message(app, admin_client, bundle):
    reply = upload(admin_client, b"not a zip")
    assert reply.status_code == 422
    assert "not a zip file" in reply.get_data(as_text=True)
    edit(bundle / "consultation.yaml", lambda d: d.update(share_base="everyone"))
    reply = upload(admin_client, zipped(bundle))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert "The bundle cannot be loaded: consultation.yaml: share_base" in page
    assert "consult-import-" not in page
    assert kept(app) == []


def test_an_empty_upload_is_422(app, admin_client):
    reply = post_form(admin_client, IMPORT, {})
    assert reply.status_code == 422
    assert "Please choose a zip file." in reply.get_data(as_text=True)


def test_coordinators_may_not_import(app, coordinator_client):
    assert coordinator_client.get(IMPORT).status_code == 403
    assert coordinator_client.get(EXPORT).status_code in (403, 404)


# ---------------------------------------------------------------- exporting


@pytest.fixture
def editor_client(app, make_user):
    user = make_user("editora@example.org", "coordinator")
    load_bundle(SMALL_BUNDLE)
    db.session.add(ConsultationEditor(consultation_id=small().id, user_id=user.id))
    db.session.commit()
    return signed_in_client(app, "editora@example.org")


def test_an_editor_downloads_the_bundle(app, editor_client):
    reply = editor_client.get(EXPORT)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/zip"
    assert 'filename="small-test.zip"' in reply.headers["Content-Disposition"]
    assert (
        reply.headers["Cache-Control"].startswith("private")
        or "no-store" in (reply.headers["Cache-Control"])
    )
    assert zip_files(reply.data) == bundle_files(small())


def test_a_coordinator_not_given_the_consultation_may_not_download_it(app, coordinator_client):
    load_bundle(SMALL_BUNDLE)
    assert coordinator_client.get(EXPORT).status_code == 403
    assert coordinator_client.get("/console/c/nothing/bundle.zip").status_code == 404


def test_export_import_export_through_the_console_gives_the_same_files(app, admin_client):
    load_bundle("valle-digital-2027")
    first = admin_client.get("/console/c/valle-digital-2027/bundle.zip").data
    db.session.rollback()
    _empty_tables()
    create_account("admin2@example.org", "admin")
    again = signed_in_client(app, "admin2@example.org")
    reply = upload(again, first)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert confirm(again, upload_token(reply.get_data(as_text=True))).status_code == 302
    db.session.expire_all()
    second = bundle_zip(
        db.session.scalar(sa.select(Consultation).filter_by(slug="valle-digital-2027"))
    )
    assert zip_files(second) == zip_files(first)
    assert second == first


@pytest.mark.parametrize("page", ["/console/c/small-test/", "/console/c/small-test/versions"])
def test_the_dashboard_and_versions_link_the_download_for_those_who_may_edit(
    app, editor_client, coordinator_client, admin_client, page
):
    assert EXPORT in editor_client.get(page).get_data(as_text=True)
    assert EXPORT not in coordinator_client.get(page).get_data(as_text=True)
    admins = admin_client.get(page).get_data(as_text=True)
    assert EXPORT in admins and '"/console/admin/import"' in admins


def test_a_half_translated_bundle_is_refused_over_a_running_consultation(app, admin_client, bundle):
    load_bundle(SMALL_BUNDLE)
    meta = bundle / "consultation.yaml"
    meta.write_text("stage: preparation\n" + meta.read_text(encoding="utf-8"), encoding="utf-8")
    edit(bundle / "sections" / "02-two.yaml", lambda d: d["title"].pop("en"))
    before = rows()
    reply = upload(admin_client, zipped(bundle))
    page = reply.get_data(as_text=True)
    refused = page.split('id="refused-title"', 1)[1].split("</section>", 1)[0]
    assert "Only a consultation in preparation may lack a language" in refused
    assert "sections/02-two.yaml: title.en" in refused
    assert 'name="upload"' not in page
    assert rows() == before


def test_a_consultation_written_at_the_same_moment_is_a_message_not_a_500(
    app, admin_client, monkeypatch
):
    reply = upload(admin_client, zipped(SMALL_BUNDLE))
    token = upload_token(reply.get_data(as_text=True))

    def clash(data, actor):
        raise sa.exc.IntegrityError("INSERT", {}, Exception("unique"))

    monkeypatch.setattr(imports, "import_zip", clash)
    done = confirm(admin_client, token)
    assert done.status_code == 422
    assert "changed at the same moment" in done.get_data(as_text=True)


# ---------------------------------------------------------------- built in the console


def build_in_the_console(actor, *, english: bool = True) -> Consultation:
    """A small consultation as the console's editors leave it: two sections (one under the
    other), a question of each type, in both languages (or half in Spanish only)."""
    from datetime import datetime

    from consult.authoring.consultations import ConsultationValues, create_consultation
    from consult.authoring.questions import QuestionInput, create_question
    from consult.authoring.sections import SectionInput, create_section

    en = (lambda text: text) if english else (lambda text: "")
    consultation = create_consultation(
        "plan-regional",
        ConsultationValues(
            title_es="Plan regional digital",
            title_en="Regional digital plan",
            organiser_es="Gobierno Regional",
            organiser_en="Regional Government",
            summary_md_es="Una **consulta** corta.\r\n\r\nSegundo párrafo.",
            summary_md_en="A **short** consultation.\r\n\r\nSecond paragraph.",
            opens_at=datetime(2027, 3, 1, 5, 0),
            closes_at=datetime(2027, 4, 1, 4, 59),
            time_zone="America/Bogota",
            contact="plan@example.org",
            privacy_md_es="Sus datos se usan solo para esta consulta.",
            privacy_md_en="Your data are used only for this consultation.",
        ),
        actor,
    )
    create_section(
        consultation,
        SectionInput("1", "Conectividad", en("Connectivity"), "Texto *uno*.", en("Text *one*.")),
        actor,
    )
    create_section(
        consultation,
        SectionInput(
            "1.1",
            "Zonas rurales",
            en("Rural areas"),
            "Texto dos.",
            en("Text two."),
            parent=consultation.sections[0].key,
            gate_es="¿Desea responder?",
            gate_en="Do you want to answer?",
        ),
        actor,
    )
    keys = [s.key for s in consultation.sections]
    options = [
        {"code": "a", "es": "Opción A", "en": en("Option A")},
        {"code": "b", "es": "Opción B", "en": en("Option B")},
    ]
    for number, kind in enumerate(
        ("likert", "single_choice", "multiple_choice", "ranking", "short_text", "long_text")
    ):
        create_question(
            consultation,
            QuestionInput(
                type=kind,
                prompt_es=f"Pregunta {number}",
                prompt_en=en(f"Question {number}"),
                help_es="Ayuda" if number == 1 else "",
                help_en=en("Help") if number == 1 else "",
                required=number == 0,
                section=None if number == 5 else keys[number % 2],
                options=options if kind in ("single_choice", "multiple_choice", "ranking") else [],
            ),
            actor,
        )
    return small_by("plan-regional")


def small_by(slug: str) -> Consultation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Consultation).filter_by(slug=slug))


@pytest.mark.parametrize("english", [True, False], ids=["translated", "half-translated"])
def test_a_consultation_built_in_the_console_goes_out_and_comes_back_the_same(app, admin, english):
    first = bundle_zip(build_in_the_console(admin, english=english))
    files = zip_files(first)
    assert sorted(files) == [
        "consultation.yaml",
        "profile.yaml",
        "sections/01-conectividad.yaml",
        "sections/02-zonas-rurales.yaml",
    ]
    meta = yaml.safe_load(files["consultation.yaml"])
    assert meta["stage"] == "preparation" and meta["time_zone"] == "America/Bogota"
    assert str(meta["opens"]) == "2027-03-01 00:00:00-05:00"
    assert len(meta["questions"]) == 1
    db.session.rollback()
    _empty_tables()
    create_account("admin2@example.org", "admin")
    client = signed_in_client(app, "admin2@example.org")
    reply = upload(client, first)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert confirm(client, upload_token(reply.get_data(as_text=True))).status_code == 302
    again = small_by("plan-regional")
    assert [s.key for s in again.sections] == ["conectividad", "zonas-rurales"]
    assert sorted(q.type.value for q in again.questions) == sorted(
        ("likert", "single_choice", "multiple_choice", "ranking", "short_text", "long_text")
    )
    second = zip_files(bundle_zip(again))
    for name in files:
        assert second[name].decode() == files[name].decode(), name
    assert bundle_zip(again) == first


@pytest.mark.parametrize("name", ["enia-2021", "valle-digital-2027"])
def test_a_consultations_own_export_changes_nothing(app, admin_client, name):
    load_bundle(name)
    data = admin_client.get(f"/console/c/{name}/bundle.zip").data
    before = rows()
    reply = upload(admin_client, data)
    assert "there is nothing to import" in reply.get_data(as_text=True)
    assert rows() == before


def test_what_a_bundle_says_is_shown_as_text_on_the_summary(app, admin_client, bundle):
    edit(bundle / "sections" / "02-two.yaml", lambda d: d.update(number="<b>1</b>"))
    page = upload(admin_client, zipped(bundle)).get_data(as_text=True)
    assert "<b>1</b>" not in page
    assert "&lt;b&gt;1&lt;/b&gt;" in page


def test_sections_in_another_order_are_said_to_move(app, admin_client, tmp_path):
    load_bundle("valle-digital-2027")
    files = zip_files(admin_client.get("/console/c/valle-digital-2027/bundle.zip").data)
    files["sections/04-tramites.yaml"] = files.pop("sections/01-tramites.yaml")
    folder = tmp_path / "valle"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    page = upload(admin_client, zipped(folder)).get_data(as_text=True)
    changed = page.split('id="changed-title"', 1)[1].split("</section>", 1)[0]
    for key in ("tramites", "conectividad", "datos-abiertos"):
        assert f"<code>{key}</code> (order)" in changed
