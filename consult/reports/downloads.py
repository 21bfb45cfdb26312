"""Report downloads: CSV (zip), XLSX, JSON and PDF, confidential or open.

Nested in the console, so every route needs a signed-in coordinator. The query string
chooses the audience (``audience=open|confidential``, confidential by default) and the
report filters, as on the report page; the words are in the coordinator's language.
The CSV zip is streamed, raw rows batch by batch, so a confidential download of a
million responses keeps memory flat and sends its first bytes once the aggregates are
computed; a workbook cannot be streamed, so the web one takes raw rows only up to
``REPORT_WEB_XLSX_RAW_ROWS`` per file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from flask import Response, abort, current_app, request, send_file
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Consultation
from ..public.routes import load_consultation
from .blueprint import bp
from .filters import ReportFilters, filters_from_args
from .frames import Report, build_report
from .privacy import open_report
from .writers import RawFile, csv_zip_chunks, raw_rows, to_json, to_pdf, to_xlsx

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


def report_for(
    consultation: Consultation, filters: ReportFilters, *, audience: str, min_cell: int
) -> Report:
    """The report for ``audience``: an open one has been through the privacy step."""
    report = build_report(consultation, filters, audience=audience)
    return open_report(report, min_cell) if audience == "open" else report


def export(
    consultation: Consultation,
    filters: ReportFilters,
    *,
    fmt: str,
    audience: str,
    min_cell: int,
    raw_limit: int | None = None,
) -> tuple[bytes, Report]:
    """Compute the report for ``audience`` and write it as ``fmt``: the bytes and the report.

    A confidential CSV or XLSX also carries the raw rows (streamed from SQL; an XLSX only
    those files of at most ``raw_limit`` rows). ``consult report`` writes through here,
    in the language of its locale.
    """
    report = report_for(consultation, filters, audience=audience, min_cell=min_cell)
    raw = raw_rows(consultation, filters) if audience == "confidential" else None
    if fmt == "csv":
        return b"".join(csv_zip_chunks(report, raw_rows=raw)), report
    if fmt == "xlsx":
        return to_xlsx(report, raw_rows=raw, raw_limit=raw_limit), report
    return {"json": to_json, "pdf": to_pdf}[fmt](report), report


def _streamed_zip(report: Report, raw: list[RawFile] | None) -> Iterator[bytes]:
    """The CSV zip, its raw rows read while the response is sent.

    The README and the aggregates are written now, in the request's language; the raw
    rows after the request's context is gone, so they are read through a session of
    their own, closed when the body ends or the client goes away.
    """
    if raw is None:
        return csv_zip_chunks(report)
    session = Session(db.engine)
    chunks = csv_zip_chunks(report, raw_rows=[r.read_through(session) for r in raw])

    def body() -> Iterator[bytes]:
        try:
            yield from chunks
        finally:
            session.close()

    return body()


def _filename(slug: str, audience: str, report: Report, fmt: str) -> str:
    return f"{slug}-{audience}-{report.computed_at:%Y-%m-%d}.{FORMATS[fmt].extension}"


def _download(slug: str, fmt: str):
    consultation = load_consultation(slug)
    audience = request.args.get("audience") or "confidential"
    if audience not in AUDIENCES:
        abort(400)
    filters = filters_from_args(request.args, consultation)
    config = current_app.config
    if fmt == "csv":
        report = report_for(
            consultation, filters, audience=audience, min_cell=config["REPORT_MIN_CELL"]
        )
        raw = list(raw_rows(consultation, filters)) if audience == "confidential" else None
        reply = Response(_streamed_zip(report, raw), mimetype=FORMATS[fmt].mimetype)
        reply.headers.set(
            "Content-Disposition", "attachment", filename=_filename(slug, audience, report, fmt)
        )
    else:
        data, report = export(
            consultation,
            filters,
            fmt=fmt,
            audience=audience,
            min_cell=config["REPORT_MIN_CELL"],
            raw_limit=config["REPORT_WEB_XLSX_RAW_ROWS"],
        )
        reply = send_file(
            BytesIO(data),
            mimetype=FORMATS[fmt].mimetype,
            as_attachment=True,
            download_name=_filename(slug, audience, report, fmt),
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
