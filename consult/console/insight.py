"""Insight: the runs of the analyses (start one, see its progress) and the pages of what
they suggest (copies, themes, opinion groups, who is missing)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from ..public.forms import options
from ..public.routes import load_consultation
from ..systematising import runs
from . import bp

#: The insight pages, in the order of the sub-navigation (each module adds its own route).
PAGES = (
    ("console.list_campaigns", _l("Copies and campaigns")),
    ("console.list_suggestions", _l("Suggested themes")),
    ("console.show_opinion_groups", _l("Opinion groups")),
    ("console.show_representation", _l("Who is missing")),
)


#: What a run's record holds, in words: its parts, what they found, its settings.
LABELS = {
    "parts": {
        "copies": _l("Copies and campaigns"),
        "themes": _l("Suggested themes"),
        "groups": _l("Opinion groups"),
    },
    "counts": {
        "clusters": _l("clusters of copies"),
        "copies": _l("copies in them"),
        "suggestions": _l("suggested themes"),
        "suggestions_decided_before": _l("decided before, kept"),
        "groups": _l("opinion groups"),
        "grouped_respondents": _l("respondents in a group"),
    },
    "settings": {
        "copy_threshold": _l("similarity of near copies"),
        "template_share": _l("shared passage of a template"),
        "max_themes": _l("themes per section at most"),
        "max_groups": _l("opinion groups at most"),
    },
}


def _part_choices() -> list:
    return options(
        [
            ("all", _l("Everything")),
            ("copies", _l("Copies and campaigns only")),
            ("themes", _l("Suggested themes only")),
            ("groups", _l("Opinion groups only")),
        ]
    )


class RunForm(FlaskForm):
    parts = SelectField(_l("What to analyse"), choices=_part_choices(), default="all")


@bp.context_processor
def insight_pages() -> dict:
    """The insight sub-navigation: the pages this build has."""
    return {
        "insight_pages": [
            (endpoint, label) for endpoint, label in PAGES if endpoint in current_app.view_functions
        ]
    }


@bp.get("/c/<slug>/insight/")
def show_insight(slug: str):
    consultation = load_consultation(slug)
    return render_template(
        "console/insight/index.html",
        consultation=consultation,
        running=runs.current_run(consultation),
        history=runs.latest_runs(consultation),
        form=RunForm(),
        labels=LABELS,
    )


@bp.post("/c/<slug>/insight/runs")
def start_insight_run(slug: str):
    """Start a run on a thread of this process; the page shows how far it has gone."""
    consultation = load_consultation(slug)
    form = RunForm()
    if not form.validate_on_submit():
        flash(_("Nothing was started: choose what to analyse."), "error")
        return redirect(url_for("console.show_insight", slug=slug))
    parts = runs.PARTS if form.parts.data == "all" else (form.parts.data,)
    try:
        run = runs.start_run(consultation, parts, current_user)
    except runs.RunRefused:
        flash(
            _("An analysis of this consultation is already running: wait for it to end."), "error"
        )
        return redirect(url_for("console.show_insight", slug=slug))
    runs.run_in_background(current_app._get_current_object(), run.id)
    flash(_("The analysis has started. This page shows how far it has gone."), "success")
    return redirect(url_for("console.show_insight", slug=slug))
