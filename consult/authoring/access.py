"""Who may edit a consultation's content: every admin; a coordinator only where an admin
gave them that consultation (``ConsultationEditor``). Reviewing, moderation and reports
stay open to every coordinator."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Consultation, ConsultationEditor, User


def can_edit(user: User, consultation: Consultation) -> bool:
    if not user.is_authenticated or not user.active:
        return False
    if user.is_admin:
        return True
    return (
        db.session.scalar(
            sa.select(sa.literal(True)).where(
                ConsultationEditor.consultation_id == consultation.id,
                ConsultationEditor.user_id == user.id,
            )
        )
        is not None
    )


def editable_ids(user: User) -> set[int] | None:
    """The ids of the consultations ``user`` may edit; None: every one (an admin)."""
    if user.is_admin:
        return None
    return set(
        db.session.scalars(
            sa.select(ConsultationEditor.consultation_id).where(
                ConsultationEditor.user_id == user.id
            )
        )
    )
