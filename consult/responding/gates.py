"""The yes or no before a gated section ("Do you want to answer this section?").

A gated section (``Section.gate_es``/``gate_en``) asks first; "yes" opens its questions,
"no" skips it. Saying no deletes what the response had written in that section (its
answers and its comment), so a section's results hold only answers of people who chose
to answer it, and its report base (those who said yes) covers every one of them. The
respondent may change their mind while the response can change.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

from ..extensions import db
from ..models import GateAnswer, Response, Section
from ..models.columns import utcnow
from . import saving
from .changes import note_public_change
from .operations import ensure_writable
from .own_response import OwnResponse

_GATE = GateAnswer.__table__


class NotGated(ValueError):
    """A yes or no given to a section that asks none."""


def gate_answers(response: Response | OwnResponse) -> dict[int, bool]:
    """Section id → the response's yes (True) or no (False), for the gates it answered."""
    return {gate.section_id: gate.wants for gate in response.gates}


def wants_section(response: Response | OwnResponse, section: Section) -> bool | None:
    """The response's answer to the section's gate; None while it has not given one."""
    return gate_answers(response).get(section.id)


def answer_gate(response: Response | OwnResponse, section: Section, wants: bool) -> bool:
    """Store the response's yes or no to a gated section, in one transaction.

    A no deletes the response's answers to the section's questions and its comment on
    it; return whether anything was deleted.
    """
    ensure_writable(response.consultation, response)
    if not section.gated:
        raise NotGated(section.key)
    now = utcnow()
    connection = db.session.connection()
    deleted = shown = False
    if wants_section(response, section) is not wants:
        values = {"response_id": response.id, "section_id": section.id, "wants": wants}
        connection.execute(_upsert(db.engine.dialect.name), {**values, "updated_at": now})
        saving.touch(connection, response.id, now)
    if not wants:
        questions = [q for q in response.consultation.questions if q.section_id == section.id]
        deleted, shown = saving.clear_section(response, questions, section)
    if shown:
        note_public_change(db.session)
    db.session.commit()
    return deleted


@cache
def _upsert(dialect: str) -> sa.Executable:
    """One row per response and section: a twin request's answer is written over."""
    insert = saving.dialect_insert(dialect)(_GATE)
    return insert.on_conflict_do_update(
        index_elements=["response_id", "section_id"],
        set_={"wants": insert.excluded.wants, "updated_at": insert.excluded.updated_at},
    )
