"""A section page lists its published comments, as their authors chose, and nothing private."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Comment, Response
from consult.models.vocab import ModerationState, RejectionReason, ResponseStatus
from tests.conftest import PROFILE_ACADEMIA, post_form, statements

SECTION = "/c/enia-2021/s/5-3"

PROFILE_PERSON = {
    "responding_as": "individual",
    "stakeholder_type": "individual",
    "region": "cusco",
    "consent": "y",
}


def respond(
    reader: FlaskClient, comment: str, *, submit: bool = True, **profile: str
) -> tuple[FlaskClient, Response]:
    """Walk the public flow in a browser of its own: profile, a comment on 5.3, submit."""
    browser = reader.application.test_client()
    started = post_form(browser, "/c/enia-2021/profile", {**PROFILE_ACADEMIA, **profile})
    assert started.status_code == 302, started.get_data(as_text=True)
    saved = post_form(
        browser, SECTION, {"comment": comment, "contribution": "problem_definition", "go": "next"}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    if submit:
        done = post_form(browser, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
        assert done.status_code == 302
    response = db.session.scalars(sa.select(Response).order_by(Response.id.desc())).first()
    return browser, response


def moderate(
    response: Response,
    state: ModerationState = ModerationState.PUBLISHED,
    *,
    redacted: str | None = None,
    at: datetime = datetime(2027, 1, 20, 15, 30),
) -> None:
    """Set the comment's moderation as a coordinator would (no operation for it here)."""
    comment = db.session.scalar(sa.select(Comment).filter_by(response_id=response.id))
    comment.moderation = state
    comment.rejection_reason = (
        RejectionReason.OFF_TOPIC if state is ModerationState.REJECTED else None
    )
    comment.redacted_text = redacted
    comment.moderated_at = at
    db.session.commit()


def comments_part(page: str) -> str:
    """The published-comments section of a section page."""
    start = page.index('id="published-comments"')
    return page[start : page.index("</section>", start)]


def shown(reader: FlaskClient, query: str = "lang=en") -> str:
    result = reader.get(f"{SECTION}?{query}")
    assert result.status_code == 200
    return result.get_data(as_text=True)


def test_a_section_without_published_comments_says_so(client, enia):
    respond(client, "Todavía sin moderar.", publication="anonymous")
    part = comments_part(shown(client))
    assert "Published comments" in part
    assert "No comments on this section have been published yet." in part
    assert "Todavía sin moderar." not in part
    general = client.get("/c/enia-2021/general").get_data(as_text=True)
    assert 'id="published-comments"' not in general


def test_comments_show_as_their_authors_chose_and_nothing_private(client, enia):
    _, named = respond(
        client,
        "Hace falta formar docentes en IA.",
        stakeholder_type="civil_society",
        organisation_name="Asociación Datos Abiertos Perú",
        publication="named",
        display_name="Rosa Quispe",
        email="rosa@example.org",
    )
    _, anonymous = respond(client, "Los institutos técnicos quedan fuera.", publication="anonymous")
    _, private = respond(
        client,
        "Esto no debe publicarse.",
        **PROFILE_PERSON,
        publication="private",
        email="privada@example.org",
    )
    _, pending = respond(
        client, "Aún en revisión.", publication="named", display_name="Pedro Pendiente"
    )
    _, rejected = respond(
        client, "Comentario fuera de tema.", publication="named", display_name="Raúl Rechazo"
    )
    _, draft = respond(
        client,
        "Solo un borrador.",
        submit=False,
        publication="named",
        display_name="Berta Borrador",
    )
    for response in (named, anonymous, private, draft):
        moderate(response)
    moderate(rejected, ModerationState.REJECTED)
    # Even a name left behind on an anonymous response stays unpublished.
    anonymous.display_name = "Nombre Oculto"
    db.session.commit()
    assert draft.status is ResponseStatus.DRAFT and pending.comments[0].moderation == "pending"

    page = shown(client)
    part = comments_part(page)
    assert "2 published comments" in part
    assert part.count('class="published-comment"') == 2
    assert "Hace falta formar docentes en IA." in part
    assert "Rosa Quispe" in part
    assert "Civil society organisation" in part
    assert "Los institutos técnicos quedan fuera." in part
    assert "Anonymous" in part
    assert "Academia or research" in part
    assert "Problem definition" in part
    assert "January 20, 2027" in part and "10:30" in part  # 15:30 UTC in Peru time
    assert '<time datetime="2027-01-20T15:30Z">' in part
    for hidden in (
        "Esto no debe publicarse.",
        "Aún en revisión.",
        "Pedro Pendiente",
        "Comentario fuera de tema.",
        "Raúl Rechazo",
        "Solo un borrador.",
        "Berta Borrador",
        "Nombre Oculto",
        "Asociación Datos Abiertos Perú",
        "Universidad Nacional de Ingeniería",
        "@example.org",
    ):
        assert hidden not in page

    spanish = comments_part(shown(client, "lang=es"))
    assert "Hace falta formar docentes en IA." in spanish
    assert "Organización de la sociedad civil" in spanish
    assert "Academia o investigación" in spanish
    assert "Rosa Quispe" in spanish
    assert "Nombre Oculto" not in spanish


