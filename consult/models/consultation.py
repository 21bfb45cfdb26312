"""A consultation, its sections and its questions: the content people respond to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import Bilingual, current_language, utcnow, vocab
from .profile import Profile, ProfileField, build_profile
from .vocab import ConsultationStatus, QuestionType, ShareBase, Stage

if TYPE_CHECKING:
    from .response import Response


class Consultation(Bilingual, db.Model):
    __tablename__ = "consultation"
    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="window_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The address: /c/<slug>/.
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title_es: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    organiser_es: Mapped[str] = mapped_column(sa.String(300))
    organiser_en: Mapped[str] = mapped_column(sa.String(300))
    #: Markdown as written in the bundle, and its sanitised HTML (rendered once, on load).
    summary_md_es: Mapped[str] = mapped_column(sa.Text)
    summary_md_en: Mapped[str] = mapped_column(sa.Text)
    summary_html_es: Mapped[str] = mapped_column(sa.Text)
    summary_html_en: Mapped[str] = mapped_column(sa.Text)
    #: The window for responses, naive UTC.
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    #: The stage a person set (``outcome.stages``); while ``running`` the dates open and close it.
    stage: Mapped[Stage] = mapped_column(
        vocab(Stage, "stage"), default=Stage.RUNNING, server_default="running"
    )
    #: When an admin last moved it between stages, naive UTC; None if never.
    stage_changed_at: Mapped[datetime | None]
    #: The number of the draft's version now shown (``DraftVersion``); 1 until a second.
    current_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: Whether the public results page (aggregates only) is shown at /c/<slug>/results.
    summary_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: IANA name of the consultation's time zone: every date people read is shown in it.
    time_zone: Mapped[str] = mapped_column(
        sa.String(64), default="America/Lima", server_default="America/Lima"
    )
    #: What agreement shares divide by; every table and chart says which.
    share_base: Mapped[ShareBase] = mapped_column(
        vocab(ShareBase, "share_base"), default=ShareBase.VALID, server_default="valid"
    )
    #: Whether respondents are asked if their comments may be published; if not, none is.
    asks_publication: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: What a comment may say it contributes to: [{"code", "es", "en"}]; empty: not asked.
    contributions: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON, default=list, server_default=sa.text("'[]'")
    )
    #: Who controls the personal data, and the law the consent cites (empty: none named).
    data_controller_es: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    data_controller_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    data_law_es: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    data_law_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    #: The consent sentence as the bundle words it; empty: consult's, naming both above.
    consent_es: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    consent_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: How people reach the organiser (an email address or a line of text); empty: none.
    contact: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    #: The privacy notice as written (Markdown) and its sanitised HTML; empty: consult's own
    #: wording around the consent above.
    privacy_md_es: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    privacy_md_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    privacy_html_es: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    privacy_html_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: When an admin archived it (listed nowhere public, kept whole); None: not archived.
    archived_at: Mapped[datetime | None]
    #: A demonstration filled with synthetic responses (``consult demo``): every page
    #: says so, and only a demo is ever refilled.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="consultation", order_by="Section.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="consultation", order_by="Question.position", cascade="all, delete-orphan"
    )
    responses: Mapped[list[Response]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", lazy="write_only"
    )
    profile_fields: Mapped[list[ProfileField]] = relationship(
        back_populates="consultation",
        order_by="ProfileField.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def profile(self) -> Profile:
        """Who responds: the fields the form asks and the lists reports count by."""
        cached = self.__dict__.get("_profile")
        if cached is None:
            cached = self.__dict__["_profile"] = build_profile(self.profile_fields)
        return cached

    def forget_profile(self) -> None:
        """Drop the cached view after the profile rows change (a bundle reload)."""
        self.__dict__.pop("_profile", None)

    def contribution_choices(self, language: str) -> list[tuple[str, str]]:
        """(code, label) of what a comment may contribute to; empty if not asked."""
        return [(c["code"], c.get(language) or c["es"]) for c in self.contributions]

    def contribution_label(self, code: str | None, language: str) -> str | None:
        if code is None:
            return None
        return dict(self.contribution_choices(language)).get(code, code)

    def status(self, now: datetime | None = None) -> ConsultationStatus:
        """Upcoming, open or closed, following from the window."""
        now = now or utcnow()
        if now < self.opens_at:
            return ConsultationStatus.UPCOMING
        if now >= self.closes_at:
            return ConsultationStatus.CLOSED
        return ConsultationStatus.OPEN

    @property
    def is_open(self) -> bool:
        """Responses are taken only while running (not in preparation) and within the dates."""
        return self.stage is Stage.RUNNING and self.status() is ConsultationStatus.OPEN

    @property
    def summary_html(self) -> str:
        return self.t("summary_html")

    @property
    def general_questions(self) -> list[Question]:
        """Questions about the consultation as a whole, not tied to a section."""
        return [q for q in self.questions if q.section_id is None]


class Section(Bilingual, db.Model):
    __tablename__ = "section"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "key"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    #: Stable id from the bundle, also the address: /c/<slug>/s/<key>.
    key: Mapped[str] = mapped_column(sa.String(64))
    #: The number shown before the title, such as "5.3".
    number: Mapped[str] = mapped_column(sa.String(16))
    #: Reading order within the consultation.
    position: Mapped[int]
    #: One level of nesting: a priority area under its chapter.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("section.id"), index=True)
    title_es: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    body_md_es: Mapped[str] = mapped_column(sa.Text)
    body_md_en: Mapped[str] = mapped_column(sa.Text)
    body_html_es: Mapped[str] = mapped_column(sa.Text)
    body_html_en: Mapped[str] = mapped_column(sa.Text)
    #: Whether the section's page has a comment box.
    comments_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: A yes/no question asked before the section ("Do you want to answer this section?");
    #: empty: the section is not gated.
    gate_es: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    gate_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    parent: Mapped[Section | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Section]] = relationship(
        back_populates="parent", order_by="Section.position"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position"
    )

    @property
    def title(self) -> str:
        return self.t("title")

    @property
    def body_html(self) -> str:
        return self.t("body_html")

    @property
    def gated(self) -> bool:
        return bool(self.gate_es)


class Question(Bilingual, db.Model):
    __tablename__ = "question"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    #: None for a question about the consultation as a whole.
    section_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("section.id", ondelete="RESTRICT"), index=True
    )
    #: Stable id from the bundle, unique within the consultation.
    key: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    type: Mapped[QuestionType] = mapped_column(vocab(QuestionType, "question_type"))
    required: Mapped[bool] = mapped_column(default=False)
    prompt_es: Mapped[str] = mapped_column(sa.Text)
    prompt_en: Mapped[str] = mapped_column(sa.Text)
    help_es: Mapped[str] = mapped_column(sa.Text, default="")
    help_en: Mapped[str] = mapped_column(sa.Text, default="")
    #: For choice and ranking questions: [{"code": ..., "es": ..., "en": ...}, ...].
    options: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")
    section: Mapped[Section | None] = relationship(back_populates="questions")

    @property
    def prompt(self) -> str:
        return self.t("prompt")

    @property
    def help(self) -> str:
        return self.t("help")

    def option_choices(self) -> list[tuple[str, str]]:
        """(code, label) pairs in the request's language."""
        lang = current_language()
        return [(o["code"], o.get(lang) or o["es"]) for o in self.options]

    def option_codes(self) -> list[str]:
        return [o["code"] for o in self.options]
