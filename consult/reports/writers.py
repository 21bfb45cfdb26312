"""Thin writers over the report's frames: a zip of CSV files, an XLSX workbook, JSON.

Each takes a ``Report`` and returns bytes; every format holds the same frames. Labels
inside the files (README, sheet names, headings) are fixed English; the values are the
stored codes, explained by the questions and sections tables. Text that a spreadsheet
would read as a formula is neutralised on a copy, never in the report itself.
"""

from __future__ import annotations

import csv
import io
import json
import math
import numbers
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import xlsxwriter

from ..extensions import db
from ..models import Answer, AnswerChoice, Comment, Consultation, Question, Response, Section
from ..models.review import Theme, comment_theme
from .filters import ReportFilters, counted_responses
from .frames import Report
from .grouping import GROUP_OF, code

#: A text cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Rows of one Excel sheet, header included.
EXCEL_MAX_ROWS = 1_048_576
#: Raw rows read from the database per batch.
RAW_BATCH = 2_000

AUDIENCE_BANNER = {
    "confidential": "CONFIDENTIAL — coordinators only (CONFIDENCIAL — solo coordinadores)",
    "open": "OPEN — aggregates for publication, small counts suppressed (ABIERTO)",
}
SHARE_COLUMNS = {"share", "agree", "disagree", "net", "dk_share", "top3_share"}
DECIMAL_COLUMNS = {"mean", "mean_rank", "borda"}

#: Every frame but participation, in the order written; the sheet is the capitalised name.
FRAMES = ("likert", "choices", "ranking", "comments", "themes", "quotes", "terms", "questions",
          "sections")  # fmt: skip

# ---------------------------------------------------------------- shared


def neutralise(value):
    """A text that a spreadsheet would run as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype(object).map(neutralise)
    return out


def header_lines(report: Report) -> list[tuple[str, str]]:
    """What every output states first: title, audience, filters, count, time, notes."""
    lines = [
        ("Title", report.title),
        ("Consultation", report.slug),
        ("Audience", AUDIENCE_BANNER[report.audience]),
    ]
    lines += [(f"Filter: {name}", value) for name, value in report.filters.describe().items()]
    if report.filters.notes:
        lines.append(("Ignored filter values", ", ".join(report.filters.notes)))
    lines += [
        ("Responses counted", str(report.responses)),
        ("Computed at (UTC)", report.computed_at.strftime("%Y-%m-%d %H:%M:%S")),
    ]
    lines += [("Note", note) for note in report.notes]
    return lines


def frames_of(report: Report) -> dict[str, pd.DataFrame]:
    """Every frame by file stem: participation_<name> first, then the others."""
    frames = {f"participation_{name}": f for name, f in report.participation.items()}
    frames.update({stem: getattr(report, stem) for stem in FRAMES})
    return frames


def _is_blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# ---------------------------------------------------------------- raw rows


@dataclass(frozen=True)
class RawFile:
    """One raw tidy file: the query that streams its rows; its columns are the query's."""

    name: str
    statement: sa.Select

    @property
    def columns(self) -> list[str]:
        return list(self.statement.selected_columns.keys())

    def rows(self) -> Iterator[list]:
        """The rows, read in batches of RAW_BATCH: codes for vocabularies, text neutralised."""
        result = db.session.execute(self.statement.execution_options(yield_per=RAW_BATCH))
        for row in result:
            yield [neutralise(code(v)) for v in row]

    def count(self) -> int:
        inner = self.statement.order_by(None).subquery()
        return db.session.scalar(sa.select(sa.func.count()).select_from(inner))


def raw_rows(consultation: Consultation, filters: ReportFilters) -> Iterator[RawFile]:
    """The raw tidy files of the counted responses, each streamed from SQL in batches.

    Confidential only: one row per counted response (email included), the answers in
    long format (one row per chosen or ranked option), and every comment of those
    responses with its moderation, decision and themes.
    """
    counted = counted_responses(consultation, filters).subquery("counted")
    group = sa.case(GROUP_OF, value=Response.stakeholder_type).label("group")
    yield RawFile(
        "responses.csv",
        sa.select(
            Response.reference, Response.status, Response.stakeholder_type, group,
            Response.region, Response.country, Response.responding_as,
            Response.organisation_name, Response.organisation_size, Response.gender,
            Response.age_band, Response.publication, Response.display_name, Response.email,
            Response.submitted_at,
        )
        .join(counted, counted.c.id == Response.id)
        .order_by(Response.id),
    )  # fmt: skip
    yield RawFile(
        "answers.csv",
        sa.select(
            Response.reference, Question.key.label("question"), Answer.value,
            AnswerChoice.option, AnswerChoice.position,
        )
        .select_from(Answer)
        .join(counted, counted.c.id == Answer.response_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerChoice, AnswerChoice.answer_id == Answer.id)
        .order_by(Answer.response_id, Question.position, AnswerChoice.position,
                  AnswerChoice.option),
    )  # fmt: skip
    themes = (
        sa.select(sa.func.aggregate_strings(Theme.name, "; "))
        .select_from(comment_theme)
        .join(Theme, Theme.id == comment_theme.c.theme_id)
        .where(comment_theme.c.comment_id == Comment.id)
        .scalar_subquery()
        .label("themes")
    )
    moderation = [Comment.moderation == filters.moderation] if filters.moderation else []
    yield RawFile(
        "comments.csv",
        sa.select(
            Response.reference, Section.key.label("section"), Comment.text,
            Comment.redacted_text, Comment.contribution, Comment.moderation,
            Comment.rejection_reason, Comment.decision, Comment.decision_reason, themes,
        )
        .select_from(Comment)
        .join(counted, counted.c.id == Comment.response_id)
        .join(Response, Response.id == Comment.response_id)
        .join(Section, Section.id == Comment.section_id)
        .where(*moderation)
        .order_by(Comment.response_id, Section.position),
    )  # fmt: skip


