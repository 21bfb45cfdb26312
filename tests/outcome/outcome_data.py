"""A consultation whose outcome is ready: themes, decisions, a second version, its changes.

Built straight through the models (the decisions' and versions' operations are tested on
their own). K is 5 (the default ``REPORT_MIN_CELL``):

- 6 academia responses comment on 5.3 (published, anonymous), each tagged "Formación
  docente" (accepted); 6 civil-society responses comment on 5.4 (published, the first
  named "Rosa Quispe"), each tagged "Impuestos digitales" (outside the scope);
- 2 public-sector responses (fewer than K: pooled with 3 of the technical community,
  never shown alone) comment on 5.3, published with the name "Ana Pública", tagged
  "Formación docente";
- a pending comment and a comment whose author chose not to publish, both tagged
  "Formación docente", and a suggested (unconfirmed) tag on "Impuestos digitales";
- section 5.4 decided "not accepted"; three comments on 5.4 answered "not accepted" one
  by one; version 2 changes 5.3, answering "Formación docente".
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from consult.extensions import db
from consult.models import (
    Consultation,
    DraftChange,
    DraftVersion,
    OutcomeDecision,
    Section,
    Theme,
    comment_theme,
)
from consult.models.vocab import Decision, ModerationState, Stage
from tests.factories import build_response

PENDING_TEXT = "texto-pendiente-que-nadie-debe-leer"
PRIVATE_TEXT = "texto-privado-que-nadie-debe-leer"
TEACHERS = "Formación docente"
TAXES = "Impuestos digitales"
TEACHERS_REASON = (
    "Se añadió un programa de formación docente.",
    "A teacher training programme was added.",
)
TAXES_REASON = (
    "Los impuestos no son materia de esta estrategia.",
    "Taxes are not a matter for this strategy.",
)
SECTION_REASON = (
    "La sección ya responde a esas propuestas.",
    "The section already answers those proposals.",
)
EXPLANATION = (
    "Se incluye la formación de docentes en IA.",
    "Teacher training in AI is now included.",
)
NOTE = ("Segunda versión, tras la consulta", "Second version, after the consultation")


@dataclass
class Outcome:
    consultation: Consultation
    teachers: Theme
    taxes: Theme


def _published(text: str, section: str, **extra) -> dict:
    return {"section": section, "text": text, "moderation": ModerationState.PUBLISHED, **extra}


def build_outcome(
    consultation: Consultation, *, stage: Stage = Stage.OUTCOME, versions: bool = True
) -> Outcome:
    """The data described above, committed; the consultation left in ``stage``. Without
    ``versions``, the change goes on the consultation's version 2, already loaded."""
    sections = {s.key: s for s in consultation.sections}
    teachers_comments, taxes_comments = [], []
    for n in range(6):
        r = build_response(
            consultation,
            [_published(f"Hace falta formar a los docentes en IA, dice la academia {n}.", "5-3")],
            stakeholder_type="academia",
        )
        teachers_comments += r.comments
    for n in range(6):
        extra = {"decision": Decision.NOT_ACCEPTED, "decision_reason": "No."} if n < 3 else {}
        r = build_response(
            consultation,
            [_published(f"Hay que gravar los servicios digitales, número {n}.", "5-4", **extra)],
            stakeholder_type="civil_society",
            responding_as="organisation",
            publication="named" if n == 0 else "anonymous",
            display_name="Rosa Quispe" if n == 0 else None,
        )
        taxes_comments += r.comments
    for n in range(2):
        r = build_response(
            consultation,
            [_published(f"El Estado debe capacitar a sus docentes {n}.", "5-3")],
            stakeholder_type="public_sector",
            publication="named",
            display_name="Ana Pública",
        )
        teachers_comments += r.comments
    for _n in range(3):  # pooled with the public sector: the pool counts K
        build_response(consultation, [], stakeholder_type="technical_community")
    pending = build_response(
        consultation,
        [{"section": "5-3", "text": PENDING_TEXT, "moderation": ModerationState.PENDING}],
    )
    private = build_response(consultation, [_published(PRIVATE_TEXT, "5-3")], publication="private")
    teachers_comments += pending.comments + private.comments
    db.session.flush()
    teachers = Theme(consultation_id=consultation.id, name=TEACHERS)
    taxes = Theme(consultation_id=consultation.id, name=TAXES)
    db.session.add_all([teachers, taxes])
    db.session.flush()
    for comment in teachers_comments:
        comment.themes.append(teachers)
    for comment in taxes_comments:
        comment.themes.append(taxes)
    db.session.flush()
    # A suggestion's tag, never confirmed: counted nowhere.
    db.session.execute(
        sa.insert(comment_theme).values(
            comment_id=teachers_comments[0].id, theme_id=taxes.id, suggested=True
        )
    )
    db.session.add_all(
        [
            OutcomeDecision(
                theme_id=teachers.id,
                decision=Decision.ACCEPTED,
                reason_es=TEACHERS_REASON[0],
                reason_en=TEACHERS_REASON[1],
            ),
            OutcomeDecision(
                theme_id=taxes.id,
                decision=Decision.OUT_OF_SCOPE,
                reason_es=TAXES_REASON[0],
                reason_en=TAXES_REASON[1],
            ),
            OutcomeDecision(
                section_id=sections["5-4"].id,
                decision=Decision.NOT_ACCEPTED,
                reason_es=SECTION_REASON[0],
                reason_en=SECTION_REASON[1],
            ),
        ]
    )
    if versions:
        first = DraftVersion(consultation_id=consultation.id, number=1)
        second = DraftVersion(
            consultation_id=consultation.id, number=2, note_es=NOTE[0], note_en=NOTE[1]
        )
        db.session.add_all([first, second])
        db.session.flush()
    else:
        second = db.session.scalars(
            sa.select(DraftVersion).filter_by(consultation_id=consultation.id, number=2)
        ).one()
        db.session.execute(
            sa.delete(DraftChange).filter_by(version_id=second.id, section_id=sections["5-3"].id)
        )
    change = DraftChange(
        version_id=second.id,
        section_id=sections["5-3"].id,
        explanation_es=EXPLANATION[0],
        explanation_en=EXPLANATION[1],
    )
    change.themes.append(teachers)
    change.comments.extend(teachers_comments[:2])
    db.session.add(change)
    consultation.current_version = 2
    consultation.stage = stage
    db.session.commit()
    return Outcome(consultation, teachers, taxes)


def section(consultation: Consultation, key: str) -> Section:
    return next(s for s in consultation.sections if s.key == key)
