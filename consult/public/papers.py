"""Position papers on the public side (issue 19): a respondent attaches PDF files to
their response (/c/<slug>/papers), and anyone downloads the published ones.

The upload is one plain multipart form, one file at a time, that works without
JavaScript; its route alone accepts a body as large as a paper (``web.body_limits``).
Checks, storage and the public rule are ``papers``'s; this module reads the form, calls
one operation and renders. A paper is served to the public only once published (and of
a counted response): never before, never to another respondent, 404 otherwise.
"""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional

from .. import responding
from ..models import Consultation, Response, Section
from ..models.papers import PositionPaper
from ..papers import operations
from ..papers.checking import PaperRefused, Refusal
from ..papers.messages import megabytes, refusal_message
from ..papers.reading import ALL, PublicPaper, download_name, public_paper, published_papers
from ..papers.reading import response_papers as _response_papers
from ..responding.own_response import OwnResponse, load_own_response
from ..web.errors import render_error
from ..web.private_paths import hide_tokens
from ..web.security import accepts_files, request_id
from . import bp, drafts
from .cache import kept_html, shared_consultation
from .forms import options, plain_text

#: The select's value for "the draft as a whole".
WHOLE = "whole"
#: What a browser may do with a served PDF: nothing but save it (it is an attachment).
PAPER_CSP = "default-src 'none'; sandbox"


class PaperForm(FlaskForm):
    """One position paper: the file, its title, what it addresses, the permission."""

    file = FileField(
        _l("PDF file"),
        validators=[FileRequired(_l("Please choose a PDF file."))],
    )
    title = StringField(
        _l("Title"),
        description=_l("As it should be listed. If you leave it empty, the file's name is used."),
        validators=[Optional(), Length(max=300), plain_text],
    )
    section = SelectField(_l("Which part of the draft does it address?"), default=WHOLE)
    may_publish = BooleanField(_l("It may be published after review"))


def paper_form(consultation: Consultation, **kwargs: Any) -> PaperForm:
    form = PaperForm(**kwargs)
    form.section.choices = options(
        [(WHOLE, _("The draft as a whole"))]
        + [(str(s.id), f"{s.number}. {s.t('title')}") for s in consultation.sections]
    )
    return form


def _section_id(form: PaperForm) -> int | None:
    return None if form.section.data == WHOLE else int(form.section.data)


def _limits() -> dict[str, int]:
    config = current_app.config
    return {"max_bytes": config["PAPER_MAX_BYTES"], "max_files": config["PAPER_MAX_FILES"]}


def _page(consultation: Consultation, response: OwnResponse, form: PaperForm, status: int = 200):
    limits = _limits()
    papers = _response_papers(response.id)
    return (
        render_template(
            "public/papers.html",
            consultation=consultation,
            response=response,
            papers=papers,
            form=form,
            remove_form=FlaskForm(formdata=None),
            room=limits["max_files"] - len(papers),
            max_files=limits["max_files"],
            max_mb=megabytes(limits["max_bytes"]),
            sections={s.id: s for s in consultation.sections},
        ),
        status,
    )


@bp.get("/c/<slug>/papers")
def papers(slug: str):
    """The response's papers, and the form to attach one."""
    consultation = shared_consultation(slug)
    response = drafts.current_response(consultation)
    if response is None:
        flash(_("You have not started a response yet."), "info")
        return redirect(url_for("public.show_consultation", slug=slug))
    return _page(consultation, response, paper_form(consultation))


@bp.post("/c/<slug>/papers")
@accepts_files(fields=("file",))
def upload_paper(slug: str):
    """Attach one paper; a refused file brings the page back (422) with its reason."""
    consultation = shared_consultation(slug)
    response = drafts.current_response(consultation)
    if response is None:
        abort(404)
    responding.ensure_writable(consultation, response)
    form = paper_form(consultation)
    if not form.validate_on_submit():
        return _page(consultation, response, form, 422)
    upload = operations.Upload(
        data=form.file.data.read(),
        file_name=form.file.data.filename or "",
        title=form.title.data or "",
        section_id=_section_id(form),
        may_publish=bool(form.may_publish.data),
    )
    try:
        paper = operations.attach_paper(response, upload)
    except PaperRefused as refused:
        form.file.errors.append(refusal_message(refused.reason, **_limits()))
        return _page(consultation, response, form, 422)
    flash(_("Your paper “%(title)s” is attached.", title=paper.title), "success")
    return redirect(url_for("public.papers", slug=slug))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    """A file over the limit, refused from its size before it is read: the upload page
    says so (413); any other page gets the usual error page."""
    current_app.logger.info(
        "HTTP 413 on %s %s [request %s]",
        request.method,
        hide_tokens(request.path),
        request_id(),
    )
    if request.endpoint != "public.upload_paper":
        return render_error(error)
    consultation = shared_consultation(request.view_args["slug"])
    response = drafts.current_response(consultation)
    if response is None:
        return render_error(error)
    form = paper_form(consultation, formdata=None)
    form.file.errors = [refusal_message(Refusal.TOO_LARGE, **_limits())]
    return _page(consultation, response, form, 413)


