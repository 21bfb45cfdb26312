"""Writing one page of a response: its answers and its comment, in a few SQL statements.

People save a page many times while they answer, and the ORM's unit of work cost more
than the rest of the request. The response is loaded already (the page was built from
it), so the new values are compared with it here and only what changed is written, in
Core statements on the session's connection, inside the session's transaction: updates
by primary key, deletes that the database cascades, and inserts as upserts, so a twin
request (a double click) that inserted the same rows first is written over, never
doubled and never an error.

The ORM's view of the response is stale until the commit expires it; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Answer, AnswerChoice, Comment, Consultation, Question, Response, Section
from ..models.columns import utcnow
from ..models.vocab import ModerationState, QuestionType
from .own_response import OwnResponse

#: An answer value: a code or text, or a list of codes (multiple choice, ranking in order).
AnswerValue = str | list[str] | None

_ANSWER = Answer.__table__
_CHOICE = AnswerChoice.__table__
_COMMENT = Comment.__table__
_RESPONSE = Response.__table__


@dataclass(frozen=True)
class CommentInput:
    text: str
    #: A code of the consultation's ``contributions``; None where it asks none.
    contribution: str | None = None


@dataclass
class _Writes:
    """The statements one save needs, gathered before any is sent."""

    deleted: list[int] = field(default_factory=list)
    #: Parameters of ``update_answer`` and ``upsert_answer``.
    updated: list[dict] = field(default_factory=list)
    inserted: list[dict] = field(default_factory=list)
    #: Answers whose chosen options change: (its update or insert parameters, options).
    choices: list[tuple[dict, list[dict]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.updated or self.inserted or self.deleted or self.choices)


def is_empty(value: AnswerValue) -> bool:
    return value is None or value == "" or value == []


def write_page(
    response: Response | OwnResponse,
    questions: Iterable[Question],
    values: Mapping[str, AnswerValue],
    section: Section | None,
    comment: CommentInput | None,
) -> bool:
    """Write what changed on this page; return whether a published comment changed.

    ``values`` maps question keys to values; an empty value removes the answer. The
    response's ``updated_at`` moves only when something was written. A section without
    a comment box (``Section.comments_enabled`` off) takes no comment: one given is
    ignored, and one written before the box was closed is left as it is.
    """
    now = utcnow()
    writes = _answer_writes(response, questions, values, now)
    comment = _with_known_contribution(response.consultation, comment)
    connection = db.session.connection()
    if writes.deleted:
        connection.execute(_statement("delete_answers"), {"ids": writes.deleted})
    # Answers whose options change are updated with the others (their value stays NULL).
    updated = writes.updated + [answer for answer, _ in writes.choices if "answer_id" in answer]
    if updated:
        connection.execute(_statement("update_answer"), updated)
    if writes.inserted:
        connection.execute(_statement("upsert_answer"), writes.inserted)
    for answer, chosen in writes.choices:
        if "answer_id" in answer:
            answer_id = answer["answer_id"]
        else:
            upsert = _statement("upsert_answer").returning(_ANSWER.c.id)
            answer_id = connection.execute(upsert, answer).scalar_one()
        connection.execute(_statement("delete_choices"), {"answer_id": answer_id})
        connection.execute(
            _statement("upsert_choice"), [{**row, "answer_id": answer_id} for row in chosen]
        )
    comment_changed, shown = (
        _write_comment(connection, response, section, comment, now)
        if section is not None and section.comments_enabled
        else (False, False)
    )
    if writes or comment_changed:
        touch(connection, response.id, now)
    return shown


def touch(connection: sa.Connection, response_id: int, now: datetime) -> None:
    """Move the response's ``updated_at``: something of it was written."""
    connection.execute(_statement("touch_response"), {"response_id": response_id, "now": now})


def clear_section(
    response: Response | OwnResponse, questions: Iterable[Question], section: Section
) -> tuple[bool, bool]:
    """Delete the response's answers to these questions and its comments on the section.

    Return (something was deleted, a published comment was). The comment goes whether
    or not the section still has a comment box: nothing of the section is kept.
    """
    now = utcnow()
    writes = _answer_writes(response, questions, {}, now)
    connection = db.session.connection()
    if writes.deleted:
        connection.execute(_statement("delete_answers"), {"ids": writes.deleted})
    # The section's comment and its comments on the section's passages.
    comments = [c for c in response.comments if c.section_id == section.id]
    for comment in comments:
        connection.execute(_statement("delete_comment"), {"comment_id": comment.id})
    changed = bool(writes.deleted) or bool(comments)
    if changed:
        touch(connection, response.id, now)
    shown = any(c.moderation is ModerationState.PUBLISHED for c in comments)
    return changed, shown


def _with_known_contribution(
    consultation: Consultation, comment: CommentInput | None
) -> CommentInput | None:
    """The comment with its contribution checked against the consultation's own codes.

    A consultation that asks none stores None; a code it does not list is refused.
    """
    if comment is None:
        return None
    codes = {c["code"] for c in consultation.contributions}
    if not codes:
        return CommentInput(comment.text, None) if comment.contribution else comment
    if comment.contribution is not None and comment.contribution not in codes:
        raise ValueError(f"{comment.contribution!r} is not a contribution of this consultation")
    return comment


