"""The XLSX download: a Summary sheet, Participation, a sheet per frame, native charts.

XlsxWriter in constant-memory mode writes row by row. Sheets, headings and vocabulary
labels are in the report's language (``headings.py``); numbers stay numbers; text is
written as string cells, which Excel never runs as formulas (so it needs no neutralising
apostrophe, unlike CSV); questions are named by their wording beside their code. Raw rows
go in only where they fit: within Excel's row limit and, for a workbook built in a web
request, within ``raw_limit``; the Summary says where the others are.
"""

from __future__ import annotations

import io
import numbers
from collections.abc import Iterable

import pandas as pd
import xlsxwriter
from flask_babel import gettext as _

from ..frames import Report
from ..labels import banner, header_lines, language, share_note
from .headings import for_people, heading, sheet_name
from .raw import RawFile
from .tidy import BROKEN_DOWN, FRAMES, breakdown_column, frame_of, is_blank

#: Rows of one Excel sheet, header included.
EXCEL_MAX_ROWS = 1_048_576
SHARE_COLUMNS = {"share", "agree", "disagree", "net", "dk_share", "top3_share",
                 "response_share", "population_share"}  # fmt: skip
DECIMAL_COLUMNS = {"mean", "mean_rank", "borda", "index"}


def _participation_table(report: Report) -> pd.DataFrame:
    """All participation frames as one tidy table: breakdown, category, responses, cumulative."""
    parts = []
    for name, frame in report.participation.items():
        key = frame.columns[0]
        part = pd.DataFrame(
            {"breakdown": name, "category": frame[key].astype(str), "responses": frame["responses"]}
        )
        part["cumulative"] = frame.get("cumulative")
        if "since" in frame:  # an open report's days merged into one row: from … to
            part["category"] = frame["since"].astype(str) + " – " + part["category"]
            part.loc[frame["since"].to_numpy() == frame[key].to_numpy(), "category"] = frame[key]
        parts.append(part.astype(object))
    return pd.concat(parts, ignore_index=True)


def _question_wording(report: Report) -> dict[str, str]:
    """Question code → its wording in the report's language (Spanish when untranslated)."""
    questions = report.questions
    english = language() == "en"
    return {
        key: (en if english and en else es)
        for key, es, en in zip(
            questions["question"], questions["prompt_es"], questions["prompt_en"], strict=True
        )
    }


def _write_cell(sheet, row: int, col: int, value, style) -> None:
    if is_blank(value):
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, style)
    elif isinstance(value, numbers.Number):
        sheet.write_number(row, col, float(value), style)
    else:
        # A string cell is text to Excel, never a formula: written as the person wrote it.
        sheet.write_string(row, col, str(value), style)


def _write_table(
    sheet, columns: list[str], headings: list[str], rows: Iterable, styles: dict, total: int
) -> None:
    """Bold header, rows (capped at Excel's limit, with a note), widths, frozen header."""
    room = EXCEL_MAX_ROWS - 2  # the header and the note
    for col, name in enumerate(headings):
        sheet.write_string(0, col, name, styles["header"])
    column_styles = [
        styles["share"]
        if name in SHARE_COLUMNS or (str(name).startswith("share_") and name != "share_base")
        else styles["decimal"]
        if name in DECIMAL_COLUMNS
        else None
        for name in columns
    ]
    widths = [min(len(name), 40) for name in headings]
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
        note = _("%(n)s more rows: see the CSV download.", n=total - room)
        sheet.write_string(written + 1, 0, note, styles["note"])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)


def _write_frame(sheet, name: str, frame: pd.DataFrame, styles: dict, report: Report) -> None:
    columns = list(frame.columns)
    rows = for_people(name, frame, report.profile).itertuples(index=False, name=None)
    headings = [heading(name, c, report.profile) for c in columns]
    _write_table(sheet, columns, headings, rows, styles, len(frame))


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


def _raw_note(raw: RawFile, count: int, room: int, raw_limit: int | None) -> str:
    if count <= room:
        where = sheet_name(raw.name)
        return _(
            "%(file)s: %(rows)s rows, in the sheet “%(sheet)s”.",
            file=raw.name,
            rows=count,
            sheet=where,
        )
    if raw_limit is not None and count <= EXCEL_MAX_ROWS - 2:
        return _(
            "%(file)s: %(rows)s rows, too many for a workbook built on the web: they are in"
            " the CSV download, and `consult report --format xlsx` writes them into a workbook.",
            file=raw.name,
            rows=count,
        )
    return _("%(file)s: %(rows)s rows, in the CSV download only.", file=raw.name, rows=count)


