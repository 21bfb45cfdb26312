"""The CSV download: a zip of tidy UTF-8 CSV files with a README, written as a stream.

The zip is produced in chunks (``csv_zip_chunks``): stdlib ``zipfile`` writes to an
unseekable stream, with the sizes after each member, so a web response can send the
aggregates at once and then the raw rows batch by batch, in flat memory, however many
responses there are. ``to_csv_zip`` joins the chunks, for files and tests.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from itertools import islice

from flask_babel import gettext as _

from ..frames import Report
from ..labels import header_lines
from .formulas import neutralise, safe_frame
from .raw import RAW_BATCH, RawFile
from .tidy import frames_of, is_blank


def readme(report: Report, raw_included: bool) -> str:
    """README.txt: the header of the report, then what the files hold and how to read them."""
    lines = [f"{label}: {value}" for label, value in header_lines(report)]
    lines.append("")
    if report.audience == "open":
        lines.append(
            _(
                "No raw response rows: they would undo the small-cell rule. This download holds"
                " aggregates and published comments only; no email, no unpublished text."
            )
        )
    elif raw_included:
        lines.append(
            _(
                "raw/ holds one row per counted response (with emails), the answers in long"
                " format and every comment with its moderation: personal data, keep it safe."
            )
        )
    else:
        lines.append(_("No raw rows in this download."))
    lines += [
        _(
            "Files are UTF-8 CSV. Text starting with = + - @ tab or CR is prefixed with ' so"
            " that no spreadsheet runs it as a formula."
        ),
        _(
            "Times are in the consultation's time zone, %(zone)s, written as ISO 8601 with"
            " their offset (%(example)s); days are that zone's days.",
            zone=report.time_zone,
            example=report.computed_at.isoformat(timespec="seconds"),
        ),
        _(
            "Values are codes (the same in every language); option_label gives the option in"
            " this report's language, and questions.csv, sections.csv and options.csv name"
            " every code in Spanish and English."
        ),
        _(
            "Shares are fractions (0.25 = 25%). Each likert row carries both counts: n, everyone"
            " who answered the question (don't know included), and valid, those who took a"
            " position (n - dk). share_base names the one that share_1 to share_5, agree,"
            " disagree and net divide by (valid or answered = n); dk_share is over n and"
            " mean over valid, so either share can be computed from the counts."
        ),
        _(
            "comments.csv counts every comment of a section, on the section as a whole and on"
            " its passages (n), and the respondents who commented there (respondents: one may"
            " comment on the section and on each passage). passages.csv counts the comments on"
            " each passage (a paragraph or a line of a list; one per respondent and passage) and"
            " how many propose new wording (proposals); number and kind place it in the current"
            " text (kind earlier: the text no longer has it), words_es and words_en are its"
            " opening words."
        ),
        _(
            "representation.csv compares the respondents with the population, per field"
            " (region, gender) and category: responses; response_share, of the respondents in"
            " a category of the population table; population_share; index, their ratio (1 is"
            " in proportion, below 0.5 under-represented, above 2 over-represented); verdict."
            " Rows with the verdict not_compared are answers outside the table."
        ),
        "",
    ]
    return "\n".join(lines)


class _Chunks(io.RawIOBase):
    """A write-only, unseekable file that keeps what is written until it is taken."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _write_csv(archive: zipfile.ZipFile, name: str, columns, rows: Iterable) -> None:
    with (
        archive.open(name, "w") as member,
        io.TextIOWrapper(member, encoding="utf-8-sig", newline="") as text,
    ):
        writer = csv.writer(text)
        writer.writerow(columns)
        writer.writerows(rows)


def _stream_raw(archive: zipfile.ZipFile, raw: RawFile, out: _Chunks) -> Iterator[bytes]:
    """One raw file into the zip, yielding what is written after each batch of rows."""
    # Zip64 from the start: the size is not known before the rows are read.
    with (
        archive.open(f"raw/{raw.name}", "w", force_zip64=True) as member,
        io.TextIOWrapper(member, encoding="utf-8-sig", newline="") as text,
    ):
        writer = csv.writer(text)
        writer.writerow(raw.columns)
        rows = raw.rows()
        while batch := list(islice(rows, RAW_BATCH)):
            writer.writerows([neutralise(v) for v in row] for row in batch)
            text.flush()
            if chunk := out.take():
                yield chunk


def csv_zip_chunks(report: Report, *, raw_rows: Iterable[RawFile] | None = None) -> Iterator[bytes]:
    """The zip, chunk by chunk: README.txt, one CSV per frame, then raw/ files if given.

    The README and the aggregates are written at once, in the caller's context (they
    need its language); the raw files, each a query read in batches, when iterated.
    ``raw_rows`` is what ``raw_rows(consultation, filters)`` yields; only a confidential
    report may carry it.
    """
    if raw_rows is not None and report.audience != "confidential":
        raise ValueError("raw rows go only into a confidential download")
    out = _Chunks()
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    archive.writestr("README.txt", readme(report, raw_rows is not None).encode("utf-8-sig"))
    for stem, frame in frames_of(report).items():
        safe = safe_frame(frame)
        rows = (["" if is_blank(v) else v for v in r] for r in safe.itertuples(False, None))
        _write_csv(archive, f"{stem}.csv", list(frame.columns), rows)
    return _rest(out.take(), archive, out, list(raw_rows or ()))


def _rest(head: bytes, archive: zipfile.ZipFile, out: _Chunks, raw_files: list[RawFile]):
    yield head
    with archive:
        for raw in raw_files:
            yield from _stream_raw(archive, raw, out)
    yield out.take()


def to_csv_zip(report: Report, *, raw_rows: Iterable[RawFile] | None = None) -> bytes:
    """The whole zip as bytes (see ``csv_zip_chunks``)."""
    return b"".join(csv_zip_chunks(report, raw_rows=raw_rows))