def test_the_redacted_text_replaces_the_original(client, enia):
    _, response = respond(
        client, "Llamen a Ana al 999 888 777.", publication="named", display_name="Ana"
    )
    moderate(response, redacted="Llamen a [dato personal retirado].")
    part = comments_part(shown(client))
    assert "Llamen a [dato personal retirado]." in part
    assert "999 888 777" not in part


def test_a_withdrawn_response_takes_its_comment_off_the_page(client, enia):
    browser, response = respond(client, "Lo retiraré luego.", publication="anonymous")
    moderate(response)
    assert "Lo retiraré luego." in comments_part(shown(client))

    receipt = browser.get("/c/enia-2021/receipt").get_data(as_text=True)
    private = re.search(r'href="http://consult\.test(/c/enia-2021/r/[^"]+)"', receipt).group(1)
    assert post_form(browser, private + "/withdraw", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Response, response.id).status is ResponseStatus.WITHDRAWN

    part = comments_part(shown(client))
    assert "Lo retiraré luego." not in part
    assert "No comments on this section have been published yet." in part


def test_taking_the_name_off_a_published_comment_shows_at_once(client, enia):
    named = {"publication": "named", "display_name": "Rosa Quispe"}
    browser, response = respond(client, "Más becas en regiones.", **named)
    moderate(response)
    assert "Rosa Quispe" in comments_part(shown(client))  # the page is now kept

    profile = {**PROFILE_ACADEMIA, "publication": "anonymous"}
    assert post_form(browser, "/c/enia-2021/profile", profile).status_code == 302

    part = comments_part(shown(client))
    assert "Más becas en regiones." in part
    assert "Rosa Quispe" not in part


def test_html_in_a_comment_is_shown_as_text(client, enia):
    _, response = respond(
        client, "<script>alert(1)</script> <b>negrita</b>", publication="anonymous"
    )
    moderate(response)
    part = comments_part(shown(client))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;negrita&lt;/b&gt;" in part
    assert "<script>" not in part and "<b>" not in part


def _links(part: str) -> dict[str, tuple[str, dict[str, list[str]], str]]:
    links = {}
    for rel, href in re.findall(r'<a rel="(prev|next)" href="([^"]+)"', part):
        url = urlsplit(href.replace("&amp;", "&"))
        links[rel] = (url.path, parse_qs(url.query), url.fragment)
    return links


def test_pages_of_twenty_in_a_constant_number_of_queries(client, enia):
    for n in range(3):
        _, response = respond(client, f"Comentario número {n:02d}.", email=f"p{n}@example.org")
        moderate(response, at=datetime(2027, 1, 10, 12, n))
    with statements() as few:
        assert comments_part(shown(client)).count('class="published-comment"') == 3

    for n in range(3, 25):
        _, response = respond(client, f"Comentario número {n:02d}.", email=f"p{n}@example.org")
        moderate(response, at=datetime(2027, 1, 10, 12, n))
    with statements() as many:
        first = comments_part(shown(client))
    assert len(many) == len(few)

    assert "25 published comments" in first
    assert first.count('class="published-comment"') == 20
    assert "Comentario número 00." in first and "Comentario número 19." in first
    assert "Comentario número 20." not in first
    assert "Page 1 of 2" in first
    links = _links(first)
    assert set(links) == {"next"}
    assert links["next"] == (SECTION, {"page": ["2"], "lang": ["en"]}, "published-comments")

    second = comments_part(shown(client, "page=2&lang=en"))
    assert second.count('class="published-comment"') == 5
    assert "Comentario número 24." in second and "Comentario número 19." not in second
    assert "Page 2 of 2" in second
    links = _links(second)
    assert set(links) == {"prev"}
    assert links["prev"] == (SECTION, {"lang": ["en"]}, "published-comments")

    spanish = comments_part(shown(client, "page=2&lang=es"))
    assert _links(spanish)["prev"][1] == {"lang": ["es"]}

    for query in (
        "page=abc",
        "page=0",
        "page=-1",
        "page=1e3",
        "page=²",
        "page=1000001",
        "page=" + "9" * 40,
    ):
        part = comments_part(shown(client, query + "&lang=en"))
        assert part.count('class="published-comment"') == 20, query
    beyond = comments_part(shown(client, "page=7&lang=en"))
    assert beyond.count('class="published-comment"') == 5
    assert "Page 2 of 2" in beyond
