"""Moderation, bulk actions, redaction, decisions, themes and notes through the console."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from consult.extensions import db
from consult.models import AuditEntry, Comment, Note, Response, Theme, comment_theme
from consult.models.vocab import Decision, ModerationState
from tests.conftest import csrf_token
from tests.factories import comment_of, make_response, make_theme

BASE = "/console/c/enia-2021"
SECTION = "/c/enia-2021/s/5-3"


@pytest.fixture
def console(coordinator_client: FlaskClient) -> FlaskClient:
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


@pytest.fixture
def three(enia) -> list[Comment]:
    """Three pending comments on 5.3 from submitted responses that agreed to publication."""
    texts = ("Formar docentes en IA.", "Compre seguidores baratos.", "Llamen al 999 888 777.")
    return [comment_of(make_response(enia, ("5-3", text))) for text in texts]


def submit(client: FlaskClient, url: str, data, *, form_url: str) -> str:
    """Post a console form as a browser does and return the page it leads to."""
    pairs = MultiDict(data)
    pairs.add("csrf_token", csrf_token(client, form_url))
    reply = client.post(url, data=pairs)
    assert reply.status_code == 302, reply.status_code
    return client.get(reply.location).get_data(as_text=True)


def fresh(comment: Comment) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def states(comments: list[Comment]) -> list[tuple[str, str | None]]:
    db.session.expire_all()
    found = [db.session.get(Comment, c.id) for c in comments]
    return [(c.moderation.value, c.rejection_reason and c.rejection_reason.value) for c in found]


def public_section(client: FlaskClient) -> str:
    return client.application.test_client().get(f"{SECTION}?lang=en").get_data(as_text=True)


# ---------------------------------------------------------------- one comment at a time


def test_publish_one_refuse_another_as_spam_and_redact_a_third(console, three):
    good, spam, personal = three
    for comment, data in (
        (good, {"state": "published"}),
        (spam, {"state": "rejected", "reason": "spam"}),
    ):
        url = f"{BASE}/comments/{comment.id}"
        body = submit(console, f"{url}/moderate", data, form_url=url)
        assert "Moderation saved." in body
    url = f"{BASE}/comments/{personal.id}"
    body = submit(
        console, f"{url}/redact", {"redacted_text": "Llamen al [número retirado]."}, form_url=url
    )
    assert "Redaction saved." in body
    assert "Llamen al 999 888 777." in body  # coordinators still read the original
    assert states(three) == [("published", None), ("rejected", "spam"), ("published", None)]
    listed = console.get(f"{BASE}/comments?moderation=rejected").get_data(as_text=True)
    assert "Compre seguidores baratos." in listed and "Spam" in listed
    shown = public_section(console)
    assert "Formar docentes en IA." in shown
    assert "Llamen al [número retirado]." in shown
    assert "999 888 777" not in shown
    assert "Compre seguidores" not in shown


def test_refusing_without_a_reason_changes_nothing_and_says_why(console, three):
    url = f"{BASE}/comments/{three[0].id}"
    body = submit(console, f"{url}/moderate", {"state": "rejected"}, form_url=url)
    assert "Nothing was changed" in body
    assert states(three[:1]) == [("pending", None)]
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action.like("comment.%"))
        )
        == 0
    )


def test_a_decision_with_a_public_reason(console, three):
    url = f"{BASE}/comments/{three[0].id}"
    refused = submit(console, f"{url}/decide", {"decision": "accepted", "reason": ""}, form_url=url)
    assert "Nothing was changed" in refused
    assert fresh(three[0]).decision is None
    reason = "Se añade una línea sobre formación docente."
    body = submit(console, f"{url}/decide", {"decision": "partly", "reason": reason}, form_url=url)
    assert "Decision saved." in body
    assert reason in body
    decided = fresh(three[0])
    assert (decided.decision, decided.decision_reason) == (Decision.PARTLY, reason)


# ---------------------------------------------------------------- bulk


def bulk(client: FlaskClient, data, *, filters: str = "") -> str:
    """Post the bulk form of the comments list, with only fields the page really has."""
    form_url = f"{BASE}/comments?{filters}"
    form = (
        client.get(form_url)
        .get_data(as_text=True)
        .split('action="/console/c/enia-2021/comments/bulk"')[1]
    )
    for name, _value in data:
        assert f'name="{name}"' in form, name
    return submit(client, f"{BASE}/comments/bulk", data, form_url=form_url)


def test_bulk_publish_of_checked_comments(console, three):
    body = bulk(
        console,
        [
            ("ids", three[0].id),
            ("ids", three[2].id),
            ("action", "publish"),
            ("reason", ""),
            ("bulk_theme", ""),
            ("scope", "selected"),
        ],
    )
    assert "2 comment(s) changed." in body
    assert states(three) == [("published", None), ("pending", None), ("published", None)]


@pytest.fixture
def mixed(enia, three) -> dict[str, Comment]:
    """The three comments on 5.3, one on 5.1, and a draft's comment on 5.3."""
    other = comment_of(make_response(enia, ("5-1", "Sobre experimentación.")), "5-1")
    draft = comment_of(make_response(enia, ("5-3", "Borrador."), status="draft"))
    return {"matching": three, "other": [other], "draft": [draft]}


