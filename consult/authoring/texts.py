"""A consultation's texts in every language it offers: what lacks a language, whether the
consultation has opened (then each text edit is kept as a ``TextRevision``), keys made from
titles, and the checks the section and question editors share.

A consultation cannot open while any text lacks a language (``outcome.stages.check_move``
asks ``missing_translations``); the console lists them at /console/c/<slug>/edit/translations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from ..content.checks import KEY, LANGS, Refused
from ..extensions import db
from ..models import Consultation, Question, Section, TextRevision, User
from ..models.columns import utcnow
from ..models.vocab import Stage
from ..reviewing import audit

#: A consultation's own texts: (field prefix, label, required).
CONSULTATION_TEXTS = (
    ("title", _l("Title"), True),
    ("organiser", _l("Organiser"), True),
    ("summary_md", _l("Introduction"), True),
    ("data_controller", _l("Who controls the personal data"), False),
    ("data_law", _l("The data protection law"), False),
    ("consent", _l("Consent wording"), False),
    ("privacy_md", _l("Privacy notice"), False),
)
SECTION_TEXTS = (
    ("title", _l("Title"), True),
    ("body_md", _l("Text"), True),
    ("gate", _l("Question before the section"), False),
)
QUESTION_TEXTS = (
    ("prompt", _l("Wording"), True),
    ("help", _l("Help"), False),
)


def languages() -> tuple[str, ...]:
    """The languages the consultation offers (config LANGUAGES) that texts are kept in."""
    offered = current_app.config.get("LANGUAGES", LANGS) if has_app_context() else LANGS
    return tuple(lang for lang in offered if lang in LANGS)


@dataclass(frozen=True)
class Missing:
    """One text lacking one language: where it is, which text, which language."""

    #: "consultation", "section", "question", "option" or "contribution".
    target: str
    #: The section's or question's key (the consultation's slug for its own texts).
    key: str
    #: What a person calls it: "5.3 Education", a question's wording…
    where: str
    #: The text's label ("Title", "Wording", an option's code).
    text: Any
    language: str
    #: The form field that writes it on its editor's page ("title_en"), if one.
    field: str = ""


def _pair_missing(values: dict[str, str], required: bool, langs: Iterable[str]) -> list[str]:
    filled = {lang: bool((values.get(lang) or "").strip()) for lang in langs}
    if not required and not any(filled.values()):
        return []
    return [lang for lang, ok in filled.items() if not ok]


def _texts_of(obj: Any, texts, langs) -> list[tuple[Any, str, str]]:
    found = []
    for prefix, label, required in texts:
        values = {lang: getattr(obj, f"{prefix}_{lang}", "") for lang in langs}
        missing = _pair_missing(values, required, langs)
        found += [(label, lang, f"{prefix}_{lang}") for lang in missing]
    return found


def missing_translations(consultation: Consultation) -> list[Missing]:
    """Every text of the consultation lacking a language it offers, in reading order."""
    langs = languages()
    found: list[Missing] = []
    title = consultation.title_es or consultation.title_en or consultation.slug
    for label, lang, name in _texts_of(consultation, CONSULTATION_TEXTS, langs):
        found.append(Missing("consultation", consultation.slug, title, label, lang, name))
    for choice in consultation.contributions or []:
        for lang in _pair_missing(choice, True, langs):
            found.append(
                Missing("contribution", consultation.slug, title, choice.get("code", ""), lang)
            )
    questions = list(consultation.questions)
    places: list[tuple[Section | None, list[Question]]] = [
        (None, [q for q in questions if q.section_id is None])
    ]
    places += [(s, [q for q in questions if q.section_id == s.id]) for s in consultation.sections]
    for section, held in places:
        if section is not None:
            where = section_name(section)
            for label, lang, name in _texts_of(section, SECTION_TEXTS, langs):
                found.append(Missing("section", section.key, where, label, lang, name))
        for question in held:
            where = question.prompt_es or question.prompt_en or question.key
            for label, lang, name in _texts_of(question, QUESTION_TEXTS, langs):
                found.append(Missing("question", question.key, where, label, lang, name))
            for option in question.options or []:
                for lang in _pair_missing(option, True, langs):
                    found.append(
                        Missing(
                            "option", question.key, where, option.get("code", ""), lang, "options"
                        )
                    )
    return found


def section_name(section: Section) -> str:
    return f"{section.number} {section.title_es or section.title_en or section.key}".strip()


# ---------------------------------------------------------------- after opening


def has_opened(consultation: Consultation, now: datetime | None = None) -> bool:
    """Whether people could already read and answer it: running past its opening date, or
    in a later stage. From then on every text edit is kept as a revision."""
    now = now or utcnow()
    if consultation.stage in (Stage.ANALYSIS, Stage.OUTCOME):
        return True
    return consultation.stage is Stage.RUNNING and now >= consultation.opens_at


def record_revision(
    consultation: Consultation,
    target: str,
    target_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: User | None,
    now: datetime | None = None,
) -> TextRevision | None:
    """Keep a text edit made after opening (only the texts that changed); None if before
    opening or nothing changed."""
    changed = [name for name in after if before.get(name) != after.get(name)]
    if not changed or not has_opened(consultation, now):
        return None
    revision = TextRevision(
        consultation_id=consultation.id,
        target=target,
        target_id=target_id,
        before={name: before.get(name) for name in changed},
        after={name: after.get(name) for name in changed},
        changed_at=now or utcnow(),
        changed_by_id=actor.id if actor else None,
    )
    db.session.add(revision)
    return revision


def record_update(
    consultation: Consultation,
    target: str,
    edited: Section | Question,
    before: dict[str, Any],
    audited: Iterable[str],
    texts: Iterable[str],
    actor: User,
) -> bool:
    """Once an edit's fields are set: if nothing changed, roll back and say False; else one
    audit entry ("<target>.update", before and after) and, after opening, the changed
    ``texts`` kept as a revision."""
    db.session.flush()
    after = audit.snapshot(edited, *audited)
    if after == before:
        db.session.rollback()
        return False
    audit.record(actor, f"{target}.update", target, edited.id, before=before, after=after)
    texts = list(texts)
    record_revision(
        consultation,
        target,
        edited.id,
        {k: before[k] for k in texts},
        {k: after[k] for k in texts},
        actor,
    )
    return True


def last_changes(consultation_id: int) -> dict[tuple[str, int], datetime]:
    """When each text of the consultation was last changed after opening, by (target, id)."""
    rows = db.session.execute(
        sa.select(TextRevision.target, TextRevision.target_id, sa.func.max(TextRevision.changed_at))
        .where(TextRevision.consultation_id == consultation_id)
        .group_by(TextRevision.target, TextRevision.target_id)
    ).all()
    return {(target, target_id): when for target, target_id, when in rows}


# ---------------------------------------------------------------- keys


def slugify(text: str, max_len: int = 48) -> str:
    """A key from a title: accents dropped, lowercase letters and digits joined by "-"."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:max_len].strip("-")


def unique_key(wanted: str, taken: set[str], fallback: str) -> str:
    """``wanted`` made a valid key not in ``taken``, with -2, -3… if need be."""
    base = slugify(wanted) or fallback
    key, n = base, 2
    while key in taken or key in RESERVED_KEYS:
        key = f"{base}-{n}"
        n += 1
    return key


#: Words the editor's addresses use after /sections/ and /questions/.
RESERVED_KEYS = frozenset({"new"})


def valid_key(value: str) -> bool:
    return bool(KEY.match(value or "")) and value not in RESERVED_KEYS


class EditRefused(Refused):
    """A change the rules refuse; ``message`` for the person (their language), ``field``
    the form field it concerns, if one."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
