"""Which coordinators may edit which consultation: an admin gives and takes that access
(``ConsultationEditor``), one transaction and one audit entry each. Admins edit every
consultation without being given it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..content.checks import Refused
from ..extensions import db
from ..models import Consultation, ConsultationEditor, User
from ..models.vocab import Role
from ..reviewing import audit


class EditorRefused(Refused):
    """Access that cannot be given; the message is for the admin who asked."""


def coordinators() -> list[User]:
    """Every coordinator account (admins edit everything already), by email."""
    return list(
        db.session.scalars(
            sa.select(User).where(User.role == Role.COORDINATOR).order_by(User.email)
        )
    )


def editor_ids(consultation: Consultation) -> set[int]:
    """The ids of the coordinators given this consultation."""
    return set(
        db.session.scalars(
            sa.select(ConsultationEditor.user_id).where(
                ConsultationEditor.consultation_id == consultation.id
            )
        )
    )


def _grant(consultation: Consultation, user: User) -> ConsultationEditor | None:
    return db.session.get(ConsultationEditor, (consultation.id, user.id))


def give_access(consultation: Consultation, user: User, actor: User) -> bool:
    """Let a coordinator edit the consultation; False when they already may."""
    if user.role is not Role.COORDINATOR:
        raise EditorRefused(_l("Only coordinators are given consultations: admins edit all."))
    if _grant(consultation, user) is not None:
        return False
    db.session.add(
        ConsultationEditor(consultation_id=consultation.id, user_id=user.id, granted_by_id=actor.id)
    )
    audit.record(
        actor,
        "consultation.editor_add",
        "consultation",
        consultation.id,
        before={"editor": None},
        after={"editor": user.email, "user_id": user.id},
    )
    db.session.commit()
    return True


def take_access(consultation: Consultation, user: User, actor: User) -> bool:
    """Stop a coordinator editing the consultation; False when they could not already."""
    grant = _grant(consultation, user)
    if grant is None:
        return False
    db.session.delete(grant)
    audit.record(
        actor,
        "consultation.editor_remove",
        "consultation",
        consultation.id,
        before={"editor": user.email, "user_id": user.id},
        after={"editor": None},
    )
    db.session.commit()
    return True