# ---------------------------------------------------------------- CSV


def _readme(report: Report, raw_included: bool) -> str:
    lines = [f"{label}: {value}" for label, value in header_lines(report)]
    lines.append("")
    if report.audience == "open":
        lines.append(
            "No raw response rows: they would undo the small-cell suppression. This download"
            " holds aggregates and published comments only; no email, no unpublished text."
        )
    elif raw_included:
        lines.append(
            "raw/ holds one row per counted response (with emails), the answers in long"
            " format and every comment with its moderation: personal data, keep it safe."
        )
    else:
        lines.append("No raw rows in this download.")
    lines += [
        "Files are UTF-8 CSV. Text starting with = + - @ tab or CR is prefixed with ' so"
        " that no spreadsheet runs it as a formula. Times are UTC.",
        "Shares are fractions (0.25 = 25%). Likert shares are over the answers that took"
        " a position (valid = n - dk); dk_share is over n.",
        "",
    ]
    return "\n".join(lines)


def _write_csv(archive: zipfile.ZipFile, name: str, columns, rows: Iterable) -> None:
    with (
        archive.open(name, "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
    ):
        writer = csv.writer(text)
        writer.writerow(columns)
        writer.writerows(rows)


def to_csv_zip(report: Report, *, raw_rows=None) -> bytes:
    """A zip of tidy CSV files: README.txt, one file per frame, raw/ files if given.

    ``raw_rows`` is what ``raw_rows(consultation, filters)`` yields; only a confidential
    report may carry it.
    """
    if raw_rows is not None and report.audience != "confidential":
        raise ValueError("raw rows go only into a confidential download")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(report, raw_rows is not None).encode("utf-8-sig"))
        for stem, frame in frames_of(report).items():
            safe = safe_frame(frame)
            rows = (["" if _is_blank(v) else v for v in r] for r in safe.itertuples(False, None))
            _write_csv(archive, f"{stem}.csv", list(frame.columns), rows)
        for raw in raw_rows or ():
            _write_csv(archive, f"raw/{raw.name}", raw.columns, raw.rows())
    return buffer.getvalue()


# ---------------------------------------------------------------- XLSX


def _participation_table(report: Report) -> pd.DataFrame:
    """All participation frames as one tidy table: breakdown, category, responses, cumulative."""
    parts = []
    for name, frame in report.participation.items():
        key = frame.columns[0]
        part = pd.DataFrame(
            {"breakdown": name, "category": frame[key].astype(str), "responses": frame["responses"]}
        )
        part["cumulative"] = frame.get("cumulative")
        parts.append(part.astype(object))
    return pd.concat(parts, ignore_index=True)


def _write_cell(sheet, row: int, col: int, value, style) -> None:
    if _is_blank(value):
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, style)
    elif isinstance(value, numbers.Number):
        sheet.write_number(row, col, float(value), style)
    else:
        sheet.write_string(row, col, neutralise(str(value)), style)


def _write_table(sheet, columns: list[str], rows: Iterable, styles: dict, total: int) -> None:
    """Bold header, rows (capped at Excel's limit, with a note), widths, frozen header."""
    room = EXCEL_MAX_ROWS - 2  # the header and the note
    for col, name in enumerate(columns):
        sheet.write_string(0, col, str(name), styles["header"])
    column_styles = [
        styles["share"]
        if name in SHARE_COLUMNS or str(name).startswith("share_")
        else styles["decimal"]
        if name in DECIMAL_COLUMNS
        else None
        for name in columns
    ]
    widths = [len(str(name)) for name in columns]
    written = 0
    for values in rows:
        if written == room:
            break
        written += 1
        for col, value in enumerate(values):
            _write_cell(sheet, written, col, value, column_styles[col])
            if isinstance(value, str):
                widths[col] = max(widths[col], min(len(value), 60))
    if total > room:
        note = f"{total - room} more rows: see the CSV download."
        sheet.write_string(written + 1, 0, note, styles["note"])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)


def _write_frame(sheet, frame: pd.DataFrame, styles: dict) -> None:
    rows = frame.itertuples(index=False, name=None)
    _write_table(sheet, list(frame.columns), rows, styles, len(frame))


