"""Blueprint "public": the consultation, its sections, and the response flow.

May import: models, extensions, ``responding``, ``reports`` (the published summary and the
final report), ``outcome`` (stages, what was decided and changed), ``published`` and
``opendata`` (what anyone may read; the open-data download), ``web``. Views load, check,
validate and call one operation; they never write rows themselves.
"""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import (  # noqa: E402,F401  (the views attach to bp)
    changes,
    open_data,
    outcome_pages,
    papers,
    passages,
    results,
    revisions,
    routes,
    stage_view,
)