def test_bulk_reject_of_everything_matching_needs_a_reason(console, mixed):
    every = [("section", "5-3"), ("action", "reject"), ("bulk_theme", ""), ("scope", "all")]
    body = bulk(console, [*every, ("reason", "")], filters="section=5-3")
    assert "Nothing was changed" in body
    assert {s for c in mixed.values() for s in states(c)} == {("pending", None)}
    body = bulk(console, [*every, ("reason", "duplicate")], filters="section=5-3")
    assert "3 comment(s) changed." in body
    assert states(mixed["matching"]) == [("rejected", "duplicate")] * 3
    assert states(mixed["other"]) == states(mixed["draft"]) == [("pending", None)]


def theme_names(comments: list[Comment]) -> list[list[str]]:
    db.session.expire_all()
    return [[t.name for t in db.session.get(Comment, c.id).themes] for c in comments]


def test_bulk_tag_checked_comments_with_a_theme(console, enia, three):
    theme = make_theme(enia, "Docentes")
    body = bulk(
        console,
        [
            ("ids", three[0].id),
            ("ids", three[1].id),
            ("action", "tag"),
            ("reason", ""),
            ("bulk_theme", theme.id),
            ("scope", "selected"),
        ],
    )
    assert "2 comment(s) changed." in body
    assert theme_names(three) == [["Docentes"], ["Docentes"], []]


def test_bulk_tag_everything_matching_uses_the_chosen_theme_not_a_filter(console, enia, mixed):
    docentes = make_theme(enia, "Docentes")
    becas = make_theme(enia, "Becas", *mixed["matching"][:2])
    # The hidden filter inputs come first in the form, then the bulk action's fields.
    body = bulk(
        console,
        [
            ("section", "5-3"),
            ("action", "tag"),
            ("reason", ""),
            ("bulk_theme", docentes.id),
            ("scope", "all"),
        ],
        filters="section=5-3",
    )
    assert "3 comment(s) changed." in body
    assert theme_names(mixed["matching"]) == [["Becas", "Docentes"]] * 2 + [["Docentes"]]
    assert theme_names(mixed["other"] + mixed["draft"]) == [[], []]
    body = bulk(
        console,
        [
            ("theme", becas.id),
            ("action", "untag"),
            ("reason", ""),
            ("bulk_theme", docentes.id),
            ("scope", "all"),
        ],
        filters=f"theme={becas.id}",
    )
    assert "2 comment(s) changed." in body
    assert theme_names(mixed["matching"]) == [["Becas"], ["Becas"], ["Docentes"]]


# ---------------------------------------------------------------- themes


