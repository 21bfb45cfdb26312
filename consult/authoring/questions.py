"""A consultation's questions written in the console: add, edit, reorder, delete.

Every type the platform has (``QuestionType``): the agreement scale (consult's own points,
"Strongly disagree" … "Don't know"), single and multiple choice and ranking (options with
a code and a label per language), short and long text. A question belongs to a section or
to the draft as a whole; its key (the bundle's ``key``) is typed or made from its wording
and never changes afterwards.

Rules that protect answers: once a question has answers, its type cannot change, its
option codes stay (their wording may change; new options may be added), it stays where
people answered it, and it cannot be deleted. Each change is one transaction with one
audit entry; a text edit after opening is also kept as a ``TextRevision``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..content.checks import CODE
from ..extensions import db
from ..models import Answer, Consultation, Question, Section, User
from ..models.vocab import QuestionType
from ..responding.changes import note_public_change
from ..reviewing import audit
from .texts import EditRefused, record_update, unique_key, valid_key

AUDITED = (
    "key",
    "section_id",
    "position",
    "type",
    "required",
    "prompt_es",
    "prompt_en",
    "help_es",
    "help_en",
    "options",
)
TEXTS = ("prompt_es", "prompt_en", "help_es", "help_en", "options")
#: The longest wording or help, and option label, as bundles allow.
PROMPT_MAX = 2000
OPTION_MAX = 300


@dataclass
class QuestionInput:
    """What the editor sends. ``section``: the section's key, None for the draft as a whole;
    ``options``: [{"code", "es", "en"}] in order; ``key`` only when adding (empty: made
    from the wording)."""

    type: str
    prompt_es: str
    prompt_en: str
    help_es: str = ""
    help_en: str = ""
    required: bool = False
    section: str | None = None
    options: list[dict[str, str]] = field(default_factory=list)
    key: str = ""


def answer_count(question: Question) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Answer).where(Answer.question_id == question.id)
        )
        or 0
    )


def answer_counts(consultation: Consultation) -> dict[int, int]:
    """Answers stored for each question of the consultation (drafts included), one query."""
    return dict(
        db.session.execute(
            sa.select(Answer.question_id, sa.func.count())
            .join(Question, Question.id == Answer.question_id)
            .where(Question.consultation_id == consultation.id)
            .group_by(Answer.question_id)
        ).all()
    )


def _type(value: str) -> QuestionType:
    try:
        return QuestionType(value)
    except ValueError:
        raise EditRefused(_l("Please choose a type of question from the list."), "type") from None


def _section(consultation: Consultation, key: str | None) -> Section | None:
    if not key:
        return None
    section = next((s for s in consultation.sections if s.key == key), None)
    if section is None:
        raise EditRefused(_l("Please choose a section from the list."), "section")
    return section


def _options(kind: QuestionType, given: list[dict[str, str]]) -> list[dict[str, Any]]:
    if not kind.has_options:
        return []
    options = []
    for option in given:
        code = (option.get("code") or "").strip()
        labels = {lang: (option.get(lang) or "").strip() for lang in ("es", "en")}
        if not code and not any(labels.values()):
            continue  # an empty row
        if not CODE.match(code):
            raise EditRefused(
                _l(
                    "Each option needs a code: lowercase letters, digits, - or _ (at most 64),"
                    " such as “yes” or “sector_2”."
                ),
                "options",
            )
        if not any(labels.values()):
            raise EditRefused(_l("Option “%(code)s” needs its wording.", code=code), "options")
        if any(len(label) > OPTION_MAX for label in labels.values()):
            raise EditRefused(
                _l("An option's wording is at most %(num)d characters.", num=OPTION_MAX),
                "options",
            )
        options.append({"code": code, **labels})
    codes = [o["code"] for o in options]
    if len(set(codes)) != len(codes):
        raise EditRefused(_l("Two options have the same code: each needs its own."), "options")
    if len(options) < 2:
        raise EditRefused(_l("A question of this type needs two or more options."), "options")
    return options


def _clean(text: str) -> str:
    """A browser's text area sends CRLF line ends: keep them as the bundles do (LF)."""
    return (text or "").replace("\r\n", "\n").strip()


def _checked(consultation: Consultation, values: QuestionInput) -> dict[str, Any]:
    kind = _type(values.type)
    prompts = {lang: _clean(getattr(values, f"prompt_{lang}")) for lang in ("es", "en")}
    if not any(prompts.values()):
        raise EditRefused(_l("Please write the question."), "prompt_es")
    fields: dict[str, Any] = {"type": kind, "required": bool(values.required)}
    for lang in ("es", "en"):
        fields[f"prompt_{lang}"] = prompts[lang]
        fields[f"help_{lang}"] = _clean(getattr(values, f"help_{lang}"))
        if len(fields[f"prompt_{lang}"]) > PROMPT_MAX or len(fields[f"help_{lang}"]) > PROMPT_MAX:
            raise EditRefused(
                _l("A wording or help is at most %(num)d characters.", num=PROMPT_MAX),
                f"prompt_{lang}",
            )
    fields["options"] = _options(kind, values.options)
    fields["section"] = _section(consultation, values.section)
    return fields


