"""Blueprint "api": the read-only public JSON API under ``/api/v1/`` and its human page.

What anyone may read of the public consultations — their sections and questions, the
published results (the open report), the published comments, themes, decisions and
outcome — as JSON documents described by an OpenAPI 3.1 document
(``/api/v1/openapi.json``, written as data in ``openapi.py``). GET only; any origin may
read (CORS, no credentials); rate limited (``RATELIMIT_API``); ``ETag`` and
``Last-Modified`` with 304 on a match; every error a problem document
(``application/problem+json``, ``problems.py``).

May import: models, extensions, ``published`` (what is public, shared with the open-data
package), ``public`` (the shared consultation and the results page's open report, so the
figures are the page's), ``outcome`` (stages, the outcome summary), ``reports`` (the open
report's JSON writer), ``web``. It reads no session and no signed-in user.
"""

from flask import Blueprint, Flask

from ..web.errors import answer_errors_under
from ..web.limits import api_limit
from .replies import add_cors

bp = Blueprint("api", __name__)
api_limit(bp)

#: Every address under this answers its errors as problem documents.
PREFIX = "/api/"


bp.after_request(add_cors)


def init_app(app: Flask) -> None:
    """Register the blueprint under /api and its problem documents for every error there."""
    from .problems import problem_response

    app.register_blueprint(bp, url_prefix="/api")
    answer_errors_under(app, PREFIX, problem_response)


from . import docs_page, openapi, views  # noqa: E402,F401  (the views attach to bp)