def theme_counts(client: FlaskClient) -> dict[str, int]:
    body = client.get(f"{BASE}/themes").get_data(as_text=True)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num"><a [^>]*>(\d+)</a>', body)
    return {name: int(n) for name, n in rows}


def tag_one(client: FlaskClient, comment: Comment, theme: Theme) -> str:
    url = f"{BASE}/comments/{comment.id}"
    return submit(client, f"{url}/themes", {"theme": theme.id}, form_url=url)


def test_tag_one_at_a_time_merge_and_count_per_theme(console, three):
    themes_url = f"{BASE}/themes"
    for name in ("Docentes", "Formación docente", "Spam"):
        assert f"“{name}” created." in submit(
            console, themes_url, {"name": name}, form_url=themes_url
        )
    refused = submit(console, themes_url, {"name": "docentes"}, form_url=themes_url)
    assert "Nothing was changed" in refused
    by_name = {t.name: t for t in db.session.scalars(sa.select(Theme))}
    assert len(by_name) == 3
    assert "Themes saved." in tag_one(console, three[0], by_name["Docentes"])
    tag_one(console, three[2], by_name["Docentes"])
    tag_one(console, three[0], by_name["Formación docente"])
    assert theme_counts(console) == {"Docentes": 2, "Formación docente": 1, "Spam": 0}
    body = submit(
        console,
        f"{themes_url}/merge",
        {"source": by_name["Docentes"].id, "target": by_name["Formación docente"].id},
        form_url=themes_url,
    )
    assert "“Docentes” was merged into “Formación docente”." in body
    assert theme_counts(console) == {"Formación docente": 2, "Spam": 0}
    assert theme_names(three) == [["Formación docente"], [], ["Formación docente"]]
    listed = console.get(f"{BASE}/comments?theme={by_name['Formación docente'].id}")
    assert "2 comment(s) match." in listed.get_data(as_text=True)


# ---------------------------------------------------------------- notes and history


def test_notes_show_on_their_pages_and_never_publicly(console, enia):
    response = make_response(enia, ("5-3", "Texto público."), token="secreto-de-prueba-123")
    comment = comment_of(response)
    submit(
        console,
        f"{BASE}/comments/{comment.id}/moderate",
        {"state": "published"},
        form_url=f"{BASE}/comments/{comment.id}",
    )
    response_url = f"{BASE}/responses/{response.id}"
    comment_url = f"{BASE}/comments/{comment.id}"
    on_response = submit(
        console, f"{response_url}/notes", {"text": "Nota: llamar a la UNI."}, form_url=response_url
    )
    assert "Note added." in on_response and "Nota: llamar a la UNI." in on_response
    on_comment = submit(
        console, f"{comment_url}/notes", {"text": "Nota: verificar cifra."}, form_url=comment_url
    )
    assert "Nota: verificar cifra." in on_comment
    assert "Nota: llamar a la UNI." not in on_comment
    refused = submit(console, f"{comment_url}/notes", {"text": "   "}, form_url=comment_url)
    assert "The note was not saved" in refused
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 2
    respondent = console.application.test_client()
    for public in (f"{SECTION}?lang=en", "/c/enia-2021/r/secreto-de-prueba-123?lang=en"):
        body = respondent.get(public).get_data(as_text=True)
        assert "Texto público." in body, public
        assert "Nota:" not in body, public


def test_the_response_page_shows_the_history_of_actions(console, enia, coordinator):
    response = make_response(enia, ("5-3", "Uno."), ("5-1", "Dos."))
    first, second = comment_of(response), comment_of(response, "5-1")
    response_url = f"{BASE}/responses/{response.id}"
    assert "No coordinator action yet." in console.get(response_url).get_data(as_text=True)
    submit(
        console,
        f"{BASE}/comments/{first.id}/moderate",
        {"state": "published"},
        form_url=f"{BASE}/comments/{first.id}",
    )
    submit(
        console,
        f"{BASE}/comments/{second.id}/redact",
        {"redacted_text": "Dos [editado]."},
        form_url=f"{BASE}/comments/{second.id}",
    )
    body = submit(console, f"{response_url}/notes", {"text": "Revisado."}, form_url=response_url)
    history = body.split('id="history"')[1]
    actions = re.findall(r"<strong>([a-z_.]+)</strong> · ([^ ]+) ·", history)
    assert actions == [
        ("comment.moderate", coordinator.email),
        ("comment.redact", coordinator.email),
        ("note.add", coordinator.email),
    ]
    assert "Dos [editado]." in history