def _bar_chart(workbook, sheet: str, rows: tuple[int, int], cols: tuple[int, int], title: str):
    first, last = rows
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": title,
            "categories": [sheet, first, cols[0], last, cols[0]],
            "values": [sheet, first, cols[1], last, cols[1]],
        }
    )
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True})
    chart.set_size({"width": 640, "height": max(240, 22 * (last - first + 1) + 80)})
    return chart


def _styles(workbook) -> dict:
    return {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1}),
        "share": workbook.add_format({"num_format": "0.0%"}),
        "decimal": workbook.add_format({"num_format": "0.00"}),
        "banner": workbook.add_format({"bold": True, "font_color": "#B00020", "font_size": 13}),
        "title": workbook.add_format({"bold": True, "font_size": 15}),
        "label": workbook.add_format({"bold": True}),
        "note": workbook.add_format({"italic": True}),
    }


def to_xlsx(report: Report, *, raw_rows: Iterable[RawFile] | None = None) -> bytes:
    """An XLSX workbook: Summary, Participation, a sheet per frame, native charts.

    Given ``raw_rows`` (confidential only), each raw file becomes a sheet if it fits in
    Excel's rows; one that does not is left out and the Summary says it is in the CSV.
    Sheets are written row by row (constant memory), so raw rows never pile up here.
    """
    if raw_rows is not None and report.audience != "confidential":
        raise ValueError("raw rows go only into a confidential download")
    raw_files = [(raw, raw.count()) for raw in raw_rows or ()]
    buffer = io.BytesIO()
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, {**options, "strings_to_numbers": False})
    styles = _styles(workbook)
    summary = workbook.add_worksheet("Summary")
    summary.write_string(0, 0, report.title, styles["title"])
    summary.write_string(1, 0, AUDIENCE_BANNER[report.audience], styles["banner"])
    lines = header_lines(report)[1:]
    if report.audience == "open":
        lines.append(("Raw rows", "None: an open download holds aggregates only."))
    elif not raw_files:
        lines.append(("Raw rows", "Not in this workbook: see the confidential CSV download."))
    for raw, count in raw_files:
        where = "sheet " + _raw_sheet(raw) if _fits(count) else "the CSV download only"
        lines.append(("Raw rows", f"{raw.name}: {count} rows, in {where}."))
    for row, (label, value) in enumerate(lines, start=3):
        summary.write_string(row, 0, label, styles["label"])
        if label == "Responses counted":
            summary.write_number(row, 1, report.responses)
        else:
            summary.write_string(row, 1, neutralise(value))
    summary.set_column(0, 0, 28)
    summary.set_column(1, 1, 90)

    participation = workbook.add_worksheet("Participation")
    table = _participation_table(report)
    _write_frame(participation, table, styles)
    groups = table.index[table["breakdown"] == "group"]
    if len(groups):
        span = (groups[0] + 1, groups[-1] + 1)
        title = "Responses by stakeholder group"
        participation.insert_chart(1, 5, _bar_chart(workbook, "Participation", span, (1, 2), title))

    for stem in FRAMES:
        frame, name = getattr(report, stem), stem.capitalize()
        if stem == "likert":  # the overall rows first, so the chart reads one block
            frame = frame.sort_values("group", key=lambda g: g != "all", kind="stable")
        sheet = workbook.add_worksheet(name)
        _write_frame(sheet, frame, styles)
        overall = int((frame["group"] == "all").sum()) if stem == "likert" else 0
        if overall:
            span, cols = (1, overall), (0, list(frame.columns).index("agree"))
            chart = _bar_chart(workbook, name, span, cols, "Share agreeing (4–5), overall")
            chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
            sheet.insert_chart(1, len(frame.columns) + 1, chart)

    for raw, count in raw_files:
        if _fits(count):
            sheet = workbook.add_worksheet(_raw_sheet(raw))
            _write_table(sheet, raw.columns, raw.rows(), styles, count)
    workbook.close()
    return buffer.getvalue()


def _fits(rows: int) -> bool:
    """Whether a sheet holds this many rows whole, with its header and room for a note."""
    return rows + 2 <= EXCEL_MAX_ROWS


def _raw_sheet(raw: RawFile) -> str:
    return "Raw " + raw.name.removesuffix(".csv")


# ---------------------------------------------------------------- JSON


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))


def to_json(report: Report) -> bytes:
    """One JSON document: ``meta``, then every frame as a list of records (NaN as null)."""
    document = {
        "meta": {
            "slug": report.slug,
            "title": report.title,
            "audience": report.audience,
            "banner": AUDIENCE_BANNER[report.audience],
            "filters": report.filters.describe(),
            "ignored_filters": list(report.filters.notes),
            "responses": report.responses,
            "computed_at": report.computed_at.isoformat(),
            "notes": list(report.notes),
        },
        "participation": {name: _records(f) for name, f in report.participation.items()},
    }
    document.update({stem: _records(getattr(report, stem)) for stem in FRAMES})
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
