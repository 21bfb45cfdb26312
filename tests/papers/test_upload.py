"""Attaching position papers on the public side: the form, each refusal as the person
reads it (422, in Spanish and English, the other fields kept, nothing stored), the
limits, and removing a paper."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

from consult.papers.operations import clean_file_name
from tests.conftest import post_form, session_csrf_token
from tests.papers.conftest import (
    PAPERS,
    encrypted_pdf,
    flate_bomb,
    javascript_pdf,
    make_pdf,
    padded_pdf,
    papers_in_db,
    section_id,
    stored_files,
    upload,
    zip_bomb,
)

ES = {
    "not_pdf": "Este archivo no es un PDF",
    "encrypted": "Este PDF está protegido con una contraseña",
    "scripts": "Este PDF contiene scripts",
    "too_complex": "Este PDF contiene más datos comprimidos",
    "too_large": "Este archivo pesa más de 5 MB",
    "unreadable": "No se pudo leer este PDF",
}
EN = {
    "not_pdf": "This file is not a PDF",
    "encrypted": "This PDF is protected by a password",
    "scripts": "This PDF contains scripts",
    "too_complex": "This PDF holds more compressed data",
    "too_large": "This file is larger than 5 MB",
    "unreadable": "This PDF could not be read",
}
REFUSED = {
    "exe": (b"MZ\x90\x00" + b"\x00" * 2000, "not_pdf"),
    "elf": (b"\x7fELF\x02\x01\x01" + b"\x00" * 2000, "not_pdf"),
    "html": (b"<!DOCTYPE html><html><body>hola</body></html>", "not_pdf"),
    "zip bomb": (None, "not_pdf"),
    "encrypted": (None, "encrypted"),
    "javascript": (None, "scripts"),
    "flate bomb": (None, "too_complex"),
    "damaged": (b"%PDF-1.7\n" + b"\x00\xff" * 500, "unreadable"),
}


def hostile(name: str) -> bytes:
    data = REFUSED[name][0]
    if data is not None:
        return data
    return {
        "zip bomb": zip_bomb,
        "encrypted": encrypted_pdf,
        "javascript": javascript_pdf,
        "flate bomb": flate_bomb,
    }[name]()


def in_english(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "en"


def test_the_page_shows_the_form_with_its_labels(client, respondent):
    page = client.get(PAPERS)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
    assert '<label for="file">' in html and '<label for="section">' in html
    assert 'name="may_publish"' in html and "5.3." in html


def by_hand(app, client, data: bytes):
    """The upload posted without loading the page (it may offer no form)."""
    form = {
        "csrf_token": session_csrf_token(app, client),
        "title": "A mano",
        "section": "whole",
        "file": (io.BytesIO(data), "a.pdf"),
    }
    return client.post(PAPERS, data=form, content_type="multipart/form-data")


def test_without_a_response_there_is_nothing_to_attach_to(app, client, enia):
    assert client.get(PAPERS).status_code == 302
    assert by_hand(app, client, make_pdf()).status_code == 404
    assert papers_in_db() == [] and stored_files(app) == []


def test_a_real_paper_is_kept_with_its_text_sha256_and_file(app, client, enia, respondent):
    data = make_pdf(pages=3, words="soberanía de datos")
    reply = upload(
        client, data, title="Posición de la universidad", section=str(section_id(enia, "5-3"))
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    [paper] = papers_in_db()
    assert paper.response_id == respondent.id
    assert paper.title == "Posición de la universidad"
    assert paper.file_name == "posicion.pdf"
    assert paper.section_id == section_id(enia, "5-3")
    assert paper.may_publish and paper.published_at is None
    assert (paper.pages, paper.size) == (3, len(data))
    assert paper.sha256 == hashlib.sha256(data).hexdigest()
    assert "soberanía de datos" in paper.text
    [path] = stored_files(app)
    assert path.read_bytes() == data and paper.storage_key in path.name
    assert "posicion.pdf" not in path.name  # stored under a random key
    listed = client.get(PAPERS).get_data(as_text=True)
    assert "Posición de la universidad" in listed
    assert "Posición de la universidad" in client.get(f"/c/{enia.slug}/review").get_data(
        as_text=True
    )


def test_an_empty_title_takes_the_file_name(client, respondent):
    assert upload(client, make_pdf(), title="", name="Informe final.pdf").status_code == 302
    [paper] = papers_in_db()
    assert (paper.title, paper.file_name) == ("Informe final", "Informe final.pdf")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Docs\\Informe.pdf", "Informe.pdf"),
        ("../../etc/posición.PDF", "posición.PDF"),
        ("sin extensión", "sin extensión.pdf"),
        ("tab\tbell\x07.pdf", "tabbell.pdf"),
        ("", "paper.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_the_file_name_is_cleaned(sent, kept):
    assert clean_file_name(sent) == kept


@pytest.mark.parametrize("name", list(REFUSED))
@pytest.mark.parametrize("language", ["es", "en"])
def test_a_refused_file_comes_back_with_its_reason_and_the_fields_kept(
    app, client, enia, respondent, name, language
):
    if language == "en":
        in_english(client)
    section = str(section_id(enia, "5-3"))
    reply = upload(client, hostile(name), name="x.pdf", title="Título guardado", section=section)
    assert reply.status_code == 422
    html = reply.get_data(as_text=True)
    reason = REFUSED[name][1]
    message = (ES if language == "es" else EN)[reason]
    assert message in html, html[html.find("error-summary") :][:1500]
    assert 'id="file-error"' in html and "error-summary" in html
    assert 'value="Título guardado"' in html
    assert f'<option value="{section}" selected' in html
    assert 'name="may_publish" id="may_publish" value="y" checked' in html
    assert papers_in_db() == [] and stored_files(app) == []


def test_a_file_just_over_the_limit_is_refused_with_the_fields_kept(app, client, respondent):
    app.config["PAPER_MAX_BYTES"] = 200 * 1024
    reply = upload(client, padded_pdf(200 * 1024 + 1), title="Demasiado grande")
    assert reply.status_code == 422
    html = reply.get_data(as_text=True)
    assert "Este archivo pesa más de 0,2 MB" in html
    assert 'value="Demasiado grande"' in html
    assert papers_in_db() == [] and stored_files(app) == []


def test_no_file_is_asked_for(client, respondent):
    url = PAPERS
    reply = post_form(client, url, {"title": "Sin archivo", "section": "whole"})
    assert reply.status_code == 422
    assert "Elija un archivo PDF" in reply.get_data(as_text=True)


def test_a_fourth_file_is_refused(app, client, respondent):
    for number in range(3):
        assert upload(client, make_pdf(1, f"tema {number}")).status_code == 302
    page = client.get(PAPERS).get_data(as_text=True)
    assert 'type="file"' not in page and "el máximo" in page
    reply = upload(client, make_pdf(1), title="Cuarto")
    assert reply.status_code == 422
    assert "Una respuesta puede tener como máximo 3 documentos" in reply.get_data(as_text=True)
    assert len(papers_in_db()) == 3 and len(stored_files(app)) == 3


def test_a_paper_is_removed_with_its_file(app, client, respondent, attach):
    paper = attach()
    reply = post_form(client, f"{PAPERS}/{paper.id}/remove", {}, form_url=PAPERS)
    assert reply.status_code == 302
    assert papers_in_db() == [] and stored_files(app) == []


def test_with_papers_attached_every_form_posts_its_token_and_no_id_repeats(
    client, respondent, attach
):
    """Each paper's remove form and the upload form carry a CSRF token, without giving the
    page the same ``id`` twice (the HTML checker found that on a journey)."""
    attach(title="Uno")
    attach(title="Dos")
    page = client.get(PAPERS).get_data(as_text=True)
    assert page.count('name="csrf_token"') == 3
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_removing_needs_the_csrf_token_and_ones_own_paper(app, client, respondent, attach):
    paper = attach()
    assert client.post(f"{PAPERS}/{paper.id}/remove").status_code == 400
    other = app.test_client()
    assert other.post(f"{PAPERS}/{paper.id}/remove").status_code in (400, 404)
    assert len(papers_in_db()) == 1


def test_nothing_can_be_attached_once_the_consultation_closes(
    app, client, enia, respondent, set_window
):
    set_window(enia, "closed")
    assert 'type="file"' not in client.get(PAPERS).get_data(as_text=True)
    assert by_hand(app, client, make_pdf()).status_code == 403
    assert papers_in_db() == [] and stored_files(app) == []


def test_a_row_that_cannot_be_written_leaves_no_file(app, client, respondent, monkeypatch):
    from consult.extensions import db

    def fail():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", fail)
    assert upload(client, make_pdf()).status_code == 500
    monkeypatch.undo()
    assert papers_in_db() == [] and stored_files(app) == []