# ---------------------------------------------------------------- respondent edits


def test_a_respondent_edit_sends_a_redacted_comment_back_to_moderation(console, enia):
    token = "secreto-de-prueba-456"
    response = make_response(enia, ("5-3", "Mi teléfono es 999 888 777."), token=token)
    comment = comment_of(response)
    url = f"{BASE}/comments/{comment.id}"
    submit(console, f"{url}/redact", {"redacted_text": "Mi teléfono es [retirado]."}, form_url=url)
    assert "Mi teléfono es [retirado]." in public_section(console)
    respondent = console.application.test_client()
    private = f"/c/enia-2021/r/{token}"
    opened = respondent.post(
        f"{private}/edit", data={"csrf_token": csrf_token(respondent, private)}
    )
    assert opened.status_code == 302
    saved = respondent.post(
        SECTION,
        data={
            "csrf_token": csrf_token(respondent, SECTION),
            "comment": "Prefiero no dar datos.",
            "contribution": "other",
            "go": "review",
        },
    )
    assert saved.status_code == 302
    edited = fresh(comment)
    assert (edited.moderation, edited.redacted_text) == (ModerationState.PENDING, None)
    assert "Prefiero no dar datos." not in public_section(console)
    assert "[retirado]" not in public_section(console)
    body = console.get(url).get_data(as_text=True)
    assert "Awaiting moderation" in body and "Published text (redacted)" not in body


# ---------------------------------------------------------------- CSRF


def rows() -> dict[str, list]:
    db.session.expire_all()
    return {
        "comments": db.session.execute(sa.select(Comment.__table__).order_by(Comment.id)).all(),
        "themes": db.session.execute(sa.select(Theme.__table__).order_by(Theme.id)).all(),
        "tags": db.session.execute(sa.select(comment_theme)).all(),
        "notes": db.session.execute(sa.select(Note.__table__)).all(),
        "audit": db.session.execute(sa.select(AuditEntry.__table__)).all(),
    }


POSTS = [
    ("comments/{c}/moderate", {"state": "rejected", "reason": "spam"}),
    ("comments/{c}/redact", {"redacted_text": "Otro texto."}),
    ("comments/{c}/decide", {"decision": "accepted", "reason": "Sí."}),
    ("comments/{c}/themes", {"theme": "{t}"}),
    ("comments/{c}/notes", {"text": "Nota."}),
    ("responses/{r}/notes", {"text": "Nota."}),
    ("comments/bulk", {"action": "publish", "scope": "all"}),
    ("themes", {"name": "Nuevo"}),
    ("themes/{t}/rename", {"name": "Renombrado"}),
    ("themes/merge", {"source": "{t}", "target": "{u}"}),
    ("themes/{t}/delete", {}),
]


@pytest.mark.parametrize(("path", "data"), POSTS, ids=[p for p, _ in POSTS])
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(console, enia, path, data):
    response: Response = make_response(enia, ("5-3", "Texto."))
    comment = comment_of(response)
    values = {
        "c": comment.id,
        "r": response.id,
        "t": make_theme(enia, "Uno").id,
        "u": make_theme(enia, "Dos").id,
    }
    before = rows()
    reply = console.post(
        f"{BASE}/{path.format(**values)}",
        data={k: v.format(**values) for k, v in data.items()},
    )
    assert reply.status_code == 400
    assert rows() == before
