"""Position papers' fixtures: real PDFs made here (fpdf2, pypdf), and the hostile files
the checks must refuse, each built in the test rather than kept as a binary file."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from consult.extensions import db
from consult.models import Consultation, Response
from consult.models.papers import PositionPaper
from tests.conftest import form_tokens, post_form

SLUG = "enia-2021"
PAPERS = f"/c/{SLUG}/papers"


def make_pdf(pages: int = 3, words: str = "inteligencia artificial") -> bytes:
    """A small real PDF with a few pages of text."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"Page {number}. Position on {words}. " * 6)
    return bytes(pdf.output())


def padded_pdf(size: int) -> bytes:
    """A valid PDF of exactly ``size`` bytes (a comment after the end pads it)."""
    data = make_pdf(1)
    assert size > len(data) + 2
    return data + b"\n%" + b"x" * (size - len(data) - 2)


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(1))))
    writer.encrypt("secreto")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_pdf(where: str = "open_action") -> bytes:
    """A PDF that runs JavaScript: on opening, in the names tree, or on a page's /AA."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(1))))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hola');"),
        }
    )
    if where == "open_action":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    elif where == "names":
        if hasattr(writer, "add_js"):
            try:
                writer.add_js("app.alert('hola');")
            except Exception:  # removed in pypdf 7: the tree written by hand
                writer._root_object[NameObject("/Names")] = DictionaryObject(
                    {NameObject("/JavaScript"): writer._add_object(DictionaryObject())}
                )
    elif where == "page_aa":
        page = writer.pages[0]
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def flate_bomb(inflated: int = 120 * 1024 * 1024) -> bytes:
    """A one-page PDF whose content stream is a few hundred KB that inflates to ``inflated``."""
    squeezer = zlib.compressobj(9)
    chunk = b"0 " * (1024 * 1024 // 2)
    packed = b"".join(squeezer.compress(chunk) for _ in range(inflated // len(chunk)))
    packed += squeezer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n")
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()


@cache
def zip_bomb() -> bytes:
    """A zip of one large file of zeros, a few hundred KB packed."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


def upload(
    client: FlaskClient,
    data: bytes,
    *,
    name: str = "posicion.pdf",
    title: str = "Nuestra posición",
    section: str = "whole",
    may_publish: bool = True,
    slug: str = SLUG,
):
    """Post the upload form as a browser does, with the page's CSRF token."""
    url = f"/c/{slug}/papers"
    form = {
        **form_tokens(client, url),
        "title": title,
        "section": section,
        "file": (io.BytesIO(data), name),
    }
    if may_publish:
        form["may_publish"] = "y"
    return post_multipart(client, url, form)


def post_multipart(client: FlaskClient, url: str, form: dict):
    """Post a multipart form encoded in memory: werkzeug's test client spools a large
    one to a temporary file it never closes (a ResourceWarning, an error here)."""
    fields = {
        name: FileStorage(value[0], filename=value[1], content_type="application/pdf")
        if isinstance(value, tuple)
        else value
        for name, value in form.items()
    }
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored_files(app: Flask) -> list[Path]:
    folder = Path(app.instance_path) / "papers"
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def papers_in_db() -> list[PositionPaper]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(PositionPaper).order_by(PositionPaper.id)))


def section_id(consultation: Consultation, key: str) -> int:
    return next(s.id for s in consultation.sections if s.key == key)


def submit(client: FlaskClient, consultation: Consultation) -> None:
    """Answer something and submit the draft in ``client``'s browser."""
    slug = consultation.slug
    answers = {
        "q_q_5_3_agree": "4",
        "comment": "Faltan metas.",
        "contribution": "problem_definition",
        "go": "next",
    }
    assert post_form(client, f"/c/{slug}/s/5-3", answers).status_code == 302
    sent = post_form(client, f"/c/{slug}/submit", {}, form_url=f"/c/{slug}/review")
    assert sent.status_code == 302, sent.get_data(as_text=True)


def private_token(client: FlaskClient, slug: str = SLUG) -> str:
    review = client.get(f"/c/{slug}/review").get_data(as_text=True)
    return re.search(r"/r/([A-Za-z0-9_-]+)", review).group(1)


@pytest.fixture
def respondent(client: FlaskClient, enia: Consultation, start_response) -> Response:
    """An organisation's draft in ``client``'s browser."""
    return start_response(enia)


@pytest.fixture
def attach(client: FlaskClient) -> Callable[..., PositionPaper]:
    """Attach a real small PDF in ``client``'s browser; the stored row."""

    def attach_one(**kwargs) -> PositionPaper:
        reply = upload(client, kwargs.pop("data", make_pdf()), **kwargs)
        assert reply.status_code == 302, reply.get_data(as_text=True)
        return papers_in_db()[-1]

    return attach_one
