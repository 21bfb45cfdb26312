"""What loading a bundle would change, worked out without writing anything.

``compare_bundle`` takes a bundle as ``read_bundle`` returns it and the stored consultation
with its slug (or none: a new one), and lists what would be added, changed, removed and
refused — refused being what a load would stop at because answers, comments, responses
or a stored version of the draft hold it (the same rules ``write_bundle`` applies). The
console's import shows this before anything is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln

from ..extensions import db
from ..models import Answer, AnswerChoice, Comment, Consultation, Section
from ..models.insight import ReferencePopulation
from ..models.outcome import DraftVersion, SectionText
from ..models.profile import GROUPS_KEY
from ..models.vocab import Stage
from .bundles import unfinished
from .profiles import _uses as profile_uses

#: What each kind of item is called on the summary.
KINDS = {
    "consultation": _l("Consultation"),
    "profile": _l("Profile field"),
    "population": _l("Reference population"),
    "contributions": _l("Contribution choices"),
    "section": _l("Section"),
    "question": _l("Question"),
}


@dataclass(frozen=True)
class Item:
    """One thing that would change: its kind, its key, and what of it (bundle keys)."""

    kind: str
    key: str
    what: str = ""
    #: For a refused item: why, in the reader's language.
    why: Any = None

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


@dataclass
class Comparison:
    slug: str
    new: bool
    added: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    refused: list[Item] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.added or self.changed or self.removed or self.refused)

    @property
    def loadable(self) -> bool:
        return not self.refused and not self.nothing


def compare_bundle(bundle: dict[str, Any]) -> Comparison:
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=bundle["slug"]))
    result = Comparison(bundle["slug"], consultation is None)
    if consultation is None:
        result.added.append(Item("consultation", bundle["slug"]))
        result.added += [Item("section", s["key"], s["number"]) for s in bundle["sections"]]
        result.added += [Item("question", q["key"]) for q in _questions(bundle)]
        if bundle["opens"] and bundle["closes"] and bundle["closes"] <= bundle["opens"]:
            result.refused.append(Item("consultation", bundle["slug"], "closes", _DATES))
        return result
    missing = unfinished(bundle)
    if missing and consultation.stage is not Stage.PREPARATION:
        result.refused.append(
            Item(
                "consultation",
                consultation.slug,
                "",
                _l(
                    "Only a consultation in preparation may lack a language or have no"
                    " section, and this one is past it: %(missing)s.",
                    missing=missing,
                ),
            )
        )
    _consultation(consultation, bundle, result)
    _profile(consultation, bundle["profile"], result)
    _population(consultation, bundle["population"], result)
    _contributions(consultation, bundle["contributions"], result)
    _sections(consultation, bundle, result)
    _compare_questions(consultation, bundle, result)
    return result


_DATES = _l("The consultation must close after it opens.")
#: Said of what moved: the bundle's other words for what differs are its own keys.
_ORDER = _l("order")


def _questions(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return bundle["questions"] + [q for s in bundle["sections"] for q in s["questions"]]


def _differ(obj: Any, spec: dict[str, Any], names: dict[str, tuple[str, ...]]) -> list[str]:
    """The bundle keys whose model attributes differ."""
    return [
        key
        for key, attrs in names.items()
        if any(getattr(obj, attr) != spec[attr] for attr in attrs)
    ]


class _WithController:
    """The consultation as a bundle states it: without a data controller of its own (one
    written in the console), the organiser controls the data, as its consent says and as
    its export writes."""

    def __init__(self, consultation: Consultation) -> None:
        self._consultation = consultation

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._consultation, name)
        if name.startswith("data_controller_") and not value:
            return getattr(self._consultation, "organiser_" + name.rsplit("_", 1)[1])
        return value


_CONSULTATION = {
    "title": ("title_es", "title_en"),
    "organiser": ("organiser_es", "organiser_en"),
    "summary": ("summary_md_es", "summary_md_en"),
    "contact": ("contact",),
    "privacy": ("privacy_md_es", "privacy_md_en"),
    "time_zone": ("time_zone",),
    "share_base": ("share_base",),
    "publication": ("asks_publication",),
    "consent": (
        "data_controller_es",
        "data_controller_en",
        "data_law_es",
        "data_law_en",
        "consent_es",
        "consent_en",
    ),
}


def _consultation(consultation: Consultation, bundle: dict, result: Comparison) -> None:
    what = _differ(_WithController(consultation), bundle, _CONSULTATION)
    opens = bundle["opens"] or consultation.opens_at
    closes = bundle["closes"] or consultation.closes_at
    if opens != consultation.opens_at:
        what.append("opens")
    if closes != consultation.closes_at:
        what.append("closes")
    if what:
        result.changed.append(Item("consultation", consultation.slug, ", ".join(what)))
    if closes <= opens:
        result.refused.append(Item("consultation", consultation.slug, "closes", _DATES))


def _profile(consultation: Consultation, profile: dict, result: Comparison) -> None:
    existing = {f.key: f for f in consultation.profile_fields}
    wanted = [{"key": GROUPS_KEY, "required": False, "options": profile["groups"]}]
    wanted += profile["fields"]
    for position, spec in enumerate(wanted):
        stored = existing.pop(spec["key"], None)
        if stored is None:
            result.added.append(Item("profile", spec["key"]))
            continue
        what = []
        if stored.position != position:
            what.append(str(_ORDER))
        if spec["key"] != GROUPS_KEY:
            what += _differ(
                stored,
                spec,
                {
                    "required": ("required",),
                    "prompt": ("prompt_es", "prompt_en"),
                    "help": ("help_es", "help_en"),
                },
            )
        options = {o.code: o for o in stored.options}
        wanted_codes = [o["code"] for o in spec["options"]]
        added = [c for c in wanted_codes if c not in options]
        removed = [c for c in options if c not in wanted_codes]
        relabelled = [
            o["code"]
            for o in spec["options"]
            if o["code"] in options
            and (
                (options[o["code"]].label_es, options[o["code"]].label_en)
                != (o["label_es"], o["label_en"])
                or options[o["code"]].group != o.get("group")
                or options[o["code"]].only != o.get("only")
                or options[o["code"]].abroad != bool(o.get("abroad", False))
            )
        ]
        kept = [c for c in options if c in wanted_codes]
        if kept != [c for c in wanted_codes if c in options]:
            what.append(str(_l("order of the options")))
        if added:
            what.append(str(_l("options added: %(codes)s", codes=", ".join(added))))
        if relabelled:
            what.append(str(_l("options changed: %(codes)s", codes=", ".join(relabelled))))
        for code in removed:
            used = profile_uses(consultation, stored, code)
            if used:
                result.refused.append(Item("profile", spec["key"], f"options: {code}", _held(used)))
            else:
                what.append(str(_l("options removed: %(codes)s", codes=code)))
        if what:
            result.changed.append(Item("profile", spec["key"], "; ".join(what)))
    for key, stored in existing.items():
        used = profile_uses(consultation, stored, None)
        if used:
            result.refused.append(Item("profile", key, "", _held(used)))
        else:
            result.removed.append(Item("profile", key))


def _held(used: int) -> Any:
    return _ln(
        "It left the bundle or changed, but %(num)d stored answer, comment or response holds it.",
        "It left the bundle or changed, but %(num)d stored answers, comments or responses hold it.",
        used,
    )


def _population(consultation: Consultation, wanted: list[dict], result: Comparison) -> None:
    stored = {
        (r.field_key, r.code, r.population, r.source)
        for r in db.session.scalars(
            sa.select(ReferencePopulation).filter_by(consultation_id=consultation.id)
        )
    }
    bundle = {(r["field_key"], r["code"], r["population"], r["source"]) for r in wanted}
    if stored == bundle:
        return
    fields = sorted({row[0] for row in stored ^ bundle})
    if not stored:
        result.added.append(Item("population", ", ".join(fields)))
    elif not bundle:
        result.removed.append(Item("population", ", ".join(fields)))
    else:
        result.changed.append(Item("population", ", ".join(fields)))


def _contributions(consultation: Consultation, wanted: list[dict], result: Comparison) -> None:
    current = consultation.contributions or []
    if current == wanted:
        return
    removed = sorted({c["code"] for c in current} - {c["code"] for c in wanted})
    used = _count(
        Comment,
        sa.and_(
            Comment.contribution.in_(removed),
            Comment.section_id.in_(
                sa.select(Section.id).where(Section.consultation_id == consultation.id)
            ),
        ),
    )
    if removed and used:
        result.refused.append(
            Item("contributions", consultation.slug, ", ".join(removed), _held(used))
        )
    else:
        result.changed.append(Item("contributions", consultation.slug))


_SECTION = {
    "number": ("number",),
    "title": ("title_es", "title_en"),
    "body": ("body_md_es", "body_md_en"),
    "comments": ("comments_enabled",),
    "gate": ("gate_es", "gate_en"),
}


def _sections(consultation: Consultation, bundle: dict, result: Comparison) -> None:
    existing = {s.key: s for s in consultation.sections}
    order = [s.key for s in consultation.sections]
    wanted = [s["key"] for s in bundle["sections"]]
    # Where each kept section stands among the kept ones, now and in the bundle.
    now = {k: i for i, k in enumerate(k for k in order if k in wanted)}
    then = {k: i for i, k in enumerate(k for k in wanted if k in existing)}
    for spec in bundle["sections"]:
        section = existing.get(spec["key"])
        if section is None:
            result.added.append(Item("section", spec["key"], spec["number"]))
            continue
        what = _differ(section, spec, _SECTION)
        if (section.parent.key if section.parent else None) != spec["parent"]:
            what.append("parent")
        if now[spec["key"]] != then[spec["key"]]:
            what.append(str(_ORDER))
        if what:
            result.changed.append(Item("section", spec["key"], ", ".join(what)))
    for key, section in existing.items():
        if key in wanted:
            continue
        comments = _count(Comment, Comment.section_id == section.id)
        versions = db.session.scalars(
            sa.select(DraftVersion.number)
            .join(SectionText, SectionText.version_id == DraftVersion.id)
            .where(SectionText.section_id == section.id)
            .order_by(DraftVersion.number)
        ).all()
        if comments:
            result.refused.append(Item("section", key, section.number, _held(comments)))
        elif versions:
            result.refused.append(
                Item(
                    "section",
                    key,
                    section.number,
                    _l(
                        "It left the bundle, but version(s) %(numbers)s of the draft hold its"
                        " text.",
                        numbers=", ".join(str(n) for n in versions),
                    ),
                )
            )
        else:
            result.removed.append(Item("section", key, section.number))


_QUESTION = {
    "type": ("type",),
    "required": ("required",),
    "prompt": ("prompt_es", "prompt_en"),
    "help": ("help_es", "help_en"),
    "options": ("options",),
}


def _places(pages_and_keys) -> dict[str, int]:
    """Each question's place on its page (the draft as a whole or a section), in order:
    what a respondent sees, whatever numbers the other pages' questions hold."""
    counts: dict[str | None, int] = {}
    places = {}
    for page, key in pages_and_keys:
        places[key] = counts.get(page, 0)
        counts[page] = places[key] + 1
    return places


