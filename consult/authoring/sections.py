"""A consultation's sections written in the console: add, edit, reorder, delete.

Sections form a tree of one level (a part and its sub-parts, ``Section.parent_id``), read
in ``Section.position`` order: each part, then its sub-parts. The number shown ("5.3") is
the editor's text, as in a bundle; a new section is offered the next one. Its key (the
address /c/<slug>/s/<key>, and the bundle's ``key``) is typed or made from the title, and
never changes afterwards.

Each change is one transaction with one audit entry (before and after). After the
consultation has opened, each text edit is also kept as a ``TextRevision``; the current
version of the draft (when versions are stored) follows the live texts.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..content.markdown import render_markdown
from ..content.versions import keep_current_in_step
from ..extensions import db
from ..models import Answer, Comment, Consultation, GateAnswer, Question, Section, User
from ..models.outcome import DraftVersion, SectionText
from ..responding.changes import note_public_change
from ..reviewing import audit
from .texts import EditRefused, languages, record_revision, record_update, unique_key, valid_key

#: What the audit trail keeps of a section.
AUDITED = (
    "key",
    "number",
    "parent_id",
    "position",
    "title_es",
    "title_en",
    "body_md_es",
    "body_md_en",
    "comments_enabled",
    "gate_es",
    "gate_en",
)
#: Its texts: an edit of these after opening is kept as a revision.
TEXTS = ("number", "title_es", "title_en", "body_md_es", "body_md_en", "gate_es", "gate_en")


@dataclass
class SectionInput:
    """What the editor sends: texts per language (Markdown bodies), the number, the parent's
    key (None: a part of its own), and the key (only when adding; empty: from the title)."""

    number: str
    title_es: str
    title_en: str
    body_md_es: str
    body_md_en: str
    parent: str | None = None
    comments_enabled: bool = True
    gate_es: str = ""
    gate_en: str = ""
    key: str = ""


def ordered(consultation: Consultation) -> list[Section]:
    """The sections in reading order: each part followed by its sub-parts."""
    sections = sorted(consultation.sections, key=lambda s: s.position)
    tops = [s for s in sections if s.parent_id is None]
    result = []
    for top in tops:
        result.append(top)
        result += [s for s in sections if s.parent_id == top.id]
    # A sub-part whose parent is missing from the list (never, but never lose one).
    result += [s for s in sections if s not in result]
    return result


def suggested_number(consultation: Consultation, parent: Section | None) -> str:
    """The number a new section is offered: the next after its siblings' last one."""
    siblings = [s for s in consultation.sections if s.parent_id == (parent.id if parent else None)]
    prefix = f"{parent.number}." if parent else ""
    last = 0
    for sibling in siblings:
        tail = sibling.number.removeprefix(prefix).split(".")[-1] if sibling.number else ""
        if tail.isdigit():
            last = max(last, int(tail))
    return f"{prefix}{max(last, len(siblings)) + 1}"


def _renumber(consultation: Consultation, order: list[Section]) -> None:
    for position, section in enumerate(order):
        if section.position != position:
            section.position = position


def _parent(consultation: Consultation, key: str | None, section: Section | None) -> Section | None:
    if not key:
        return None
    parent = next((s for s in consultation.sections if s.key == key), None)
    if parent is None or parent is section:
        raise EditRefused(_l("Please choose a part from the list."), "parent")
    if parent.parent_id is not None:
        raise EditRefused(
            _l("Sections nest one level only: choose a part that is not itself a sub-part."),
            "parent",
        )
    if section is not None and any(s.parent_id == section.id for s in consultation.sections):
        raise EditRefused(
            _l("This section has sub-parts of its own, so it cannot go under another part."),
            "parent",
        )
    return parent


def _check(values: SectionInput) -> None:
    # One language is enough to start; the others are listed as missing until written.
    if not any(getattr(values, f"title_{lang}").strip() for lang in languages()):
        raise EditRefused(_l("Please write the title."), "title_es")
    if any(len(getattr(values, f"title_{lang}").strip()) > 300 for lang in ("es", "en")):
        raise EditRefused(_l("A title is at most 300 characters."), "title_es")
    if len(values.number.strip()) > 16:
        raise EditRefused(_l("A number is at most 16 characters, such as 5.3."), "number")
    if not values.number.strip():
        raise EditRefused(_l("Please write the number shown before the title."), "number")
    gates = [getattr(values, f"gate_{lang}").strip() for lang in languages()]
    if any(gates) and not all(gates):
        raise EditRefused(
            _l("Write the question before the section in every language, or in none."), "gate_es"
        )


