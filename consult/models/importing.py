"""Responses collected elsewhere (another form tool, paper forms typed in) and brought
into a consultation: one row per imported file, which its responses point back to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import utcnow, vocab
from .vocab import Channel


class ResponseImport(db.Model):
    """One file imported into a consultation, in one transaction."""

    __tablename__ = "response_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    #: The file's name as uploaded or given on the command line (no folder).
    file_name: Mapped[str] = mapped_column(sa.String(255))
    #: SHA-256 of the file's bytes.
    file_sha256: Mapped[str] = mapped_column(sa.String(64))
    #: ``import`` (another tool's export) or ``paper`` (forms typed in).
    channel: Mapped[Channel] = mapped_column(vocab(Channel, "import_channel"))
    rows_added: Mapped[int] = mapped_column(default=0)
    #: Rows already imported before (the same row hash), left alone.
    rows_skipped: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None from the command line.
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
