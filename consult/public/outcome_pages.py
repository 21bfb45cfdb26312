"""The published outcome, "Lo que dijo, lo que hicimos" / "You said, we did".

A page for the consultation and one per section, and the final report as a PDF. They
exist for the public once the outcome is published (``Stage.OUTCOME``); before that they
answer 404, but to signed-in coordinators, who get a preview that is never kept nor
marked shareable (``g.previewing``). Published, a page is the same for everyone.

Participation comes from the open report (``results.results_page``: small groups pooled,
the same figures as the results page); themes, decisions, changes and what was not taken
up from ``outcome.summary``, with the same K.
"""

from __future__ import annotations

import time
from typing import Any

from flask import abort, current_app, g, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Consultation, Section
from ..models.columns import current_language
from ..models.vocab import Stage
from ..outcome.summary import OutcomeSummary, outcome_summary
from ..outcome.versions import shown_version
from ..reports.charts import Table
from ..reports.grouping import FIELD_NAMES, GROUPS_KEY
from ..reports.labels import category_label
from ..reports.outcome import outcome_pdf, shown_types
from ..reports.tables import CAPTIONS, records
from ..web.security import shareable
from . import bp
from .cache import shared_consultation
from .results import CACHE_SECONDS, results_page
from .routes import load_consultation

#: The final report's file name, by language.
PDF_NAMES = {"es": "informe-de-la-consulta", "en": "consultation-report"}


def published_or_preview(slug: str) -> Consultation:
    """The consultation once its outcome is published; before, 404 but to coordinators,
    whose preview stays private."""
    consultation = shared_consultation(slug)
    if consultation.stage is not Stage.OUTCOME:
        if not current_user.is_authenticated:
            abort(404)
        g.previewing = True
        if shown_version(consultation) != consultation.current_version:
            # The shared copy shows the public the consulted text; the preview is of
            # the revised draft, as it will be published.
            return load_consultation(slug)
    return consultation


def section_of(consultation: Consultation, key: str) -> Section:
    """The consultation's section with this key, or 404."""
    section = next((s for s in consultation.sections if s.key == key), None)
    if section is None:
        abort(404)
    return section


def _kept() -> dict:
    return current_app.extensions.setdefault("consult.public_outcome", {})


def _keep(consultation: Consultation, key: tuple, make):
    """``make()``, kept a few minutes per key once the outcome is published (a preview,
    which coordinators look at while they decide, is made afresh every time)."""
    if g.get("previewing"):
        return make()
    seconds = current_app.config.get("REPORT_PUBLIC_CACHE_SECONDS", CACHE_SECONDS)
    key = (consultation.id, consultation.stage_changed_at, *key)
    kept = _kept().get(key)
    if kept and time.monotonic() - kept[0] < seconds:
        return kept[1]
    value = make()
    if len(_kept()) > 200:
        _kept().clear()
    _kept()[key] = (time.monotonic(), value)
    return value


def _participation(report) -> list[Table]:
    """Responses by stakeholder group and by type, as the open report shows them."""
    tables = []
    for name in (GROUPS_KEY, "stakeholder_type"):
        frame = report.participation.get(name)
        if frame is None or frame.empty:
            continue
        rows = [
            (category_label(report.profile, name, r[name]), [r["responses"]])
            for r in records(frame)
        ]
        tables.append(
            Table(str(CAPTIONS[name]), [str(FIELD_NAMES[name]), _("Responses")], rows, ["count"])
        )
    return tables


def _page(consultation: Consultation, section: Section | None) -> dict[str, Any]:
    k = current_app.config["REPORT_MIN_CELL"]
    results = results_page(consultation)
    report = results["report"]
    summary: OutcomeSummary = outcome_summary(
        consultation, section, min_cell=k, shown_types=shown_types(report)
    )
    if section is None:
        tables = _participation(report)
    else:
        table = results["page"]["comments"].get(section.key)
        tables = [table] if table is not None else []
    return {
        "summary": summary,
        "participation": tables,
        "responses": report.responses,
        "k": k,
    }


def _render(consultation: Consultation, section: Section | None):
    key = ("page", section.key if section else None, current_language())
    shown = _keep(consultation, key, lambda: _page(consultation, section))
    slug = consultation.slug
    return render_template(
        "public/outcome.html",
        consultation=consultation,
        section=section,
        previewing_outcome=consultation.stage is not Stage.OUTCOME,
        pdf_url=url_for("public.download_outcome_pdf", slug=slug),
        changes_url=url_for("public.changes", slug=slug),
        section_changes_url=lambda key: url_for("public.section_changes", slug=slug, key=key),
        **shown,
    )


@bp.get("/c/<slug>/outcome")
@shareable
def show_outcome(slug: str):
    """What people said and what was done with it: the whole consultation."""
    return _render(published_or_preview(slug), None)


@bp.get("/c/<slug>/s/<key>/outcome")
@shareable
def show_section_outcome(slug: str, key: str):
    """What people said about one section and what was done with it."""
    consultation = published_or_preview(slug)
    return _render(consultation, section_of(consultation, key))


def _pdf(consultation: Consultation, k: int) -> tuple[bytes, str]:
    """The final report's bytes and the day it was computed (for its file name)."""
    data, report = outcome_pdf(consultation, min_cell=k)
    return data, f"{report.computed_at:%Y-%m-%d}"


@bp.get("/c/<slug>/outcome.pdf")
@shareable
def download_outcome_pdf(slug: str):
    """The final report, "Informe de la consulta", in the reader's language."""
    consultation = published_or_preview(slug)
    language = current_language()
    k = current_app.config["REPORT_MIN_CELL"]
    data, day = _keep(consultation, ("pdf", language), lambda: _pdf(consultation, k))
    name = f"{consultation.slug}-{PDF_NAMES.get(language, PDF_NAMES['es'])}-{day}.pdf"
    reply = current_app.response_class(data, mimetype="application/pdf")
    reply.headers.set("Content-Disposition", "attachment", filename=name)
    return reply
