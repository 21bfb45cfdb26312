"""Published papers on the public pages, and the rule that keeps the rest private: never
served before publication, never to another respondent, 404 otherwise."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Comment, User
from consult.models.papers import PositionPaper
from consult.models.vocab import ModerationState, RejectionReason, Stage
from consult.papers import operations
from consult.papers.reading import download_name
from tests.papers.conftest import SLUG, section_id, submit


def publish(paper: PositionPaper, user: User) -> None:
    fresh = db.session.get(PositionPaper, paper.id)
    db.session.refresh(fresh)
    operations.publish_paper(user, fresh)


def url(paper: PositionPaper) -> str:
    return f"/c/{SLUG}/papers/{paper.id}/{download_name(paper).removesuffix('.pdf')}.pdf"


def download(client, paper: PositionPaper):
    return client.get(url(paper))


def test_a_paper_is_never_served_before_it_is_published(
    app, client, enia, respondent, attach, coordinator
):
    paper = attach(title="Todavía privada")
    stranger = app.test_client()
    assert download(stranger, paper).status_code == 404
    assert download(client, paper).status_code == 404  # not even to its own browser, publicly
    submit(client, enia)
    assert download(stranger, paper).status_code == 404  # submitted, not yet reviewed
    publish(paper, coordinator)
    reply = download(stranger, paper)
    assert reply.status_code == 200
    assert hashlib.sha256(reply.data).hexdigest() == paper.sha256
    assert reply.headers["Content-Type"] == "application/pdf"
    assert reply.headers["Content-Disposition"] == "attachment; filename=todavia-privada.pdf"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in reply.headers["Content-Security-Policy"]


def test_another_respondents_session_or_private_link_gets_nothing(
    app, client, enia, respondent, attach, start_response
):
    paper = attach()
    other = app.test_client()
    from tests.conftest import PROFILE_ACADEMIA, post_form

    assert post_form(other, f"/c/{SLUG}/profile", PROFILE_ACADEMIA).status_code == 302
    assert download(other, paper).status_code == 404
    assert "Nuestra posición" not in other.get(f"/c/{SLUG}/papers").get_data(as_text=True)
    assert other.get(f"/c/{SLUG}/papers/{paper.id}/x.pdf").status_code == 404
    # Its id in another consultation's address is nobody's paper either.
    assert other.get(f"/c/otra/papers/{paper.id}/x.pdf").status_code == 404


def test_a_paper_not_allowed_to_publish_cannot_be_published(
    client, enia, respondent, attach, coordinator
):
    paper = attach(may_publish=False)
    submit(client, enia)
    with pytest.raises(operations.PublishRefused):
        publish(paper, coordinator)


def test_a_draft_papers_cannot_be_published(client, enia, respondent, attach, coordinator):
    paper = attach()
    with pytest.raises(operations.PublishRefused):
        publish(paper, coordinator)


def test_the_section_page_lists_its_published_papers(
    app, client, enia, respondent, attach, coordinator
):
    on_5_3 = attach(title="Sobre educación", section=str(section_id(enia, "5-3")))
    whole = attach(title="Sobre todo el documento")
    submit(client, enia)
    reader = app.test_client()
    assert "Sobre educación" not in reader.get(f"/c/{SLUG}/s/5-3").get_data(as_text=True)
    publish(on_5_3, coordinator)  # the kept page is dropped: publishing shows at once
    publish(whole, coordinator)
    page = reader.get(f"/c/{SLUG}/s/5-3").get_data(as_text=True)
    assert "Documentos de posición sobre esta sección" in page
    assert "Sobre educación" in page and url(on_5_3) in page
    assert "Sobre todo el documento" not in page
    assert "3 páginas" in page and "PDF, 2 KB" in page
    # Anonymous publication: the stakeholder type stands in for the organisation's name.
    assert "Universidad Nacional de Ingeniería" not in page
    assert "Academia" in page


def test_the_organisation_is_named_only_if_it_chose_to_be(
    app, client, enia, attach, coordinator, start_response
):
    start_response(enia, publication="named", display_name="Rectora")
    paper = attach(title="Con nombre", section=str(section_id(enia, "5-3")))
    submit(client, enia)
    publish(paper, coordinator)
    page = app.test_client().get(f"/c/{SLUG}/s/5-3").get_data(as_text=True)
    assert "Universidad Nacional de Ingeniería" in page


def test_the_outcome_page_lists_every_published_paper(
    app, client, enia, respondent, attach, coordinator
):
    first = attach(title="Primera", section=str(section_id(enia, "5-3")))
    second = attach(title="Segunda")
    attach(title="Sin publicar")
    submit(client, enia)
    publish(first, coordinator)
    publish(second, coordinator)
    enia.stage = Stage.OUTCOME
    db.session.commit()
    page = app.test_client().get(f"/c/{SLUG}/outcome").get_data(as_text=True)
    assert "Primera" in page and "Segunda" in page and "Sin publicar" not in page
    assert url(first) in page and url(second) in page
    section = app.test_client().get(f"/c/{SLUG}/s/5-3/outcome").get_data(as_text=True)
    assert "Primera" in section and "Segunda" not in section


def test_a_response_flagged_as_spam_shows_no_paper(
    app, client, enia, respondent, attach, coordinator
):
    paper = attach(title="De un spammer", section=str(section_id(enia, "5-3")))
    submit(client, enia)
    publish(paper, coordinator)
    comment = db.session.scalars(sa.select(Comment)).first()
    comment.moderation = ModerationState.REJECTED
    comment.rejection_reason = RejectionReason.SPAM
    db.session.commit()
    assert download(app.test_client(), paper).status_code == 404
    assert "De un spammer" not in app.test_client().get(f"/c/{SLUG}/s/5-3").get_data(as_text=True)


def test_a_tampered_file_is_never_served(app, client, enia, respondent, attach, coordinator):
    from tests.papers.conftest import stored_files

    paper = attach()
    submit(client, enia)
    publish(paper, coordinator)
    [path] = stored_files(app)
    data = path.read_bytes()
    path.write_bytes(data[:-8] + b"altered\n")  # the same size, other bytes
    assert download(app.test_client(), paper).status_code == 404