def create_question(consultation: Consultation, values: QuestionInput, actor: User) -> Question:
    """Add a question at the end of its section (or of the questions on the whole draft)."""
    fields = _checked(consultation, values)
    taken = {q.key for q in consultation.questions}
    if values.key:
        if not valid_key(values.key):
            raise EditRefused(
                _l("A key is lowercase letters, digits and hyphens (at most 64), such as 5-3."),
                "key",
            )
        if values.key in taken:
            raise EditRefused(_l("Another question of this consultation has this key."), "key")
        key = values.key
    else:
        key = unique_key(values.prompt_es or values.prompt_en, taken, "question")
    position = max((q.position for q in consultation.questions), default=-1) + 1
    question = Question(consultation=consultation, key=key, position=position)
    for name, value in fields.items():
        setattr(question, name, value)
    db.session.add(question)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # another editor took the key a moment ago
        db.session.rollback()
        raise EditRefused(
            _l("Another question of this consultation has this key."), "key"
        ) from None
    audit.record(
        actor, "question.create", "question", question.id, after=audit.snapshot(question, *AUDITED)
    )
    note_public_change(db.session)
    db.session.commit()
    return question


def update_question(question: Question, values: QuestionInput, actor: User) -> bool:
    """Change a question; whether anything changed. Refused with a clear message when the
    change would betray its answers."""
    consultation = question.consultation
    fields = _checked(consultation, values)
    answers = answer_count(question) if question.id else 0
    if answers:
        if fields["type"] is not question.type:
            raise EditRefused(
                _l(
                    "People have answered this question (%(num)d answers), so its type cannot"
                    " change.",
                    num=answers,
                ),
                "type",
            )
        gone = set(question.option_codes()) - {o["code"] for o in fields["options"]}
        if gone:
            raise EditRefused(
                _l(
                    "People have answered this question (%(num)d answers), so its option codes"
                    " cannot change: %(codes)s must stay. Their wording may change.",
                    num=answers,
                    codes=", ".join(sorted(gone)),
                ),
                "options",
            )
        if fields["section"] is not question.section:
            raise EditRefused(
                _l(
                    "People have answered this question (%(num)d answers), so it stays where"
                    " they answered it.",
                    num=answers,
                ),
                "section",
            )
    before = audit.snapshot(question, *AUDITED)
    moved = fields["section"] is not question.section
    for name, value in fields.items():
        if getattr(question, name) != value:
            setattr(question, name, value)
    if moved:
        question.position = max((q.position for q in consultation.questions), default=-1) + 1
    if not record_update(consultation, "question", question, before, AUDITED, TEXTS, actor):
        return False
    note_public_change(db.session)
    db.session.commit()
    return True


def siblings(question: Question) -> list[Question]:
    """The questions on the same page (its section, or the whole draft), in order."""
    return sorted(
        (q for q in question.consultation.questions if q.section_id == question.section_id),
        key=lambda q: q.position,
    )


def move_question(question: Question, direction: str, actor: User) -> bool:
    """Swap a question with the one before or after it on its page; False at either end."""
    if direction not in ("up", "down"):
        raise EditRefused(_l("Please choose up or down."))
    page = siblings(question)
    i = page.index(question)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(page):
        return False
    other = page[j]
    before = {"position": question.position, "order": [q.key for q in page]}
    question.position, other.position = other.position, question.position
    page[i], page[j] = page[j], page[i]
    audit.record(
        actor,
        "question.move",
        "question",
        question.id,
        before=before,
        after={"position": question.position, "order": [q.key for q in page]},
    )
    note_public_change(db.session)
    db.session.commit()
    return True


def delete_refusal(question: Question):
    answers = answer_count(question)
    if answers:
        return _l(
            "People have answered it (%(num)d answers): deleting it would lose them.",
            num=answers,
        )
    return None


def delete_question(question: Question, actor: User) -> None:
    refusal = delete_refusal(question)
    if refusal is not None:
        raise EditRefused(refusal)
    before = audit.snapshot(question, *AUDITED)
    question_id = question.id
    question.consultation.questions.remove(question)
    db.session.delete(question)
    db.session.flush()
    audit.record(actor, "question.delete", "question", question_id, before=before)
    note_public_change(db.session)
    db.session.commit()


def input_of(question: Question) -> QuestionInput:
    return QuestionInput(
        type=question.type.value,
        prompt_es=question.prompt_es,
        prompt_en=question.prompt_en,
        help_es=question.help_es,
        help_en=question.help_en,
        required=question.required,
        section=question.section.key if question.section else None,
        options=[dict(o) for o in question.options],
        key=question.key,
    )
