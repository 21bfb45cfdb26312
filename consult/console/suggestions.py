"""Suggested themes in the console: per section and per open question, what a run found
(label, top terms, size, stakeholder mix, quotes), with forms to accept, rename, merge,
split or reject each one; and a theme's suggested tags, to confirm one by one or all."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..extensions import db
from ..models import (
    Answer,
    Comment,
    Consultation,
    SuggestionMember,
    Theme,
    ThemeSuggestion,
)
from ..models.vocab import Verdict
from ..public.forms import options
from ..public.routes import load_consultation
from ..reviewing import ReviewError
from ..systematising import suggestions as operations
from ..systematising.themes import stakeholder_mix
from . import bp
from .forms import first_error


class AcceptForm(FlaskForm):
    label = StringField(_l("Name of the new theme"), validators=[DataRequired(), Length(max=120)])


class RenameForm(FlaskForm):
    label = StringField(_l("New label"), validators=[DataRequired(), Length(max=120)])


class MergeSuggestionForm(FlaskForm):
    other = SelectField(_l("Merge with"), choices=[], validate_choice=False)


class ActionForm(FlaskForm):
    """Split, reject, confirm all: a button and its CSRF token."""


class TagForm(FlaskForm):
    """One suggested tag: a comment's or an open answer's."""

    comment = IntegerField(validators=[Optional()])
    answer = IntegerField(validators=[Optional()])


def _suggestion(consultation: Consultation, suggestion_id: int) -> ThemeSuggestion:
    """The suggestion a form was about; gone (a newer run replaced the undecided ones, or
    it was merged or split), the page of suggestions says so."""
    suggestion = db.session.get(ThemeSuggestion, suggestion_id)
    if suggestion is None or suggestion.consultation_id != consultation.id:
        flash(
            _("That suggestion no longer exists: a newer run, a merge or a split replaced it."),
            "error",
        )
        abort(redirect(url_for("console.list_suggestions", slug=consultation.slug)))
    return suggestion


def _theme(consultation: Consultation, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.consultation_id != consultation.id:
        abort(404)
    return theme


def _quotes(ids: list[int]) -> dict[int, list[str]]:
    """The quotes of each suggestion (the redacted text where there is one), in two queries."""
    quotes: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return quotes
    comment_text = sa.func.coalesce(Comment.redacted_text, Comment.text)
    for source, column, text in (
        (Comment, SuggestionMember.comment_id, comment_text),
        (Answer, SuggestionMember.answer_id, Answer.value),
    ):
        rows = db.session.execute(
            sa.select(SuggestionMember.suggestion_id, text)
            .join(source, source.id == column)
            .where(SuggestionMember.suggestion_id.in_(ids), SuggestionMember.quote)
            .order_by(SuggestionMember.suggestion_id, SuggestionMember.weight.desc())
        )
        for suggestion_id, quote in rows:
            quotes[suggestion_id].append(quote or "")
    return quotes


def _groups(consultation: Consultation) -> list[dict]:
    """The suggestions per section (in reading order), then per open question."""
    suggestions = list(
        db.session.scalars(
            sa.select(ThemeSuggestion)
            .where(ThemeSuggestion.consultation_id == consultation.id)
            .order_by(ThemeSuggestion.size.desc(), ThemeSuggestion.id)
        )
    )
    by_scope: dict[tuple[str, int], list[ThemeSuggestion]] = defaultdict(list)
    for suggestion in suggestions:
        by_scope[operations.scope_of(suggestion)].append(suggestion)
    groups = []
    for section in sorted(consultation.sections, key=lambda s: s.position):
        if ("section", section.id) in by_scope:
            title = _("Section %(number)s: %(title)s", number=section.number, title=section.title)
            groups.append({"title": title, "suggestions": by_scope["section", section.id]})
    for question in sorted(consultation.questions, key=lambda q: (q.section_id or 0, q.position)):
        if ("question", question.id) in by_scope:
            title = _("Question: %(prompt)s", prompt=question.prompt)
            groups.append({"title": title, "suggestions": by_scope["question", question.id]})
    return groups


def _merge_form(suggestion: ThemeSuggestion, group: list[ThemeSuggestion]) -> MergeSuggestionForm:
    form = MergeSuggestionForm(prefix=f"m{suggestion.id}")
    form.other.choices = options(
        [("", _l("Choose a suggestion"))]
        + [
            (str(other.id), other.label)
            for other in group
            if other.id != suggestion.id and other.verdict is Verdict.SUGGESTED
        ]
    )
    return form


@bp.get("/c/<slug>/insight/themes/")
def list_suggestions(slug: str):
    """The suggested themes, per section and per open question, with what to do with each."""
    consultation = load_consultation(slug)
    groups = _groups(consultation)
    ids = [s.id for g in groups for s in g["suggestions"]]
    forms = {}
    for group in groups:
        for suggestion in group["suggestions"]:
            accept = AcceptForm(prefix=f"a{suggestion.id}", label=suggestion.label)
            rename = RenameForm(prefix=f"r{suggestion.id}", label=suggestion.label)
            forms[suggestion.id] = {
                "accept": accept,
                "rename": rename,
                "merge": _merge_form(suggestion, group["suggestions"]),
            }
    return render_template(
        "console/insight/suggestions.html",
        consultation=consultation,
        groups=groups,
        forms=forms,
        action_form=ActionForm(),
        mix=stakeholder_mix(ids),
        quotes=_quotes(ids),
    )


def _back(slug: str, suggestion_id: int | None = None):
    anchor = f"suggestion-{suggestion_id}" if suggestion_id else None
    return redirect(url_for("console.list_suggestions", slug=slug, _anchor=anchor))


def _refused(why: str) -> None:
    flash(_("Nothing was changed: %(why)s", why=why), "error")


@bp.post("/c/<slug>/insight/themes/<int:suggestion_id>/accept")
def accept_suggestion(slug: str, suggestion_id: int):
    """Make a suggestion a theme (with the label given); its comments are tagged as suggested."""
    consultation = load_consultation(slug)
    suggestion = _suggestion(consultation, suggestion_id)
    form = AcceptForm(prefix=f"a{suggestion.id}")
    try:
        if not form.validate_on_submit():
            raise ReviewError(first_error(form))
        theme = operations.accept(suggestion, current_user, form.label.data)
    except ReviewError as exc:
        _refused(str(exc))
        return _back(slug, suggestion_id)
    flash(
        _(
            "Theme “%(name)s” created. Its comments are tagged as suggested: confirm them.",
            name=theme.name,
        ),
        "success",
    )
    return redirect(url_for("console.list_suggested_tags", slug=slug, theme_id=theme.id))


@bp.post("/c/<slug>/insight/themes/<int:suggestion_id>/rename")
def rename_suggestion(slug: str, suggestion_id: int):
    consultation = load_consultation(slug)
    suggestion = _suggestion(consultation, suggestion_id)
    form = RenameForm(prefix=f"r{suggestion.id}")
    try:
        if not form.validate_on_submit():
            raise ReviewError(first_error(form))
        operations.rename(suggestion, form.label.data, current_user)
    except ReviewError as exc:
        _refused(str(exc))
    else:
        flash(_("Suggestion renamed."), "success")
    return _back(slug, suggestion_id)


@bp.post("/c/<slug>/insight/themes/<int:suggestion_id>/merge")
def merge_suggestion(slug: str, suggestion_id: int):
    """Merge another suggestion of the same section or question into this one."""
    consultation = load_consultation(slug)
    suggestion = _suggestion(consultation, suggestion_id)
    form = MergeSuggestionForm(prefix=f"m{suggestion.id}")
    other_id = form.other.data if form.validate_on_submit() else None
    other = db.session.get(ThemeSuggestion, int(other_id)) if (other_id or "").isdigit() else None
    if other is None or other.consultation_id != consultation.id:
        _refused(_("choose another suggestion of the same section or question"))
        return _back(slug, suggestion_id)
    try:
        operations.merge(suggestion, other, current_user)
    except ReviewError as exc:
        _refused(str(exc))
    else:
        flash(_("Suggestions merged."), "success")
    return _back(slug, suggestion_id)


@bp.post("/c/<slug>/insight/themes/<int:suggestion_id>/split")
def split_suggestion(slug: str, suggestion_id: int):
    """Split a suggestion in two."""
    consultation = load_consultation(slug)
    suggestion = _suggestion(consultation, suggestion_id)
    if not ActionForm().validate_on_submit():
        _refused(_("the form had expired"))
        return _back(slug, suggestion_id)
    try:
        made = operations.split(suggestion, current_user)
    except ReviewError as exc:
        _refused(str(exc))
        return _back(slug, suggestion_id)
    flash(_("Suggestion split in two."), "success")
    return _back(slug, made[0].id)


@bp.post("/c/<slug>/insight/themes/<int:suggestion_id>/reject")
def reject_suggestion(slug: str, suggestion_id: int):
    consultation = load_consultation(slug)
    suggestion = _suggestion(consultation, suggestion_id)
    if not ActionForm().validate_on_submit():
        _refused(_("the form had expired"))
        return _back(slug, suggestion_id)
    try:
        operations.reject(suggestion, current_user)
    except ReviewError as exc:
        _refused(str(exc))
    else:
        flash(_("Suggestion rejected: later runs will not suggest it again."), "success")
    return _back(slug, suggestion_id)


@bp.get("/c/<slug>/themes/<int:theme_id>/suggested")
def list_suggested_tags(slug: str, theme_id: int):
    """A theme's suggested tags: each comment or answer, to confirm or remove."""
    consultation = load_consultation(slug)
    theme = _theme(consultation, theme_id)
    return render_template(
        "console/insight/suggestions_tags.html",
        consultation=consultation,
        theme=theme,
        comments=operations.suggested_tags(theme),
        answers=operations.suggested_answers(theme),
        form=ActionForm(),
    )


