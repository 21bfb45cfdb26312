"""The public "Last changed on …" note: when a text of a page was last edited after the
consultation opened (``TextRevision``, written by the console's editors).

Read once per kept consultation (one GROUP BY, kept with the shared copy, which a change
replaces), and not at all before it opens: no revision can exist then.
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