def _compare_questions(consultation: Consultation, bundle: dict, result: Comparison) -> None:
    existing = {q.key: q for q in consultation.questions}
    placed = [(None, q) for q in bundle["questions"]]
    placed += [(s["key"], q) for s in bundle["sections"] for q in s["questions"]]
    kept = {spec["key"] for _, spec in placed} & set(existing)
    stored_order = sorted((q for q in existing.values() if q.key in kept), key=lambda q: q.position)
    stored_place = _places((q.section.key if q.section else None, q.key) for q in stored_order)
    wanted_place = _places((page, spec["key"]) for page, spec in placed if spec["key"] in kept)
    for section_key, spec in placed:
        question = existing.pop(spec["key"], None)
        if question is None:
            result.added.append(Item("question", spec["key"]))
            continue
        what = _differ(question, spec, _QUESTION)
        if (question.section.key if question.section else None) != section_key:
            what.append("section")
        if stored_place[spec["key"]] != wanted_place[spec["key"]] and "section" not in what:
            what.append(str(_ORDER))
        answers = Answer.question_id == question.id
        if question.type != spec["type"] and _count(Answer, answers):
            result.refused.append(
                Item(
                    "question",
                    spec["key"],
                    "type",
                    _ln(
                        "Its type cannot change: %(num)d answer holds it.",
                        "Its type cannot change: %(num)d answers hold it.",
                        _count(Answer, answers),
                    ),
                )
            )
            continue
        removed = set(question.option_codes()) - {o["code"] for o in spec["options"]}
        used = removed and _count(
            Answer,
            sa.and_(
                answers,
                sa.or_(
                    Answer.value.in_(removed),
                    Answer.id.in_(
                        sa.select(AnswerChoice.answer_id).where(AnswerChoice.option.in_(removed))
                    ),
                ),
            ),
        )
        if used:
            result.refused.append(
                Item(
                    "question",
                    spec["key"],
                    f"options: {', '.join(sorted(removed))}",
                    _ln(
                        "%(num)d answer chose these options: their codes cannot go.",
                        "%(num)d answers chose these options: their codes cannot go.",
                        used,
                    ),
                )
            )
            continue
        if what:
            result.changed.append(Item("question", spec["key"], ", ".join(what)))
    for key, question in existing.items():
        used = _count(Answer, Answer.question_id == question.id)
        if used:
            result.refused.append(Item("question", key, "", _held(used)))
        else:
            result.removed.append(Item("question", key))


def _count(table: type, condition: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(table).where(condition))
