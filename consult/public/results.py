"""The public results page: the published summary of a consultation's report.

Aggregates only, from the open report (``audience="open"`` then ``privacy.open_report``):
a group of fewer than K respondents is never shown on its own. No quote, no name, no
email. Computing the report reads every answer, so the page is kept for a few minutes
(``REPORT_PUBLIC_CACHE_SECONDS``) per language.

Its charts are image files of their own, named by a digest of their SVG: the page stays
within its weight on a phone (images apart), and a chart is fetched once and cached.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from typing import Any

from flask import abort, current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..models import Consultation
from ..models.columns import current_language
from ..opendata import licence
from ..reports.charts import Table
from ..reports.frames import Report, build_report
from ..reports.grouping import ALL
from ..reports.labels import contribution_labels
from ..reports.privacy import open_report
from ..reports.tables import records, report_page
from ..web.security import shareable
from . import bp
from .cache import public_or_404
from .routes import load_consultation

CACHE_SECONDS = 300


def comment_summary(report: Report, sections: dict[str, str]) -> Table | None:
    """Comments per section and contribution (or per section alone, where the
    consultation asks none), all respondents."""
    labels = contribution_labels(report)
    rows = [r for r in records(report.comments) if r["group"] == ALL]
    counts = {(r["section"], r["contribution"]): r["n"] for r in rows}
    commented = {r["section"] for r in rows}
    if not labels:
        totals: dict[str, int] = {}
        for r in rows:
            totals[r["section"]] = totals.get(r["section"], 0) + r["n"]
        lines = [(label, [totals[key]]) for key, label in sections.items() if key in totals]
        if not lines:
            return None
        return Table(_("Comments per section"), [_("Section"), _("Comments")], lines, ["count"])
    lines = [
        (label, [counts.get((key, code), 0) for code in labels])
        for key, label in sections.items()
        if key in commented
    ]
    if not lines:
        return None
    return Table(
        _("Comments per section and contribution"),
        [_("Section"), *labels.values()],
        lines,
        ["count"] * len(labels),
    )


def _cache() -> dict:
    return current_app.extensions.setdefault("consult.public_results", {})


def forget_results(consultation: Consultation) -> None:
    """Drop this process's kept page, so the next reader gets fresh figures."""
    for key in [key for key in _cache() if key[0] == consultation.id]:
        _cache().pop(key, None)


def results_page(consultation: Consultation) -> dict[str, Any]:
    """The open report shaped for the page; kept a few minutes per consultation and language."""
    seconds = current_app.config.get("REPORT_PUBLIC_CACHE_SECONDS", CACHE_SECONDS)
    cache = _cache()
    key = (consultation.id, current_language())
    kept = cache.get(key)
    if kept and time.monotonic() - kept[0] < seconds:
        return kept[1]
    k = current_app.config["REPORT_MIN_CELL"]
    report = build_report(consultation, audience="open", quotes_per_section=0)
    report = open_report(report, k)
    page = report_page(report, consultation)
    shown = {
        "report": report,
        "page": page,
        "comments": comment_summary(report, page["sections"]),
        "k": k,
        "charts": {chart_digest(t.svg): t.svg for t in _tables(page) if t.svg},
    }
    cache[key] = (time.monotonic(), shown)
    return shown


def _tables(value: Any) -> Iterator[Table]:
    """Every table of the page, wherever it sits."""
    if isinstance(value, Table):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tables(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _tables(item)


def chart_digest(svg: str) -> str:
    return hashlib.sha256(svg.encode("utf-8")).hexdigest()[:20]


_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def _chart_image(consultation: Consultation, svg: str) -> Markup:
    """The chart as an ``<img>`` of its own address, sized so the page does not jump."""
    src = url_for(
        "public.show_results_chart",
        slug=consultation.slug,
        language=current_language(),
        digest=chart_digest(svg),
    )
    size = _VIEWBOX.search(svg[: svg.find(">")])
    width, height = (round(float(n)) for n in size.groups()) if size else ("", "")
    return Markup(
        '<img alt="" src="{}" width="{}" height="{}" loading="lazy" decoding="async">'
    ).format(src, width, height)


@bp.get("/c/<slug>/results")
@shareable
def show_results(slug: str):
    """The published summary of the results: aggregates only; 404 until published."""
    consultation = public_or_404(load_consultation(slug))
    if not consultation.summary_published:
        abort(404)
    return render_template(
        "reports/results.html",
        consultation=consultation,
        chart=lambda svg: _chart_image(consultation, svg),
        open_data_licence=licence(),
        **results_page(consultation),
    )


@bp.get("/c/<slug>/results/charts/<language>/<digest>.svg")
def show_results_chart(slug: str, language: str, digest: str):
    """One chart of the published summary; its address changes whenever its figures do."""
    consultation = load_consultation(slug)
    if not consultation.summary_published or language not in current_app.config["LANGUAGES"]:
        abort(404)
    with force_locale(language):
        svg = results_page(consultation)["charts"].get(digest)
    if svg is None:
        abort(404)
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 365 * 24 * 3600
    response.cache_control.immutable = True
    return response
