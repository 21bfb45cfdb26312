"""Position papers in the console: the consultation's list (filtered by state, searched in
title and text), each paper's download, and publishing (audited, one transaction).

Open to every coordinator, like responses and moderation (``console.editing`` gates only
changes to a consultation's content). The operations are ``papers``'s.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models.papers import PositionPaper
from ..papers import operations
from ..papers.reading import PaperState, consultation_paper, papers_query, safe_file_name
from ..public.papers import pdf_reply
from ..public.routes import load_consultation
from ..web.paging import page_number, paginate
from . import bp


def _paper(consultation_id: int, paper_id: int) -> PositionPaper:
    paper = consultation_paper(consultation_id, paper_id)
    if paper is None:
        abort(404)
    return paper


def _state(value: str | None) -> PaperState | None:
    try:
        return PaperState(value) if value else None
    except ValueError:
        return None


@bp.get("/c/<slug>/papers")
def list_papers(slug: str):
    """Every position paper of the consultation, filtered by state and searched."""
    consultation = load_consultation(slug)
    state = _state(request.args.get("state"))
    text = request.args.get("q", "")[:200]
    page = paginate(
        papers_query(consultation.id, state, text),
        page_number(request.args.get("page")),
        scalars=False,
    )
    return render_template(
        "console/papers.html",
        consultation=consultation,
        page=page,
        state=state,
        states=PaperState,
        text=text,
        sections={s.id: s for s in consultation.sections},
    )


@bp.get("/c/<slug>/papers/<int:paper_id>/download")
def download_paper(slug: str, paper_id: int):
    """The paper's file, checked against its SHA-256 first."""
    consultation = load_consultation(slug)
    paper = _paper(consultation.id, paper_id)
    try:
        data = operations.read_paper(paper)
    except operations.PaperDamaged:
        current_app.logger.error("Stored position paper %s is missing or altered", paper.id)
        flash(
            _(
                "The stored file of “%(title)s” is missing or does not match the file that"
                " was uploaded (its SHA-256 differs), so it is not served. Ask the"
                " administrator to restore it from a backup.",
                title=paper.title,
            ),
            "error",
        )
        return redirect(_back(slug, paper))
    return pdf_reply(data, safe_file_name(paper.file_name))


def _back(slug: str, paper: PositionPaper) -> str:
    if request.values.get("back") == "list":
        return url_for("console.list_papers", slug=slug)
    return url_for(
        "console.show_response", slug=slug, response_id=paper.response_id, _anchor="papers"
    )


@bp.post("/c/<slug>/papers/<int:paper_id>/publish")
def publish_paper(slug: str, paper_id: int):
    """Publish a paper its respondent allowed to publish."""
    consultation = load_consultation(slug)
    paper = _paper(consultation.id, paper_id)
    try:
        operations.publish_paper(current_user, paper)
    except operations.PublishRefused:
        flash(
            _(
                "This paper cannot be published: its respondent did not allow it, or the"
                " response is not submitted (a draft, or withdrawn)."
            ),
            "error",
        )
    else:
        flash(_("“%(title)s” is published.", title=paper.title), "success")
    return redirect(_back(slug, paper))


@bp.post("/c/<slug>/papers/<int:paper_id>/unpublish")
def unpublish_paper(slug: str, paper_id: int):
    """Take a paper off the public pages."""
    consultation = load_consultation(slug)
    paper = _paper(consultation.id, paper_id)
    operations.unpublish_paper(current_user, paper)
    flash(_("“%(title)s” is no longer published.", title=paper.title), "success")
    return redirect(_back(slug, paper))