def _fields(values: SectionInput) -> dict:
    fields = {
        "number": values.number.strip(),
        "comments_enabled": values.comments_enabled,
    }
    for lang in ("es", "en"):
        fields[f"title_{lang}"] = getattr(values, f"title_{lang}").strip()
        body = getattr(values, f"body_md_{lang}").replace("\r\n", "\n").strip("\n")
        fields[f"body_md_{lang}"] = body
        fields[f"body_html_{lang}"] = render_markdown(body)
        fields[f"gate_{lang}"] = getattr(values, f"gate_{lang}").strip()
    return fields


def _done(consultation: Consultation) -> None:
    db.session.flush()
    keep_current_in_step(consultation)
    note_public_change(db.session)
    db.session.commit()


def create_section(consultation: Consultation, values: SectionInput, actor: User) -> Section:
    """Add a section at the end (of its part, for a sub-part)."""
    _check(values)
    taken = {s.key for s in consultation.sections}
    if values.key:
        if not valid_key(values.key):
            raise EditRefused(
                _l("A key is lowercase letters, digits and hyphens (at most 64), such as 5-3."),
                "key",
            )
        if values.key in taken:
            raise EditRefused(_l("Another section of this consultation has this key."), "key")
        key = values.key
    else:
        key = unique_key(values.title_es or values.title_en, taken, "section")
    parent = _parent(consultation, values.parent, None)
    section = Section(consultation=consultation, key=key, parent=parent, position=0)
    for name, value in _fields(values).items():
        setattr(section, name, value)
    order = ordered(consultation)
    order = [s for s in order if s is not section]
    if parent is None:
        order.append(section)
    else:
        family = [i for i, s in enumerate(order) if s is parent or s.parent_id == parent.id]
        order.insert(family[-1] + 1, section)
    db.session.add(section)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # another editor took the key a moment ago
        db.session.rollback()
        raise EditRefused(_l("Another section of this consultation has this key."), "key") from None
    _renumber(consultation, order)
    db.session.flush()
    audit.record(
        actor, "section.create", "section", section.id, after=audit.snapshot(section, *AUDITED)
    )
    _done(consultation)
    return section


def update_section(section: Section, values: SectionInput, actor: User) -> bool:
    """Change a section's texts, number, part or comment box; whether anything changed."""
    consultation = section.consultation
    _check(values)
    before = audit.snapshot(section, *AUDITED)
    parent = _parent(consultation, values.parent, section)
    for name, value in _fields(values).items():
        if getattr(section, name) != value:
            setattr(section, name, value)
    if section.parent is not parent:
        section.parent = parent
        order = [s for s in ordered(consultation) if s is not section]
        if parent is None:
            order.append(section)
        else:
            family = [i for i, s in enumerate(order) if s is parent or s.parent_id == parent.id]
            order.insert(family[-1] + 1, section)
        db.session.flush()
        _renumber(consultation, order)
    if not record_update(consultation, "section", section, before, AUDITED, TEXTS, actor):
        return False
    _done(consultation)
    return True


def move_section(section: Section, direction: str, actor: User) -> bool:
    """Move a section before the previous or after the next of its siblings (a part moves
    with its sub-parts); False at either end."""
    if direction not in ("up", "down"):
        raise EditRefused(_l("Please choose up or down."))
    consultation = section.consultation
    order = ordered(consultation)
    siblings = [s for s in order if s.parent_id == section.parent_id]
    i = siblings.index(section)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(siblings):
        return False
    siblings[i], siblings[j] = siblings[j], siblings[i]
    if section.parent_id is None:
        new_order = []
        for top in siblings:
            new_order.append(top)
            new_order += [s for s in order if s.parent_id == top.id]
    else:
        parent_at = order.index(section.parent)
        new_order = order[: parent_at + 1] + siblings + order[parent_at + 1 + len(siblings) :]
    before = {"position": section.position, "order": [s.key for s in order]}
    _renumber(consultation, new_order)
    audit.record(
        actor,
        "section.move",
        "section",
        section.id,
        before=before,
        after={"position": section.position, "order": [s.key for s in new_order]},
    )
    _done(consultation)
    return True


