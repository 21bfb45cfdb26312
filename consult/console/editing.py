"""The gate of every page that writes a consultation's content (issue 17): admins, and the
coordinators an admin gave that consultation to (``authoring.access.can_edit``); any other
coordinator gets 403. Reviewing, moderation and reports stay open to every coordinator.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..authoring.access import can_edit
from ..models import Consultation
from ..public.routes import load_consultation


def editable_consultation(slug: str) -> Consultation:
    """The consultation to change, loaded in this request's session; 404 if there is none,
    403 if the signed-in person may not edit it."""
    consultation = load_consultation(slug)
    if not can_edit(current_user, consultation):
        abort(403)
    return consultation