def _summary(workbook, report: Report, raw_notes: list[str], styles: dict) -> None:
    summary = workbook.add_worksheet(sheet_name("summary"))
    summary.write_string(0, 0, report.title_in(language()), styles["title"])
    summary.write_string(1, 0, banner(report.audience), styles["banner"])
    lines = header_lines(report)[1:]
    if report.audience == "open":
        lines.append((_("Raw rows"), _("None: an open download holds aggregates only.")))
    elif not raw_notes:
        lines.append((_("Raw rows"), _("Not in this workbook: see the confidential CSV download.")))
    lines += [(_("Raw rows"), note) for note in raw_notes]
    responses = _("Responses counted")
    for row, (label, value) in enumerate(lines, start=3):
        summary.write_string(row, 0, label, styles["label"])
        if label == responses and isinstance(report.responses, int):
            summary.write_number(row, 1, report.responses)
        else:
            summary.write_string(row, 1, value)
    summary.set_column(0, 0, 28)
    summary.set_column(1, 1, 90)


def to_xlsx(
    report: Report, *, raw_rows: Iterable[RawFile] | None = None, raw_limit: int | None = None
) -> bytes:
    """An XLSX workbook: Summary, Participation, a sheet per frame, native charts.

    Given ``raw_rows`` (confidential only), each raw file becomes a sheet if it has at
    most ``raw_limit`` rows (no limit when None) and fits in Excel's rows; the Summary
    says where the others are. Sheets are written row by row (constant memory).
    """
    if raw_rows is not None and report.audience != "confidential":
        raise ValueError("raw rows go only into a confidential download")
    room = EXCEL_MAX_ROWS - 2
    if raw_limit is not None:
        room = min(room, raw_limit)
    raw_files = [(raw, raw.count()) for raw in raw_rows or ()]
    buffer = io.BytesIO()
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, {**options, "strings_to_numbers": False})
    styles = _styles(workbook)
    _summary(workbook, report, [_raw_note(r, n, room, raw_limit) for r, n in raw_files], styles)

    name = sheet_name("participation")
    participation = workbook.add_worksheet(name)
    table = _participation_table(report)
    _write_frame(participation, "participation", table, styles, report)
    groups = table.index[table["breakdown"] == "group"]
    if len(groups):
        span = (groups[0] + 1, groups[-1] + 1)
        title = _("Responses by stakeholder group")
        participation.insert_chart(1, 5, _bar_chart(workbook, name, span, (1, 2), title))

    wording = _question_wording(report)
    note = share_note(report.share_base)
    for stem in FRAMES:
        frame, name = frame_of(report, stem), sheet_name(stem)
        rows_by = breakdown_column(report, getattr(report, stem)) if stem in BROKEN_DOWN else None
        if stem == "likert":  # the overall rows first, so the chart reads one block
            frame = frame.sort_values(rows_by, key=lambda g: g != "all", kind="stable")
        if stem in ("likert", "choices", "ranking"):  # read by wording; the code beside it
            frame = frame.copy()
            texts = frame["question"].map(wording).fillna(frame["question"])
            frame.insert(list(frame.columns).index("question") + 1, "question_text", texts)
        sheet = workbook.add_worksheet(name)
        _write_frame(sheet, stem, frame, styles, report)
        if stem == "likert":  # what the shares are of, under the table and on the chart
            sheet.write_string(len(frame) + 2, 0, note, styles["note"])
        overall = int((frame[rows_by] == "all").sum()) if stem == "likert" else 0
        if overall:
            columns = list(frame.columns)
            span, cols = (1, overall), (columns.index("question_text"), columns.index("agree"))
            chart = _bar_chart(workbook, name, span, cols, _("Share agreeing (4–5), overall"))
            axis_note = {"name": note, "name_font": {"size": 8, "bold": False}}
            chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1, **axis_note})
            sheet.insert_chart(1, len(frame.columns) + 1, chart)

    for raw, count in raw_files:
        if count <= room:
            sheet = workbook.add_worksheet(sheet_name(raw.name))
            headings = [heading("raw", c, report.profile) for c in raw.columns]
            _write_table(sheet, raw.columns, headings, raw.rows(), styles, count)
    workbook.close()
    return buffer.getvalue()
