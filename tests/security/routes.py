"""Every route of the app, and real objects to fill its URL with.

``route_keys`` walks the URL map, so a route added to the app reaches every test that
uses it. ``World`` makes, for each request, the objects its URL names (a response, a
comment, a theme, an account) and gives a browser for each kind of visitor.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from consult.content.passages import passages
from consult.extensions import db
from consult.models import (
    Consultation,
    CopyCluster,
    CopyMember,
    ResponseImport,
    SuggestionMember,
    Theme,
    ThemeSuggestion,
    User,
)
from consult.models.columns import utcnow
from consult.models.mail import OutgoingMail
from consult.models.papers import PositionPaper
from consult.models.vocab import Channel, CopyKind, MailStatus, Role, Verdict
from consult.papers.storage import new_key, paper_store
from consult.systematising import runs
from tests.conftest import signed_in_client
from tests.papers.conftest import make_pdf

from .people import Respondent, same_browser

#: "coordinator" may edit no consultation; "editor" is a coordinator an admin gave the
#: world's consultation to edit (``ConsultationEditor``).
ROLES = ("anonymous", "respondent", "coordinator", "editor", "admin")
SIGN_OUT = "POST /auth/sign-out"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Fields a POST carries besides its CSRF token (most views are sent an empty form).
POST_DATA = {"POST /console/c/<slug>/report/publish": {"published": "1"}}
#: The section whose page has published comments, and whose comment the respondent wrote.
SECTION = "5-3"
#: A question of that section the respondent answered.
QUESTION = "q-5-3-agree"


def attach_paper(app: Flask, response) -> int:
    """A small real PDF stored for ``response`` as its position paper; its id."""
    data = make_pdf(1)
    paper = PositionPaper(
        response_id=response.id,
        storage_key=new_key(),
        file_name="posicion.pdf",
        title=f"Documento {secrets.token_hex(4)}",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=1,
        may_publish=True,
    )
    paper_store(app).put(paper.storage_key, data)
    db.session.add(paper)
    db.session.commit()
    return paper.id


def route_keys(app: Flask) -> dict[str, Rule]:
    """Every route and method the app answers, keyed "METHOD /rule"."""
    return {
        f"{method} {rule.rule}": rule
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods & set(METHODS))
    }


# ---------------------------------------------------------------- the world


@dataclass
class World:
    """What every request needs: the consultation, a signed-in browser per console role."""

    app: Flask
    consultation: Consultation
    signed_in: dict[str, FlaskClient]
    make_respondent: Callable[..., Respondent]

    def visitor(self, role: str, respondent: Respondent) -> FlaskClient:
        """A browser of ``role``; the respondent's is the one holding their response."""
        if role == "respondent":
            return respondent.client
        if role == "anonymous":
            return self.app.test_client()
        return same_browser(self.app, self.signed_in[role])

    def browser_for(self, key: str, role: str, respondent: Respondent) -> FlaskClient:
        """The browser that sends ``key`` as ``role``.

        Signing out ends the session on the server, in every tab that shares its cookie:
        a signed-in role signs out from a session of its own, so the other tabs stay in.
        """
        if key == SIGN_OUT and role in self.signed_in:
            with self.signed_in[role].session_transaction() as session:
                user_id = int(session["_user_id"].partition(":")[0])
            return signed_in_client(self.app, db.session.get(User, user_id).email)
        return self.visitor(role, respondent)

    def respondent(self) -> Respondent:
        """A person with a submitted response (a comment on SECTION, an answer to QUESTION)
        and its private link."""
        return self.make_respondent(
            self.consultation,
            (SECTION, "Mi comentario"),
            publication="anonymous",
            answers={QUESTION: "4"},
        )

    def values(self, rule: Rule, respondent: Respondent) -> dict[str, object]:
        """Real objects for the rule's parameters, made for this request alone."""
        return {name: self._value(name, respondent) for name in rule.arguments}

    def url(self, rule: Rule, respondent: Respondent) -> tuple[str, dict[str, object]]:
        """The rule's path for real objects, and those objects' values."""
        values = self.values(rule, respondent)
        _domain, path = rule.build(values, append_unknown=False)
        return path, values

    def _chart_digest(self) -> str:
        """The name of a chart the public results page really shows."""
        page = self.app.test_client().get(f"/c/{self.consultation.slug}/results?lang=es")
        found = re.search(r"/results/charts/es/([0-9a-f]+)\.svg", page.get_data(as_text=True))
        assert found, "the results page shows no chart to fill <digest> with"
        return found.group(1)

    def every_url(self, rule: Rule, respondent: Respondent) -> list[str]:
        """The rule's path for each real section (the other parameters as in ``url``)."""
        values = self.values(rule, respondent)
        keys = [s.key for s in self.consultation.sections] if "key" in values else [None]
        paths = []
        for key in keys:
            if key is not None:
                values["key"] = key
            paths.append(rule.build(values, append_unknown=False)[1])
        return paths

    def _value(self, name: str, respondent: Respondent) -> object:
        response = respondent.response
        match name:
            case "slug":
                return self.consultation.slug
            case "key":
                return SECTION
            case "qkey":  # a question of SECTION, which the respondent answered
                return QUESTION
            case "token":
                return respondent.token
            case "response_id":
                return response.id
            case "comment_id":
                return response.comments[0].id
            case "theme_id":
                name = f"Tema {secrets.token_hex(4)}"
                theme = Theme(consultation_id=self.consultation.id, name=name)
                db.session.add(theme)
                db.session.commit()
                return theme.id
            case "cluster_id":  # a suggested cluster of copies holding the respondent's comment
                cluster = CopyCluster(
                    consultation_id=self.consultation.id,
                    kind=CopyKind.EXACT,
                    verdict=Verdict.SUGGESTED,
                    representative_id=response.comments[0].id,
                    size=1,
                )
                cluster.members = [CopyMember(comment_id=response.comments[0].id)]
                db.session.add(cluster)
                db.session.commit()
                return cluster.id
            case "suggestion_id":  # a suggested theme holding the respondent's comment
                # A run started by an earlier request replaces undecided suggestions: let
                # it end before this one is made.
                for thread in list(runs.threads.values()):
                    thread.join()
                comment = response.comments[0]
                suggestion = ThemeSuggestion(
                    consultation_id=self.consultation.id,
                    section_id=comment.section_id,
                    label=f"Tema sugerido {secrets.token_hex(4)}",
                    terms=["tema"],
                    phrases=[],
                    size=1,
                    verdict=Verdict.SUGGESTED,
                )
                suggestion.members = [SuggestionMember(comment_id=comment.id, quote=True)]
                db.session.add(suggestion)
                db.session.commit()
                return suggestion.id
            case "user_id":
                user = User(
                    email=f"{secrets.token_hex(4)}@example.org",
                    password_hash="not a hash",
                    role=Role.COORDINATOR,
                )
                db.session.add(user)
                db.session.commit()
                return user.id
            case "import_id":  # a file imported into the consultation (no row left in it)
                file_import = ResponseImport(
                    consultation_id=self.consultation.id,
                    file_name=f"taller-{secrets.token_hex(4)}.csv",
                    file_sha256=secrets.token_hex(32),
                    channel=Channel.PAPER,
                    rows_added=0,
                    rows_skipped=0,
                    imported_at=utcnow(),
                )
                db.session.add(file_import)
                db.session.commit()
                return file_import.id
            case "anchor":  # the first passage of SECTION's text
                section = next(s for s in self.consultation.sections if s.key == SECTION)
                return passages(section.body_md_es)[0].anchor
            case "mail_id":  # the respondent's receipt in the outbox (never sent here)
                mail = OutgoingMail(
                    response_id=response.id,
                    kind=f"receipt-{secrets.token_hex(4)}",
                    locale="es",
                    status=MailStatus.FAILED,
                )
                db.session.add(mail)
                db.session.commit()
                return mail.id
            case "paper_id":  # a position paper of the respondent's (allowed, unpublished)
                return attach_paper(self.app, response)
            case "name":  # a position paper's name in its public download
                return "documento"
            case "number":  # a version of the draft: the first (every consultation has it)
                return 1
            case "filename":
                return "css/consult.css"
            case "lang" | "language":
                return "es"
            case "digest":
                return self._chart_digest()
        raise AssertionError(f"no real object for the URL parameter <{name}>: add one here")
