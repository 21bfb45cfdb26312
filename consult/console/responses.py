"""Responses: the filtered list, and one response in full with its history and notes."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from .. import reviewing
from ..extensions import db
from ..models import Answer, AuditEntry, Comment, Consultation, Response
from ..public.pages import profile_summary, review_rows
from ..public.routes import load_consultation
from ..web.paging import page_number, paginate
from . import bp
from .filters import SORTS, Filters, themes_of
from .forms import NoteForm, first_error


@bp.get("/c/<slug>/responses")
def list_responses(slug: str):
    """Responses matching the filters, a page at a time."""
    consultation = load_consultation(slug)
    filters = Filters.from_args(request.args, consultation)
    sort = request.args.get("sort", "newest")
    page = paginate(
        filters.responses(consultation, sort),
        page_number(request.args.get("page")),
        scalars=False,
    )
    threshold = current_app.config["ADDRESS_FLOOD_THRESHOLD"]
    hashes = {row[0].address_hash for row in page.items if row[0].address_hash}
    return render_template(
        "console/responses.html",
        consultation=consultation,
        filters=filters,
        themes=themes_of(consultation),
        page=page,
        sort=sort if sort in SORTS else "newest",
        sorts=SORTS,
        shared=shared_addresses(consultation, threshold),
        address_counts=responses_per_address(consultation, hashes),
        threshold=threshold,
    )


def shared_addresses(consultation: Consultation, threshold: int) -> list[tuple[str, int]]:
    """Address hashes behind at least ``threshold`` responses (any status), most first.

    A flood of scripted responses shows up here, as many responses from one address.
    """
    count = sa.func.count(Response.id)
    rows = db.session.execute(
        sa.select(Response.address_hash, count)
        .where(Response.consultation_id == consultation.id, Response.address_hash.is_not(None))
        .group_by(Response.address_hash)
        .having(count >= max(threshold, 2))
        .order_by(count.desc(), Response.address_hash)
        .limit(20)
    )
    return [(row[0], row[1]) for row in rows]


def responses_per_address(consultation: Consultation, hashes: Iterable[str]) -> dict[str, int]:
    """How many responses (any status) came from each of these address hashes."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(Response.address_hash, sa.func.count(Response.id))
        .where(Response.consultation_id == consultation.id, Response.address_hash.in_(wanted))
        .group_by(Response.address_hash)
    )
    return {row[0]: row[1] for row in rows}


def _load_response(consultation_id: int, response_id: int) -> Response:
    response = db.session.scalar(
        sa.select(Response)
        .where(Response.id == response_id, Response.consultation_id == consultation_id)
        .options(
            selectinload(Response.answers).selectinload(Answer.choices),
            selectinload(Response.answers).selectinload(Answer.question),
            selectinload(Response.comments).selectinload(Comment.themes),
            selectinload(Response.comments).selectinload(Comment.section),
            selectinload(Response.notes),
            selectinload(Response.gates),
        )
    )
    if response is None:
        abort(404)
    return response


def history(response: Response) -> list[AuditEntry]:
    """Every audited action on this response and on its comments, oldest first."""
    comment_ids = [c.id for c in response.comments]
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(
                sa.or_(
                    sa.and_(
                        AuditEntry.object_type == "response", AuditEntry.object_id == response.id
                    ),
                    sa.and_(
                        AuditEntry.object_type == "comment", AuditEntry.object_id.in_(comment_ids)
                    ),
                )
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


@bp.get("/c/<slug>/responses/<int:response_id>")
def show_response(slug: str, response_id: int):
    """A response in full: profile, every answer and comment, notes and history."""
    consultation = load_consultation(slug)
    response = _load_response(consultation.id, response_id)
    return render_template(
        "console/response.html",
        consultation=consultation,
        response=response,
        rows=review_rows(consultation, response),
        profile=profile_summary(consultation, response),
        history=history(response),
        note_form=NoteForm(),
        same_address=responses_per_address(
            consultation, [response.address_hash] if response.address_hash else []
        ).get(response.address_hash or "", 0),
    )


@bp.post("/c/<slug>/responses/<int:response_id>/notes")
def add_response_note(slug: str, response_id: int):
    consultation = load_consultation(slug)
    response = _load_response(consultation.id, response_id)
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_("The note was not saved: %(why)s", why=first_error(form)), "error")
    else:
        reviewing.add_note(current_user, form.text.data, response=response)
        flash(_("Note added."), "success")
    return redirect(url_for("console.show_response", slug=slug, response_id=response.id))
