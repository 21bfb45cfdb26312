"""One respondent's submission: the profile, the answers and the comments."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow, vocab
from .consultation import Consultation, Question, Section
from .profile import RespondentTrait

if TYPE_CHECKING:
    from .review import Note, Theme
from .vocab import (
    Channel,
    Decision,
    ModerationState,
    Publication,
    RejectionReason,
    RespondingAs,
    ResponseStatus,
)

#: Reference codes avoid letters that are easily misread (0/O, 1/I/L).
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A short public code a respondent can quote, such as ``7K3M-9QXD``."""
    raw = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def hash_token(token: str) -> str:
    """Only a digest of the edit token is stored: a leaked database opens no response."""
    return hashlib.sha256(token.encode()).hexdigest()


def _keyed_digest(secret: str, purpose: str, value: str) -> bytes:
    """HMAC-SHA256 of ``value`` under a key derived from the app's secret for one purpose."""
    key = hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).digest()


def edit_token_for(form_token: str, secret: str) -> str:
    """The edit token of the response a form starts, worked out again from the form's token.

    A browser that sends the same form twice (a double click, a retry after a lost reply)
    is given the same response back, which needs its secret token.
    """
    digest = _keyed_digest(secret, "consult.edit-token", form_token)
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_address(address: str, secret: str) -> str:
    """A salted digest of a client address: equal for equal addresses, never reversible.

    The salt comes from the secret key, so the digest of a known address cannot be looked
    up without it, and another installation's digests do not match this one's.
    """
    return _keyed_digest(secret, "consult.address-hash", address).hex()


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        sa.CheckConstraint(
            "publication <> 'named' OR display_name IS NOT NULL", name="named_has_name"
        ),
        sa.CheckConstraint(
            "status = 'draft' OR submitted_at IS NOT NULL", name="submitted_has_time"
        ),
        sa.Index("ix_response_consultation_status", "consultation_id", "status"),
        # Coordinators count and list the responses that came from one address.
        sa.Index("ix_response_consultation_address", "consultation_id", "address_hash"),
        # An imported row is recognised when the same file (or row) is imported again.
        sa.UniqueConstraint("consultation_id", "row_hash", name="uq_response_row_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE")
    )
    #: Public code shown on the receipt.
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    #: SHA-256 of the secret edit token in the respondent's private link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[ResponseStatus] = mapped_column(
        vocab(ResponseStatus, "response_status"), default=ResponseStatus.DRAFT
    )
    #: The hidden token of the form that started this response: the same form sent twice
    #: finds this row instead of making a second one (unique in the database).
    form_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    #: Salted HMAC of the address the response was started from (``hash_address``), so
    #: floods can be spotted; never the address itself. Personal data: purged with it.
    address_hash: Mapped[str | None] = mapped_column(sa.String(64))
    #: The language the respondent used, for reading their text later.
    locale: Mapped[str] = mapped_column(sa.String(8), default="es")
    #: The version of the draft it answered (``Consultation.current_version`` when started).
    draft_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: How it reached consult; an imported one also names its file (``import_id``).
    channel: Mapped[Channel] = mapped_column(
        vocab(Channel, "channel"), default=Channel.ONLINE, server_default="online"
    )
    import_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("response_import.id", ondelete="SET NULL"), index=True
    )
    #: SHA-256 of an imported row's cells (None online): the same row is not imported twice.
    row_hash: Mapped[str | None] = mapped_column(sa.String(64))

    # The profile: codes of the consultation's own lists (``Consultation.profile``),
    # checked where they are written (``responding.profile_values``). None: not asked
    # by this consultation, or not answered.
    responding_as: Mapped[RespondingAs | None] = mapped_column(vocab(RespondingAs, "responding_as"))
    stakeholder_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    organisation_name: Mapped[str | None] = mapped_column(sa.String(200))
    organisation_size: Mapped[str | None] = mapped_column(sa.String(64))
    region: Mapped[str | None] = mapped_column(sa.String(64))
    #: ISO 3166-1 alpha-2, only when the region is outside the consultation's country.
    country: Mapped[str | None] = mapped_column(sa.String(2))
    gender: Mapped[str | None] = mapped_column(sa.String(64))
    age_band: Mapped[str | None] = mapped_column(sa.String(64))
    publication: Mapped[Publication] = mapped_column(vocab(Publication, "publication"))
    #: The name published with the comments; only when publication is "named".
    display_name: Mapped[str | None] = mapped_column(sa.String(200))
    #: Personal data: never shown publicly, never in open exports.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    #: When the respondent consented to processing (the consultation's consent text).
    consent_at: Mapped[datetime]

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    withdrawn_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="responses")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )
    notes: Mapped[list[Note]] = relationship(
        foreign_keys="Note.response_id",
        order_by="Note.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    traits: Mapped[list[RespondentTrait]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    gates: Mapped[list[GateAnswer]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_editable(self) -> bool:
        """A draft or a submitted response can change while the consultation is open."""
        return self.status is not ResponseStatus.WITHDRAWN and self.consultation.is_open

    def section_comment(self, section: Section | None) -> Comment | None:
        """Its comment on the section as a whole (not on one of its passages)."""
        if section is None:
            return None
        return next((c for c in self.comments if c.section_id == section.id and not c.anchor), None)

    def passage_comments(self, section: Section) -> list[Comment]:
        """Its comments on passages of the section."""
        return [c for c in self.comments if c.section_id == section.id and c.anchor]


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="RESTRICT"), index=True
    )
    #: Likert point ("1".."5" or "dk"), single-choice code, or text; None for lists.
    value: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    choices: Mapped[list[AnswerChoice]] = relationship(
        back_populates="answer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AnswerChoice.position",
    )

    @property
    def codes(self) -> list[str]:
        """Chosen option codes; for a ranking, most important first."""
        return [c.option for c in self.choices]


