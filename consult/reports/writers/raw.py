"""The confidential raw rows: responses, answers in long format and comments, as queries.

Each raw file is a query streamed in batches (``yield_per``), so a million responses
never sit in memory; the CSV writer streams them into the zip, the XLSX writer into
sheets that fit. Open outputs never carry them: they would undo the open-report rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ...extensions import db
from ...models import (
    Answer,
    AnswerChoice,
    Comment,
    Consultation,
    Question,
    RespondentTrait,
    Response,
    Section,
)
from ...models.review import Theme, comment_theme
from ...models.zones import DEFAULT_TIME_ZONE, zone_info
from ..filters import ReportFilters, counted_responses
from ..grouping import code, group_column

#: Raw rows read from the database per batch.
RAW_BATCH = 2_000


@dataclass(frozen=True)
class RawFile:
    """One raw tidy file: the query that streams its rows; its columns are the query's."""

    name: str
    statement: sa.Select
    #: The consultation's time zone: times are written in it, as ISO 8601 with the offset.
    time_zone: str = DEFAULT_TIME_ZONE
    #: Where the rows are read; the app's session when None. A streamed download reads
    #: them after the request is over, through a session of its own.
    session: Session | None = field(default=None, compare=False)

    @property
    def columns(self) -> list[str]:
        return list(self.statement.selected_columns.keys())

    def read_through(self, session: Session) -> RawFile:
        return replace(self, session=session)

    def rows(self) -> Iterator[list]:
        """The rows, read in batches of RAW_BATCH, codes for vocabularies, times in the
        consultation's zone (text as written: the CSV writer neutralises formulas, a
        workbook's string cells never run)."""
        session = self.session or db.session
        result = session.execute(self.statement.execution_options(yield_per=RAW_BATCH))
        zone = zone_info(self.time_zone)
        for row in result:
            yield [_cell(v, zone) for v in row]

    def count(self) -> int:
        inner = self.statement.order_by(None).subquery()
        return db.session.scalar(sa.select(sa.func.count()).select_from(inner))


def _cell(value, zone: ZoneInfo):
    """A raw value as written: a code for a vocabulary, a stored time in ``zone`` with its
    offset (``2027-01-14T23:00:00-03:00``), anything else as it is."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).astimezone(zone).isoformat(timespec="seconds")
    return code(value)


def raw_rows(consultation: Consultation, filters: ReportFilters) -> Iterator[RawFile]:
    """The raw tidy files of the counted responses, each streamed from SQL in batches.

    Confidential only: one row per counted response (email included; the answer to each
    further profile question in a column named by its key), the answers in
    long format (one row per chosen or ranked option), and every comment of those
    responses with its moderation, decision and themes. Times are in the consultation's
    time zone, with their offset.
    """
    counted = counted_responses(consultation, filters).subquery("counted")
    zone = consultation.time_zone
    group = group_column(consultation.profile, Response.stakeholder_type)
    responses = (
        sa.select(
            Response.reference, Response.status, Response.stakeholder_type, group.label("group"),
            Response.region, Response.country, Response.responding_as,
            Response.organisation_name, Response.organisation_size, Response.gender,
            Response.age_band, Response.publication, Response.display_name, Response.email,
            Response.submitted_at,
        )
        .join(counted, counted.c.id == Response.id)
        .order_by(Response.id)
    )  # fmt: skip
    taken = set(responses.selected_columns.keys())
    for further in consultation.profile.further:
        # One trait per response and question at most (its primary key): rows stay one each.
        trait = aliased(RespondentTrait)
        name = further.key if further.key not in taken else f"trait_{further.key}"
        responses = responses.add_columns(trait.code.label(name)).outerjoin(
            trait, sa.and_(trait.response_id == Response.id, trait.field_id == further.id)
        )
    yield RawFile("responses.csv", responses, time_zone=zone)
    yield RawFile(
        "answers.csv",
        sa.select(
            Response.reference, Question.key.label("question"), Answer.value,
            AnswerChoice.option, AnswerChoice.position,
        )
        .select_from(Answer)
        .join(counted, counted.c.id == Answer.response_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerChoice, AnswerChoice.answer_id == Answer.id)
        .order_by(Answer.response_id, Question.position, AnswerChoice.position,
                  AnswerChoice.option),
        time_zone=zone,
    )  # fmt: skip
    themes = (
        sa.select(sa.func.aggregate_strings(Theme.name, "; "))
        .select_from(comment_theme)
        .join(Theme, Theme.id == comment_theme.c.theme_id)
        .where(comment_theme.c.comment_id == Comment.id, ~comment_theme.c.suggested)
        .scalar_subquery()
        .label("themes")
    )
    moderation = [Comment.moderation == filters.moderation] if filters.moderation else []
    yield RawFile(
        "comments.csv",
        sa.select(
            Response.reference, Section.key.label("section"), Comment.text,
            Comment.redacted_text, Comment.contribution, Comment.moderation,
            Comment.rejection_reason, Comment.decision, Comment.decision_reason, themes,
        )
        .select_from(Comment)
        .join(counted, counted.c.id == Comment.response_id)
        .join(Response, Response.id == Comment.response_id)
        .join(Section, Section.id == Comment.section_id)
        .where(*moderation)
        .order_by(Comment.response_id, Section.position),
        time_zone=zone,
    )  # fmt: skip
