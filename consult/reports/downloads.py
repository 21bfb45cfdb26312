"""Report downloads: CSV (zip), XLSX, JSON and PDF, confidential or open.

Nested in the console, so every route needs a signed-in coordinator. The query string
chooses the audience (``audience=open|confidential``, confidential by default) and the
report filters, as on the report page.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from flask import abort, current_app, request, send_file

from ..models import Consultation
from ..public.routes import load_consultation
from .blueprint import bp
from .filters import ReportFilters, filters_from_args
from .frames import Report, build_report
from .pdf import to_pdf
from .privacy import open_report
from .writers import raw_rows, to_csv_zip, to_json, to_xlsx

AUDIENCES = ("confidential", "open")


@dataclass(frozen=True)
class Format:
    extension: str
    mimetype: str


FORMATS = {
    "csv": Format("csv.zip", "application/zip"),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": Format("json", "application/json"),
    "pdf": Format("pdf", "application/pdf"),
}


def export(
    consultation: Consultation, filters: ReportFilters, *, fmt: str, audience: str, min_cell: int
) -> tuple[bytes, Report]:
    """Compute the report for ``audience`` and write it as ``fmt``: the bytes and the report.

    An open report goes through the privacy step; a confidential CSV or XLSX also carries
    the raw rows (streamed from SQL). The CLI writes its files through here too.
    """
    report = build_report(consultation, filters, audience=audience)
    if audience == "open":
        report = open_report(report, min_cell)
    raw = raw_rows(consultation, filters) if audience == "confidential" else None
    if fmt == "csv":
        return to_csv_zip(report, raw_rows=raw), report
    if fmt == "xlsx":
        return to_xlsx(report, raw_rows=raw), report
    return {"json": to_json, "pdf": to_pdf}[fmt](report), report


def _download(slug: str, fmt: str):
    consultation = load_consultation(slug)
    audience = request.args.get("audience") or "confidential"
    if audience not in AUDIENCES:
        abort(400)
    filters = filters_from_args(request.args, consultation)
    data, report = export(
        consultation,
        filters,
        fmt=fmt,
        audience=audience,
        min_cell=current_app.config["REPORT_MIN_CELL"],
    )
    kind = FORMATS[fmt]
    reply = send_file(
        BytesIO(data),
        mimetype=kind.mimetype,
        as_attachment=True,
        download_name=f"{slug}-{audience}-{report.computed_at:%Y-%m-%d}.{kind.extension}",
    )
    reply.headers["Cache-Control"] = "no-store"
    return reply


@bp.get("/report.csv.zip")
def download_csv(slug: str):
    """The report as a zip of CSV files (raw rows too, for the confidential audience)."""
    return _download(slug, "csv")


@bp.get("/report.xlsx")
def download_xlsx(slug: str):
    """The report as an XLSX workbook with native charts."""
    return _download(slug, "xlsx")


@bp.get("/report.json")
def download_json(slug: str):
    """The report as one JSON document."""
    return _download(slug, "json")


@bp.get("/report.pdf")
def download_pdf(slug: str):
    """The printable report, "Informe de resultados"."""
    return _download(slug, "pdf")