def _answer_writes(
    response: Response | OwnResponse,
    questions: Iterable[Question],
    values: Mapping[str, AnswerValue],
    now: datetime,
) -> _Writes:
    existing = {a.question_id: a for a in response.answers}
    writes = _Writes()
    for question in questions:
        value = values.get(question.key)
        answer = existing.get(question.id)
        if is_empty(value):
            if answer is not None:
                writes.deleted.append(answer.id)
            continue
        listed = question.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)
        text = None if listed or not isinstance(value, str) else value
        if answer is not None:
            row = {"answer_id": answer.id, "new_value": text, "now": now}
        else:
            row = {
                "response_id": response.id,
                "question_id": question.id,
                "value": text,
                "updated_at": now,
            }
        if listed:
            codes = list(value) if isinstance(value, list) else [value]
            ranked = question.type is QuestionType.RANKING
            chosen = {code: i + 1 if ranked else None for i, code in enumerate(codes)}
            if answer is None or {c.option: c.position for c in answer.choices} != chosen:
                options = [{"option": o, "position": p} for o, p in chosen.items()]
                writes.choices.append((row, options))
        elif answer is None:
            writes.inserted.append(row)
        elif answer.value != text:
            writes.updated.append(row)
    return writes


def _write_comment(
    connection: sa.Connection,
    response: Response | OwnResponse,
    section: Section,
    comment: CommentInput | None,
    now,
) -> tuple[bool, bool]:
    """Write the page's comment; return (changed, a published comment changed)."""
    current = response.section_comment(section)
    shown = current is not None and current.moderation is ModerationState.PUBLISHED
    text = comment.text.strip() if comment is not None else ""
    if not text:
        if current is None:
            return False, False
        connection.execute(_statement("delete_comment"), {"comment_id": current.id})
        return True, shown
    assert comment is not None
    if current is None:
        connection.execute(
            _statement("upsert_comment"),
            {
                "response_id": response.id,
                "section_id": section.id,
                "text": text,
                "contribution": comment.contribution,
                "created_at": now,
                "updated_at": now,
            },
        )
        return True, False
    if current.text == text and current.contribution == comment.contribution:
        return False, False
    # Changed words need a fresh look before anyone reads them publicly.
    reopen = bool(current.text) and text != current.text
    connection.execute(
        _statement("reopen_comment" if reopen else "update_comment"),
        {
            "comment_id": current.id,
            "new_text": text,
            "new_contribution": comment.contribution,
            "now": now,
        },
    )
    return True, shown


# ---------------------------------------------------------------- statements, built once


def dialect_insert(dialect: str):
    """The dialect's INSERT construct: SQLite's and PostgreSQL's both have ON CONFLICT."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@cache
def _statements(dialect: str) -> dict[str, sa.Executable]:
    insert = dialect_insert(dialect)
    answer = insert(_ANSWER)
    choice = insert(_CHOICE)
    comment = insert(_COMMENT)
    # A twin request's row is written over; a changed text of a twin's comment goes back
    # to moderation as an edit would.
    changed = comment.excluded.text != _COMMENT.c.text
    edit = {
        "text": sa.bindparam("new_text"),
        "contribution": sa.bindparam("new_contribution", type_=_COMMENT.c.contribution.type),
        "updated_at": sa.bindparam("now"),
    }
    by_id = _COMMENT.update().where(_COMMENT.c.id == sa.bindparam("comment_id"))
    return {
        "delete_answers": _ANSWER.delete().where(
            _ANSWER.c.id.in_(sa.bindparam("ids", expanding=True))
        ),
        "delete_choices": _CHOICE.delete().where(_CHOICE.c.answer_id == sa.bindparam("answer_id")),
        "delete_comment": _COMMENT.delete().where(_COMMENT.c.id == sa.bindparam("comment_id")),
        "update_comment": by_id.values(**edit),
        "reopen_comment": by_id.values(
            **edit,
            moderation=ModerationState.PENDING,
            rejection_reason=None,
            redacted_text=None,
        ),
        "touch_response": _RESPONSE.update()
        .where(_RESPONSE.c.id == sa.bindparam("response_id"))
        .values(updated_at=sa.bindparam("now")),
        "update_answer": _ANSWER.update()
        .where(_ANSWER.c.id == sa.bindparam("answer_id"))
        .values(value=sa.bindparam("new_value"), updated_at=sa.bindparam("now")),
        "upsert_answer": answer.on_conflict_do_update(
            index_elements=["response_id", "question_id"],
            set_={"value": answer.excluded.value, "updated_at": answer.excluded.updated_at},
        ),
        "upsert_choice": choice.on_conflict_do_update(
            index_elements=["answer_id", "option"], set_={"position": choice.excluded.position}
        ),
        "upsert_comment": comment.on_conflict_do_update(
            index_elements=["response_id", "section_id", "anchor"],
            set_={
                "text": comment.excluded.text,
                "contribution": comment.excluded.contribution,
                "updated_at": comment.excluded.updated_at,
                "moderation": sa.case(
                    (changed, ModerationState.PENDING.value), else_=_COMMENT.c.moderation
                ),
                "rejection_reason": sa.case(
                    (changed, sa.null()), else_=_COMMENT.c.rejection_reason
                ),
                "redacted_text": sa.case((changed, sa.null()), else_=_COMMENT.c.redacted_text),
            },
        ),
    }


def _statement(name: str) -> sa.Executable:
    return _statements(db.engine.dialect.name)[name]
