"""An administrator moves a consultation between its stages, under /console/admin/c/<slug>/stage.

Opening and closing follow the dates; preparation, analysis and the published outcome are
decided here (``outcome.stages.move``: the rules, the change and its audit entry).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..models.vocab import Stage
from ..outcome import stages
from ..public.routes import load_consultation
from . import admin_bp


class StageForm(FlaskForm):
    stage = SelectField(
        _l("Move it to"),
        choices=[SelectChoice(code, label) for code, label in Stage.choices()],
        validators=[InputRequired(_l("Please choose a stage from the list."))],
        validate_choice=False,  # an unknown code gets the clear message below, not WTForms'
    )


def _page(consultation, form: StageForm, status: int = 200):
    form.stage.choices = [SelectChoice(s.value, s.label) for s in stages.targets(consultation)]
    return (
        render_template(
            "console/admin/stage.html",
            consultation=consultation,
            form=form,
            shown=stages.shown(consultation),
            next_step=stages.next_step(consultation),
        ),
        status,
    )


@admin_bp.get("/c/<slug>/stage")
def show_stage(slug: str):
    """The consultation's stage, what happens next, and the moves allowed from here."""
    return _page(load_consultation(slug), StageForm())


@admin_bp.post("/c/<slug>/stage")
def move_stage(slug: str):
    consultation = load_consultation(slug)
    form = StageForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: please choose a stage from the list."), "error")
        return _page(consultation, form, 400)
    try:
        to = Stage(form.stage.data)
    except ValueError:
        flash(_("Nothing was changed: please choose a stage from the list."), "error")
        return _page(consultation, form, 400)
    try:
        stages.move(consultation, to, current_user)
    except stages.StageRefused as refused:
        flash(_("Nothing was changed: %(why)s", why=str(refused)), "error")
        return redirect(url_for("console.admin.show_stage", slug=slug))
    flash(_("The consultation is now “%(stage)s”.", stage=to.label), "success")
    return redirect(url_for("console.admin.show_stage", slug=slug))