def numbers_by_position(consultation: Consultation) -> dict[int, str]:
    """Each section's number as its place gives it: parts 1, 2, …; sub-parts 2.1, 2.2, …"""
    numbers: dict[int, str] = {}
    part = 0
    sub = 0
    for section in ordered(consultation):
        if section.parent_id is None:
            part += 1
            sub = 0
            numbers[section.id] = str(part)
        else:
            sub += 1
            numbers[section.id] = f"{numbers.get(section.parent_id, str(part))}.{sub}"
    return numbers


def renumber_sections(consultation: Consultation, actor: User) -> int:
    """Number every section from its place (``numbers_by_position``); how many changed.
    After opening, each changed number is kept as a revision of that section."""
    wanted = numbers_by_position(consultation)
    changed = [s for s in consultation.sections if s.number != wanted[s.id]]
    if not changed:
        return 0
    before = {s.key: s.number for s in changed}
    for section in changed:
        record_revision(
            consultation,
            "section",
            section.id,
            {"number": section.number},
            {"number": wanted[section.id]},
            actor,
        )
        section.number = wanted[section.id]
    audit.record(
        actor,
        "section.renumber",
        "consultation",
        consultation.id,
        before=before,
        after={s.key: s.number for s in changed},
    )
    _done(consultation)
    return len(changed)


def _count(table, condition) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(table).where(condition)) or 0


def delete_refusal(section: Section):
    """Why the section cannot be deleted (a message), or None."""
    if any(s.parent_id == section.id for s in section.consultation.sections):
        return _l("It has sub-parts: move or delete them first.")
    comments = _count(Comment, Comment.section_id == section.id)
    if comments:
        return _l(
            "People have commented on it (%(num)d comments): deleting it would lose them.",
            num=comments,
        )
    question_ids = sa.select(Question.id).where(Question.section_id == section.id)
    answers = _count(Answer, Answer.question_id.in_(question_ids))
    answers += _count(GateAnswer, GateAnswer.section_id == section.id)
    if answers:
        return _l(
            "People have answered its questions (%(num)d answers): deleting it would lose them.",
            num=answers,
        )
    versions = db.session.scalars(
        sa.select(DraftVersion.number)
        .join(SectionText, SectionText.version_id == DraftVersion.id)
        .where(SectionText.section_id == section.id)
        .order_by(DraftVersion.number)
    ).all()
    if versions:
        return _l(
            "Versions %(numbers)s of the draft hold its text, which they would lose.",
            numbers=", ".join(str(n) for n in versions),
        )
    return None


def delete_section(section: Section, actor: User) -> None:
    """Delete a section and its questions, unless anything people wrote refers to them."""
    refusal = delete_refusal(section)
    if refusal is not None:
        raise EditRefused(refusal)
    consultation = section.consultation
    before = audit.snapshot(section, *AUDITED)
    questions = [q for q in consultation.questions if q.section_id == section.id]
    before["questions"] = [q.key for q in questions]
    section_id = section.id
    for question in questions:
        consultation.questions.remove(question)
        db.session.delete(question)
    consultation.sections.remove(section)
    db.session.delete(section)
    db.session.flush()
    _renumber(consultation, ordered(consultation))
    audit.record(actor, "section.delete", "section", section_id, before=before)
    _done(consultation)


def input_of(section: Section) -> SectionInput:
    """The editor's form as the stored section fills it."""
    values = SectionInput(
        number=section.number,
        title_es=section.title_es,
        title_en=section.title_en,
        body_md_es=section.body_md_es,
        body_md_en=section.body_md_en,
        parent=section.parent.key if section.parent else None,
        comments_enabled=section.comments_enabled,
        gate_es=section.gate_es,
        gate_en=section.gate_en,
        key=section.key,
    )
    return values
