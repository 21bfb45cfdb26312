"""What becomes of papers when a response is withdrawn or discarded, and when a
consultation's personal data is purged."""

from __future__ import annotations

import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry
from consult.models.vocab import ResponseStatus
from tests.conftest import post_form
from tests.papers.conftest import (
    PAPERS,
    SLUG,
    papers_in_db,
    private_token,
    stored_files,
    submit,
)
from tests.papers.test_public import download, publish


def withdraw(client, token: str):
    url = f"/c/{SLUG}/r/{token}/withdraw"
    return post_form(client, url, {})


def test_a_withdrawn_response_takes_its_papers_off_the_public_pages(
    app, client, enia, respondent, attach, coordinator
):
    paper = attach(title="Retirada después")
    token = private_token(client)
    submit(client, enia)
    publish(paper, coordinator)
    assert download(app.test_client(), paper).status_code == 200
    assert withdraw(client, token).status_code == 302
    [kept] = papers_in_db()
    assert kept.response.status is ResponseStatus.WITHDRAWN
    assert kept.published_at is None  # unpublished at once …
    assert download(app.test_client(), paper).status_code == 404  # … never served again
    assert "Retirada después" not in app.test_client().get(f"/c/{SLUG}/s/5-3").get_data(
        as_text=True
    )
    assert len(stored_files(app)) == 1  # the coordinators keep the file, as the response


def test_a_discarded_draft_leaves_neither_rows_nor_files(app, client, enia, respondent, attach):
    attach()
    attach()
    assert len(stored_files(app)) == 2
    token = private_token(client)
    assert withdraw(client, token).status_code == 302
    assert papers_in_db() == [] and stored_files(app) == []


def test_a_withdrawn_response_can_attach_nothing_more(app, client, enia, respondent, attach):
    attach()
    token = private_token(client)
    submit(client, enia)
    assert f"/r/{token}/papers" in client.get(f"/c/{SLUG}/r/{token}").get_data(as_text=True)
    withdraw(client, token)
    page = client.get(f"/c/{SLUG}/r/{token}").get_data(as_text=True)
    assert "open_papers" not in page and f"/r/{token}/papers" not in page


def test_purge_removes_unpublished_papers_and_their_files(
    app, client, enia, respondent, attach, coordinator, set_window
):
    published = attach(title="Publicada")
    attach(title="Sin publicar", may_publish=True)
    attach(title="No publicable", may_publish=False)
    submit(client, enia)
    publish(published, coordinator)
    set_window(enia, "closed")
    result = app.test_cli_runner().invoke(args=["purge-personal-data", "--consultation", SLUG])
    assert result.exit_code == 0, result.output
    assert "position paper not published (file and record): 2" in result.output
    [kept] = papers_in_db()
    assert kept.title == "Publicada"
    [path] = stored_files(app)
    assert kept.storage_key in path.name
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "purge_personal_data")
    ).one()
    assert entry.after["removed"]["position paper not published (file and record)"] == 2
    again = app.test_cli_runner().invoke(args=["purge-personal-data", "--consultation", SLUG])
    assert "position paper not published (file and record): 0" in again.output


def test_the_private_page_lists_papers_and_opens_them_in_this_browser(
    app, client, enia, respondent, attach
):
    attach(title="Desde el enlace privado")
    token = private_token(client)
    other = app.test_client()  # another device, with the private link only
    page = other.get(f"/c/{SLUG}/r/{token}").get_data(as_text=True)
    assert "Desde el enlace privado" in page
    reply = post_form(other, f"/c/{SLUG}/r/{token}/papers", {}, form_url=f"/c/{SLUG}/r/{token}")
    assert reply.status_code == 302 and reply.location.endswith(PAPERS)
    assert "Desde el enlace privado" in other.get(PAPERS).get_data(as_text=True)
