"""Which responses a report counts, what it breaks them down by, and the SQL that selects them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from ..extensions import db
from ..models import Comment, Consultation, RespondentTrait, Response
from ..models.columns import current_language
from ..models.profile import GROUPS_KEY, STANDARD_FIELDS, Profile
from ..models.response import FLAGGED, flagged_responses
from ..models.vocab import Channel, ModerationState, ResponseStatus
from ..models.zones import day_start, offset_changes, zone_info
from .grouping import NOT_GIVEN, breakdowns, field_name, group_column


@dataclass(frozen=True)
class ReportFilters:
    """The choices that narrow a report, and the field it breaks results down by; printed
    on every output."""

    stakeholder_types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    #: Comments in this moderation state only (None: every state).
    moderation: ModerationState | None = None
    #: Count responses whose comments coordinators refused as spam or duplicate.
    include_flagged: bool = False
    #: How the responses reached consult (``Channel`` codes); empty: every channel.
    channels: tuple[str, ...] = ()
    #: The profile field that question, comment and theme results are broken down by:
    #: "group" (the reporting groups) or a categorical field the consultation asks.
    by: str = GROUPS_KEY
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
            "channels": list(self.channels),
            "by": self.by,
        }

    def describe(self, profile: Profile) -> list[tuple[str, str]]:
        """The filters in words, in the current language, for the header of every output,
        then (last) the breakdown; codes are named by the consultation's own lists."""
        anything = _("All")
        language = current_language()

        def named(key: str, codes: tuple[str, ...]) -> str:
            return ", ".join(profile.label(key, c, language) or c for c in codes) or anything

        return [
            (_("Stakeholder types"), named("stakeholder_type", self.stakeholder_types)),
            (_("Regions"), named("region", self.regions)),
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
            (
                _("Channels"),
                ", ".join(Channel(c).label for c in self.channels) or anything,
            ),
            (_("Results broken down by"), field_name(profile, self.by, language)),
        ]


def filters_from_args(args, consultation: Consultation) -> ReportFilters:
    """Read report filters from a query string; unknown values are noted and ignored.

    Codes and the breakdown (``by``) are checked against the consultation's own profile:
    an unknown breakdown is noted, and the report is broken down by group.
    """
    notes: list[str] = []
    profile = consultation.profile
    types_field, regions_field = profile["stakeholder_type"], profile["region"]
    known_types = set(types_field.codes) if types_field else set()
    known_regions = set(regions_field.codes) if regions_field else set()
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
    given = [v for v in args.getlist("channel") if v]
    channels = tuple(c.value for c in Channel if c.value in given)
    if len(channels) != len(set(given)):
        notes.append("channel")
    by = args.get("by") or GROUPS_KEY
    if by not in breakdowns(profile):
        notes.append("by")
        by = GROUPS_KEY
    return ReportFilters(
        stakeholder_types=types,
        regions=regions,
        moderation=ModerationState(moderation) if moderation else None,
        include_flagged=args.get("include_flagged") in ("1", "on", "yes", "true"),
        channels=channels,
        by=by,
        notes=notes,
        **days,
    )


def counted_responses(consultation: Consultation, filters: ReportFilters) -> sa.Select:
    """``SELECT id, stakeholder_type, category`` of the submitted responses the report
    counts: ``category`` is each one's code in the breakdown (``filters.by``), "not_given"
    if none.

    Its days (``date_from``, ``date_to``) are the consultation's, in its time zone.
    """
    conditions = [
        Response.consultation_id == consultation.id,
        Response.status == ResponseStatus.SUBMITTED,
    ]
    if filters.stakeholder_types:
        conditions.append(Response.stakeholder_type.in_(filters.stakeholder_types))
    if filters.regions:
        conditions.append(Response.region.in_(filters.regions))
    zone = consultation.time_zone
    if filters.date_from:
        conditions.append(Response.submitted_at >= day_start(filters.date_from, zone))
    if filters.date_to and filters.date_to < date.max:
        following = filters.date_to + timedelta(days=1)
        conditions.append(Response.submitted_at < day_start(following, zone))
    if not filters.include_flagged:
        conditions.append(_not_flagged())
    if filters.channels:
        conditions.append(Response.channel.in_(filters.channels))
    return _with_category(consultation.profile, filters.by).where(*conditions)


def _with_category(profile: Profile, by: str) -> sa.Select:
    """The counted responses' columns, with their category in the breakdown ``by``
    ("not_given" where the field has no answer, so no later step can drop the row).

    Groups come from stakeholder types by the consultation's mapping (a CASE); a standard
    field is its column; a further question is its answer (at most one trait per response
    and field: the trait's primary key), by an outer join, so each response stays one row.
    """
    columns = (Response.id, Response.stakeholder_type)
    if by not in breakdowns(profile):
        raise ValueError(f"the consultation asks no categorical field {by!r}")
    if by == GROUPS_KEY:
        return sa.select(*columns, _given(group_column(profile, Response.stakeholder_type)))
    if by in STANDARD_FIELDS:
        return sa.select(*columns, _given(getattr(Response, by)))
    trait = sa.and_(RespondentTrait.response_id == Response.id,
                    RespondentTrait.field_id == profile[by].id)  # fmt: skip
    return sa.select(*columns, _given(RespondentTrait.code)).outerjoin(RespondentTrait, trait)


def _given(code: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.coalesce(sa.cast(code, sa.String), NOT_GIVEN).label("category")


def _not_flagged() -> sa.ColumnElement[bool]:
    """The response has no comment refused as spam or duplicate.

    Both forms read ix_comment_rejection_reason. SQLite runs a NOT IN list once into a
    temporary index and probes it per row, where a correlated NOT EXISTS costs two index
    searches per response and every report query pays them again; PostgreSQL plans
    NOT EXISTS as an anti-join whatever the number of flagged responses, where NOT IN
    stays fast only while the list fits in work_mem. ``Comment.response_id`` is never
    NULL, so the two forms select the same responses.
    """
    if db.engine.dialect.name == "sqlite":
        return Response.id.not_in(flagged_responses())
    return ~sa.exists().where(
        Comment.response_id == Response.id, Comment.rejection_reason.in_(FLAGGED)
    )


def local_day(column: sa.ColumnElement, time_zone: str) -> sa.ColumnElement:
    """The calendar day of a stored UTC time in ``time_zone`` (an IANA name), in SQL.

    PostgreSQL converts with its own time-zone database, summer time included. SQLite has
    none: the time is shifted by the offset the zone had at that moment, chosen among
    its offsets (``zones.offset_changes``), newest first, so that recent times take the
    first branch. The zone's name is written into the statement, not bound: PostgreSQL
    matches a GROUP BY expression to the selected one by its text, and two parameters
    never match.
    """
    zone_info(time_zone)  # a real zone's name: safe to write into the statement
    if db.engine.dialect.name == "postgresql":
        utc = sa.func.timezone(sa.literal_column("'UTC'"), column)
        return sa.cast(sa.func.timezone(sa.literal_column(f"'{time_zone}'"), utc), sa.Date)
    (*changes, (_, first)) = offset_changes(time_zone)
    branches = [
        (column >= since, sa.func.date(column, f"{offset:+d} seconds")) for since, offset in changes
    ]
    oldest = sa.func.date(column, f"{first:+d} seconds")
    return sa.case(*branches, else_=oldest) if branches else oldest
