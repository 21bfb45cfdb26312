"""Blueprint "auth": coordinators sign in and out.

May import: models, extensions, ``reviewing.accounts``, ``web``. Nothing imports it but the
app factory and the console (its session checks).
"""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes, sessions  # noqa: E402,F401  (attach routes; configure Flask-Login)
