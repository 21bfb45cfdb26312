"""When what an endpoint shows last changed, for ``Last-Modified``.

Where the data carry their times, they say it: a consultation's own row, its stage's last
move, the moments its window opened or closed (the stage people see changes then), its
sections and the text revisions of its questions; the results carry the moment the open
report was computed. Published comments, themes and decisions have no such time (a tag
given or taken, a response withdrawn leave none on the comment), so for them the moment
is when this process first sent these exact bytes (``served_since``): later than the
change, never earlier, so a copy a client holds is never wrongly called unmodified.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, request

from ..extensions import db
from ..models import Consultation, TextRevision
from ..models.columns import utcnow

#: At most this many bodies are remembered per process (odd query strings cannot fill memory).
MAX_REMEMBERED = 2000
_LOCK = threading.Lock()


def consultation_changed(consultation: Consultation) -> datetime:
    """The latest change of what the list shows of a consultation."""
    now = utcnow()
    moments = [consultation.updated_at, consultation.stage_changed_at]
    moments += [m for m in (consultation.opens_at, consultation.closes_at) if m <= now]
    return max(m for m in moments if m is not None)


def detail_changed(consultation: Consultation) -> datetime:
    """The latest change of a consultation with its sections and questions."""
    revised = db.session.scalar(
        sa.select(sa.func.max(TextRevision.changed_at)).where(
            TextRevision.consultation_id == consultation.id
        )
    )
    moments = [consultation_changed(consultation), revised]
    moments += [s.updated_at for s in consultation.sections]
    return max(m for m in moments if m is not None)


def served_since(body: bytes) -> datetime:
    """Since when this process has answered this address with these bytes."""
    kept = current_app.extensions.setdefault("consult.api_served", {})
    key = request.full_path
    digest = hashlib.sha256(body).digest()
    with _LOCK:
        found = kept.get(key)
        if found is not None and found[0] == digest:
            return found[1]
        if len(kept) >= MAX_REMEMBERED:
            kept.clear()
        kept[key] = (digest, utcnow())
        return kept[key][1]
