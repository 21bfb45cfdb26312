"""Decisions on themes and sections (issue 16, part 2): each with a public reason in Spanish
and in English, made here and recorded by ``outcome.decisions``.

A theme's decision is made at /console/c/<slug>/themes/<id>/decision; the sections are
listed, with their comments and decisions, at /console/c/<slug>/outcome/sections.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional

from ..extensions import db
from ..models import Comment, Consultation, Response, Section, Theme
from ..models.outcome import OutcomeDecision
from ..models.vocab import Decision, ResponseStatus
from ..outcome import decisions
from ..public.forms import options, plain_text
from ..public.routes import load_consultation
from . import bp
from .themes import theme_counts

#: The longest public reason, in each language.
REASON_MAX = 1000


class OutcomeDecisionForm(FlaskForm):
    """A decision on a theme or a section, with its public reason in both languages."""

    decision = RadioField(
        _l("Decision"),
        choices=options([("", _l("No decision yet"))] + Decision.choices()),
        default="",
        validate_choice=False,  # an unknown code gets the operation's clear message
    )
    reason_es = TextAreaField(
        _l("Public reason in Spanish"),
        validators=[Optional(), Length(max=REASON_MAX), plain_text],
    )
    reason_en = TextAreaField(
        _l("Public reason in English"),
        validators=[Optional(), Length(max=REASON_MAX), plain_text],
    )

    @classmethod
    def of(cls, row: OutcomeDecision | None) -> OutcomeDecisionForm:
        """The form as the stored decision fills it (an empty one when there is none)."""
        if row is None:
            return cls(data={"decision": ""})
        return cls(
            data={
                "decision": row.decision.value,
                "reason_es": row.reason_es,
                "reason_en": row.reason_en,
            }
        )


def _decide(form: OutcomeDecisionForm, decide) -> bool | None:
    """Validate the form and call ``decide``; whether it changed anything, or None (with the
    errors on the form) when nothing was written."""
    if not form.validate_on_submit():
        return None
    try:
        return decide(
            form.decision.data or None, form.reason_es.data or "", form.reason_en.data or ""
        )
    except decisions.DecisionRefused as refused:
        field = getattr(form, refused.field, None) if refused.field else None
        if field is not None:
            field.errors = [*field.errors, str(refused)]
        else:
            form.form_errors.append(str(refused))
        return None


def _saved(changed: bool, decision: str | None) -> None:
    if not changed:
        flash(_("Nothing was changed: the decision was already so."), "info")
    elif decision:
        flash(_("Decision saved."), "success")
    else:
        flash(_("Decision removed."), "success")


def _refused() -> None:
    flash(_("Nothing was changed: please check the form."), "error")


# ---------------------------------------------------------------- themes


def _theme(consultation: Consultation, theme_id: int) -> Theme:
    theme = db.session.scalar(
        sa.select(Theme).where(Theme.id == theme_id, Theme.consultation_id == consultation.id)
    )
    if theme is None:
        abort(404)
    return theme


def _theme_page(consultation: Consultation, theme: Theme, form, status: int = 200):
    return (
        render_template(
            "console/theme_decision.html",
            consultation=consultation,
            theme=theme,
            form=form,
            decided=decisions.decision_on_theme(theme),
            comments=theme_counts(consultation).get(theme.id, 0),
        ),
        status,
    )


@bp.route("/c/<slug>/themes/<int:theme_id>/decision", methods=["GET", "POST"])
def theme_decision(slug: str, theme_id: int):
    """A theme's decision, which applies to its comments that have none of their own: the
    form, and (POST) the decision made.

    One rule for both methods: an id past the largest then answers 404 to either (two rules
    on one path made werkzeug answer a POST 405 when the id converter refused it)."""
    consultation = load_consultation(slug)
    theme = _theme(consultation, theme_id)
    if request.method == "GET":
        form = OutcomeDecisionForm.of(decisions.decision_on_theme(theme))
        return _theme_page(consultation, theme, form)
    form = OutcomeDecisionForm()
    changed = _decide(
        form, lambda *given: decisions.decide_theme(theme, *given, actor=current_user)
    )
    if changed is None:
        _refused()
        return _theme_page(consultation, theme, form, 400)
    _saved(changed, form.decision.data)
    return redirect(url_for("console.list_themes", slug=slug))


# ---------------------------------------------------------------- sections


def comments_by_section(consultation: Consultation) -> dict[int, int]:
    """Comments of submitted responses on each section, in one GROUP BY."""
    return dict(
        db.session.execute(
            sa.select(Comment.section_id, sa.func.count())
            .join(Response, Response.id == Comment.response_id)
            .where(
                Response.consultation_id == consultation.id,
                Response.status == ResponseStatus.SUBMITTED,
            )
            .group_by(Comment.section_id)
        ).all()
    )


@bp.get("/c/<slug>/outcome/sections")
def list_outcome_sections(slug: str):
    """Every section with the comments it received and its decision, if any."""
    consultation = load_consultation(slug)
    return render_template(
        "console/outcome_sections.html",
        consultation=consultation,
        sections=consultation.sections,
        counts=comments_by_section(consultation),
        decided=decisions.section_decisions(consultation.id),
    )


def _section(consultation: Consultation, key: str) -> Section:
    section = next((s for s in consultation.sections if s.key == key), None)
    if section is None:
        abort(404)
    return section


def _section_page(consultation: Consultation, section: Section, form, status: int = 200):
    return (
        render_template(
            "console/outcome_section.html",
            consultation=consultation,
            section=section,
            form=form,
            decided=decisions.decision_on_section(section),
            comments=comments_by_section(consultation).get(section.id, 0),
        ),
        status,
    )


@bp.route("/c/<slug>/outcome/sections/<key>", methods=["GET", "POST"])
def section_decision(slug: str, key: str):
    """A section's decision, which applies to its comments with no decision of their own
    nor of a theme: the form, and (POST) the decision made."""
    consultation = load_consultation(slug)
    section = _section(consultation, key)
    if request.method == "GET":
        form = OutcomeDecisionForm.of(decisions.decision_on_section(section))
        return _section_page(consultation, section, form)
    form = OutcomeDecisionForm()
    changed = _decide(
        form, lambda *given: decisions.decide_section(section, *given, actor=current_user)
    )
    if changed is None:
        _refused()
        return _section_page(consultation, section, form, 400)
    _saved(changed, form.decision.data)
    return redirect(url_for("console.list_outcome_sections", slug=slug))
