"""Comments: the moderation list with bulk actions, and one comment's review page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import contains_eager, selectinload

from .. import reviewing
from ..extensions import db
from ..models import AuditEntry, Comment, Consultation, Response, Section, Theme
from ..models.vocab import Decision, ModerationState, RejectionReason
from ..outcome import decisions
from ..public.routes import load_consultation
from ..reports import stance
from ..web.converters import ids_from
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
from .passages import proposal_context

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
        selectinload(Comment.suggested_themes),
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
        stances=stance.stances(consultation, page.items),
        stance_rows=stance.stance_rows(consultation, filters.comments(consultation)),
        stance_kinds=list(stance.Stance),
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
            filters.comments(consultation).options(
                selectinload(Comment.themes), selectinload(Comment.suggested_themes)
            )
        ).all()
    else:
        ids = ids_from(request.form.getlist("ids"))
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
            .options(selectinload(Comment.themes), selectinload(Comment.suggested_themes))
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
        stance=stance.stances(consultation, [comment])[comment.id],
        applied=[] if comment.decision else decisions.applied_decisions([comment])[comment.id],
        **proposal_context(consultation, comment),
    )


class _Refused(Exception):
    """An action on one comment that changed nothing; the message is the notice shown."""


def _nothing_changed(form: FlaskForm) -> str:
    return _("Nothing was changed: %(why)s", why=first_error(form))


def _comment_action(
    form_class: type[FlaskForm], invalid: Callable[[FlaskForm], str] = _nothing_changed
):
    """Make a view of one action on a comment from a function that does only the action.

    The view loads the comment, validates the form (``invalid`` words the notice when it
    does not validate), calls the action, which returns the notice of success or raises
    ``_Refused``, and goes back to the comment's page.
    """

    def decorate(act: Callable[[Consultation, Comment, Any], str]):
        @functools.wraps(act)
        def view(slug: str, comment_id: int):
            consultation = load_consultation(slug)
            comment = _load_comment(consultation, comment_id)
            form = form_class()
            try:
                if not form.validate_on_submit():
                    raise _Refused(invalid(form))
                flash(act(consultation, comment, form), "success")
            except _Refused as refused:
                flash(str(refused), "error")
            return redirect(url_for("console.show_comment", slug=slug, comment_id=comment.id))

        return view

    return decorate


@bp.post("/c/<slug>/comments/<int:comment_id>/moderate")
@_comment_action(ModerateForm)
def moderate_comment(_consultation: Consultation, comment: Comment, form: ModerateForm) -> str:
    try:
        state = ModerationState(form.state.data)
        reviewing.moderate([comment], state, current_user, form.reason.data or None)
    except (reviewing.ReviewError, ValueError):
        raise _Refused(_("Nothing was changed: choose why the comment is not published.")) from None
    return _("Moderation saved.")


@bp.post("/c/<slug>/comments/<int:comment_id>/redact")
@_comment_action(RedactForm)
def redact_comment(_consultation: Consultation, comment: Comment, form: RedactForm) -> str:
    reviewing.redact(comment, form.redacted_text.data or "", current_user)
    return _("Redaction saved.")


@bp.post("/c/<slug>/comments/<int:comment_id>/decide")
@_comment_action(DecisionForm)
def decide_comment(_consultation: Consultation, comment: Comment, form: DecisionForm) -> str:
    try:
        decision = Decision(form.decision.data) if form.decision.data else None
        reviewing.decide(comment, decision, form.reason.data or "", current_user)
    except reviewing.ReviewError:
        raise _Refused(_("Nothing was changed: a decision needs a short public reason.")) from None
    return _("Decision saved.")


def _choose_a_theme(_form: FlaskForm | None = None) -> str:
    return _("Nothing was changed: choose a theme.")


@bp.post("/c/<slug>/comments/<int:comment_id>/themes")
@_comment_action(TagForm, invalid=_choose_a_theme)
def tag_comment(consultation: Consultation, comment: Comment, form: TagForm) -> str:
    theme = next((t for t in themes_of(consultation) if str(t.id) == form.theme.data), None)
    if theme is None:
        raise _Refused(_choose_a_theme())
    reviewing.tag([comment], theme, current_user, add=not form.remove.data)
    return _("Themes saved.")


@bp.post("/c/<slug>/comments/<int:comment_id>/notes")
@_comment_action(
    NoteForm, invalid=lambda form: _("The note was not saved: %(why)s", why=first_error(form))
)
def add_comment_note(_consultation: Consultation, comment: Comment, form: NoteForm) -> str:
    reviewing.add_note(current_user, form.text.data, comment=comment)
    return _("Note added.")