def _tag_ids(form: TagForm) -> dict[str, list[int]]:
    return {
        "comment_ids": [form.comment.data] if form.comment.data else [],
        "answer_ids": [form.answer.data] if form.answer.data else [],
    }


@bp.post("/c/<slug>/themes/<int:theme_id>/suggested/confirm")
def confirm_suggested_tag(slug: str, theme_id: int):
    """Confirm one suggested tag (a comment's or an answer's)."""
    consultation = load_consultation(slug)
    theme = _theme(consultation, theme_id)
    form = TagForm()
    ids = _tag_ids(form) if form.validate_on_submit() else {}
    if not any(ids.values()) or not operations.confirm_tags(theme, current_user, **ids):
        _refused(_("that tag is not waiting for confirmation"))
    else:
        flash(_("Tag confirmed."), "success")
    return redirect(url_for("console.list_suggested_tags", slug=slug, theme_id=theme_id))


@bp.post("/c/<slug>/themes/<int:theme_id>/suggested/confirm-all")
def confirm_all_suggested_tags(slug: str, theme_id: int):
    """Confirm every suggested tag of a theme."""
    consultation = load_consultation(slug)
    theme = _theme(consultation, theme_id)
    if not ActionForm().validate_on_submit():
        _refused(_("the form had expired"))
    else:
        count = operations.confirm_tags(theme, current_user)
        flash(_("Tags confirmed: %(count)d.", count=count), "success")
    return redirect(url_for("console.list_suggested_tags", slug=slug, theme_id=theme_id))


@bp.post("/c/<slug>/themes/<int:theme_id>/suggested/remove")
def remove_suggested_tag(slug: str, theme_id: int):
    """Remove one suggested tag a person judged wrong."""
    consultation = load_consultation(slug)
    theme = _theme(consultation, theme_id)
    form = TagForm()
    ids = _tag_ids(form) if form.validate_on_submit() else {}
    if not any(ids.values()) or not operations.drop_tags(theme, current_user, **ids):
        _refused(_("that tag is not waiting for confirmation"))
    else:
        flash(_("Suggested tag removed."), "success")
    return redirect(url_for("console.list_suggested_tags", slug=slug, theme_id=theme_id))
