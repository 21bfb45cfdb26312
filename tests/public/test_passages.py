"""Comments on one passage of a section (a paragraph or a line such as a target) and the
wording a respondent proposes for it, through the public pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from consult.content.passages import passages
from consult.extensions import db
from consult.models import Comment, Consultation
from consult.models.columns import utcnow
from consult.models.vocab import ModerationState, Publication, ResponseStatus
from tests.conftest import post_form

SECTION = "/c/enia-2021/s/5-3"
TARGET_ES = (
    "Formar profesionales con competencias para la investigación, el desarrollo y el uso de"
    " la IA en el país."
)


def _target(enia: Consultation):
    section = next(s for s in enia.sections if s.key == "5-3")
    return section, next(p for p in passages(section.body_md_es) if p.kind == "item")


def _comments() -> list[Comment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Comment).order_by(Comment.id)))


def test_every_passage_of_the_section_has_an_anchor_and_a_link_to_its_page(client, enia):
    section, target = _target(enia)
    page = client.get(SECTION).get_data(as_text=True)
    for passage in passages(section.body_md_es):
        assert f'id="{passage.anchor}"' in page
        assert f"/c/enia-2021/s/5-3/p/{passage.anchor}" in page
    # The target is a line of a list: its list item carries the anchor.
    assert re.search(rf'<li id="{target.anchor}">Formar profesionales', page)
    # English pairs its passages with the Spanish anchors.
    english = client.get(SECTION + "?lang=en").get_data(as_text=True)
    assert re.search(rf'<li id="{target.anchor}">To train professionals', english)


def test_a_respondent_comments_on_the_target_and_proposes_wording(client, enia, start_response):
    section, target = _target(enia)
    response = start_response(enia)
    url = f"{SECTION}/p/{target.anchor}"
    page = client.get(url).get_data(as_text=True)
    assert TARGET_ES in page
    assert 'name="proposal"' in page
    # The proposal box starts as the draft's words.
    assert f">{TARGET_ES}</textarea>" in page or f">\n{TARGET_ES}</textarea>" in page

    proposal = TARGET_ES.replace("Formar profesionales", "Formar 5 000 profesionales al 2026")
    sent = post_form(
        client,
        url,
        {
            "comment": "Hace falta una cifra.",
            "contribution": "objective_formulation",
            "proposal": proposal,
        },
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/c/enia-2021/s/5-3#{target.anchor}")
    [comment] = _comments()
    assert comment.response_id == response.id
    assert (comment.anchor, comment.section_id) == (target.anchor, section.id)
    assert comment.passage_text == TARGET_ES
    assert comment.proposal == proposal
    assert comment.moderation is ModerationState.PENDING

    # The section's own comment is another row: both kept.
    post_form(
        client, SECTION, {"comment": "Comentario general.", "contribution": "objective_formulation"}
    )
    assert sorted(c.anchor for c in _comments()) == ["", target.anchor]
    # The section page lists the respondent's comment on the passage, and the review too.
    assert "with proposed wording" in client.get(SECTION + "?lang=en").get_data(as_text=True)
    review = client.get("/c/enia-2021/review").get_data(as_text=True)
    assert "Hace falta una cifra." in review
    assert "5 000 profesionales" in review


def test_the_unchanged_wording_is_no_proposal_and_blank_removes(client, enia, start_response):
    _section, target = _target(enia)
    start_response(enia)
    url = f"{SECTION}/p/{target.anchor}"
    post_form(
        client,
        url,
        {"comment": "Bien.", "contribution": "objective_formulation", "proposal": TARGET_ES},
    )
    [comment] = _comments()
    assert comment.proposal is None
    post_form(client, url, {"comment": "", "proposal": ""})
    assert _comments() == []


def test_a_proposal_alone_is_kept_and_limits_and_contribution_are_checked(
    client, enia, start_response, app
):
    _section, target = _target(enia)
    start_response(enia)
    url = f"{SECTION}/p/{target.anchor}"
    post_form(client, url, {"comment": "", "proposal": "Formar investigadores en IA."})
    [comment] = _comments()
    assert (comment.text, comment.proposal) == ("", "Formar investigadores en IA.")

    too_long = "x" * (app.config["MAX_COMMENT_CHARS"] + 1)
    refused = post_form(client, url, {"comment": "", "proposal": too_long})
    assert refused.status_code == 422
    assert "caracteres" in refused.get_data(as_text=True)
    no_contribution = post_form(client, url, {"comment": "Algo", "proposal": ""})
    assert no_contribution.status_code == 422
    assert _comments()[0].proposal == "Formar investigadores en IA."


def test_an_unknown_passage_is_not_found(client, enia):
    assert client.get(f"{SECTION}/p/p-00000000").status_code == 404
    assert client.get(f"{SECTION}/p/<script>").status_code == 404


def test_without_a_response_the_page_asks_who_you_are_first(client, enia):
    _section, target = _target(enia)
    page = client.get(f"{SECTION}/p/{target.anchor}").get_data(as_text=True)
    assert 'name="proposal"' not in page
    assert f"next=/c/enia-2021/s/5-3/p/{target.anchor}" in page.replace("%2F", "/")


def test_a_published_passage_comment_is_counted_on_the_section_and_listed_on_its_page(
    client, enia, start_response, app
):
    _section, target = _target(enia)
    response = start_response(enia)
    url = f"{SECTION}/p/{target.anchor}"
    post_form(
        client,
        url,
        {"comment": "Una meta sin cifra.", "contribution": "objective_formulation", "proposal": ""},
    )
    [comment] = _comments()
    comment.moderation = ModerationState.PUBLISHED
    response.submitted_at = utcnow()
    response.status = ResponseStatus.SUBMITTED
    response.publication = Publication.ANONYMOUS
    db.session.commit()
    reader = app.test_client()
    section_page = reader.get(SECTION + "?lang=en").get_data(as_text=True)
    link = f'<a class="passage-link" href="/c/enia-2021/s/5-3/p/{target.anchor}">'
    assert f'{link}Comment<span class="visually-hidden"> on line 2</span> (1 comment)</a>' in (
        section_page
    )
    spanish = reader.get(SECTION + "?lang=es").get_data(as_text=True)
    hidden = '<span class="visually-hidden"> sobre la línea 2</span>'
    assert f"Comentar{hidden} (1 comentario)" in spanish
    passage_page = reader.get(url).get_data(as_text=True)
    assert "Una meta sin cifra." in passage_page
    assert 'name="proposal"' not in passage_page


def test_a_gate_no_deletes_the_comments_on_its_passages_too(client, gated, start_response):
    section = next(s for s in gated.sections if s.gated)
    first = passages(section.body_md_es)[0]
    start_response(gated)
    url = f"/c/enia-2021/s/{section.key}"
    post_form(client, url, {"gate": "yes"})
    post_form(client, f"{url}/p/{first.anchor}", {"comment": "", "proposal": "Otra redacción."})
    assert len(_comments()) == 1
    post_form(client, url, {"gate": "no"})
    assert _comments() == []
