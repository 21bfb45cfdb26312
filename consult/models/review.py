"""What coordinators add while reviewing: themes, notes and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow
from .user import User

comment_theme = sa.Table(
    "comment_theme",
    db.metadata,
    sa.Column("comment_id", sa.ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    # A tag a suggested theme put there: shown as suggested in the console, counted nowhere
    # until a person confirms it (then False, as every tag a person adds).
    sa.Column("suggested", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
)

#: Themes of the answers to open questions (the same rule on suggested tags).
answer_theme = sa.Table(
    "answer_theme",
    db.metadata,
    sa.Column("answer_id", sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    sa.Column("suggested", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
)


class Theme(db.Model):
    __tablename__ = "theme"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Note(db.Model):
    """An internal note on a response or on a comment; coordinators only."""

    __tablename__ = "note"
    __table_args__ = (
        sa.CheckConstraint("(response_id IS NULL) <> (comment_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    response_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """One coordinator action: who, what, when, on what, before and after. Append-only."""

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: None for a failed sign-in with an unknown email.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    #: The email given, kept as written at the time (the account may change later).
    actor_email: Mapped[str] = mapped_column(sa.String(254))
    #: What happened, such as "comment.moderate" or "user.sign_in_failed".
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    #: The client address of the request, for sign-in events.
    address: Mapped[str | None] = mapped_column(sa.String(64))

    actor: Mapped[User | None] = relationship()


@sa.event.listens_for(AuditEntry, "before_update")
@sa.event.listens_for(AuditEntry, "before_delete")
def _refuse_audit_change(_mapper, _connection, target: AuditEntry) -> None:
    raise RuntimeError(f"audit entry {target.id} is append-only")
