"""Coordinators read comments grouped by passage, see a proposal compared word by word
with the draft's words, and adopt it into the next version of the draft."""

from __future__ import annotations

import sqlalchemy as sa

from consult.content.passages import passages
from consult.extensions import db
from consult.models import AuditEntry, Comment, Consultation, Section
from consult.models.outcome import DraftChange, DraftVersion
from consult.models.vocab import Stage
from consult.responding.changes import note_public_change
from tests.conftest import session_csrf_token
from tests.factories import make_response

TARGET = (
    "Formar profesionales con competencias para la investigación, el desarrollo y el uso de"
    " la IA en el país."
)
PROPOSAL = (
    "Formar 5 000 profesionales con competencias para la investigación y el uso de la IA"
    " en el país al 2026."
)


def _section(enia: Consultation, key: str = "5-3") -> Section:
    return next(s for s in enia.sections if s.key == key)


def _on_target(enia: Consultation, proposal: str | None = PROPOSAL, **options) -> Comment:
    section = _section(enia)
    target = next(p for p in passages(section.body_md_es) if p.kind == "item")
    response = make_response(
        enia,
        {
            "section": "5-3",
            "text": "La meta necesita una cifra y un plazo.",
            "anchor": target.anchor,
            "passage_text": target.text,
            "proposal": proposal,
        },
        **options,
    )
    return response.comments[0]


def test_comments_are_grouped_by_passage(coordinator_client, enia):
    comment = _on_target(enia)
    make_response(enia, ("5-3", "Comentario sobre toda la sección."))
    page = coordinator_client.get("/console/c/enia-2021/passages?section=5-3").get_data(
        as_text=True
    )
    assert TARGET in page
    assert f"/console/c/enia-2021/comments/{comment.id}" in page
    assert "Comentario sobre toda la sección." not in page  # a section-wide comment
    assert coordinator_client.get("/console/c/enia-2021/passages?section=nope").status_code == 404


def test_a_proposal_is_shown_as_a_word_level_comparison(coordinator_client, enia):
    comment = _on_target(enia)
    page = coordinator_client.get(f"/console/c/enia-2021/comments/{comment.id}").get_data(
        as_text=True
    )
    assert "<ins>" in page and "5 000</ins>" in page
    assert "<del>" in page and "el desarrollo</del>" in page
    # The consultation is open: the proposal cannot be adopted yet, and the page says why.
    assert 'name="wording_es"' not in page


def test_a_spanish_proposal_written_on_the_english_page_is_compared_with_the_spanish(
    coordinator_client, enia, set_window
):
    """A respondent who read the line in English but reworded the Spanish: the
    comparison and the adoption form take the proposal as Spanish, not as a rewrite of
    every English word."""
    section = _section(enia)
    english = next(p for p in passages(section.body_md_en, section.body_md_es) if p.kind == "item")
    response = make_response(
        enia,
        {
            "section": "5-3",
            "text": "La meta necesita una cifra.",
            "anchor": english.anchor,
            "passage_text": english.text,
            "proposal": PROPOSAL,
        },
        locale="en",
    )
    set_window(enia, "closed")
    page = coordinator_client.get(
        f"/console/c/enia-2021/comments/{response.comments[0].id}"
    ).get_data(as_text=True)
    assert "5 000</ins>" in page and "el desarrollo</del>" in page
    assert "To train professionals</del>" not in page
    spanish_box = page[page.index('name="wording_es"') :]
    assert spanish_box[: spanish_box.index("</textarea>")].endswith(PROPOSAL)
    english_box = page[page.index('name="wording_en"') :]
    assert "To train professionals" in english_box[: english_box.index("</textarea>")]


