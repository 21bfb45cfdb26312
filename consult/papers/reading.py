"""Reading position papers: a response's own, the published ones, the console's list.

The public rule is written once (``_shown``): published by a coordinator, of a response
submitted (not a draft, not withdrawn) and not flagged as spam or a duplicate. Its
author is named only if the response chose publication by name; otherwise its
stakeholder type stands in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa

from ..extensions import db
from ..models import Response
from ..models.papers import PositionPaper
from ..models.response import flagged_responses
from ..models.vocab import Publication, ResponseStatus

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def download_name(paper: PositionPaper | PublicPaper) -> str:
    """A file name safe in any header and on any disk: the title in ASCII, dashed."""
    plain = unicodedata.normalize("NFKD", paper.title).encode("ascii", "ignore").decode()
    stem = _NOT_WORD.sub("-", plain.lower()).strip("-")[:80].strip("-")
    return f"{stem or 'position-paper'}.pdf"


def safe_file_name(name: str) -> str:
    """An uploaded file's name made safe for a header and a disk (ASCII, dashed)."""
    plain = unicodedata.normalize("NFKD", name.removesuffix(".pdf")).encode("ascii", "ignore")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", plain.decode()).strip("-._")[:100]
    return f"{stem or 'position-paper'}.pdf"


def response_papers(response_id: int) -> list[PositionPaper]:
    """A response's papers, in the order attached (with their sections)."""
    return list(
        db.session.scalars(
            sa.select(PositionPaper)
            .where(PositionPaper.response_id == response_id)
            .order_by(PositionPaper.id)
        )
    )


def _shown() -> sa.ColumnElement[bool]:
    """The public rule, over ``PositionPaper`` joined to its ``Response``."""
    return sa.and_(
        PositionPaper.published_at.is_not(None),
        PositionPaper.may_publish.is_(True),
        Response.status == ResponseStatus.SUBMITTED,
        Response.id.not_in(flagged_responses()),
    )


@dataclass(frozen=True)
class PublicPaper:
    """A published paper as the public pages show it."""

    id: int
    title: str
    section_id: int | None
    pages: int
    size: int
    #: The organisation's (or person's) name, only if the response chose it published.
    author: str | None
    stakeholder_type: str | None

    @property
    def file_name(self) -> str:
        return download_name(self)


ALL = object()


def published_papers(
    consultation_id: int, section_id: int | None | object = ALL
) -> list[PublicPaper]:
    """The published papers of a consultation (of one section, or ``None``: the draft as
    a whole; ``ALL``: every one), oldest publication first. One query."""
    query = (
        sa.select(
            PositionPaper.id,
            PositionPaper.title,
            PositionPaper.section_id,
            PositionPaper.pages,
            PositionPaper.size,
            Response.publication,
            Response.organisation_name,
            Response.display_name,
            Response.stakeholder_type,
        )
        .join(Response, Response.id == PositionPaper.response_id)
        .where(Response.consultation_id == consultation_id, _shown())
        .order_by(PositionPaper.published_at, PositionPaper.id)
    )
    if section_id is not ALL:
        query = query.where(
            PositionPaper.section_id.is_(None)
            if section_id is None
            else PositionPaper.section_id == section_id
        )
    papers = []
    for row in db.session.execute(query):
        named = row.publication == Publication.NAMED
        author = (row.organisation_name or row.display_name) if named else None
        papers.append(
            PublicPaper(
                row.id,
                row.title,
                row.section_id,
                row.pages,
                row.size,
                author,
                row.stakeholder_type,
            )
        )
    return papers


def public_paper(consultation_id: int, paper_id: int) -> PositionPaper | None:
    """The paper anyone may download, or None (not published, not counted, elsewhere)."""
    return db.session.scalar(
        sa.select(PositionPaper)
        .join(Response, Response.id == PositionPaper.response_id)
        .where(
            PositionPaper.id == paper_id,
            Response.consultation_id == consultation_id,
            _shown(),
        )
    )


def consultation_paper(consultation_id: int, paper_id: int) -> PositionPaper | None:
    """Any paper of the consultation, for its coordinators."""
    return db.session.scalar(
        sa.select(PositionPaper)
        .join(Response, Response.id == PositionPaper.response_id)
        .where(PositionPaper.id == paper_id, Response.consultation_id == consultation_id)
    )


class PaperState(StrEnum):
    """The console list's filter."""

    AWAITING = "awaiting"
    PUBLISHED = "published"
    NOT_ALLOWED = "not_allowed"


def papers_query(consultation_id: int, state: PaperState | None, text: str = "") -> sa.Select:
    """The console's list: (paper, response) rows, newest first, filtered by state and by
    words in the title or the extracted text."""
    query = (
        sa.select(PositionPaper, Response)
        .join(Response, Response.id == PositionPaper.response_id)
        .where(Response.consultation_id == consultation_id)
        .order_by(PositionPaper.created_at.desc(), PositionPaper.id.desc())
    )
    if state is PaperState.AWAITING:
        query = query.where(
            PositionPaper.may_publish.is_(True),
            PositionPaper.published_at.is_(None),
            Response.status == ResponseStatus.SUBMITTED,
        )
    elif state is PaperState.PUBLISHED:
        query = query.where(PositionPaper.published_at.is_not(None))
    elif state is PaperState.NOT_ALLOWED:
        query = query.where(PositionPaper.may_publish.is_(False))
    words = text.strip()[:200]
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            sa.or_(
                PositionPaper.title.ilike(pattern, escape="\\"),
                PositionPaper.text.ilike(pattern, escape="\\"),
            )
        )
    return query
