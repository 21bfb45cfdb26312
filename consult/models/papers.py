"""Position papers: PDF files a respondent attaches to their response.

The bytes live in the paper store (``papers.storage``, under ``instance/``), never in
the database or the web root; a row holds what is needed to find, check, search and
publish them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow

if TYPE_CHECKING:
    from .consultation import Section
    from .response import Response


class PositionPaper(db.Model):
    __tablename__ = "position_paper"
    __table_args__ = (
        sa.CheckConstraint("size > 0", name="size_positive"),
        sa.CheckConstraint("published_at IS NULL OR may_publish", name="published_only_if_allowed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    #: The part of the draft it addresses; None: the draft as a whole.
    section_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("section.id", ondelete="SET NULL"), index=True
    )
    #: The random name it is stored under in the paper store (never the uploaded name).
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The name the file had on the respondent's computer, cleaned; shown to coordinators,
    #: and publicly only once published.
    file_name: Mapped[str] = mapped_column(sa.String(255))
    #: A title the respondent gave it (the file name without ".pdf" if none).
    title: Mapped[str] = mapped_column(sa.String(300))
    size: Mapped[int]
    #: SHA-256 of the bytes, checked when served.
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    pages: Mapped[int]
    #: Text taken out of it by pypdf, for search and the insight features ("" if none).
    text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The respondent's word: it may be published after review.
    may_publish: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: When a coordinator published it (listed on public pages); None: not published.
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[Response] = relationship()
    section: Mapped[Section | None] = relationship()
