"""A CSV or XLSX file read into a header and rows of text, or refused with a reason.

Form tools export differently: Google Forms writes UTF-8 with commas, Microsoft Forms and
Excel in Spanish write ``;`` and often Windows-1252, a typed-in sheet may be an XLSX. The
encoding is found (UTF-8 with or without its mark, else Windows-1252), the delimiter is
the one of ``, ; tab`` that splits the header into most columns. Every cell becomes text:
an XLSX date becomes ``YYYY-MM-DD HH:MM:SS`` (the timestamp reader takes it besides the
mapping's format), a whole number its digits.

Refused whole, before any row is looked at: a file that is neither (an old .xls, a PDF,
binary bytes), larger than ``MAX_FILE_BYTES``, wider than ``MAX_COLUMNS``, longer than
``MAX_ROWS``, an XLSX that unpacks to too much, or one with formula cells (their result
is not in the file for certain, and a formula is not an answer). Each line number is the
row a spreadsheet shows (the header is line 1), so a problem is found where the
person will look for it, in the CSV as in the XLSX.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

#: Largest file read (the console's upload is also bounded by the request's size limit).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: An XLSX is a zip: what it may unpack to.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 300
MAX_ROWS = 50_000
#: Longest cell (a comment is at most a few thousand characters).
MAX_CELL_CHARS = 100_000

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc)
_DELIMITERS = (",", ";", "\t")


class TableRefused(ValueError):
    """A file that is not read at all; ``message`` in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Row:
    #: The line a spreadsheet shows for it (the header is line 1).
    line: int
    #: One text per header column ("" for an empty cell).
    cells: tuple[str, ...]
    #: Text found beyond the header's last column.
    overflow: bool = False

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True)
class Table:
    file_name: str
    #: SHA-256 of the file's bytes.
    sha256: str
    kind: str  # "csv" or "xlsx"
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    encoding: str = ""
    delimiter: str = ""
    details: dict = field(default_factory=dict)

    def column(self, header: str) -> int | None:
        try:
            return self.headers.index(header)
        except ValueError:
            return None

    def values(self, header: str) -> list[str]:
        """The non-empty cells of a column, in row order."""
        index = self.column(header)
        if index is None:
            return []
        return [row.cells[index].strip() for row in self.rows if row.cells[index].strip()]


def read_table(data: bytes, file_name: str) -> Table:
    """Read a CSV or XLSX file; raise ``TableRefused`` with the reason when it cannot be."""
    if len(data) > MAX_FILE_BYTES:
        raise TableRefused(
            _l("The file is larger than %(n)s MB.", n=MAX_FILE_BYTES // (1024 * 1024))
        )
    if not data.strip():
        raise TableRefused(_l("The file is empty."))
    digest = hashlib.sha256(data).hexdigest()
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
    if data.startswith(_OLE):
        raise TableRefused(
            _l("This is an old Excel file (.xls). Please save it as .xlsx or .csv and try again.")
        )
    if data.startswith(_ZIP):
        headers, rows, details = _read_xlsx(data)
        return Table(name, digest, "xlsx", headers, rows, details=details)
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    headers, rows = _read_csv(text, delimiter)
    return Table(name, digest, "csv", headers, rows, encoding=encoding, delimiter=delimiter)


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:65536]:
        raise TableRefused(_l("This is not a CSV or XLSX file (it holds binary data)."))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise TableRefused(
            _l("The file's text encoding is not recognised; please save it as UTF-8 CSV.")
        ) from error


def _delimiter(text: str) -> str:
    """The delimiter that splits the first record into most fields (a comma if none)."""
    sample = text[:65536]
    best, most = ",", 1
    for candidate in _DELIMITERS:
        try:
            first = next(csv.reader(io.StringIO(sample), delimiter=candidate), [])
        except csv.Error:
            continue
        if len(first) > most:
            best, most = candidate, len(first)
    return best


