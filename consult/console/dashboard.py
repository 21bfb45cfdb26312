"""The console's home: the consultations, then one consultation's figures at a glance."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import redirect, render_template, url_for

from ..extensions import db
from ..models import Comment, Consultation, Response, Section
from ..models.columns import current_language
from ..models.vocab import ModerationState, ResponseStatus
from ..public.routes import load_consultation
from ..reports.filters import local_day
from . import bp
from .representation import who_is_missing


def figures(consultation: Consultation) -> dict:
    """Every number on the dashboard, each from one GROUP BY query (days in the
    consultation's time zone)."""
    cid = consultation.id
    by_status = dict(
        db.session.execute(
            sa.select(Response.status, sa.func.count())
            .where(Response.consultation_id == cid)
            .group_by(Response.status)
        ).all()
    )
    submitted = (Response.consultation_id == cid, Response.status == ResponseStatus.SUBMITTED)
    by_type = dict(
        db.session.execute(
            sa.select(Response.stakeholder_type, sa.func.count())
            .where(*submitted)
            .group_by(Response.stakeholder_type)
        ).all()
    )
    day = local_day(Response.submitted_at, consultation.time_zone)
    by_day = [
        (date.fromisoformat(str(d)), n)
        for d, n in db.session.execute(
            sa.select(day, sa.func.count()).where(*submitted).group_by(day).order_by(day)
        ).all()
    ]
    pending = sa.func.sum(sa.case((Comment.moderation == ModerationState.PENDING, 1), else_=0))
    by_section = {
        section_id: (total, int(waiting or 0))
        for section_id, total, waiting in db.session.execute(
            sa.select(Comment.section_id, sa.func.count(), pending)
            .join(Comment.response)
            .where(*submitted)
            .group_by(Comment.section_id)
        ).all()
    }
    return {
        "by_status": {s: by_status.get(s, 0) for s in ResponseStatus},
        "by_type": _by_type(consultation, by_type),
        "by_day": by_day,
        "by_section": by_section,
        "comments": sum(total for total, _ in by_section.values()),
        "pending": sum(waiting for _, waiting in by_section.values()),
    }


def _by_type(consultation: Consultation, counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(code, label, responses) of each stakeholder type in the consultation's list, then of
    any code the list no longer holds (named by its code, so none goes uncounted)."""
    language = current_language()
    types = consultation.profile["stakeholder_type"]
    listed = (
        [(o.code, o.label(language), counts.get(o.code, 0)) for o in types.options] if types else []
    )
    known = {code for code, _, _ in listed}
    return listed + [(code, code, n) for code, n in sorted(counts.items()) if code not in known]


@bp.get("/", defaults={"slug": None})
@bp.get("/c/<slug>/")
def show_dashboard(slug: str | None):
    """Figures for one consultation; each links to the list behind it."""
    if slug is None:
        consultations = db.session.scalars(
            sa.select(Consultation).order_by(Consultation.opens_at.desc())
        ).all()
        if len(consultations) == 1:
            return redirect(url_for("console.show_dashboard", slug=consultations[0].slug))
        return render_template("console/index.html", consultations=consultations)
    consultation = load_consultation(slug)
    sections: list[Section] = consultation.sections
    return render_template(
        "console/dashboard.html",
        consultation=consultation,
        figures=figures(consultation),
        sections=sections,
        # While it is open, coordinators can still reach the regions that are missing.
        missing=who_is_missing(consultation) if consultation.is_open else None,
    )