def test_adopting_makes_the_next_version_and_links_the_comment(
    coordinator_client, app, enia, set_window
):
    comment = _on_target(enia)
    other = _on_target(enia, proposal=None)
    set_window(enia, "closed")
    url = f"/console/c/enia-2021/comments/{comment.id}"
    page = coordinator_client.get(url).get_data(as_text=True)
    assert 'name="wording_es"' in page and 'name="wording_en"' in page
    # The English box starts from the English draft's words of the same line.
    assert "To train professionals" in page
    token = session_csrf_token(app, coordinator_client)
    done = coordinator_client.post(
        url + "/adopt",
        data={
            "csrf_token": token,
            "wording_es": PROPOSAL,
            "wording_en": "To train 5,000 professionals in AI research and use by 2026.",
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    section = _section(db.session.get(Consultation, enia.id))
    assert section.consultation.current_version == 2
    assert "Formar 5 000 profesionales" in section.body_md_es
    assert "- Formar 5 000" in section.body_md_es  # still a line of the list
    assert "To train 5,000 professionals" in section.body_md_en
    assert "Formar 5 000 profesionales" in section.body_html_es
    adopted = db.session.get(Comment, comment.id)
    assert adopted.adopted_version == 2
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    change = db.session.scalar(
        sa.select(DraftChange).filter_by(version_id=version.id, section_id=section.id)
    )
    assert [c.id for c in change.comments] == [comment.id]
    # Version 1 keeps the text people answered.
    first = db.session.scalar(sa.select(DraftVersion).filter_by(number=1))
    assert TARGET in next(t for t in first.texts if t.section_id == section.id).body_md_es
    assert db.session.scalar(
        sa.select(AuditEntry).filter_by(action="proposal.adopt", object_id=comment.id)
    )
    page = coordinator_client.get(url).get_data(as_text=True)
    assert "Adopted into version 2" in page or "Adoptada en la versión 2" in page
    # Adopting again is refused: the comment and the passage have moved on.
    again = coordinator_client.post(
        url + "/adopt", data={"csrf_token": token, "wording_es": "x", "wording_en": "y"}
    )
    assert again.status_code == 302
    assert db.session.get(Consultation, enia.id).current_version == 2
    assert other.proposal is None


def test_a_second_adoption_goes_into_the_same_next_version(
    coordinator_client, app, enia, set_window
):
    section = _section(enia, "2")
    first, second = passages(section.body_md_es)[:2]
    made = []
    for passage, words in ((first, "Un nuevo objetivo."), (second, "Otra frase nueva.")):
        response = make_response(
            enia,
            {
                "section": "2",
                "text": "",
                "anchor": passage.anchor,
                "passage_text": passage.text,
                "proposal": words,
            },
        )
        made.append(response.comments[0].id)
    set_window(enia, "closed")
    token = session_csrf_token(app, coordinator_client)
    for comment_id, words in zip(made, ("Un nuevo objetivo.", "Otra frase nueva."), strict=True):
        coordinator_client.post(
            f"/console/c/enia-2021/comments/{comment_id}/adopt",
            data={"csrf_token": token, "wording_es": words, "wording_en": words},
        )
    db.session.expire_all()
    consultation = db.session.get(Consultation, enia.id)
    assert consultation.current_version == 2
    body = _section(consultation, "2").body_md_es
    assert "> Un nuevo objetivo." in body and "Otra frase nueva." in body
    assert [db.session.get(Comment, i).adopted_version for i in made] == [2, 2]


def test_adoption_is_refused_while_people_answer(coordinator_client, app, enia):
    comment = _on_target(enia)
    token = session_csrf_token(app, coordinator_client)
    refused = coordinator_client.post(
        f"/console/c/enia-2021/comments/{comment.id}/adopt",
        data={"csrf_token": token, "wording_es": PROPOSAL, "wording_en": "x"},
        follow_redirects=True,
    )
    assert refused.status_code == 200
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).current_version == 1
    assert db.session.get(Comment, comment.id).adopted_version is None


def test_the_respondent_reads_that_their_wording_was_adopted(
    coordinator_client, app, enia, set_window
):
    token = "el-secreto-de-quien-propuso-una-meta"
    comment = _on_target(enia, token=token)
    set_window(enia, "closed")
    csrf = session_csrf_token(app, coordinator_client)
    coordinator_client.post(
        f"/console/c/enia-2021/comments/{comment.id}/adopt",
        data={"csrf_token": csrf, "wording_es": PROPOSAL, "wording_en": "To train 5,000."},
    )
    consultation = db.session.get(Consultation, enia.id)
    consultation.stage = Stage.OUTCOME
    note_public_change(db.session)
    db.session.commit()
    page = app.test_client().get(f"/c/enia-2021/r/{token}?lang=en").get_data(as_text=True)
    assert "Your comment on a passage of 5.3" in page
    assert PROPOSAL in page
    assert "Your wording was adopted into version 2 of the draft." in page
    # The public comparison of the section shows the new words.
    changes = app.test_client().get("/c/enia-2021/s/5-3/changes?lang=en").get_data(as_text=True)
    assert "<ins>" in changes and "5,000" in changes
