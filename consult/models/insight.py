"""What the insight analyses store: their runs, clusters of copies, suggested themes,
opinion groups, and the reference population a consultation is compared with.

Everything a machine found starts as a suggestion (``Verdict.SUGGESTED``); only a
person's confirmation lets it count anywhere public. A new run replaces the suggestions
nobody has decided on and leaves every decided one as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow, vocab
from .user import User
from .vocab import CopyKind, RunStatus, Verdict

_RUNNING = sa.text("status = 'running'")


class InsightRun(db.Model):
    """One run of the analyses on a consultation: who, when, with what, how long, what it found."""

    __tablename__ = "insight_run"
    __table_args__ = (
        # One run at a time per consultation.
        sa.Index(
            "uq_insight_run_running",
            "consultation_id",
            unique=True,
            sqlite_where=_RUNNING,
            postgresql_where=_RUNNING,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    #: Which analyses, comma-separated: copies, themes, groups.
    parts: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[RunStatus] = mapped_column(vocab(RunStatus, "run_status"))
    #: None when started from the command line.
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Last sign of life; a running run silent for long is taken as dead.
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    #: 0–100, and what it is doing now (a short code: "copies", "themes: 5.3", …).
    progress: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str | None] = mapped_column(sa.String(80))
    parameters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: What it found, e.g. {"clusters": 12, "suggestions": 40, "groups": 4}.
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)

    started_by: Mapped[User | None] = relationship()

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class CopyCluster(db.Model):
    """Comments that are copies of one text (exact, near, or a template with personal lines)."""

    __tablename__ = "copy_cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("insight_run.id", ondelete="SET NULL"))
    kind: Mapped[CopyKind] = mapped_column(vocab(CopyKind, "copy_kind"))
    verdict: Mapped[Verdict] = mapped_column(vocab(Verdict, "copy_verdict"))
    #: The comment shown for the cluster (the one closest to all others).
    representative_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="SET NULL")
    )
    #: A confirmed campaign this cluster's comments would join (copies found after it).
    extends_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("copy_cluster.id", ondelete="CASCADE")
    )
    size: Mapped[int]
    distinct_addresses: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    members: Mapped[list[CopyMember]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan", passive_deletes=True
    )


class CopyMember(db.Model):
    __tablename__ = "copy_member"

    cluster_id: Mapped[int] = mapped_column(
        sa.ForeignKey("copy_cluster.id", ondelete="CASCADE"), primary_key=True
    )
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: Estimated Jaccard similarity of its word shingles to the representative (1.0: same).
    similarity: Mapped[float] = mapped_column(default=1.0)

    cluster: Mapped[CopyCluster] = relationship(back_populates="members")


class ThemeSuggestion(db.Model):
    """A theme a topic model found in one section's comments or one open question's answers."""

    __tablename__ = "theme_suggestion"
    __table_args__ = (
        sa.CheckConstraint(
            "(section_id IS NULL) <> (question_id IS NULL)", name="section_or_question"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("insight_run.id", ondelete="SET NULL"))
    section_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    #: Built from its top phrases; a coordinator may rename it.
    label: Mapped[str] = mapped_column(sa.String(120))
    #: Top terms and two-word phrases as people wrote them, strongest first (compared with
    #: other themes' as lemmas: ``insight.themes.signature``).
    terms: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    phrases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    size: Mapped[int]
    verdict: Mapped[Verdict] = mapped_column(vocab(Verdict, "suggestion_verdict"))
    #: The theme it became when accepted.
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theme.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    members: Mapped[list[SuggestionMember]] = relationship(
        back_populates="suggestion", cascade="all, delete-orphan", passive_deletes=True
    )


class SuggestionMember(db.Model):
    """A comment (or an open answer) a suggested theme holds, with its weight in the theme."""

    __tablename__ = "suggestion_member"
    __table_args__ = (
        sa.CheckConstraint("(comment_id IS NULL) <> (answer_id IS NULL)", name="comment_or_answer"),
        sa.UniqueConstraint("suggestion_id", "comment_id"),
        sa.UniqueConstraint("suggestion_id", "answer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme_suggestion.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    weight: Mapped[float] = mapped_column(default=0.0)
    #: One of the 3–5 representative quotes (from different respondents).
    quote: Mapped[bool] = mapped_column(default=False)

    suggestion: Mapped[ThemeSuggestion] = relationship(back_populates="members")


class OpinionMap(db.Model):
    """Opinion groups found in one run: respondents who answered the survey alike."""

    __tablename__ = "opinion_map"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("insight_run.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    respondents: Mapped[int]
    #: The silhouette score of the chosen number of groups (-1 to 1).
    silhouette: Mapped[float | None]
    #: Statements with 60 % agreement or more in every group, and the most divisive ones.
    consensus: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    divisive: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    groups: Mapped[list[OpinionGroup]] = relationship(
        back_populates="map",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OpinionGroup.position",
    )


class OpinionGroup(db.Model):
    __tablename__ = "opinion_group"
    __table_args__ = (sa.UniqueConstraint("map_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(sa.ForeignKey("opinion_map.id", ondelete="CASCADE"))
    #: 1, 2, … in order of size.
    position: Mapped[int]
    size: Mapped[int]
    #: Respondents per stakeholder type code.
    composition: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    #: Statements where it differs most from the rest: question id, option, shares.
    distinctive: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    map: Mapped[OpinionMap] = relationship(back_populates="groups")


opinion_member = sa.Table(
    "opinion_member",
    db.metadata,
    sa.Column("group_id", sa.ForeignKey("opinion_group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "response_id",
        sa.ForeignKey("response.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class ReferencePopulation(db.Model):
    """Who lives where (or of which gender) in the population a consultation speaks to:
    a bundle's own table, compared with who responded."""

    __tablename__ = "reference_population"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True
    )
    #: The profile field compared: "region" or "gender".
    field_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    population: Mapped[float]
    source: Mapped[str | None] = mapped_column(sa.String(300))
