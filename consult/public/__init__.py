"""Blueprint "public": the consultation, its sections, and the response flow."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import results, routes  # noqa: E402,F401  (the views attach themselves to bp)
