"""The package itself: ``datapackage.json`` and one CSV per resource, as bytes, then a
folder or a zip.

Deterministic: the same data gives the same bytes. Rows come in a fixed order, the
descriptor's keys too, CSV is UTF-8 with a header row and CRLF line ends (RFC 4180),
and the zip's entries carry one fixed date, the data's own (``data_as_of``: the latest
change to what the package holds), never the moment of export.

Text is written exactly as published: no spreadsheet-formula neutralisation here
(``reports.writers.formulas`` guards the report downloads a coordinator opens in a
spreadsheet). Open data is read by programs; a comment that begins with "=" must reach
them as it was written, and a leading "'" would change what was said.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for

from ..extensions import db
from ..models import Comment, Consultation, OutcomeDecision, Response, Section, Theme
from ..published import open_figures, results_public
from . import aggregate, published_tables
from .rows import Row, codes_of, comment_rows, form_rows, outcome_rows, result_rows
from .schema import Table

#: Licences named by their SPDX id in the setting OPEN_DATA_LICENSE.
LICENSES = {
    "CC-BY-4.0": (
        "https://creativecommons.org/licenses/by/4.0/",
        "Creative Commons Attribution 4.0",
    ),
    "CC-BY-SA-4.0": (
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Creative Commons Attribution-ShareAlike 4.0",
    ),
    "CC0-1.0": (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "CC0 1.0 Universal (public domain)",
    ),
    "ODC-By-1.0": (
        "https://opendatacommons.org/licenses/by/1-0/",
        "Open Data Commons Attribution License 1.0",
    ),
    "ODbL-1.0": (
        "https://opendatacommons.org/licenses/odbl/1-0/",
        "Open Data Commons Open Database License 1.0",
    ),
    "PDDL-1.0": (
        "https://opendatacommons.org/licenses/pddl/1-0/",
        "Open Data Commons Public Domain Dedication and License 1.0",
    ),
}
DESCRIPTOR = "datapackage.json"
#: Every resource, in the order of the package.
TABLES = (*aggregate.TABLES, *published_tables.TABLES)


class OpenDataRefused(Exception):
    """The package cannot be made; the message says why, for the person at the command
    line (in English, as consult's other commands speak)."""


def licence() -> dict[str, str]:
    """The licence the setting names: an SPDX id (those of ``LICENSES`` with their address
    and title) or a dict {name, path, title}."""
    setting = current_app.config.get("OPEN_DATA_LICENSE") or "CC-BY-4.0"
    if isinstance(setting, dict):
        return {k: str(setting[k]) for k in ("name", "path", "title") if setting.get(k)}
    if setting not in LICENSES:  # another SPDX id: named as it is, with no address
        return {"name": str(setting), "title": str(setting)}
    path, title = LICENSES[setting]
    return {"name": setting, "path": path, "title": title}


def results_address(slug: str) -> str | None:
    """The public results page's address, where a setting says the site's address
    (``PUBLIC_URL``, else ``SERVER_NAME``); None where none says it."""
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return f"{str(public).rstrip('/')}/c/{slug}/results"
    if current_app.config.get("SERVER_NAME"):
        return url_for("public.show_results", slug=slug, _external=True)
    return None


def data_as_of(consultation: Consultation) -> datetime:
    """The latest change to what the package holds (UTC, to the second): the package's
    ``created``, ``version`` and the date of its zip entries."""
    cid = consultation.id
    moments = [consultation.updated_at, consultation.stage_changed_at]
    moments += db.session.execute(
        sa.select(
            sa.select(sa.func.max(Response.submitted_at))
            .where(Response.consultation_id == cid)
            .scalar_subquery(),
            sa.select(sa.func.max(Comment.moderated_at))
            .join(Response, Response.id == Comment.response_id)
            .where(Response.consultation_id == cid)
            .scalar_subquery(),
            sa.select(sa.func.max(OutcomeDecision.decided_at))
            .outerjoin(Theme, Theme.id == OutcomeDecision.theme_id)
            .outerjoin(Section, Section.id == OutcomeDecision.section_id)
            .where(sa.or_(Theme.consultation_id == cid, Section.consultation_id == cid))
            .scalar_subquery(),
        )
    ).one()
    return max(m for m in moments if m is not None).replace(microsecond=0, tzinfo=None)


def _cell(column_type: str, value: Any) -> str:
    if value is None:
        return ""
    if column_type == "boolean":
        return "true" if value else "false"
    if column_type == "integer":
        return str(int(value))
    if column_type == "number":
        return repr(float(value))
    if column_type == "datetime" and isinstance(value, datetime):
        return f"{value:%Y-%m-%dT%H:%M:%SZ}"
    if column_type == "date" and isinstance(value, date | datetime):
        return f"{value:%Y-%m-%d}"
    return str(value)


def to_csv(table: Table, rows: list[Row]) -> bytes:
    """RFC 4180: UTF-8, a header row, CRLF, quotes only where needed; text as written."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    types = [(c.name, c.type) for c in table.columns]
    for row in rows:
        writer.writerow([_cell(kind, row.get(name)) for name, kind in types])
    return out.getvalue().encode("utf-8")


def _descriptor(
    consultation: Consultation,
    files: dict[str, bytes],
    codes: dict[str, list[str]],
    min_cell: int,
    as_of: datetime,
    homepage: str | None,
) -> dict[str, Any]:
    """``datapackage.json``: the package's metadata and every resource's schema."""
    title_es, title_en = consultation.title_es, consultation.title_en or consultation.title_es
    organiser = consultation.organiser_en or consultation.organiser_es
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": consultation.slug.lower(),
        "title": title_en,
        "title_es": title_es,
        "description": (
            f"Public data of the consultation “{title_en}” organised by {organiser}: its"
            " questions and options, the aggregate results of the open report (groups of"
            f" fewer than {min_cell} respondents pooled), the published comments and, once"
            " published, the themes and decisions of its outcome. See docs/open-data.md."
        ),
        "description_es": (
            f"Datos públicos de la consulta «{title_es}», organizada por"
            f" {consultation.organiser_es}: sus preguntas y opciones, los resultados"
            f" agregados del informe abierto (grupos de menos de {min_cell} personas"
            " agrupados), los comentarios publicados y, una vez publicado, los temas y"
            " decisiones de su resultado."
        ),
    }
    if consultation.is_demo:  # ``consult demo``: every open output says so
        package["demo"] = True
        for key, note in (
            ("description", " DEMONSTRATION: the responses are invented (consult demo)."),
            ("description_es", " DEMOSTRACIÓN: las respuestas son inventadas (consult demo)."),
        ):
            package[key] += note
    if homepage:
        package["homepage"] = homepage
    package.update(
        {
            "version": f"{as_of:%Y.%m.%d.%H%M%S}",
            "created": f"{as_of:%Y-%m-%dT%H:%M:%SZ}",
            "languages": ["es", "en"],
            "keywords": ["public consultation", "consulta pública", "open data"],
            "licenses": [licence()],
            "sources": [
                {"title": f"{organiser}: {title_en}", **({"path": homepage} if homepage else {})}
            ],
            "contributors": [
                {"title": organiser, "role": "publisher"},
            ],
            "min_cell": min_cell,
            "stage": consultation.stage.value,
            "resources": [
                {
                    "name": table.name,
                    "path": table.path,
                    "profile": "tabular-data-resource",
                    "title": table.title[0],
                    "title_es": table.title[1],
                    "description": table.description[0],
                    "description_es": table.description[1],
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": len(files[table.path]),
                    "hash": "sha256:" + hashlib.sha256(files[table.path]).hexdigest(),
                    "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                    "schema": table.schema(codes),
                }
                for table in TABLES
            ],
        }
    )
    return package


def build_package(
    consultation: Consultation, *, homepage: str | None = None, fresh: bool = True
) -> tuple[dict[str, bytes], datetime]:
    """Every file of the package by name, ``datapackage.json`` first, and its date.

    ``OpenDataRefused`` until the results are published. ``fresh`` computes the open
    report anew (the command); a page may take the one kept a few minutes.
    """
    if not results_public(consultation):
        raise OpenDataRefused(
            f"the results of {consultation.slug} are not published: there is no open data yet"
            " (publish them in the console's report first)."
        )
    figures = open_figures(consultation, fresh=fresh)
    report = figures.report
    rows = {
        **form_rows(report),
        **result_rows(report),
        **comment_rows(consultation, figures),
        **outcome_rows(consultation),
    }
    csvs = {table.path: to_csv(table, rows[table.name]) for table in TABLES}
    as_of = data_as_of(consultation)
    codes = codes_of(consultation, report)
    descriptor = _descriptor(consultation, csvs, codes, figures.min_cell, as_of, homepage)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    return {DESCRIPTOR: text.encode("utf-8"), **csvs}, as_of


def package_files(consultation: Consultation, **options) -> dict[str, bytes]:
    return build_package(consultation, **options)[0]


def to_zip(files: dict[str, bytes], as_of: datetime, folder: str) -> bytes:
    """The files in one folder of a zip, each dated ``as_of``, in a fixed order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=as_of.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3  # Unix, whatever the machine exporting
            archive.writestr(entry, data, compresslevel=9)
    return out.getvalue()


def write_package(
    consultation: Consultation, out: Path, *, force: bool = False, homepage: str | None = None
) -> dict[str, bytes]:
    """Write the package to ``out``: a zip when it ends in ``.zip``, else a folder (which
    must be empty or absent unless ``force``). Nothing is written when refused."""
    zipped = out.suffix.lower() == ".zip"
    if zipped:
        if out.is_dir():
            raise OpenDataRefused(f"{out} is a folder, not a zip file.")
        if out.exists() and not force:
            raise OpenDataRefused(f"{out} exists; add --force to replace it.")
        if not out.parent.is_dir():
            raise OpenDataRefused(f"{out.parent} is not a folder.")
    else:
        if out.exists() and not out.is_dir():
            raise OpenDataRefused(f"{out} exists and is not a folder.")
        if out.is_dir() and any(out.iterdir()) and not force:
            raise OpenDataRefused(f"{out} is not empty; add --force to write into it.")
    files, as_of = build_package(consultation, homepage=homepage)
    if zipped:
        out.write_bytes(to_zip(files, as_of, consultation.slug))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
    return files
