"""Fixed vocabularies, stored as short codes and shown translated.

Each enumeration's ``label`` is the text a person sees; ``choices()`` feeds a form.
"""

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l


class Vocabulary(StrEnum):
    """A StrEnum whose members carry a translated label."""

    @property
    def label(self) -> str:
        return str(self._labels()[self])

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(code, label) pairs; labels stay lazy so a form built once translates per request."""
        labels = cls._labels()
        return [(member.value, labels[member]) for member in cls]


class RespondingAs(Vocabulary):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.INDIVIDUAL: _l("As an individual"),
            cls.ORGANISATION: _l("On behalf of an organisation"),
        }


class ReportingGroup(Vocabulary):
    """The record's four stakeholder groups, plus public sector, citizens and the rest."""

    BUSINESS = "business"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    TECHNICAL_COMMUNITY = "technical_community"
    PUBLIC_SECTOR = "public_sector"
    INTERNATIONAL = "international"
    CITIZENS = "citizens"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.BUSINESS: _l("Business"),
            cls.ACADEMIA: _l("Academia"),
            cls.CIVIL_SOCIETY: _l("Civil society"),
            cls.TECHNICAL_COMMUNITY: _l("Technical community"),
            cls.PUBLIC_SECTOR: _l("Public sector"),
            cls.INTERNATIONAL: _l("International organisations"),
            cls.CITIZENS: _l("Citizens"),
            cls.OTHER: _l("Other"),
        }


class StakeholderType(Vocabulary):
    COMPANY = "company"
    BUSINESS_ASSOCIATION = "business_association"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    TRADE_UNION = "trade_union"
    TECHNICAL_COMMUNITY = "technical_community"
    PUBLIC_SECTOR = "public_sector"
    INTERNATIONAL_ORG = "international_org"
    INDIVIDUAL = "individual"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.COMPANY: _l("Company or startup"),
            cls.BUSINESS_ASSOCIATION: _l("Business association or chamber"),
            cls.ACADEMIA: _l("Academia or research"),
            cls.CIVIL_SOCIETY: _l("Civil society organisation"),
            cls.TRADE_UNION: _l("Trade union"),
            cls.TECHNICAL_COMMUNITY: _l("Technical community"),
            cls.PUBLIC_SECTOR: _l("Public sector"),
            cls.INTERNATIONAL_ORG: _l("International organisation"),
            cls.INDIVIDUAL: _l("Individual citizen"),
            cls.OTHER: _l("Other"),
        }

    @property
    def group(self) -> ReportingGroup:
        """The reporting group this type is counted in."""
        return _GROUP_OF[self]


_GROUP_OF = {
    StakeholderType.COMPANY: ReportingGroup.BUSINESS,
    StakeholderType.BUSINESS_ASSOCIATION: ReportingGroup.BUSINESS,
    StakeholderType.ACADEMIA: ReportingGroup.ACADEMIA,
    StakeholderType.CIVIL_SOCIETY: ReportingGroup.CIVIL_SOCIETY,
    StakeholderType.TRADE_UNION: ReportingGroup.CIVIL_SOCIETY,
    StakeholderType.TECHNICAL_COMMUNITY: ReportingGroup.TECHNICAL_COMMUNITY,
    StakeholderType.PUBLIC_SECTOR: ReportingGroup.PUBLIC_SECTOR,
    StakeholderType.INTERNATIONAL_ORG: ReportingGroup.INTERNATIONAL,
    StakeholderType.INDIVIDUAL: ReportingGroup.CITIZENS,
    StakeholderType.OTHER: ReportingGroup.OTHER,
}


class OrganisationSize(Vocabulary):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.MICRO: _l("Micro (fewer than 10 people)"),
            cls.SMALL: _l("Small (10 to 49 people)"),
            cls.MEDIUM: _l("Medium (50 to 249 people)"),
            cls.LARGE: _l("Large (250 people or more)"),
        }


class Region(Vocabulary):
    """Peru's departments (Lima Metropolitana, Lima Provincias and Callao apart), or abroad."""

    AMAZONAS = "amazonas"
    ANCASH = "ancash"
    APURIMAC = "apurimac"
    AREQUIPA = "arequipa"
    AYACUCHO = "ayacucho"
    CAJAMARCA = "cajamarca"
    CALLAO = "callao"
    CUSCO = "cusco"
    HUANCAVELICA = "huancavelica"
    HUANUCO = "huanuco"
    ICA = "ica"
    JUNIN = "junin"
    LA_LIBERTAD = "la_libertad"
    LAMBAYEQUE = "lambayeque"
    LIMA_METROPOLITANA = "lima_metropolitana"
    LIMA_PROVINCIAS = "lima_provincias"
    LORETO = "loreto"
    MADRE_DE_DIOS = "madre_de_dios"
    MOQUEGUA = "moquegua"
    PASCO = "pasco"
    PIURA = "piura"
    PUNO = "puno"
    SAN_MARTIN = "san_martin"
    TACNA = "tacna"
    TUMBES = "tumbes"
    UCAYALI = "ucayali"
    ABROAD = "abroad"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.AMAZONAS: _l("Amazonas"),
            cls.ANCASH: _l("Áncash"),
            cls.APURIMAC: _l("Apurímac"),
            cls.AREQUIPA: _l("Arequipa"),
            cls.AYACUCHO: _l("Ayacucho"),
            cls.CAJAMARCA: _l("Cajamarca"),
            cls.CALLAO: _l("Callao"),
            cls.CUSCO: _l("Cusco"),
            cls.HUANCAVELICA: _l("Huancavelica"),
            cls.HUANUCO: _l("Huánuco"),
            cls.ICA: _l("Ica"),
            cls.JUNIN: _l("Junín"),
            cls.LA_LIBERTAD: _l("La Libertad"),
            cls.LAMBAYEQUE: _l("Lambayeque"),
            cls.LIMA_METROPOLITANA: _l("Lima Metropolitana"),
            cls.LIMA_PROVINCIAS: _l("Lima Provincias"),
            cls.LORETO: _l("Loreto"),
            cls.MADRE_DE_DIOS: _l("Madre de Dios"),
            cls.MOQUEGUA: _l("Moquegua"),
            cls.PASCO: _l("Pasco"),
            cls.PIURA: _l("Piura"),
            cls.PUNO: _l("Puno"),
            cls.SAN_MARTIN: _l("San Martín"),
            cls.TACNA: _l("Tacna"),
            cls.TUMBES: _l("Tumbes"),
            cls.UCAYALI: _l("Ucayali"),
            cls.ABROAD: _l("Outside Peru"),
        }


