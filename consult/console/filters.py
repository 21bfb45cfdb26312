"""The filters of the responses and comments lists, read from a query string or a form.

One ``Filters`` object builds both lists' queries, so a figure on the dashboard, the list
behind it and a bulk action on "everything matching" always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..models import Answer, Comment, Consultation, Response, Section, Theme, comment_theme
from ..models.columns import current_language
from ..models.vocab import ModerationState, RespondingAs, ResponseStatus
from ..models.zones import day_start
from ..reports.stance import Stance, stance_condition
from ..web.converters import id_from

_CODES = {
    "responding_as": RespondingAs,
    "moderation": ModerationState,
    "stance": Stance,
}
#: Filters whose codes are the consultation's own lists (its profile).
_PROFILE_CODES = ("stakeholder_type", "region")
#: A whole address hash, or the start of one as the console shortens it.
_ADDRESS_HASH = re.compile(r"[0-9a-f]{8,64}")
#: Response statuses a list can show; "all" lifts the filter.
STATUSES = ("submitted", "draft", "withdrawn", "all")


@dataclass
class Filters:
    status: str = "submitted"
    stakeholder_type: str | None = None
    region: str | None = None
    responding_as: str | None = None
    section: str | None = None
    contribution: str | None = None
    moderation: str | None = None
    #: The comment author's own agreement answer on its section (``reports.stance``).
    stance: str | None = None
    theme: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    #: A response's address hash, whole or its first characters (as the console shows it).
    address: str | None = None
    #: Values that were given but not understood (shown, then ignored).
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: MultiDict, consultation: Consultation) -> Filters:
        """Read filters, keeping only known codes, sections, themes and real dates."""
        f = cls()
        status = args.get("status") or "submitted"
        if status in STATUSES:
            f.status = status
        else:
            f.ignored.append("status")
        for name, vocab in _CODES.items():
            value = args.get(name) or None
            if value is not None and value not in {m.value for m in vocab}:
                f.ignored.append(name)
                value = None
            setattr(f, name, value)
        for name in _PROFILE_CODES:
            value = args.get(name) or None
            listed = consultation.profile[name]
            if value is not None and (listed is None or value not in listed.codes):
                f.ignored.append(name)
                value = None
            setattr(f, name, value)
        contribution = args.get("contribution") or None
        if contribution and contribution not in {c["code"] for c in consultation.contributions}:
            f.ignored.append("contribution")
            contribution = None
        f.contribution = contribution
        section = args.get("section") or None
        if section and section not in {s.key for s in consultation.sections}:
            f.ignored.append("section")
            section = None
        f.section = section
        theme = args.get("theme") or ""
        f.theme = id_from(theme)
        if theme and f.theme is None:
            f.ignored.append("theme")
        for name in ("date_from", "date_to"):
            raw = args.get(name) or ""
            try:
                setattr(f, name, date.fromisoformat(raw) if raw else None)
            except ValueError:
                f.ignored.append(name)
        # Control characters (NUL above all, which PostgreSQL refuses) are never searched for.
        q = "".join(ch for ch in args.get("q") or "" if ch.isprintable()).strip()
        f.q = q[:200] or None
        address = (args.get("address") or "").strip().lower()
        if address and not _ADDRESS_HASH.fullmatch(address):
            f.ignored.append("address")
            address = ""
        f.address = address or None
        return f

    def args(self, **changes: Any) -> dict[str, Any]:
        """The filters as query-string arguments (for links), with ``changes`` applied."""
        out = {}
        for spec in fields(self):
            value = changes.get(spec.name, getattr(self, spec.name))
            if spec.name == "ignored" or value in (None, ""):
                continue
            if spec.name == "status" and value == "submitted":
                continue
            out[spec.name] = value.isoformat() if isinstance(value, date) else value
        return out

    @property
    def active(self) -> bool:
        return bool(self.args())

    # ------------------------------------------------------------ conditions

    def _utc_bounds(self, time_zone: str) -> tuple[datetime | None, datetime | None]:
        """The days chosen, as stored times: from midnight to midnight in ``time_zone``."""
        start = day_start(self.date_from, time_zone) if self.date_from else None
        end = None
        if self.date_to and self.date_to < date.max:  # the last day has no next day
            end = day_start(self.date_to + timedelta(days=1), time_zone)
        return start, end

    def response_conditions(self, consultation: Consultation) -> list[Any]:
        conditions: list[Any] = [Response.consultation_id == consultation.id]
        if self.status != "all":
            conditions.append(Response.status == ResponseStatus(self.status))
        for name in ("stakeholder_type", "region", "responding_as"):
            value = getattr(self, name)
            if value:
                conditions.append(getattr(Response, name) == value)
        if self.address:
            conditions.append(
                Response.address_hash == self.address
                if len(self.address) == 64
                else Response.address_hash.startswith(self.address, autoescape=True)
            )
        moment = Response.created_at if self.status == "draft" else Response.submitted_at
        start, end = self._utc_bounds(consultation.time_zone)
        if start:
            conditions.append(moment >= start)
        if end:
            conditions.append(moment < end)
        return conditions

    def comment_conditions(self, consultation: Consultation) -> list[Any]:
        conditions: list[Any] = []
        if self.section:
            conditions.append(
                Comment.section_id
                == sa.select(Section.id)
                .where(Section.consultation_id == consultation.id, Section.key == self.section)
                .scalar_subquery()
            )
        if self.contribution:
            conditions.append(Comment.contribution == self.contribution)
        if self.moderation:
            conditions.append(Comment.moderation == self.moderation)
        if self.theme:
            conditions.append(
                sa.exists().where(
                    comment_theme.c.comment_id == Comment.id,
                    comment_theme.c.theme_id == self.theme,
                    ~comment_theme.c.suggested,
                )
            )
        if self.q:
            conditions.append(
                sa.or_(
                    Comment.text.icontains(self.q, autoescape=True),
                    Comment.redacted_text.icontains(self.q, autoescape=True),
                )
            )
        if self.stance:
            conditions.append(stance_condition(consultation, Stance(self.stance)))
        return conditions

    # ------------------------------------------------------------ queries

    def responses(self, consultation: Consultation, sort: str = "newest") -> sa.Select:
        """Responses matching, each with its number of comments and answers."""
        comments = (
            sa.select(sa.func.count(Comment.id))
            .where(Comment.response_id == Response.id)
            .correlate(Response)
            .scalar_subquery()
        )
        answers = (
            sa.select(sa.func.count(Answer.id))
            .where(Answer.response_id == Response.id)
            .correlate(Response)
            .scalar_subquery()
        )
        stmt = sa.select(Response, comments.label("comments"), answers.label("answers")).where(
            *self.response_conditions(consultation)
        )
        comment_filters = self.comment_conditions(consultation)
        if comment_filters:
            stmt = stmt.where(
                sa.exists().where(Comment.response_id == Response.id, *comment_filters)
            )
        return stmt.order_by(*SORTS.get(sort, SORTS["newest"]))

    def comments(self, consultation: Consultation) -> sa.Select:
        """Comments matching (with their response and section joined), newest first."""
        return (
            sa.select(Comment)
            .join(Comment.response)
            .join(Comment.section)
            .where(*self.response_conditions(consultation), *self.comment_conditions(consultation))
            .order_by(Comment.created_at.desc(), Comment.id.desc())
        )


SORTS = {
    "newest": (Response.submitted_at.desc(), Response.id.desc()),
    "oldest": (Response.submitted_at.asc(), Response.id.asc()),
    "reference": (Response.reference.asc(),),
    "stakeholder": (Response.stakeholder_type.asc(), Response.id.desc()),
}


def vocabularies(consultation: Consultation) -> list[tuple[str, Any, list]]:
    """(filter name, label, choices) for the coded filters of the filter form: stakeholder
    types and regions from the consultation's own lists (a field it does not ask, none)."""
    language = current_language()
    listed = []
    for name, label in (("stakeholder_type", _l("Stakeholder type")), ("region", _l("Region"))):
        found = consultation.profile[name]
        if found is not None and found.asked:
            listed.append((name, label, found.choices(language)))
    return [
        *listed,
        ("responding_as", _l("Responding"), RespondingAs.choices()),
        ("moderation", _l("Moderation"), ModerationState.choices()),
        ("stance", _l("Stance (own agreement answer)"), Stance.choices()),
    ]


def themes_of(consultation: Consultation) -> list[Theme]:
    return list(
        db.session.scalars(
            sa.select(Theme).where(Theme.consultation_id == consultation.id).order_by(Theme.name)
        )
    )
