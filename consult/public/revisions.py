"""The public "Last changed on …" note: when a text of a page was last edited after the
consultation opened (``TextRevision``, written by the console's editors).

``public.cache`` reads them with the shared consultation, in the statement that loads it
(kept with the shared copy, which a change replaces); a consultation loaded otherwise
(the console's) asks once. Before it opens no revision can exist, so none is read.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Consultation, Section, TextRevision
from ..models.columns import utcnow
from ..models.vocab import Stage
from . import bp

_KEPT = "_last_changes"


def keep_last_changes(consultation: Consultation, revised: str | None) -> None:
    """Keep with a loaded consultation its revisions as ``public.cache`` read them
    ("target:id@when,…"): the latest time of each text."""
    changes: dict[tuple[str, int], datetime] = {}
    for item in (revised or "").split(","):
        where, _, when = item.partition("@")
        target, _, target_id = where.partition(":")
        if not when or not target_id.isdigit():
            continue
        moment = datetime.fromisoformat(when)
        key = (target, int(target_id))
        if key not in changes or moment > changes[key]:
            changes[key] = moment
    consultation.__dict__[_KEPT] = changes


def _changes(consultation: Consultation) -> dict[tuple[str, int], datetime]:
    if consultation.stage is Stage.PREPARATION or (
        consultation.stage is Stage.RUNNING and utcnow() < consultation.opens_at
    ):
        return {}
    changes = consultation.__dict__.get(_KEPT)
    if changes is None:
        rows = db.session.execute(
            sa.select(
                TextRevision.target, TextRevision.target_id, sa.func.max(TextRevision.changed_at)
            )
            .where(TextRevision.consultation_id == consultation.id)
            .group_by(TextRevision.target, TextRevision.target_id)
        ).all()
        changes = consultation.__dict__[_KEPT] = {(t, i): when for t, i, when in rows}
    return changes


@bp.app_template_global()
def last_changed(consultation: Consultation, section: Section | None = None, *, own=False):
    """When the page's texts last changed after opening, or None: a section's (with its
    questions'), the general questions' (``section`` None), or with ``own`` the
    consultation's own texts."""
    changes = _changes(consultation)
    if not changes:
        return None
    if own:
        keys = [("consultation", consultation.id)]
    else:
        section_id = section.id if section is not None else None
        keys = [("question", q.id) for q in consultation.questions if q.section_id == section_id]
        if section is not None:
            keys.append(("section", section.id))
    times = [changes[k] for k in keys if k in changes]
    return max(times) if times else None