class AnswerChoice(db.Model):
    """One chosen option of a multiple-choice answer, or one ranked item.

    Kept as rows, not a JSON list, so reports can count and average them in SQL.
    """

    __tablename__ = "answer_choice"
    __table_args__ = (
        sa.CheckConstraint("position IS NULL OR position >= 1", name="position"),
        # Reports count options and sum ranks from this index alone, without the rows.
        sa.Index("ix_answer_choice_answer_option_position", "answer_id", "option", "position"),
    )

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    option: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    #: Rank (1 = most important) for a ranking; None for a multiple choice.
    position: Mapped[int | None]

    answer: Mapped[Answer] = relationship(back_populates="choices")


class Comment(db.Model):
    __tablename__ = "comment"
    __table_args__ = (
        # One comment on the section (anchor "") and one on each of its passages.
        sa.UniqueConstraint("response_id", "section_id", "anchor"),
        sa.CheckConstraint(
            "(moderation = 'rejected') = (rejection_reason IS NOT NULL)",
            name="rejected_has_reason",
        ),
        sa.CheckConstraint(
            "decision IS NULL OR decision_reason IS NOT NULL", name="decision_has_reason"
        ),
        sa.Index("ix_comment_section_moderation", "section_id", "moderation"),
        # Reports leave out responses with a comment refused as spam or duplicate.
        sa.Index("ix_comment_rejection_reason", "rejection_reason", "response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("section.id", ondelete="RESTRICT"), index=True
    )
    #: The passage (paragraph or line of the section's text) it is about, by its stable
    #: anchor (``content.passages``); "" for the comment on the section as a whole.
    anchor: Mapped[str] = mapped_column(sa.String(32), default="", server_default="")
    #: As the respondent wrote it; shown publicly only when no redacted text exists.
    #: May be empty on a passage when the respondent only proposed wording.
    text: Mapped[str] = mapped_column(sa.Text)
    #: The passage's text as the respondent read it (their language, the version they
    #: answered), kept so the comment still shows what it was about after the text changes.
    passage_text: Mapped[str | None] = mapped_column(sa.Text)
    #: Replacement wording the respondent proposed for the passage; None: none proposed.
    proposal: Mapped[str | None] = mapped_column(sa.Text)
    #: The draft version the proposal was adopted into (``DraftVersion.number``); None: not.
    adopted_version: Mapped[int | None]
    adopted_at: Mapped[datetime | None]
    adopted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: A code of the consultation's ``contributions``; None where it asks none.
    contribution: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    moderation: Mapped[ModerationState] = mapped_column(
        vocab(ModerationState, "moderation"),
        default=ModerationState.PENDING,
        server_default=ModerationState.PENDING.value,
    )
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(
        vocab(RejectionReason, "rejection_reason")
    )
    #: The text published instead of the original (personal data removed, say).
    redacted_text: Mapped[str | None] = mapped_column(sa.Text)
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    decision: Mapped[Decision | None] = mapped_column(vocab(Decision, "decision"))
    #: Short public reason for the decision.
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    response: Mapped[Response] = relationship(back_populates="comments")
    section: Mapped[Section] = relationship()
    #: Themes a person gave it (or confirmed).
    themes: Mapped[list[Theme]] = relationship(
        secondary="comment_theme",
        primaryjoin="and_(Comment.id == comment_theme.c.comment_id, ~comment_theme.c.suggested)",
        order_by="Theme.name",
        passive_deletes=True,
    )
    #: Themes an accepted suggestion tagged it with, not yet confirmed by a person.
    suggested_themes: Mapped[list[Theme]] = relationship(
        secondary="comment_theme",
        primaryjoin="and_(Comment.id == comment_theme.c.comment_id, comment_theme.c.suggested)",
        order_by="Theme.name",
        viewonly=True,
    )
    notes: Mapped[list[Note]] = relationship(
        foreign_keys="Note.comment_id",
        order_by="Note.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def public_text(self) -> str:
        """What the public reads: the redacted text where there is one."""
        return self.redacted_text if self.redacted_text is not None else self.text


#: Comments refused for these reasons take their whole response out of every published figure.
FLAGGED = (RejectionReason.SPAM, RejectionReason.DUPLICATE)


def flagged_responses() -> sa.Select:
    """The ids of the responses with a comment refused as spam or a duplicate: those no
    report counts (``response.id NOT IN`` this, wherever figures are published). Here, with
    the models, so reports and the operations that count (outcome, systematising) share it."""
    return sa.select(Comment.response_id).where(Comment.rejection_reason.in_(FLAGGED))


class GateAnswer(db.Model):
    """A respondent's yes or no to a gated section ("Do you want to answer this section?").

    A "no" skips the section; its report counts those who said yes as its base.
    """

    __tablename__ = "gate_answer"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("section.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    wants: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
