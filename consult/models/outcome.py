"""Closing the loop: decisions on themes and sections, versions of the draft, and the
changes between them linked to what people said."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import Bilingual, utcnow, vocab
from .consultation import Section
from .response import Comment
from .review import Theme
from .vocab import Decision


class OutcomeDecision(Bilingual, db.Model):
    """What was decided about a theme or about a section, with a public reason in each
    language. A comment's own decision (on ``Comment``) comes first; then its themes';
    then its section's."""

    __tablename__ = "outcome_decision"
    __table_args__ = (
        sa.CheckConstraint("(theme_id IS NULL) <> (section_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="CASCADE"), unique=True
    )
    section_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("section.id", ondelete="CASCADE"), unique=True
    )
    decision: Mapped[Decision] = mapped_column(vocab(Decision, "decision"))
    reason_es: Mapped[str] = mapped_column(sa.Text)
    reason_en: Mapped[str] = mapped_column(sa.Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    theme: Mapped[Theme | None] = relationship()
    section: Mapped[Section | None] = relationship()

    @property
    def reason(self) -> str:
        return self.t("reason")


class DraftVersion(Bilingual, db.Model):
    """A version of a consultation's text. Version 1 is what people answered first; its
    row (and its sections' texts) is written when version 2 arrives."""

    __tablename__ = "draft_version"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    #: What this version is, in a line ("Second draft, after the consultation").
    note_es: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    note_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    texts: Mapped[list[SectionText]] = relationship(
        back_populates="version", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def note(self) -> str:
        return self.t("note")


class SectionText(Bilingual, db.Model):
    """A section's title and body as one version of the draft has them."""

    __tablename__ = "section_text"
    __table_args__ = (sa.UniqueConstraint("version_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_version.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(sa.String(16))
    title_es: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    body_md_es: Mapped[str] = mapped_column(sa.Text)
    body_md_en: Mapped[str] = mapped_column(sa.Text)
    body_html_es: Mapped[str] = mapped_column(sa.Text)
    body_html_en: Mapped[str] = mapped_column(sa.Text)

    version: Mapped[DraftVersion] = relationship(back_populates="texts")
    section: Mapped[Section] = relationship()


change_theme = sa.Table(
    "change_theme",
    db.metadata,
    sa.Column("change_id", sa.ForeignKey("draft_change.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

change_comment = sa.Table(
    "change_comment",
    db.metadata,
    sa.Column("change_id", sa.ForeignKey("draft_change.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "comment_id",
        sa.ForeignKey("comment.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class DraftChange(Bilingual, db.Model):
    """How a section changed in a version and why: an explanation in each language and
    the themes and comments that led to it (a section's own decision goes with it)."""

    __tablename__ = "draft_change"
    __table_args__ = (sa.UniqueConstraint("version_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_version.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    explanation_es: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    explanation_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    version: Mapped[DraftVersion] = relationship()
    section: Mapped[Section] = relationship()
    themes: Mapped[list[Theme]] = relationship(
        secondary=change_theme, order_by="Theme.name", passive_deletes=True
    )
    comments: Mapped[list[Comment]] = relationship(
        secondary=change_comment, order_by="Comment.id", passive_deletes=True
    )

    @property
    def explanation(self) -> str:
        """In the reader's language, or else in the one it was written in."""
        return self.t("explanation") or self.explanation_en