class Gender(Vocabulary):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    OTHER = "other"
    PREFER_NOT = "prefer_not"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.WOMAN: _l("Woman"),
            cls.MAN: _l("Man"),
            cls.NON_BINARY: _l("Non-binary"),
            cls.OTHER: _l("Another identity"),
            cls.PREFER_NOT: _l("Prefer not to say"),
        }


class AgeBand(Vocabulary):
    UNDER_18 = "under_18"
    AGE_18_29 = "18_29"
    AGE_30_44 = "30_44"
    AGE_45_59 = "45_59"
    AGE_60_PLUS = "60_plus"
    PREFER_NOT = "prefer_not"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.UNDER_18: _l("Under 18"),
            cls.AGE_18_29: _l("18 to 29"),
            cls.AGE_30_44: _l("30 to 44"),
            cls.AGE_45_59: _l("45 to 59"),
            cls.AGE_60_PLUS: _l("60 or older"),
            cls.PREFER_NOT: _l("Prefer not to say"),
        }


class Publication(Vocabulary):
    NAMED = "named"
    ANONYMOUS = "anonymous"
    PRIVATE = "private"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.NAMED: _l("Publish my comments with my name"),
            cls.ANONYMOUS: _l("Publish my comments anonymously"),
            cls.PRIVATE: _l("Do not publish my comments"),
        }


class Contribution(Vocabulary):
    """What a comment contributes to, in the record's terms."""

    PROBLEM_DEFINITION = "problem_definition"
    OBJECTIVE_FORMULATION = "objective_formulation"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PROBLEM_DEFINITION: _l("Problem definition"),
            cls.OBJECTIVE_FORMULATION: _l("Policy objective formulation"),
            cls.OTHER: _l("Other"),
        }


class ResponseStatus(Vocabulary):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.DRAFT: _l("Draft"),
            cls.SUBMITTED: _l("Submitted"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }


class QuestionType(Vocabulary):
    LIKERT = "likert"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    RANKING = "ranking"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.LIKERT: _l("Agreement scale"),
            cls.SINGLE_CHOICE: _l("Single choice"),
            cls.MULTIPLE_CHOICE: _l("Multiple choice"),
            cls.RANKING: _l("Ranking"),
            cls.SHORT_TEXT: _l("Short text"),
            cls.LONG_TEXT: _l("Long text"),
        }

    @property
    def has_options(self) -> bool:
        return self in (self.SINGLE_CHOICE, self.MULTIPLE_CHOICE, self.RANKING)


class ConsultationStatus(Vocabulary):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.UPCOMING: _l("Not yet open"),
            cls.OPEN: _l("Open"),
            cls.CLOSED: _l("Closed"),
        }


class ShareBase(Vocabulary):
    """What an agreement share is a share of: a per-consultation choice, always stated."""

    #: Valid answers: everyone who chose a point of the scale ("don't know" left out).
    VALID = "valid"
    #: Everyone who answered the item, "don't know" included.
    ANSWERED = "answered"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.VALID: _l("Shares of those who gave an opinion (“don't know” left out)"),
            cls.ANSWERED: _l("Shares of everyone who answered the question (“don't know” included)"),
        }


#: The likert scale: codes stored in ``Answer.value``.
LIKERT_DONT_KNOW = "dk"


def likert_choices() -> list[tuple[str, Any]]:
    return [
        ("1", _l("Strongly disagree")),
        ("2", _l("Disagree")),
        ("3", _l("Neither agree nor disagree")),
        ("4", _l("Agree")),
        ("5", _l("Strongly agree")),
        (LIKERT_DONT_KNOW, _l("Don't know")),
    ]


class ModerationState(Vocabulary):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PENDING: _l("Awaiting moderation"),
            cls.PUBLISHED: _l("Published"),
            cls.REJECTED: _l("Not published"),
        }


class RejectionReason(Vocabulary):
    OFF_TOPIC = "off_topic"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    DUPLICATE = "duplicate"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.OFF_TOPIC: _l("Off-topic"),
            cls.OFFENSIVE: _l("Offensive"),
            cls.PERSONAL_DATA: _l("Contains personal data"),
            cls.SPAM: _l("Spam"),
            cls.DUPLICATE: _l("Duplicate"),
        }


class Decision(Vocabulary):
    """What the organiser decided about a contribution ("you said, we did")."""

    ACCEPTED = "accepted"
    PARTLY = "partly"
    NOT_ACCEPTED = "not_accepted"
    OUT_OF_SCOPE = "out_of_scope"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ACCEPTED: _l("Accepted"),
            cls.PARTLY: _l("Partly accepted"),
            cls.NOT_ACCEPTED: _l("Not accepted"),
            cls.OUT_OF_SCOPE: _l("Out of scope"),
        }


class Role(Vocabulary):
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.COORDINATOR: _l("Coordinator"), cls.ADMIN: _l("Administrator")}
