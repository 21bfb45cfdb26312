"""Blueprint "console" under /console: the coordinators' workspace.

Every route needs a signed-in coordinator (checked once, here, for the whole blueprint);
the nested "admin" blueprint under /console/admin needs an administrator.
May import: models, extensions, ``reviewing``, ``authoring``, ``importing``, ``reports``,
``web``, and
the public blueprint's loaders. Views call one operation per change; they never write rows
themselves.
"""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.sessions import console_session_expired
from ..extensions import login_manager
from ..web.security import PRIVATE

bp = Blueprint("console", __name__)
admin_bp = Blueprint("admin", __name__)


@bp.before_request
def require_coordinator():
    if console_session_expired():
        flash(_("Your session has ended. Please sign in again."), "info")
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


@admin_bp.before_request
def require_admin():
    if not current_user.is_admin:
        abort(403)


@bp.context_processor
def filter_vocabularies() -> dict:
    """The filter form's lists, called with the page's consultation (its own lists)."""
    from .filters import vocabularies

    return {"vocabularies": vocabularies}


@bp.after_request
def never_cache(response):
    """Console pages hold personal data: no shared or browser cache keeps them."""
    response.headers["Cache-Control"] = PRIVATE
    return response


from . import (  # noqa: E402,F401
    admin,
    bundles,
    campaigns,
    comments,
    consultations,
    dashboard,
    editors,
    insight,
    mail,
    opinions,
    outcome,
    papers,
    passages,
    questions,
    representation,
    response_imports,
    responses,
    sections,
    stages,
    suggestions,
    themes,
    translations,
    versions,
)

bp.register_blueprint(admin_bp, url_prefix="/admin")

from ..reports import downloads, views  # noqa: E402,F401  (attach the report routes)
from ..reports.blueprint import bp as reports_bp  # noqa: E402

bp.register_blueprint(reports_bp, url_prefix="/c/<slug>/report")
