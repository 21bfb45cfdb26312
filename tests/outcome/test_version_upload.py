"""An administrator uploads the next version of the draft as a zipped bundle."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.content import archives
from consult.extensions import db
from consult.models import AuditEntry, Consultation
from consult.models.outcome import DraftVersion, SectionText
from tests.conftest import post_form

V2 = Path(__file__).resolve().parents[1] / "bundles" / "enia-2021-v2"
NEW = "/console/admin/c/enia-2021/versions/new"


def zipped(folder: Path, top: str | None = "enia-2021-v2", extra: dict | None = None) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                archive.write(path, f"{top}/{name}" if top else name)
        for name, content in (extra or {}).items():
            if isinstance(content, zipfile.ZipInfo):
                archive.writestr(content, "target")
            else:
                archive.writestr(name, content)
    return data.getvalue()


def upload(client, data: bytes, **notes):
    return post_form(
        client,
        NEW,
        {"bundle": (io.BytesIO(data), "bundle.zip"), **notes},
    )


def written() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (DraftVersion, SectionText, AuditEntry)
    )


def test_the_enia_bundle_zipped_fits_the_request_limit(app):
    assert len(zipped(V2)) < app.config["MAX_CONTENT_LENGTH"] // 4


@pytest.mark.parametrize("top", ["enia-2021-v2", None])
def test_a_good_zip_becomes_version_2(admin_client, enia, admin, top):
    reply = upload(admin_client, zipped(V2, top), note_es="Segunda", note_en="Second")
    assert reply.status_code == 302, reply.get_data(as_text=True)
    assert reply.location.endswith("/console/c/enia-2021/versions/2")
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).current_version == 2
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    assert (version.note_es, version.note_en, version.created_by_id) == (
        "Segunda",
        "Second",
        admin.id,
    )
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="draft.new_version"))
    assert entry.actor_id == admin.id


def test_coordinators_may_not_upload(coordinator_client, enia):
    assert coordinator_client.get(NEW).status_code == 403


def refused(client, data: bytes, message: str, lang: str = "en") -> None:
    before = written()
    reply = post_form(
        client,
        f"{NEW}?lang={lang}",
        {"bundle": (io.BytesIO(data), "bundle.zip")},
        form_url=f"{NEW}?lang={lang}",
    )
    assert reply.status_code == 422
    assert message in reply.get_data(as_text=True)
    assert written() == before


def test_a_file_that_is_not_a_zip_is_refused(admin_client, enia):
    refused(admin_client, b"not a zip at all", "This is not a zip file, or it is damaged.")


def test_no_file_is_refused(admin_client, enia):
    reply = post_form(admin_client, NEW, {})
    assert reply.status_code == 422
    assert "Elija un archivo zip." in reply.get_data(as_text=True)


def test_a_path_that_leaves_the_folder_is_refused(admin_client, enia, tmp_path):
    refused(admin_client, zipped(V2, extra={"../evil.yaml": "x"}), "path outside its folder")
    refused(admin_client, zipped(V2, extra={"/etc/evil": "x"}), "path outside its folder")
    assert not (tmp_path.parent / "evil.yaml").exists()


def test_a_link_is_refused(admin_client, enia):
    link = zipfile.ZipInfo("enia-2021-v2/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(admin_client, zipped(V2, extra={"link": link}), "holds a link")


def test_too_much_unpacked_is_refused(admin_client, enia, monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 10_000)
    refused(admin_client, zipped(V2), "unpacks to more than")


def test_a_zip_larger_than_the_request_limit_is_refused(admin_client, enia, app):
    big = zipped(V2, extra={"enia-2021-v2/padding.bin": os.urandom(300 * 1024)})
    before = written()
    reply = upload(admin_client, big)
    assert reply.status_code == 413
    assert written() == before


def test_a_zip_without_consultation_yaml_is_refused(admin_client, enia):
    refused(admin_client, zipped(V2 / "sections", top=None), "no consultation.yaml")


def test_a_bundle_problem_is_shown_without_the_temporary_folder(admin_client, enia):
    data = zipped(V2, extra={"enia-2021-v2/sections/99-bad.yaml": "key: [\n"})
    before = written()
    reply = upload(admin_client, data)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 422 and "No se puede cargar el paquete" in html
    assert "consult-bundle-" not in html
    assert written() == before


def test_the_unchanged_draft_is_refused(admin_client, enia):
    refused(
        admin_client,
        zipped(Path("consult/content/enia-2021").resolve(), "enia"),
        "Nothing changed from version 1",
    )


def test_another_consultations_bundle_is_refused(admin_client, enia, tmp_path):
    refused(
        admin_client, zipped(Path("tests/bundles/small").resolve(), "small"), "Nothing was loaded"
    )


def raw_zip(*entries: tuple[str, bytes]) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return data.getvalue()


def encrypted(data: bytes) -> bytes:
    """The zip with its one member marked encrypted (zipfile writes no encryption)."""
    raw = bytearray(data)
    raw[raw.find(b"PK\x03\x04") + 6] |= 1  # the local header's flags
    raw[raw.find(b"PK\x01\x02") + 8] |= 1  # the central directory's
    return bytes(raw)


@pytest.mark.parametrize(
    "data",
    [
        raw_zip(("x", b"a file"), ("x/y", b"then a folder of the same name")),
        raw_zip(("x", b"a file"), ("x/", b"")),
        encrypted(raw_zip(("consultation.yaml", b"slug: enia-2021"))),
    ],
    ids=["file-then-folder", "file-then-folder-entry", "encrypted"],
)
def test_a_zip_that_cannot_be_unpacked_is_refused_not_a_500(admin_client, enia, data):
    refused(admin_client, data, "This is not a zip file, or it is damaged.")


def test_a_file_in_a_text_field_is_refused_not_a_500(admin_client, enia):
    before = written()
    reply = upload(admin_client, zipped(V2), note_es=(io.BytesIO(b"x"), "note.txt"))
    assert reply.status_code == 400
    assert written() == before