def _names(raw: list[str]) -> tuple[str, ...]:
    """Header texts made usable as names: trimmed, an empty one numbered, repeats told apart."""
    if len(raw) > MAX_COLUMNS:
        raise TableRefused(
            _l(
                "The file has %(n)s columns; at most %(max)s are read.",
                n=len(raw),
                max=MAX_COLUMNS,
            )
        )
    names: list[str] = []
    for position, text in enumerate(raw, start=1):
        name = unicodedata.normalize("NFC", " ".join(str(text or "").split()))[:500]
        name = name or f"({position})"
        base, count = name, 2
        while name in names:
            name, count = f"{base} ({count})", count + 1
        names.append(name)
    return tuple(names)


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _shape(headers: tuple[str, ...], line: int, cells: list[str]) -> Row:
    width = len(headers)
    overflow = len(_trim(list(cells))) > width
    padded = (list(cells) + [""] * width)[:width]
    return Row(line, tuple(padded), overflow)


def _read_csv(text: str, delimiter: str) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: tuple[str, ...] | None = None
    rows: list[Row] = []
    try:
        # A record's number is the row a spreadsheet shows it on (a cell's line breaks
        # make more lines of the text, not more rows of the sheet).
        for start, record in enumerate(reader, start=1):
            if any(len(cell) > MAX_CELL_CHARS for cell in record):
                raise TableRefused(
                    _l(
                        "Line %(line)s has a cell longer than %(n)s characters.",
                        line=start,
                        n=MAX_CELL_CHARS,
                    )
                )
            if headers is None:
                if not _trim(list(record)):
                    continue  # blank lines before the header
                headers = _names(_trim(list(record)))
                continue
            if len(record) > MAX_COLUMNS * 2:
                raise TableRefused(
                    _l(
                        "Line %(line)s has %(n)s cells; at most %(max)s are read.",
                        line=start,
                        n=len(record),
                        max=MAX_COLUMNS,
                    )
                )
            rows.append(_shape(headers, start, [c.replace("\r\n", "\n") for c in record]))
            if len(rows) > MAX_ROWS:
                raise TableRefused(_l("The file has more than %(n)s rows.", n=MAX_ROWS))
    except csv.Error as error:
        raise TableRefused(
            _l(
                "The file cannot be read as CSV near line %(line)s: %(why)s",
                line=reader.line_num,
                why=str(error),
            )
        ) from error
    if headers is None:
        raise TableRefused(_l("The file has no header row."))
    return headers, tuple(rows)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _read_xlsx(data: bytes) -> tuple[tuple[str, ...], tuple[Row, ...], dict]:
    from openpyxl import load_workbook  # imported when needed: a CSV import never needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise TableRefused(_l("The workbook unpacks to too much data to be read."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except TableRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for a zip that is no workbook
        raise TableRefused(_l("This is not a CSV or XLSX file.")) from error
    try:
        sheet = workbook.worksheets[0]
        headers: tuple[str, ...] | None = None
        rows: list[Row] = []
        for line, cells in enumerate(sheet.iter_rows(), start=1):
            if len(cells) > MAX_COLUMNS * 2 and any(
                c.value is not None for c in cells[MAX_COLUMNS * 2 :]
            ):
                raise TableRefused(
                    _l("Line %(line)s has more than %(max)s cells.", line=line, max=MAX_COLUMNS)
                )
            texts = []
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    raise TableRefused(
                        _l(
                            "Cell %(cell)s holds a formula. Please save the sheet with values"
                            " only (copy, then paste values) and try again.",
                            cell=getattr(cell, "coordinate", f"line {line}"),
                        )
                    )
                text = _cell_text(cell.value)
                if len(text) > MAX_CELL_CHARS:
                    raise TableRefused(
                        _l(
                            "Line %(line)s has a cell longer than %(n)s characters.",
                            line=line,
                            n=MAX_CELL_CHARS,
                        )
                    )
                texts.append(text)
            if headers is None:
                if _trim(texts):
                    headers = _names(_trim(texts))
                continue
            rows.append(_shape(headers, line, texts))
            if len(rows) > MAX_ROWS:
                raise TableRefused(_l("The file has more than %(n)s rows.", n=MAX_ROWS))
        if headers is None:
            raise TableRefused(_l("The file has no header row."))
        return headers, tuple(rows), {"sheet": sheet.title}
    finally:
        workbook.close()
