"""Which responses a report counts, and the SQL that selects them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from ..extensions import db
from ..models import Comment, Consultation, Response
from ..models.vocab import (
    ModerationState,
    Region,
    RejectionReason,
    ResponseStatus,
    StakeholderType,
)

#: Comments refused for these reasons mark their whole response as not counted by default.
FLAGGED = (RejectionReason.SPAM, RejectionReason.DUPLICATE)


@dataclass(frozen=True)
class ReportFilters:
    """The choices that narrow a report; printed on every output."""

    stakeholder_types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    #: Comments in this moderation state only (None: every state).
    moderation: ModerationState | None = None
    #: Count responses whose comments coordinators refused as spam or duplicate.
    include_flagged: bool = False
    notes: list[str] = field(default_factory=list, compare=False)

    def codes(self) -> dict[str, Any]:
        """The filters as stored codes, for machine-readable outputs (None: not narrowed)."""
        return {
            "stakeholder_types": list(self.stakeholder_types),
            "regions": list(self.regions),
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "moderation": self.moderation.value if self.moderation else None,
            "include_flagged": self.include_flagged,
        }

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, in the current language, for the header of every output."""
        anything = _("All")
        return [
            (
                _("Stakeholder types"),
                ", ".join(StakeholderType(t).label for t in self.stakeholder_types) or anything,
            ),
            (_("Regions"), ", ".join(Region(r).label for r in self.regions) or anything),
            (_("Submitted from"), format_date(self.date_from) if self.date_from else _("Any")),
            (_("Submitted until"), format_date(self.date_to) if self.date_to else _("Any")),
            (
                _("Comments in moderation state"),
                self.moderation.label if self.moderation else _("Any"),
            ),
            (
                _("Responses with comments flagged as spam or duplicates"),
                _("Counted") if self.include_flagged else _("Left out"),
            ),
        ]


def filters_from_args(args, consultation: Consultation) -> ReportFilters:
    """Read report filters from a query string; unknown values are noted and ignored."""
    notes: list[str] = []
    known_types = {t.value for t in StakeholderType}
    known_regions = {r.value for r in Region}
    types = tuple(v for v in args.getlist("stakeholder_type") if v in known_types)
    regions = tuple(v for v in args.getlist("region") if v in known_regions)
    if len(types) != len([v for v in args.getlist("stakeholder_type") if v]):
        notes.append("stakeholder_type")
    if len(regions) != len([v for v in args.getlist("region") if v]):
        notes.append("region")
    days = {}
    for name in ("date_from", "date_to"):
        raw = args.get(name) or ""
        try:
            days[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            notes.append(name)
            days[name] = None
    moderation = args.get("moderation") or None
    if moderation not in (None, *[m.value for m in ModerationState]):
        notes.append("moderation")
        moderation = None
    return ReportFilters(
        stakeholder_types=types,
        regions=regions,
        moderation=ModerationState(moderation) if moderation else None,
        include_flagged=args.get("include_flagged") in ("1", "on", "yes", "true"),
        notes=notes,
        **days,
    )


def _utc(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def counted_responses(consultation: Consultation, filters: ReportFilters) -> sa.Select:
    """``SELECT id, stakeholder_type`` of the submitted responses the report counts."""
    conditions = [
        Response.consultation_id == consultation.id,
        Response.status == ResponseStatus.SUBMITTED,
    ]
    if filters.stakeholder_types:
        conditions.append(Response.stakeholder_type.in_(filters.stakeholder_types))
    if filters.regions:
        conditions.append(Response.region.in_(filters.regions))
    if filters.date_from:
        conditions.append(Response.submitted_at >= _utc(filters.date_from))
    if filters.date_to and filters.date_to < date.max:
        conditions.append(Response.submitted_at < _utc(filters.date_to + timedelta(days=1)))
    if not filters.include_flagged:
        conditions.append(_not_flagged())
    return sa.select(Response.id, Response.stakeholder_type).where(*conditions)


def _not_flagged() -> sa.ColumnElement[bool]:
    """The response has no comment refused as spam or duplicate.

    Both forms read ix_comment_rejection_reason. SQLite runs a NOT IN list once into a
    temporary index and probes it per row, where a correlated NOT EXISTS costs two index
    searches per response and every report query pays them again; PostgreSQL plans
    NOT EXISTS as an anti-join whatever the number of flagged responses, where NOT IN
    stays fast only while the list fits in work_mem. ``Comment.response_id`` is never
    NULL, so the two forms select the same responses.
    """
    flagged = Comment.rejection_reason.in_(FLAGGED)
    if db.engine.dialect.name == "sqlite":
        return Response.id.not_in(sa.select(Comment.response_id).where(flagged))
    return ~sa.exists().where(Comment.response_id == Response.id, flagged)


def local_day(column: sa.ColumnElement) -> sa.ColumnElement:
    """The calendar day of a stored UTC time, in the consultation's time zone, in SQL."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    hours = int(datetime.now(UTC).astimezone(zone).utcoffset().total_seconds() // 3600)
    if db.engine.dialect.name == "sqlite":
        return sa.func.date(column, f"{hours:+d} hours")
    return sa.cast(column + sa.text(f"interval '{hours} hours'"), sa.Date)
