"""Removing respondents' personal data once a consultation has ended.

What goes: emails, names the respondent did not choose to publish, the edit token's hash
(so the private link opens nothing any more), the token of the form that started the
response, the salted hash of the address it came from, and an emailed receipt's address
and sealed private link (one not sent yet is given up). What stays is what the
reports need: the profile categories, the answers, the comments with their moderation,
and the names of those who chose to be published with their comments. Position
papers never published are deleted, files and records; published ones stay. One transaction,
recorded in the audit trail with the counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from ..mail.outbox import forget_personal_data
from ..models import Consultation, Response
from ..models.vocab import ConsultationStatus, Publication, RespondingAs
from ..models.zones import in_zone
from ..papers.withdrawal import delete_files, delete_unpublished
from ..reviewing import audit

#: What replaces a token hash: never a SHA-256 hex digest, so no token can match it.
PURGED_TOKEN_PREFIX = "purged-"


class PurgeRefused(Exception):
    """The consultation is still running; its respondents may still need their links."""


@dataclass
class PurgeReport:
    slug: str
    #: Field → how many responses had it removed.
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def _removals() -> dict[str, tuple[sa.ColumnElement[bool], dict]]:
    """Each personal field: which of the consultation's responses still hold it, and how
    to clear it."""
    purged_token = sa.literal(PURGED_TOKEN_PREFIX) + sa.cast(Response.id, sa.String)
    return {
        "email": (Response.email.is_not(None), {"email": None}),
        "unpublished name": (
            sa.and_(
                Response.display_name.is_not(None),
                Response.publication != Publication.NAMED,
            ),
            {"display_name": None},
        ),
        "organisation name of an individual": (
            sa.and_(
                Response.organisation_name.is_not(None),
                Response.responding_as != RespondingAs.ORGANISATION,
            ),
            {"organisation_name": None},
        ),
        "edit token": (
            Response.token_hash.not_like(f"{PURGED_TOKEN_PREFIX}%"),
            {"token_hash": purged_token},
        ),
        "form token": (Response.form_token.is_not(None), {"form_token": None}),
        "address hash": (Response.address_hash.is_not(None), {"address_hash": None}),
    }


def purge_personal_data(
    consultation: Consultation, *, force: bool = False, actor_email: str = "command line"
) -> PurgeReport:
    """Clear the personal fields of every response to ``consultation``; count what went.

    Refused while the consultation has not ended, unless ``force``. Running it again
    removes nothing more.
    """
    if consultation.status() is not ConsultationStatus.CLOSED and not force:
        closes = in_zone(consultation.closes_at, consultation.time_zone)
        raise PurgeRefused(
            f"{consultation.slug} has not ended (it closes {closes:%Y-%m-%d %H:%M},"
            f" {consultation.time_zone} time); respondents may still need their private links"
        )
    report = PurgeReport(consultation.slug)
    mine = Response.consultation_id == consultation.id
    for name, (holds, values) in _removals().items():
        result = db.session.execute(
            sa.update(Response).where(mine, holds).values(**values),
            execution_options={"synchronize_session": False},
        )
        report.removed[name] = result.rowcount
    report.removed["receipt by email (address, link)"] = forget_personal_data(consultation)
    # Position papers never published go, rows now and files once committed.
    paper_keys = delete_unpublished(consultation.id)
    report.removed["position paper not published (file and record)"] = len(paper_keys)
    audit.record(
        None,
        "purge_personal_data",
        "consultation",
        consultation.id,
        after={"removed": report.removed, "forced": force},
        actor_email=actor_email,
    )
    db.session.commit()
    delete_files(paper_keys)
    db.session.expire_all()
    return report
