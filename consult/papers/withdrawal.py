"""What withdrawing a response or purging a consultation does to its papers.

Small Core statements that run inside the caller's transaction (``responding``'s
``withdraw_response``, ``maintenance.purging``); the files are deleted only once it has
committed (``delete_files``), so a rollback never leaves a row without its file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlalchemy as sa

from ..extensions import db
from ..models import Response
from ..models.papers import PositionPaper
from .storage import paper_store

log = logging.getLogger(__name__)


def paper_keys(response_id: int) -> list[str]:
    """The storage keys of a response's papers (read before its rows go)."""
    return list(
        db.session.scalars(
            sa.select(PositionPaper.storage_key).where(PositionPaper.response_id == response_id)
        )
    )


def unpublish_papers(response_id: int) -> bool:
    """Take a withdrawn response's papers off the public pages; whether one was on them."""
    result = db.session.execute(
        sa.update(PositionPaper)
        .where(PositionPaper.response_id == response_id, PositionPaper.published_at.is_not(None))
        .values(published_at=None, published_by_id=None),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)


def delete_unpublished(consultation_id: int) -> list[str]:
    """Delete the rows of a consultation's papers never published; their storage keys."""
    mine = (
        sa.select(Response.id).where(Response.consultation_id == consultation_id).scalar_subquery()
    )
    unpublished = sa.and_(PositionPaper.response_id.in_(mine), PositionPaper.published_at.is_(None))
    keys = list(db.session.scalars(sa.select(PositionPaper.storage_key).where(unpublished)))
    if keys:
        db.session.execute(
            sa.delete(PositionPaper).where(unpublished),
            execution_options={"synchronize_session": False},
        )
    return keys


def delete_files(keys: Iterable[str]) -> None:
    """Delete stored files whose rows are gone (after the commit). A failure is logged,
    not raised: the rows are gone, and a file no row names is never served."""
    store = paper_store()
    for key in keys:
        try:
            store.delete(key)
        except OSError:
            log.exception("Could not delete the stored paper %s", key)
