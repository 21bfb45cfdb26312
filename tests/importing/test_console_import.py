"""The console's import, step by step through the front door, as an administrator's
browser sends each page back: upload, columns (suggested), labels (suggested, one
corrected), the dry run with every problem, then the import in one transaction."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry, Response, ResponseImport
from consult.models.vocab import Channel
from tests.conftest import post_form

from . import make_enia_export as export
from .browser_form import form_fields

BASE = "/console/c/enia-2021/import"
CSV = export.DATA / "enia-formulario.csv"
VALID = export.ROWS - len(export.PLANTED)


def upload(client, data: bytes, name: str, channel: str = "import"):
    return post_form(
        client,
        f"{BASE}?lang=en",
        {"file": (io.BytesIO(data), name), "channel": channel},
    )


def text(reply) -> str:
    return reply.get_data(as_text=True)


def to_check_page(client, data: bytes, name: str, channel: str = "import", fix=True):
    """Upload, accept the columns, accept the labels but the one a person corrects."""
    columns = upload(client, data, name, channel)
    assert columns.status_code == 200, text(columns)[:2000]
    fields = form_fields(text(columns), "/import/labels")
    labels = client.post(f"{BASE}/labels?lang=en", data=fields)
    assert labels.status_code == 200, text(labels)[:3000]
    fields = form_fields(text(labels), "/import/check")
    if fix:
        # The suggestion reads "Bastante de acuerdo" as a point of the scale; the person
        # does not, and leaves it without an option (its row becomes a problem).
        page = text(labels)
        name_of = re.search(r'<label for="(label-\d+-\d+)">Bastante de acuerdo</label>', page)
        assert name_of, "the unknown label is offered for matching"
        assert fields[name_of.group(1)] == "5"
        fields[name_of.group(1)] = ""
    return client.post(f"{BASE}/check?lang=en", data=fields)


def count(model=Response) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_wizard_end_to_end(app, enia, admin_client, admin):
    columns = upload(admin_client, CSV.read_bytes(), "enia-formulario.csv")
    page = text(columns)
    # Columns suggested by their headers.
    chosen = form_fields(page, "/import/labels")
    headers = export.HEADERS
    assert chosen[f"column-{headers.index('Marca temporal')}"] == "timestamp"
    assert chosen[f"column-{headers.index('Región')}"] == "profile:region"
    assert chosen[f"column-{headers.index('Puntuación')}"] == "ignore"
    assert chosen[f"column-{headers.index('Comentarios 5.10')}"] == "comment:5-10"
    assert chosen["timestamp_format"] == "%d/%m/%Y %H:%M:%S"

    labels = admin_client.post(f"{BASE}/labels?lang=en", data=chosen)
    assert "Sector público (gobierno nacional, regional o local)" in text(labels)

    check = to_check_page(admin_client, CSV.read_bytes(), "enia-formulario.csv")
    assert check.status_code == 200
    page = text(check)
    assert "Nothing has been written yet." in page
    rows = re.findall(r'<td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>', page)
    assert [int(line) for line, _c, _m in rows] == sorted(export.PLANTED)
    assert "is not a date and time" in rows[0][2]
    assert "“Bastante de acuerdo” is not one of the options." in rows[1][2].replace("&#34;", '"')
    assert page.count("<details>\n    <summary>Row ") == 20
    assert f"Import {VALID} responses" in page
    assert count() == 0

    confirm = form_fields(page, "/import/confirm")
    # Without the consent: refused, nothing written.
    refused = admin_client.post(f"{BASE}/confirm?lang=en", data=confirm)
    assert refused.status_code == 422 and "Please confirm the respondents" in text(refused)
    # With the consent, while problems remain: refused, nothing written.
    confirm["consent"] = "y"
    refused = admin_client.post(f"{BASE}/confirm?lang=en", data=confirm)
    assert refused.status_code == 422 and "Nothing was imported" in text(refused)
    assert count() == 0 and count(ResponseImport) == 0
    # Leaving the rows with problems out, on purpose.
    confirm["skip_invalid"] = "y"
    done = admin_client.post(f"{BASE}/confirm?lang=en", data=confirm)
    assert done.status_code == 302 and done.location.endswith("/console/c/enia-2021/imports")
    assert count() == VALID
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="responses.import"))
    assert entry.actor_id == admin.id and entry.after["added"] == VALID
    listing = admin_client.get("/console/c/enia-2021/imports?lang=en")
    assert f"{VALID} responses imported from enia-formulario.csv" in text(listing)
    assert "enia-formulario.csv" in text(listing) and admin.email in text(listing)

    # The same file again: every row recognised, nothing to add.
    again = to_check_page(admin_client, CSV.read_bytes(), "enia-formulario.csv")
    assert "Import 0 responses" in text(again)
    assert re.search(r"<strong>209</strong> already imported", text(again))


def test_an_xlsx_of_paper_forms_through_the_console(app, enia, admin_client):
    check = to_check_page(admin_client, export.xlsx_bytes(), "talleres.xlsx", channel="paper")
    fields = form_fields(text(check), "/import/confirm")
    fields.update(consent="y", skip_invalid="y")
    done = admin_client.post(f"{BASE}/confirm?lang=en", data=fields)
    assert done.status_code == 302
    assert set(db.session.scalars(sa.select(Response.channel))) == {Channel.PAPER}
    imported = db.session.scalar(sa.select(ResponseImport))
    assert (imported.file_name, imported.rows_added) == ("talleres.xlsx", VALID)


def _formula_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Marca temporal", "Comentarios 5.1"])
    book.active.append(["15/12/2020 11:10:01", '=HYPERLINK("http://x.example","click")'])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "foto.csv", "not a CSV or XLSX"),
        (b"\xd0\xcf\x11\xe0" + bytes(100), "viejo.xls", "old Excel file"),
        (b"PK\x03\x04 not really a zip", "roto.xlsx", "not a CSV or XLSX"),
        (_formula_xlsx(), "formulas.xlsx", "holds a formula"),
        (
            ";".join(f"c{i}" for i in range(10_000)).encode() + b"\r\n1;2\r\n",
            "ancho.csv",
            "10000 columns",
        ),
        (b"", "vacio.csv", "The file is empty"),
    ],
)
def test_a_hostile_file_is_refused_with_a_clear_message(
    app, enia, admin_client, data, name, message
):
    reply = upload(admin_client, data, name)
    assert reply.status_code == 422
    assert message in text(reply).replace(",", "")
    assert count(ResponseImport) == 0


def test_a_file_larger_than_the_request_limit_gets_the_413_page(app, enia, admin_client):
    big = b"a;b\r\n" + b"x;" + b"y" * (300 * 1024) + b"\r\n"
    reply = upload(admin_client, big, "grande.csv")
    assert reply.status_code == 413


def test_a_forged_or_expired_step_starts_again(app, enia, admin_client):
    columns = upload(admin_client, CSV.read_bytes(), "enia-formulario.csv")
    fields = form_fields(text(columns), "/import/labels")
    fields["upload"] = "0" * 32
    reply = admin_client.post(f"{BASE}/labels?lang=en", data=fields)
    assert reply.status_code == 422 and "unknown or has expired" in text(reply)
    fields = form_fields(text(columns), "/import/labels")
    fields["column-0"] = "question:no-such-question"
    reply = admin_client.post(f"{BASE}/labels?lang=en", data=fields)
    assert reply.status_code == 422 and "not one of the choices" in text(reply)
    fields = form_fields(text(columns), "/import/labels")
    fields["mapping"] = "questions: [\n"
    reply = admin_client.post(f"{BASE}/labels?lang=en", data=fields)
    assert reply.status_code == 422


def test_a_coordinator_without_the_consultation_is_refused(app, enia, client):
    from tests.conftest import create_account, signed_in_client

    create_account("otra@example.org", "coordinator")
    other = signed_in_client(app, "otra@example.org")
    assert other.get(f"{BASE}?lang=en").status_code == 403


def _import_through_the_console(client) -> ResponseImport:
    check = to_check_page(client, CSV.read_bytes(), "enia-formulario.csv")
    fields = form_fields(text(check), "/import/confirm")
    fields.update(consent="y", skip_invalid="y")
    done = client.post(f"{BASE}/confirm?lang=en", data=fields)
    assert done.status_code == 302, text(done)[:2000]
    return db.session.scalars(sa.select(ResponseImport)).one()


def test_a_file_is_taken_back_then_imported_again(app, enia, admin_client):
    """Imported with a wrong mapping or by mistake: the file's responses are deleted in
    one step the person confirms, audited; the same file can then be imported again."""
    first = _import_through_the_console(admin_client)
    assert count() == VALID
    listed = text(admin_client.get("/console/c/enia-2021/imports?lang=en"))
    page = f"/console/c/enia-2021/imports/{first.id}/remove"
    assert page in listed
    confirm = admin_client.get(f"{page}?lang=en")
    assert confirm.status_code == 200 and f"Delete {VALID} responses" in text(confirm)

    unconfirmed = post_form(admin_client, f"{page}?lang=en", {})
    assert unconfirmed.status_code == 422
    assert "Please confirm that these responses will be deleted." in text(unconfirmed)
    assert count() == VALID

    done = post_form(admin_client, f"{page}?lang=en", {"understood": "y"})
    assert done.status_code == 302
    assert count() == 0 and count(ResponseImport) == 0
    entry = db.session.scalars(
        sa.select(AuditEntry).filter_by(action="responses.import_removed")
    ).one()
    assert entry.before["responses"] == VALID
    assert entry.before["file_name"] == "enia-formulario.csv"
    assert admin_client.get(f"{page}?lang=en").status_code == 404

    again = _import_through_the_console(admin_client)
    assert count() == VALID and again.rows_added == VALID


def test_no_file_is_taken_back_once_the_outcome_is_published(app, enia, admin_client):
    from consult.models.vocab import Stage

    file_import = _import_through_the_console(admin_client)
    enia.stage = Stage.OUTCOME
    db.session.commit()
    page = f"/console/c/enia-2021/imports/{file_import.id}/remove"
    assert page not in text(admin_client.get("/console/c/enia-2021/imports?lang=en"))
    refused = post_form(admin_client, f"{page}?lang=en", {"understood": "y"}, form_url=
                        "/console/c/enia-2021/imports?lang=en")  # fmt: skip
    assert refused.status_code == 302
    assert count() == VALID
