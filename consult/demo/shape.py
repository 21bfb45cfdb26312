"""What the demo's generator needs to know of a consultation, as plain data.

The generator (``plan``) is a pure function of this, a number and a seed: it never reads
the database, so tests can run it alone and a seed gives the same demo every time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..models import Consultation
from ..models.vocab import QuestionType


@dataclass(frozen=True)
class Shape:
    """The consultation's questions, sections and lists, by their codes."""

    #: Sections with a comment box, by key, in reading order.
    sections: tuple[str, ...]
    #: Likert questions: key -> the key of their section ("" for general questions).
    likert: dict[str, str]
    #: Choice and ranking questions: key -> option codes, in order.
    single: dict[str, tuple[str, ...]]
    multiple: dict[str, tuple[str, ...]]
    ranking: dict[str, tuple[str, ...]]
    #: Open questions: key -> the key of their section ("" for general questions).
    texts: dict[str, str]
    #: Profile lists (empty when the consultation does not ask the field).
    stakeholder_types: tuple[str, ...]
    #: Stakeholder types open to one kind of respondent only: code -> "individual"/…
    only: dict[str, str]
    regions: tuple[str, ...]
    abroad: frozenset[str]
    sizes: tuple[str, ...]
    genders: tuple[str, ...]
    age_bands: tuple[str, ...]
    contributions: tuple[str, ...]
    #: The window (naive UTC) and the zone its days are in.
    opens: datetime
    closes: datetime
    time_zone: str
    #: The profile fields the form asks (responding_as, gender …).
    asks: frozenset[str] = field(default_factory=frozenset)


def shape_of(consultation: Consultation) -> Shape:
    """Read a loaded consultation's structure into a ``Shape``."""
    by_type: dict[QuestionType, dict] = {t: {} for t in QuestionType}
    for question in consultation.questions:
        section = question.section.key if question.section is not None else ""
        if question.type.has_options:
            by_type[question.type][question.key] = tuple(question.option_codes())
        else:
            by_type[question.type][question.key] = section
    profile = consultation.profile

    def codes(key: str) -> tuple[str, ...]:
        found = profile[key]
        return tuple(found.codes) if found else ()

    kinds = profile["stakeholder_type"]
    region = profile["region"]
    return Shape(
        sections=tuple(s.key for s in consultation.sections if s.comments_enabled),
        likert=by_type[QuestionType.LIKERT],
        single=by_type[QuestionType.SINGLE_CHOICE],
        multiple=by_type[QuestionType.MULTIPLE_CHOICE],
        ranking=by_type[QuestionType.RANKING],
        texts={**by_type[QuestionType.SHORT_TEXT], **by_type[QuestionType.LONG_TEXT]},
        stakeholder_types=codes("stakeholder_type"),
        only={o.code: o.only for o in kinds.options if o.only} if kinds else {},
        regions=codes("region"),
        abroad=frozenset(o.code for o in region.options if o.abroad) if region else frozenset(),
        sizes=codes("organisation_size"),
        genders=codes("gender"),
        age_bands=codes("age_band"),
        contributions=tuple(c["code"] for c in consultation.contributions or []),
        opens=consultation.opens_at,
        closes=consultation.closes_at,
        time_zone=consultation.time_zone,
        asks=frozenset(f.key for f in profile.fields if f.asked),
    )
