"""A consultation's own fields written in the console: create one, edit it, archive it.

Each operation is one transaction with one audit entry (before and after). A new
consultation starts in preparation (not public: coordinators preview it) with no sections,
and Peru's respondent profile (the bundled draft strategy's ``profile.yaml``) so its
profile step works from the start. Markdown (the introduction and the privacy notice) is
rendered to safe HTML when saved, as a bundle's is when loaded. Dates arrive as stored
(naive UTC); the views convert from the consultation's time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..content.bundles import LoadReport, bundle_path
from ..content.checks import Refused
from ..content.markdown import render_markdown
from ..content.profiles import load_profile, read_profile
from ..extensions import db
from ..models import Consultation, TextRevision, User
from ..models.columns import utcnow
from ..models.vocab import Stage
from ..models.zones import zone_info
from ..responding.changes import note_public_change
from ..reviewing import audit

#: The address of a consultation: lowercase letters, digits and single hyphens.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 64
LANGS = ("es", "en")
#: Texts per language, each with its longest length (None: long text).
TEXTS: dict[str, int | None] = {
    "title": 300,
    "organiser": 300,
    "summary_md": None,
    "privacy_md": None,
}
#: Texts a consultation must have in every language.
REQUIRED = ("title", "organiser", "summary_md")
#: What the audit entry and a text revision compare.
TEXT_FIELDS = tuple(f"{name}_{lang}" for name in TEXTS for lang in LANGS) + ("contact",)
AUDITED = ("slug", *TEXT_FIELDS, "opens_at", "closes_at", "time_zone")
#: Where a new consultation's respondent profile comes from.
DEFAULT_PROFILE_BUNDLE = "enia-2021"


class ConsultationRefused(Refused):
    """A value the consultation cannot take; ``field`` names the form's field."""

    def __init__(self, field: str, message) -> None:
        self.field = field
        super().__init__(message)


@dataclass
class ConsultationValues:
    """What a person writes about a consultation (times naive UTC)."""

    title_es: str
    title_en: str
    organiser_es: str
    organiser_en: str
    summary_md_es: str
    summary_md_en: str
    opens_at: datetime
    closes_at: datetime
    time_zone: str = "America/Lima"
    contact: str = ""
    privacy_md_es: str = ""
    privacy_md_en: str = ""

    def fields(self) -> dict[str, Any]:
        return dict(self.__dict__)


def check_slug(slug: str) -> None:
    """Refuse an address that is not lowercase letters, digits and hyphens, or is taken."""
    if not slug:
        raise ConsultationRefused("slug", _l("Please enter the consultation's address."))
    if len(slug) > SLUG_MAX or not SLUG.fullmatch(slug):
        raise ConsultationRefused(
            "slug",
            _l(
                "Use lowercase letters, digits and hyphens only (at most %(max)d), such as"
                " “datos-personales-2027”.",
                max=SLUG_MAX,
            ),
        )
    if db.session.scalar(sa.select(Consultation.id).filter_by(slug=slug)) is not None:
        raise ConsultationRefused(
            "slug", _l("Another consultation has this address already: please choose another.")
        )


def check_values(values: ConsultationValues) -> None:
    """Refuse missing texts, a closing before the opening, an unknown time zone."""
    for name in REQUIRED:
        for lang in LANGS:
            if not (getattr(values, f"{name}_{lang}") or "").strip():
                raise ConsultationRefused(f"{name}_{lang}", _l("Please fill this in."))
    for name, limit in TEXTS.items():
        for lang in LANGS:
            if limit is not None and len(getattr(values, f"{name}_{lang}") or "") > limit:
                raise ConsultationRefused(
                    f"{name}_{lang}", _l("At most %(max)d characters, please.", max=limit)
                )
    if len(values.contact or "") > 300:
        raise ConsultationRefused("contact", _l("At most %(max)d characters, please.", max=300))
    try:
        zone_info(values.time_zone)
    except ValueError:
        raise ConsultationRefused(
            "time_zone", _l("Please give a time zone by its name, such as America/Lima.")
        ) from None
    if values.closes_at <= values.opens_at:
        raise ConsultationRefused("closes_at", _l("It must close after it opens."))


def _assign(consultation: Consultation, values: ConsultationValues) -> None:
    fields = values.fields()
    for name, value in fields.items():
        if name in ("contact", "time_zone"):
            value = value.strip()
        setattr(consultation, name, value)
    for lang in LANGS:
        for name in ("summary", "privacy"):
            html = render_markdown(fields[f"{name}_md_{lang}"])
            setattr(consultation, f"{name}_html_{lang}", html)


def create_consultation(slug: str, values: ConsultationValues, actor: User) -> Consultation:
    """A new consultation in preparation, with no sections: one transaction, one audit entry."""
    check_slug(slug)
    check_values(values)
    consultation = Consultation(slug=slug, stage=Stage.PREPARATION)
    _assign(consultation, values)
    db.session.add(consultation)
    db.session.flush()
    load_profile(consultation, read_profile(bundle_path(DEFAULT_PROFILE_BUNDLE)), LoadReport(slug))
    audit.record(
        actor,
        "consultation.create",
        "consultation",
        consultation.id,
        after=audit.snapshot(consultation, *AUDITED, "stage"),
    )
    db.session.commit()
    return consultation


def has_opened(consultation: Consultation, now: datetime | None = None) -> bool:
    """Whether people may have read it: past preparation and its opening date."""
    now = now or utcnow()
    return consultation.stage is not Stage.PREPARATION and now >= consultation.opens_at


def update_consultation(
    consultation: Consultation, values: ConsultationValues, actor: User
) -> bool:
    """Change its own fields (not its address); False, and nothing written, when unchanged.

    Once it has opened, a change of wording is also kept as a ``TextRevision``.
    """
    check_values(values)
    before = audit.snapshot(consultation, *AUDITED)
    _assign(consultation, values)
    after = audit.snapshot(consultation, *AUDITED)
    changed = [name for name in AUDITED if before[name] != after[name]]
    if not changed:
        db.session.rollback()
        return False
    texts = [name for name in changed if name in TEXT_FIELDS]
    if texts and has_opened(consultation):
        db.session.add(
            TextRevision(
                consultation_id=consultation.id,
                target="consultation",
                target_id=consultation.id,
                before={name: before[name] for name in texts},
                after={name: after[name] for name in texts},
                changed_by_id=actor.id,
            )
        )
    audit.record(
        actor,
        "consultation.edit",
        "consultation",
        consultation.id,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    note_public_change(db.session)
    db.session.commit()
    return True


def archive_consultation(consultation: Consultation, actor: User, archived: bool = True) -> bool:
    """Archive it (listed nowhere public, kept whole) or bring it back; False when it
    already was. A consultation open for responses cannot be archived."""
    if archived == (consultation.archived_at is not None):
        return False
    if archived and consultation.is_open:
        raise ConsultationRefused(
            "archive",
            _l("It is open for responses: it can be archived once it has closed."),
        )
    before = consultation.archived_at
    consultation.archived_at = utcnow() if archived else None
    audit.record(
        actor,
        "consultation.archive" if archived else "consultation.unarchive",
        "consultation",
        consultation.id,
        before={"archived_at": before},
        after={"archived_at": consultation.archived_at},
    )
    note_public_change(db.session)
    db.session.commit()
    return True