@bp.post("/c/<slug>/papers/<int:paper_id>/remove")
def remove_paper(slug: str, paper_id: int):
    """Remove one of this browser's response's papers."""
    consultation = shared_consultation(slug)
    response = drafts.current_response(consultation)
    if response is None:
        abort(404)
    responding.ensure_writable(consultation, response)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not operations.remove_paper(response, paper_id):
        abort(404)
    flash(_("The paper was removed."), "success")
    return redirect(url_for("public.papers", slug=slug))


@bp.post("/c/<slug>/r/<token>/papers")
def open_papers(slug: str, token: str):
    """From the private page: tie the response to this browser, then show its papers."""
    consultation = shared_consultation(slug)
    response = load_own_response(consultation, token)
    if response is None:
        abort(404)
    responding.ensure_writable(consultation, response)
    if not FlaskForm().validate_on_submit():
        abort(400)
    drafts.remember(consultation, token)
    return redirect(url_for("public.papers", slug=slug))


@bp.get("/c/<slug>/papers/<int:paper_id>/<name>.pdf")
def download_paper(slug: str, paper_id: int, name: str):
    """A published paper, as a download; 404 for any other."""
    consultation = shared_consultation(slug)
    paper = public_paper(consultation.id, paper_id)
    if paper is None:
        abort(404)
    try:
        data = operations.read_paper(paper)
    except operations.PaperDamaged:
        current_app.logger.error("Stored position paper %s is missing or altered", paper.id)
        abort(404)
    return pdf_reply(data, download_name(paper))


def pdf_reply(data: bytes, name: str):
    """A PDF to save, never to render here: attachment, nosniff, a sandboxing policy."""
    reply = current_app.response_class(data, mimetype="application/pdf")
    reply.headers.set("Content-Disposition", "attachment", filename=name)
    reply.headers["X-Content-Type-Options"] = "nosniff"
    reply.headers["Content-Security-Policy"] = PAPER_CSP
    reply.headers["Cache-Control"] = "private, no-store"
    return reply


# ---------------------------------------------------------------- for templates


@bp.app_template_global()
def attached_papers(response: OwnResponse | Response) -> list[PositionPaper]:
    """The papers a respondent attached (review and private pages)."""
    return _response_papers(response.id)


@bp.app_template_global()
def shown_papers(
    consultation: Consultation, section: Section | None = None
) -> tuple[PublicPaper, ...]:
    """Published papers: on a section (those addressing it) or, with no section, all.

    Kept like the published comments (``cache.kept_html``: everyone's, dropped by the
    commit that publishes, unpublishes or withdraws one), so a drafter's section page
    still reads nothing but their own response.
    """
    which = section.id if section is not None else ALL
    key = ("papers", consultation.id, section.id if section is not None else "all")
    return kept_html(key, lambda: tuple(published_papers(consultation.id, which)))


@bp.app_template_global()
def paper_url(consultation: Consultation, paper: PublicPaper) -> str:
    """The public download of a published paper."""
    return url_for(
        "public.download_paper",
        slug=consultation.slug,
        paper_id=paper.id,
        name=paper.file_name.removesuffix(".pdf"),
    )


@bp.app_template_filter()
def file_size(size: int) -> str:
    """A file's size as people read it: 820 KB, 2.4 MB."""
    if size < 1024 * 1024:
        return _("%(kb)s KB", kb=max(1, round(size / 1024)))
    return _("%(mb)s MB", mb=format_decimal(size / (1024 * 1024), format="#,##0.0"))
