"""Writing a consultation in the console: who may edit which one, and every change to a
text made after it opened (the public "last changed" note reads them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import utcnow


class ConsultationEditor(db.Model):
    """A coordinator an admin gave a consultation to edit (admins edit every one)."""

    __tablename__ = "consultation_editor"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class TextRevision(db.Model):
    """One edit of the wording of the consultation, a section or a question once the
    consultation has opened: the texts before and after, kept as a version of that text."""

    __tablename__ = "text_revision"
    __table_args__ = (
        sa.Index("ix_text_revision_target", "consultation_id", "target", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE")
    )
    #: "consultation", "section" or "question".
    target: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[int]
    #: The changed fields only: {"title_es": "…", …}.
    before: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
