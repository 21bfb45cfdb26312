"""The one place a respondent's profile is checked against the consultation's own lists.

Forms offer only the consultation's options, but a form is not a guarantee: every write
of a profile (the public flow, the factories of the tests, an import later) goes through
``profile_values``, which refuses a code outside the lists, a missing required answer,
or an answer the consultation does not ask. The standard fields are columns of
``response``; further questions are ``respondent_trait`` rows, which the database also
ties to their option by a foreign key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Consultation, RespondentTrait
from ..models.profile import STANDARD_FIELDS, Profile
from ..models.vocab import Publication, RespondingAs


class ProfileInvalid(ValueError):
    """A profile that does not fit the consultation's lists; ``errors`` says where."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class ProfileValues:
    """What a profile step stores: the response's columns and the further answers."""

    columns: dict[str, Any]
    #: Further field's key → chosen code (fields left unanswered are absent).
    traits: dict[str, str]


def profile_values(consultation: Consultation, given: Mapping[str, Any]) -> ProfileValues:
    """Check a profile against ``consultation.profile`` and keep only what applies.

    Fields that do not apply are emptied (the organisation's name for an individual, the
    country inside the country), so the stored profile is consistent.
    """
    profile = consultation.profile
    errors: dict[str, str] = {}
    value = {name: (given.get(name) or None) for name in given}
    columns: dict[str, Any] = dict.fromkeys(STANDARD_FIELDS)

    def take(name: str) -> Any:
        field = profile[name]
        answer = value.get(name)
        if field is None or not field.asked:
            return None
        if answer is None:
            if field.required:
                errors[name] = "required"
            return None
        if field.options and answer not in field.codes:
            errors[name] = f"{answer!r} is not one of this consultation's options"
            return None
        return answer

    columns["responding_as"] = take("responding_as")
    if columns["responding_as"] not in (None, *[r.value for r in RespondingAs]):
        errors["responding_as"] = "individual or organisation"
    columns["stakeholder_type"] = take("stakeholder_type")
    chosen = profile["stakeholder_type"].option(columns["stakeholder_type"])
    if chosen is not None and chosen.only and columns["responding_as"] not in (None, chosen.only):
        errors["stakeholder_type"] = f"only for respondents answering as {chosen.only}"
    if columns["responding_as"] == RespondingAs.ORGANISATION:
        columns["organisation_name"] = take("organisation_name")
        columns["organisation_size"] = take("organisation_size")
    columns["region"] = take("region")
    if columns["region"] in profile.abroad_codes:
        columns["country"] = value.get("country")
        if columns["country"] is None:
            errors["country"] = "required outside the country"
    for name in ("gender", "age_band"):
        columns[name] = take(name)
    traits = {}
    for field in profile.further:
        code = take(field.key)
        if code is not None:
            traits[field.key] = code

    asks_publication = consultation.asks_publication
    publication = value.get("publication") if asks_publication else Publication.PRIVATE.value
    if publication not in [p.value for p in Publication]:
        errors["publication"] = "required"
    columns["publication"] = publication
    columns["display_name"] = value.get("display_name") if publication == "named" else None
    if publication == "named" and not columns["display_name"]:
        errors["display_name"] = "required to publish with a name"
    columns["email"] = value.get("email")
    if errors:
        raise ProfileInvalid(errors)
    return ProfileValues(columns, traits)


def write_traits(profile: Profile, response_id: int, traits: Mapping[str, str]) -> None:
    """Replace the response's further answers, in the caller's transaction."""
    ids = {f.key: f.id for f in profile.further}
    if not ids:
        return
    connection = db.session.connection()
    table = RespondentTrait.__table__
    connection.execute(table.delete().where(table.c.response_id == response_id))
    rows = [
        {"response_id": response_id, "field_id": ids[key], "code": code}
        for key, code in traits.items()
    ]
    if rows:
        connection.execute(table.insert(), rows)


def read_traits(profile: Profile, response_id: int) -> dict[str, str]:
    """The response's further answers, by field key (no query if none is asked)."""
    keys = {f.id: f.key for f in profile.further}
    if not keys:
        return {}
    rows = db.session.execute(
        sa.select(RespondentTrait.field_id, RespondentTrait.code).where(
            RespondentTrait.response_id == response_id
        )
    )
    return {keys[field_id]: code for field_id, code in rows if field_id in keys}
