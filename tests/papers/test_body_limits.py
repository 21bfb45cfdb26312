"""The request body limit rises on the upload route only (web/body_limits.py): Flask's
side here, ``consult serve``'s in test_serving.py."""

from __future__ import annotations

import io

import pytest

from consult.web.body_limits import FORM_ALLOWANCE, body_limit, largest_body_limit
from tests.conftest import form_tokens
from tests.papers.conftest import (
    PAPERS,
    SLUG,
    padded_pdf,
    papers_in_db,
    post_multipart,
    stored_files,
    upload,
)

MB = 1024 * 1024


def test_only_the_upload_path_gets_the_larger_limit(app):
    config = app.config
    small, paper = config["MAX_CONTENT_LENGTH"], config["PAPER_MAX_BYTES"] + FORM_ALLOWANCE
    assert small == 256 * 1024
    assert body_limit(config, f"/c/{SLUG}/papers") == paper
    assert body_limit(config, f"/c/{SLUG}/papers/") == paper
    for path in (
        f"/c/{SLUG}/profile",
        f"/c/{SLUG}/papers/1/remove",
        f"/c/{SLUG}/papers/1/x.pdf",
        f"/c/{SLUG}/s/papers",
        "/console/c/x/papers",
        "/c/a/b/papers",
    ):
        assert body_limit(config, path) == small, path
    assert largest_body_limit(config) == paper


def test_300_kb_to_another_route_is_still_refused(client, enia, respondent):
    big = {**form_tokens(client, f"/c/{SLUG}/profile"), "organisation_name": "x" * 300 * 1024}
    assert client.post(f"/c/{SLUG}/profile", data=big).status_code == 413
    removal = client.post(
        f"{PAPERS}/1/remove",
        data={"csrf_token": "x", "file": (io.BytesIO(b"x" * 300 * 1024), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert removal.status_code == 413


def test_a_4_mb_paper_is_accepted(app, client, respondent):
    reply = upload(client, padded_pdf(4 * MB), title="Cuatro megas")
    assert reply.status_code == 302, reply.get_data(as_text=True)[:500]
    [paper] = papers_in_db()
    assert paper.size == 4 * MB and len(stored_files(app)) == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [("es", "Este archivo pesa más de 5 MB"), ("en", "This file is larger than 5 MB")],
)
def test_a_6_mb_file_is_refused_clearly_unread(app, client, respondent, language, message):
    if language == "en":
        with client.session_transaction() as session:
            session["lang"] = "en"
    reply = upload(client, padded_pdf(6 * MB), title="Seis megas")
    assert reply.status_code == 413
    html = reply.get_data(as_text=True)
    assert message in html and 'id="file-error"' in html and 'type="file"' in html
    assert papers_in_db() == [] and stored_files(app) == []


def test_a_6_mb_file_without_a_response_gets_the_usual_page(client, enia):
    reply = post_multipart(
        client, PAPERS, {"file": (io.BytesIO(b"%PDF-" + b"x" * 6 * MB), "a.pdf")}
    )
    assert reply.status_code == 413
    assert "Demasiados datos" in reply.get_data(as_text=True)
