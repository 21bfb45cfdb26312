"""The coordinators' report page, and the switch that publishes its public summary.

A view reads the filters, computes the report (``frames.build_report``) and prints it
through ``tables.report_page``, which the public results page shares.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..extensions import db
from ..models import Consultation, User
from ..models.columns import current_language
from ..models.profile import Profile
from ..models.vocab import Channel, ModerationState
from ..public.results import forget_results
from ..public.routes import load_consultation
from ..reviewing import audit
from .blueprint import bp
from .filters import ReportFilters, filters_from_args
from .frames import build_report
from .grouping import GROUPS_KEY, breakdowns, field_name
from .tables import report_page

#: Published comments quoted per section on the page (the downloads carry more).
QUOTES_ON_PAGE = 5
DOWNLOADS = ("csv", "xlsx", "json", "pdf")


def filter_query(filters: ReportFilters) -> dict[str, Any]:
    """The filters as query-string values, for links that keep them."""
    query: dict[str, Any] = {
        "stakeholder_type": list(filters.stakeholder_types),
        "region": list(filters.regions),
        "date_from": filters.date_from.isoformat() if filters.date_from else None,
        "date_to": filters.date_to.isoformat() if filters.date_to else None,
        "moderation": filters.moderation.value if filters.moderation else None,
        "include_flagged": "1" if filters.include_flagged else None,
        "channel": list(filters.channels),
        "by": filters.by if filters.by != GROUPS_KEY else None,
    }
    return {k: v for k, v in query.items() if v}


def download_links(slug: str, filters: ReportFilters) -> list[dict[str, str]]:
    """Links to the downloads that exist, for both audiences, keeping the filters."""
    links = []
    for fmt in DOWNLOADS:
        endpoint = f"console.reports.download_{fmt}"
        if endpoint not in current_app.view_functions:
            continue
        for audience in ("open", "confidential"):
            url = url_for(endpoint, slug=slug, audience=audience, **filter_query(filters))
            links.append({"format": fmt.upper(), "audience": audience, "url": url})
    return links


# ---------------------------------------------------------------- routes


def profile_choices(profile: Profile) -> dict[str, list[tuple[str, str]]]:
    """The report form's lists, from the consultation's profile: types, regions (none if
    it asks no region) and what results can be broken down by."""
    language = current_language()

    def options(key: str) -> list[tuple[str, str]]:
        found = profile[key]
        return found.choices(language) if found else []

    return {
        "stakeholder_type": options("stakeholder_type"),
        "region": options("region"),
        "by": [(key, field_name(profile, key, language)) for key in breakdowns(profile)],
    }


@bp.get("/")
def show_report(slug: str):
    """The full report for coordinators, for the filters and breakdown in the query string
    (an unknown one is named on the page and left out)."""
    consultation = load_consultation(slug)
    filters = filters_from_args(request.args, consultation)
    report = build_report(consultation, filters, quotes_per_section=QUOTES_ON_PAGE)
    return render_template(
        "reports/report.html",
        consultation=consultation,
        report=report,
        page=report_page(report, consultation),
        filters=filters,
        summary=filters.describe(consultation.profile),
        filtered=replace(filters, by=GROUPS_KEY) != ReportFilters(),
        downloads=download_links(slug, filters),
        form=FlaskForm(),
        quotes_on_page=QUOTES_ON_PAGE,
        choices={
            **profile_choices(consultation.profile),
            "moderation": ModerationState.choices(),
            "channel": Channel.choices(),
        },
    )


def set_summary_published(consultation: Consultation, published: bool, actor: User) -> bool:
    """Publish or withdraw the public results page, audited in the same commit.

    Returns False (and writes nothing) when it already was as asked.
    """
    if consultation.summary_published is published:
        return False
    consultation.summary_published = published
    action = "report.publish" if published else "report.unpublish"
    audit.record(
        actor,
        action,
        "consultation",
        consultation.id,
        before={"summary_published": not published},
        after={"summary_published": published},
    )
    db.session.commit()
    return True


@bp.post("/publish")
def publish_summary(slug: str):
    """Publish or unpublish the public summary (CSRF checked for every POST)."""
    consultation = load_consultation(slug)
    choice = request.form.get("published")
    if choice not in ("1", "0"):
        abort(400)
    changed = set_summary_published(consultation, choice == "1", current_user)
    forget_results(consultation)
    if not changed:
        flash(_("Nothing was changed"), "info")
    elif choice == "1":
        flash(_("The public summary of the results is published."), "success")
    else:
        flash(_("The public summary of the results is no longer published."), "success")
    return redirect(url_for("console.reports.show_report", slug=slug))
