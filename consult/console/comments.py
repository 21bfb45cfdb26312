"""Comments: the moderation list with bulk actions, and one comment's review page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import contains_eager, selectinload

from .. import reviewing
from ..extensions import db
from ..models import AuditEntry, Comment, Consultation, Response, Section, Theme
from ..models.vocab import Decision, ModerationState, RejectionReason
from ..public.routes import load_consultation
from ..web.paging import page_number, paginate
from . import bp
from .filters import Filters, themes_of
from .forms import (
    BulkForm,
    DecisionForm,
    ModerateForm,
    NoteForm,
    RedactForm,
    TagForm,
    first_error,
    theme_choices,
)

#: Bulk actions, as moderation states.
_STATES = {
    "publish": ModerationState.PUBLISHED,
    "reject": ModerationState.REJECTED,
    "pending": ModerationState.PENDING,
}


@bp.get("/c/<slug>/comments")
def list_comments(slug: str):
    """Comments matching the filters, with bulk moderation and tagging."""
    consultation = load_consultation(slug)
    filters = Filters.from_args(request.args, consultation)
    stmt = filters.comments(consultation).options(
        contains_eager(Comment.response),
        contains_eager(Comment.section),
        selectinload(Comment.themes),
    )
    page = paginate(stmt, page_number(request.args.get("page")))
    themes = themes_of(consultation)
    bulk = BulkForm()
    bulk.bulk_theme.choices = theme_choices(themes)
    return render_template(
        "console/comments.html",
        consultation=consultation,
        filters=filters,
        themes=themes,
        page=page,
        bulk=bulk,
    )


@bp.post("/c/<slug>/comments/bulk")
def bulk_comments(slug: str):
    """Apply one action to the checked comments, or to every comment matching the filters."""
    consultation = load_consultation(slug)
    filters = Filters.from_args(request.form, consultation)
    themes = themes_of(consultation)
    form = BulkForm()
    form.bulk_theme.choices = theme_choices(themes)
    back = url_for("console.list_comments", slug=slug, **filters.args())
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(why)s", why=first_error(form)), "error")
        return redirect(back)
    if form.scope.data == "all":
        selection = db.session.scalars(
            filters.comments(consultation).options(selectinload(Comment.themes))
        ).all()
    else:
        ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
        selection = _comments_by_id(consultation, ids)
    if not selection:
        flash(_("Nothing was changed: no comment was selected."), "error")
        return redirect(back)
    try:
        changed = _apply(form, selection, themes)
    except reviewing.ReviewError as exc:
        flash(_("Nothing was changed: %(why)s", why=str(exc)), "error")
        return redirect(back)
    flash(_("%(n)d comment(s) changed.", n=changed), "success")
    return redirect(back)


def _apply(form: BulkForm, selection: list[Comment], themes: list[Theme]) -> int:
    action = form.action.data
    if action in _STATES:
        reason = form.reason.data or None
        if action == "reject" and reason not in {r.value for r in RejectionReason}:
            raise reviewing.ReviewError(_("choose why the comments are not published"))
        return reviewing.moderate(selection, _STATES[action], current_user, reason)
    theme = next((t for t in themes if str(t.id) == form.bulk_theme.data), None)
    if theme is None:
        raise reviewing.ReviewError(_("choose a theme"))
    return reviewing.tag(selection, theme, current_user, add=action == "tag")


def _comments_by_id(consultation: Consultation, ids: list[int]) -> list[Comment]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Comment)
            .join(Comment.response)
            .where(Comment.id.in_(ids[:1000]), Response.consultation_id == consultation.id)
            .options(selectinload(Comment.themes))
        )
    )


def _load_comment(consultation: Consultation, comment_id: int) -> Comment:
    comment = db.session.scalar(
        sa.select(Comment)
        .join(Comment.response)
        .join(Comment.section)
        .where(Comment.id == comment_id, Section.consultation_id == consultation.id)
        .options(
            contains_eager(Comment.response),
            contains_eager(Comment.section),
            selectinload(Comment.themes),
            selectinload(Comment.notes),
        )
    )
    if comment is None:
        abort(404)
    return comment


@bp.get("/c/<slug>/comments/<int:comment_id>")
def show_comment(slug: str, comment_id: int):
    """One comment: the original and any redaction, moderation, decision, themes, notes."""
    consultation = load_consultation(slug)
    comment = _load_comment(consultation, comment_id)
    themes = themes_of(consultation)
    tag_form = TagForm()
    tag_form.theme.choices = theme_choices([t for t in themes if t not in comment.themes])
    moderate_form = ModerateForm(
        data={"state": comment.moderation.value, "reason": comment.rejection_reason or ""}
    )
    decision_form = DecisionForm(
        data={"decision": comment.decision or "", "reason": comment.decision_reason or ""}
    )
    history = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "comment", AuditEntry.object_id == comment.id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return render_template(
        "console/comment.html",
        consultation=consultation,
        comment=comment,
        moderate_form=moderate_form,
        redact_form=RedactForm(data={"redacted_text": comment.redacted_text or ""}),
        decision_form=decision_form,
        tag_form=tag_form,
        note_form=NoteForm(),
        history=history,
    )


def _back(slug: str, comment: Comment):
    return redirect(url_for("console.show_comment", slug=slug, comment_id=comment.id))


@bp.post("/c/<slug>/comments/<int:comment_id>/moderate")
def moderate_comment(slug: str, comment_id: int):
    consultation = load_consultation(slug)
    comment = _load_comment(consultation, comment_id)
    form = ModerateForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(why)s", why=first_error(form)), "error")
        return _back(slug, comment)
    reason = form.reason.data or None
    try:
        reviewing.moderate([comment], ModerationState(form.state.data), current_user, reason)
    except (reviewing.ReviewError, ValueError):
        flash(_("Nothing was changed: choose why the comment is not published."), "error")
        return _back(slug, comment)
    flash(_("Moderation saved."), "success")
    return _back(slug, comment)


@bp.post("/c/<slug>/comments/<int:comment_id>/redact")
def redact_comment(slug: str, comment_id: int):
    consultation = load_consultation(slug)
    comment = _load_comment(consultation, comment_id)
    form = RedactForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(why)s", why=first_error(form)), "error")
        return _back(slug, comment)
    reviewing.redact(comment, form.redacted_text.data or "", current_user)
    flash(_("Redaction saved."), "success")
    return _back(slug, comment)


@bp.post("/c/<slug>/comments/<int:comment_id>/decide")
def decide_comment(slug: str, comment_id: int):
    consultation = load_consultation(slug)
    comment = _load_comment(consultation, comment_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(why)s", why=first_error(form)), "error")
        return _back(slug, comment)
    try:
        decision = Decision(form.decision.data) if form.decision.data else None
        reviewing.decide(comment, decision, form.reason.data or "", current_user)
    except reviewing.ReviewError:
        flash(_("Nothing was changed: a decision needs a short public reason."), "error")
        return _back(slug, comment)
    flash(_("Decision saved."), "success")
    return _back(slug, comment)


@bp.post("/c/<slug>/comments/<int:comment_id>/themes")
def tag_comment(slug: str, comment_id: int):
    consultation = load_consultation(slug)
    comment = _load_comment(consultation, comment_id)
    form = TagForm()
    theme = next((t for t in themes_of(consultation) if str(t.id) == form.theme.data), None)
    if not form.validate_on_submit() or theme is None:
        flash(_("Nothing was changed: choose a theme."), "error")
        return _back(slug, comment)
    reviewing.tag([comment], theme, current_user, add=not form.remove.data)
    flash(_("Themes saved."), "success")
    return _back(slug, comment)


@bp.post("/c/<slug>/comments/<int:comment_id>/notes")
def add_comment_note(slug: str, comment_id: int):
    consultation = load_consultation(slug)
    comment = _load_comment(consultation, comment_id)
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_("The note was not saved: %(why)s", why=first_error(form)), "error")
    else:
        reviewing.add_note(current_user, form.text.data, comment=comment)
        flash(_("Note added."), "success")
    return _back(slug, comment)
