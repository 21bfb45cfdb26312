"""The open-data download: the consultation's published data as a Frictionless Data
Package, zipped (``consult.opendata``), linked from the public results page.

404 until the results are published, as the results page. The zip is the same for
everyone: it is kept a few minutes per consultation (``REPORT_PUBLIC_CACHE_SECONDS``, as
the results page), may be kept as long by shared caches, and carries an ETag, so a
client that has it gets a 304.
"""

from __future__ import annotations

import hashlib
import time

from flask import abort, current_app, request, url_for

from ..models import Consultation
from ..opendata import OpenDataRefused, build_package, results_address, to_zip
from ..published import results_public
from ..web.security import shareable
from . import bp
from .cache import public_or_404
from .results import CACHE_SECONDS
from .routes import load_consultation


def _kept() -> dict:
    return current_app.extensions.setdefault("consult.open_data", {})


def open_data_zip(consultation: Consultation, homepage: str) -> tuple[bytes, str]:
    """The zip's bytes and its file name; kept a few minutes per consultation."""
    seconds = current_app.config.get("REPORT_PUBLIC_CACHE_SECONDS", CACHE_SECONDS)
    key = (consultation.id, consultation.stage_changed_at, homepage)
    kept = _kept().get(key)
    if kept and time.monotonic() - kept[0] < seconds:
        return kept[1]
    files, as_of = build_package(consultation, homepage=homepage, fresh=False)
    name = f"{consultation.slug}-open-data-{as_of:%Y-%m-%d}"
    made = (to_zip(files, as_of, name), f"{name}.zip")
    if len(_kept()) > 50:
        _kept().clear()
    _kept()[key] = (time.monotonic(), made)
    return made


@bp.get("/c/<slug>/results/open-data.zip")
@shareable
def download_open_data(slug: str):
    """The published data as open data (CSV files and their description); 404 until the
    results are published."""
    consultation = public_or_404(load_consultation(slug))
    if not results_public(consultation):
        abort(404)
    homepage = results_address(slug) or url_for("public.show_results", slug=slug, _external=True)
    try:
        data, name = open_data_zip(consultation, homepage)
    except OpenDataRefused:
        abort(404)
    reply = current_app.response_class(data, mimetype="application/zip")
    reply.headers.set("Content-Disposition", "attachment", filename=name)
    reply.set_etag(hashlib.sha256(data).hexdigest())
    reply.cache_control.public = True
    reply.cache_control.max_age = current_app.config.get(
        "REPORT_PUBLIC_CACHE_SECONDS", CACHE_SECONDS
    )
    return reply.make_conditional(request)
