"""Position papers' operations: attach, remove, publish, unpublish, read back.

Each change is one transaction. A new paper's file is written first, then its row is
committed; if the commit fails the file is deleted. A removed paper's row goes first, its
file after the commit. Publishing is a coordinator's act, audited, and allowed only where
the respondent said yes and the response is submitted (not a draft, not withdrawn).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Response, User
from ..models.columns import utcnow
from ..models.papers import PositionPaper
from ..models.vocab import ResponseStatus
from ..responding import ensure_writable
from ..responding.changes import note_public_change
from ..responding.own_response import OwnResponse
from ..reviewing import audit
from .checking import PaperRefused, Refusal, check_pdf
from .storage import new_key, paper_store
from .withdrawal import delete_files

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: The columns' lengths (models/papers.py).
_NAME_CHARS, _TITLE_CHARS = 255, 300


@dataclass(frozen=True)
class Upload:
    """A file as the respondent sent it, with what they said of it."""

    data: bytes
    file_name: str
    title: str
    #: The section it addresses; None: the draft as a whole.
    section_id: int | None
    may_publish: bool


class PublishRefused(Exception):
    """A paper the respondent did not allow to publish, or of a response not submitted."""


class PaperDamaged(Exception):
    """The stored file is missing or no longer matches its SHA-256: it is never served."""


def clean_file_name(name: str) -> str:
    """The uploaded name without folders or control characters, ending in .pdf."""
    name = _CONTROL.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip() or "paper.pdf"
    if not name.lower().endswith(".pdf"):
        name = f"{name}.pdf"
    if len(name) > _NAME_CHARS:
        name = name[: _NAME_CHARS - 4] + ".pdf"
    return name


def attach_paper(response: OwnResponse | Response, upload: Upload) -> PositionPaper:
    """Check and keep a paper for ``response``; raise ``PaperRefused`` and keep nothing
    if the file is refused or the response has as many papers as it may."""
    ensure_writable(response.consultation, response)
    config = current_app.config
    held = db.session.scalar(
        sa.select(sa.func.count(PositionPaper.id)).where(PositionPaper.response_id == response.id)
    )
    if (held or 0) >= config["PAPER_MAX_FILES"]:
        raise PaperRefused(Refusal.TOO_MANY)
    checked = check_pdf(upload.data, max_bytes=config["PAPER_MAX_BYTES"])
    file_name = clean_file_name(upload.file_name)
    title = _CONTROL.sub(" ", upload.title).strip() or file_name[:-4]
    store, key = paper_store(), new_key()
    store.put(key, upload.data)
    try:
        paper = PositionPaper(
            response_id=response.id,
            section_id=upload.section_id,
            storage_key=key,
            file_name=file_name,
            title=title[:_TITLE_CHARS],
            size=checked.size,
            sha256=checked.sha256,
            pages=checked.pages,
            text=checked.text,
            may_publish=upload.may_publish,
        )
        db.session.add(paper)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        store.delete(key)
        raise
    return paper


def remove_paper(response: OwnResponse | Response, paper_id: int) -> bool:
    """Remove one of ``response``'s papers (its file after the commit); False if it has
    no such paper."""
    ensure_writable(response.consultation, response)
    paper = db.session.scalar(
        sa.select(PositionPaper).where(
            PositionPaper.id == paper_id, PositionPaper.response_id == response.id
        )
    )
    if paper is None:
        return False
    key = paper.storage_key
    if paper.published_at is not None:
        note_public_change(db.session)
    db.session.delete(paper)
    db.session.commit()
    delete_files([key])
    return True


def publish_paper(user: User, paper: PositionPaper) -> None:
    """Publish a paper on the public pages, recorded in the audit trail."""
    response = paper.response
    if not paper.may_publish or response.status is not ResponseStatus.SUBMITTED:
        raise PublishRefused()
    if paper.published_at is not None:
        return
    _set_published(user, paper, utcnow(), "paper.publish")


def unpublish_paper(user: User, paper: PositionPaper) -> None:
    """Take a paper off the public pages, recorded in the audit trail."""
    if paper.published_at is None:
        return
    _set_published(user, paper, None, "paper.unpublish")


def _set_published(user: User, paper: PositionPaper, when: datetime | None, action: str) -> None:
    before = audit.snapshot(paper, "published_at")
    paper.published_at = when
    paper.published_by_id = user.id if when else None
    audit.record(
        user,
        action,
        "position_paper",
        paper.id,
        before=before,
        after={**audit.snapshot(paper, "published_at"), "response_id": paper.response_id},
    )
    note_public_change(db.session)
    db.session.commit()


def read_paper(paper: PositionPaper) -> bytes:
    """The paper's bytes, checked against its SHA-256; ``PaperDamaged`` otherwise."""
    try:
        with paper_store().open(paper.storage_key) as stored:
            data = stored.read(paper.size + 1)
    except (FileNotFoundError, ValueError) as error:
        raise PaperDamaged(paper.id) from error
    if len(data) != paper.size or hashlib.sha256(data).hexdigest() != paper.sha256:
        raise PaperDamaged(paper.id)
    return data
