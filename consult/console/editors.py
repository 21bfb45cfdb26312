"""(admin) Which coordinators may edit a consultation, /console/admin/c/<slug>/editors:
every coordinator listed with a button to give or take that access (``authoring.editors``,
each change audited). Admins edit every consultation without being given it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..authoring import editors
from ..extensions import db
from ..models import User
from ..public.routes import load_consultation
from ..web.converters import id_from
from . import admin_bp


def _page(consultation, status: int = 200):
    return (
        render_template(
            "console/admin/editors.html",
            consultation=consultation,
            coordinators=editors.coordinators(),
            editor_ids=editors.editor_ids(consultation),
        ),
        status,
    )


@admin_bp.get("/c/<slug>/editors")
def list_editors(slug: str):
    """Every coordinator, whether they may edit this consultation, and the button to change it."""
    return _page(load_consultation(slug))


@admin_bp.post("/c/<slug>/editors")
def change_editor(slug: str):
    consultation = load_consultation(slug)
    action = request.form.get("action")
    user_id = id_from(request.form.get("user_id"))
    user = db.session.get(User, user_id) if user_id is not None else None
    if action not in ("give", "take") or user is None:
        flash(_("Nothing was changed: please use a button of the list."), "error")
        return _page(consultation, 400)
    try:
        if action == "give":
            done = editors.give_access(consultation, user, current_user)
        else:
            done = editors.take_access(consultation, user, current_user)
    except editors.EditorRefused as refusal:
        flash(_("Nothing was changed: %(why)s", why=str(refusal.message)), "error")
        return _page(consultation, 400)
    if not done:
        flash(_("Nothing had changed."), "info")
    elif action == "give":
        flash(_("%(email)s may now edit this consultation.", email=user.email), "success")
    else:
        flash(_("%(email)s may no longer edit this consultation.", email=user.email), "success")
    return redirect(url_for("console.admin.list_editors", slug=slug))
