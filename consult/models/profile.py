"""Who responds: each consultation's respondent profile, and the answers to it.

A consultation declares its profile (from its bundle): which fields its form asks, which
are required, and each field's options with codes and labels per language. Stakeholder
types map to the consultation's reporting groups. Nothing about a country lives in code.

Integrity: answers to further profile questions (``RespondentTrait``) carry a foreign key
to their option, so the database refuses a code outside the consultation's list. The
standard fields (stakeholder type, region, size, gender, age) stay columns of ``response``
so reports count a million rows with one pass; their codes are checked in the one write
path (``responding.profile_values``), tested in tests/responding/test_profile.py.

``Profile`` is the read-only view of it all that forms, pages and reports use: plain
frozen dataclasses, built once per consultation and version, with no database access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

if TYPE_CHECKING:
    from .consultation import Consultation

#: The fields every consultation may ask, stored as columns of ``response``.
STANDARD_FIELDS = (
    "responding_as",
    "stakeholder_type",
    "organisation_name",
    "organisation_size",
    "region",
    "country",
    "gender",
    "age_band",
)
#: Fields answered by choosing an option of the consultation's list.
LISTED_FIELDS = ("stakeholder_type", "organisation_size", "region", "gender", "age_band")
#: The pseudo-field holding the reporting groups (never asked).
GROUPS_KEY = "group"


class ProfileField(db.Model):
    """One field of a consultation's profile: standard (a response column) or further."""

    __tablename__ = "profile_field"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    #: A standard field's name (``STANDARD_FIELDS``), ``group``, or a further field's key.
    key: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    #: Asked on the form; the reporting groups' pseudo-field is not.
    asked: Mapped[bool] = mapped_column(default=True)
    required: Mapped[bool] = mapped_column(default=False)
    #: The question as the form asks it; empty for a standard field means consult's wording.
    prompt_es: Mapped[str] = mapped_column(sa.Text, default="")
    prompt_en: Mapped[str] = mapped_column(sa.Text, default="")
    help_es: Mapped[str] = mapped_column(sa.Text, default="")
    help_en: Mapped[str] = mapped_column(sa.Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="profile_fields")
    options: Mapped[list[ProfileOption]] = relationship(
        back_populates="field",
        order_by="ProfileOption.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ProfileOption(db.Model):
    """One allowed answer of a profile field (or one reporting group)."""

    __tablename__ = "profile_option"
    __table_args__ = (sa.UniqueConstraint("field_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(sa.ForeignKey("profile_field.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    label_es: Mapped[str] = mapped_column(sa.String(300))
    label_en: Mapped[str] = mapped_column(sa.String(300))
    #: For a stakeholder type: the reporting group it is counted in.
    group: Mapped[str | None] = mapped_column(sa.String(64))
    #: For a stakeholder type open to one kind of respondent only: individual/organisation.
    only: Mapped[str | None] = mapped_column(sa.String(16))
    #: For a region: "outside the country", which asks for the country.
    abroad: Mapped[bool] = mapped_column(default=False)

    field: Mapped[ProfileField] = relationship(back_populates="options")


class RespondentTrait(db.Model):
    """A respondent's answer to a further profile question (education, sector …)."""

    __tablename__ = "respondent_trait"
    __table_args__ = (
        # The code must be one of the field's options: the database keeps the list.
        sa.ForeignKeyConstraint(
            ["field_id", "code"],
            ["profile_option.field_id", "profile_option.code"],
            name="fk_respondent_trait_option",
        ),
        sa.Index("ix_respondent_trait_field_code", "field_id", "code"),
    )

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    field_id: Mapped[int] = mapped_column(
        sa.ForeignKey("profile_field.id", ondelete="RESTRICT"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(64))


# ---------------------------------------------------------------- the read-only view


@dataclass(frozen=True)
class Option:
    code: str
    labels: dict[str, str]
    group: str | None = None
    only: str | None = None
    abroad: bool = False

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels["es"]


@dataclass(frozen=True)
class Field:
    key: str
    required: bool = False
    asked: bool = True
    prompts: dict[str, str] = field(default_factory=dict)
    helps: dict[str, str] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    id: int | None = None

    @property
    def standard(self) -> bool:
        return self.key in STANDARD_FIELDS

    @property
    def codes(self) -> list[str]:
        return [o.code for o in self.options]

    def choices(self, language: str) -> list[tuple[str, str]]:
        """(code, label) of each option, in the list's order and ``language``."""
        return [(o.code, o.label(language)) for o in self.options]

    def option(self, code: str | None) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def prompt(self, language: str) -> str:
        return self.prompts.get(language) or self.prompts.get("es", "")

    def help(self, language: str) -> str:
        return self.helps.get(language) or self.helps.get("es", "")


@dataclass(frozen=True)
class Profile:
    """A consultation's profile as forms, pages and reports read it."""

    fields: tuple[Field, ...] = ()
    groups: tuple[Option, ...] = ()

    def __getitem__(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    def asks(self, key: str) -> bool:
        found = self[key]
        return found is not None and found.asked

    @property
    def further(self) -> list[Field]:
        """Further profile questions (education, sector …), stored as traits."""
        return [f for f in self.fields if not f.standard and f.key != GROUPS_KEY]

    @property
    def categorical(self) -> list[Field]:
        """Every asked field answered from a list: what reports can break results down by."""
        return [f for f in self.fields if f.asked and (f.options or f.key == "responding_as")]

    @property
    def group_codes(self) -> list[str]:
        return [g.code for g in self.groups]

    @property
    def group_of(self) -> dict[str, str]:
        """Stakeholder type → reporting group."""
        types = self["stakeholder_type"]
        return {o.code: o.group or "" for o in types.options} if types else {}

    @property
    def abroad_codes(self) -> set[str]:
        region = self["region"]
        return {o.code for o in region.options if o.abroad} if region else set()

    def group_label(self, code: str, language: str) -> str:
        found = next((g for g in self.groups if g.code == code), None)
        return found.label(language) if found else code

    def label(self, key: str, code: str | None, language: str) -> str | None:
        """An option's label; None for no answer; the code itself if the list lost it."""
        if code is None:
            return None
        if key == GROUPS_KEY:
            return self.group_label(code, language)
        found = self[key]
        option = found.option(code) if found else None
        return option.label(language) if option else code


def build_profile(rows: list[ProfileField]) -> Profile:
    """The view of a consultation's profile rows."""
    fields, groups = [], ()
    for row in sorted(rows, key=lambda r: r.position):
        options = tuple(
            Option(
                code=o.code,
                labels={"es": o.label_es, "en": o.label_en},
                group=o.group,
                only=o.only,
                abroad=o.abroad,
            )
            for o in row.options
        )
        if row.key == GROUPS_KEY:
            groups = options
            continue
        fields.append(
            Field(
                key=row.key,
                required=row.required,
                asked=row.asked,
                prompts={"es": row.prompt_es, "en": row.prompt_en},
                helps={"es": row.help_es, "en": row.help_en},
                options=options,
                id=row.id,
            )
        )
    return Profile(fields=tuple(fields), groups=groups)
