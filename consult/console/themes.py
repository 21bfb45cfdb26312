"""Themes: create, rename, merge and delete, with the number of comments in each."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import reviewing
from ..extensions import db
from ..models import Comment, Consultation, Response, Theme, comment_theme
from ..models.vocab import ResponseStatus
from ..outcome import decisions
from ..public.routes import load_consultation
from . import bp
from .filters import themes_of
from .forms import MergeForm, ThemeForm, first_error, theme_choices


def theme_counts(consultation: Consultation, *, suggested: bool = False) -> dict[int, int]:
    """Comments of submitted responses tagged with each theme, in one GROUP BY: the
    confirmed tags (counted as the comments list behind each figure's link counts them),
    or those a suggestion left, waiting for a person."""
    return dict(
        db.session.execute(
            sa.select(comment_theme.c.theme_id, sa.func.count())
            .join(Theme, Theme.id == comment_theme.c.theme_id)
            .join(Comment, Comment.id == comment_theme.c.comment_id)
            .join(Response, Response.id == Comment.response_id)
            .where(
                Theme.consultation_id == consultation.id,
                Response.status == ResponseStatus.SUBMITTED,
                comment_theme.c.suggested if suggested else ~comment_theme.c.suggested,
            )
            .group_by(comment_theme.c.theme_id)
        ).all()
    )


def _merge_form(themes: list[Theme]) -> MergeForm:
    form = MergeForm()
    form.source.choices = form.target.choices = theme_choices(themes)
    return form


@bp.get("/c/<slug>/themes")
def list_themes(slug: str):
    consultation = load_consultation(slug)
    themes = themes_of(consultation)
    return render_template(
        "console/themes.html",
        consultation=consultation,
        themes=themes,
        counts=theme_counts(consultation),
        waiting=theme_counts(consultation, suggested=True),
        decided=decisions.theme_decisions(consultation.id),
        create_form=ThemeForm(),
        merge_form=_merge_form(themes),
    )


def _back(slug: str):
    return redirect(url_for("console.list_themes", slug=slug))


def _theme(consultation: Consultation, theme_id: int | str | None) -> Theme:
    theme = next((t for t in themes_of(consultation) if str(t.id) == str(theme_id)), None)
    if theme is None:
        abort(404)
    return theme


@bp.post("/c/<slug>/themes")
def create_theme(slug: str):
    consultation = load_consultation(slug)
    form = ThemeForm()
    try:
        if not form.validate_on_submit():
            raise reviewing.ReviewError(first_error(form))
        theme = reviewing.create_theme(consultation, form.name.data, current_user)
    except reviewing.ReviewError as exc:
        flash(_("Nothing was changed: %(why)s", why=str(exc)), "error")
    else:
        flash(_("Theme “%(name)s” created.", name=theme.name), "success")
    return _back(slug)


@bp.post("/c/<slug>/themes/<int:theme_id>/rename")
def rename_theme(slug: str, theme_id: int):
    consultation = load_consultation(slug)
    theme = _theme(consultation, theme_id)
    form = ThemeForm()
    try:
        if not form.validate_on_submit():
            raise reviewing.ReviewError(first_error(form))
        reviewing.rename_theme(theme, form.name.data, current_user)
    except reviewing.ReviewError as exc:
        flash(_("Nothing was changed: %(why)s", why=str(exc)), "error")
    else:
        flash(_("Theme renamed."), "success")
    return _back(slug)


@bp.post("/c/<slug>/themes/merge")
def merge_themes(slug: str):
    consultation = load_consultation(slug)
    themes = themes_of(consultation)
    form = _merge_form(themes)
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(why)s", why=first_error(form)), "error")
        return _back(slug)
    source = next((t for t in themes if str(t.id) == form.source.data), None)
    target = next((t for t in themes if str(t.id) == form.target.data), None)
    if source is None or target is None or source.id == target.id:
        flash(_("Nothing was changed: choose two different themes."), "error")
        return _back(slug)
    names = {"source": source.name, "target": target.name}
    reviewing.merge_themes(source, target, current_user)
    flash(_("“%(source)s” was merged into “%(target)s”.", **names), "success")
    return _back(slug)


@bp.post("/c/<slug>/themes/<int:theme_id>/delete")
def delete_theme(slug: str, theme_id: int):
    """Delete a theme (CSRF is checked for every POST by CSRFProtect)."""
    consultation = load_consultation(slug)
    theme = _theme(consultation, theme_id)
    name = theme.name
    reviewing.delete_theme(theme, current_user)
    flash(_("Theme “%(name)s” deleted.", name=name), "success")
    return _back(slug)
