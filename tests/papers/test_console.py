"""Position papers in the console: the response's list, the consultation's list with its
filter and search, the download's headers, publishing audited, and who may see them."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry
from tests.conftest import goes_to_sign_in, post_form
from tests.papers.conftest import SLUG, make_pdf, papers_in_db, stored_files, submit

CONSOLE = f"/console/c/{SLUG}"


def response_page(paper) -> str:
    return f"{CONSOLE}/responses/{paper.response_id}"


def test_the_response_page_lists_its_papers_with_what_coordinators_need(
    coordinator_client, client, enia, respondent, attach
):
    paper = attach(title="Propuesta de la UNI", name="propuesta-uni.pdf")
    attach(title="Solo para el equipo", may_publish=False)
    submit(client, enia)
    page = coordinator_client.get(response_page(paper)).get_data(as_text=True)
    assert "Propuesta de la UNI" in page and "propuesta-uni.pdf" in page
    assert "3 páginas" in page and "2 KB" in page
    assert "El documento en su conjunto" in page
    assert f"{CONSOLE}/papers/{paper.id}/download" in page
    assert page.count("/papers/") and page.count(">Publicar<") == 1  # only the allowed one


def test_the_download_is_an_attachment_checked_against_its_sha256(
    app, coordinator_client, client, enia, respondent, attach
):
    paper = attach(name="Informe; versión final (2).pdf")
    reply = coordinator_client.get(f"{CONSOLE}/papers/{paper.id}/download")
    assert reply.status_code == 200
    assert hashlib.sha256(reply.data).hexdigest() == paper.sha256
    assert reply.headers["Content-Type"] == "application/pdf"
    assert (
        reply.headers["Content-Disposition"] == "attachment; filename=Informe-version-final-2.pdf"
    )
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert set(reply.headers["Cache-Control"].replace(" ", "").split(",")) == {
        "private",
        "no-store",
    }
    [path] = stored_files(app)
    path.write_bytes(
        b"%PDF-1.7 something else of the same length"[: paper.size].ljust(paper.size, b" ")
    )
    refused = coordinator_client.get(f"{CONSOLE}/papers/{paper.id}/download")
    assert refused.status_code == 302
    page = coordinator_client.get(refused.location).get_data(as_text=True)
    assert "SHA-256" in page
    path.unlink()
    assert coordinator_client.get(f"{CONSOLE}/papers/{paper.id}/download").status_code == 302


def test_publish_and_unpublish_are_audited(coordinator_client, client, enia, respondent, attach):
    paper = attach()
    submit(client, enia)
    form_url = response_page(paper)
    reply = post_form(
        coordinator_client, f"{CONSOLE}/papers/{paper.id}/publish", {}, form_url=form_url
    )
    assert reply.status_code == 302
    [published] = papers_in_db()
    assert published.published_at is not None and published.published_by_id is not None
    reply = post_form(
        coordinator_client, f"{CONSOLE}/papers/{paper.id}/unpublish", {}, form_url=form_url
    )
    assert reply.status_code == 302
    [unpublished] = papers_in_db()
    assert unpublished.published_at is None
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.object_type == "position_paper", AuditEntry.object_id == paper.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["paper.publish", "paper.unpublish"]
    history = coordinator_client.get(form_url).get_data(as_text=True)
    assert "Publicar" in history


def test_publishing_what_the_respondent_did_not_allow_is_refused(
    coordinator_client, client, enia, respondent, attach
):
    paper = attach(may_publish=False)
    submit(client, enia)
    reply = post_form(
        coordinator_client,
        f"{CONSOLE}/papers/{paper.id}/publish",
        {},
        form_url=response_page(paper),
    )
    assert reply.status_code == 302
    assert papers_in_db()[0].published_at is None
    assert "no se puede publicar" in coordinator_client.get(reply.location).get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.object_type == "position_paper"
            )
        )
        == 0
    )


def test_the_consultations_list_filters_by_state_and_searches_the_text(
    coordinator_client, client, enia, respondent, attach
):
    awaiting = attach(title="Sobre datos abiertos", data=make_pdf(2, "datos abiertos"))
    attach(title="Interna", data=make_pdf(2, "gobernanza"), may_publish=False)
    published = attach(title="Ya publicada", data=make_pdf(2, "algoritmos"))
    submit(client, enia)
    post_form(
        coordinator_client,
        f"{CONSOLE}/papers/{published.id}/publish",
        {},
        form_url=response_page(published),
    )
    base = f"{CONSOLE}/papers"

    def titles(query: str) -> set[str]:
        page = coordinator_client.get(f"{base}{query}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        return {t for t in ("Sobre datos abiertos", "Interna", "Ya publicada") if t in html}

    assert titles("") == {"Sobre datos abiertos", "Interna", "Ya publicada"}
    assert titles("?state=awaiting") == {"Sobre datos abiertos"}
    assert titles("?state=published") == {"Ya publicada"}
    assert titles("?state=not_allowed") == {"Interna"}
    assert titles("?q=gobernanza") == {"Interna"}  # found in the extracted text
    assert titles("?q=publicada") == {"Ya publicada"}  # in the title
    assert titles("?q=100%25_") == set()
    assert titles("?state=nonsense") == {"Sobre datos abiertos", "Interna", "Ya publicada"}
    assert awaiting.id


def test_the_console_navigation_links_the_list(coordinator_client, enia):
    page = coordinator_client.get(f"{CONSOLE}/responses").get_data(as_text=True)
    assert f'href="{CONSOLE}/papers"' in page


@pytest.mark.parametrize(
    "path", ["/papers", "/papers/1/download", "/papers/1/publish", "/papers/1/unpublish"]
)
def test_only_signed_in_coordinators_reach_them(app, client, enia, respondent, attach, path):
    attach()
    method = "post" if path.endswith("publish") else "get"
    reply = getattr(app.test_client(), method)(f"{CONSOLE}{path}")
    assert goes_to_sign_in(reply) or reply.status_code == 400  # (a POST without its token)
    assert papers_in_db()[0].published_at is None


def test_a_paper_of_another_consultation_is_not_found(
    coordinator_client, client, enia, respondent, attach
):
    paper = attach()
    assert coordinator_client.get(f"/console/c/otra/papers/{paper.id}/download").status_code == 404
    assert coordinator_client.get(f"{CONSOLE}/papers/{paper.id + 1}/download").status_code == 404
