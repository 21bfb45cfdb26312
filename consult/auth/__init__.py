"""Blueprint "auth": coordinators sign in and out."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes, sessions  # noqa: E402,F401  (attach routes; configure Flask-Login)
