"""Every row of a file converted to a response as the web form would store it, or refused.

Pure: nothing here reads or writes the database. ``plan_import`` checks every row before
anything is written and says, for each problem, the file's line, the column and why (a
label that is no option, a date not in the mapping's format, a required profile value
missing, a text longer than the web form takes). The profile goes through the one check
every profile write uses (``responding.profile_values``). Each row is hashed
(``row_hash``), so a row imported before is recognised however its file's columns are
ordered or mapped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from ..models import Consultation
from ..models.columns import utcnow
from ..models.vocab import Publication
from ..models.zones import zone_info
from ..responding.profile import ProfileInvalid, profile_values
from . import labels as L
from .mapping import Mapping, Source, check_mapping
from .reading import Row, Table

#: Control characters the web form refuses too (``public.forms.plain_text``).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Besides the mapping's format: how a spreadsheet's own dates arrive (``reading``).
_ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class Problem:
    line: int
    #: The column's header; "" for a problem of the whole row.
    column: str
    message: object  # a lazy string, in the reader's language when shown


@dataclass
class Planned:
    """One row as it will be stored."""

    line: int
    row_hash: str
    submitted_at: datetime
    #: ``response`` columns: the profile, publication, display name, email.
    columns: dict
    #: Further profile field key → code.
    traits: dict[str, str]
    #: Question key → code, text, or a list of codes (in order for a ranking).
    answers: dict[str, object]
    #: Section key → (text, contribution code or None).
    comments: dict[str, tuple[str, str | None]]


@dataclass
class Plan:
    """What importing a file would do, before the database says what it holds already."""

    rows_read: int = 0
    valid: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Lines of rows refused (one or more problems each).
    refused: list[int] = field(default_factory=list)
    blank: int = 0
    #: Lines repeating an earlier row of the same file (the same hash): left out.
    repeated: list[int] = field(default_factory=list)
    #: The mapping's own problems: then no row is looked at.
    mapping_errors: list = field(default_factory=list)
    #: Columns of the file the mapping neither reads nor ignores.
    unmapped: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not self.mapping_errors


def row_hash(slug: str, headers, row: Row) -> str:
    """SHA-256 of the consultation and the row's non-empty cells by header, normalised."""
    cells = sorted(
        (_plain(header), _plain(cell))
        for header, cell in zip(headers, row.cells, strict=True)
        if cell.strip()
    )
    text = "\x1e".join([slug, *(f"{h}\x1f{c}" for h, c in cells)])
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(text: str) -> str:
    """A cell as hashed: spacing set aside, and a date written the one way, so the same
    row in a CSV (``15/12/2020 11:42:37``) and in an XLSX (a date cell) is recognised."""
    plain = " ".join(unicodedata.normalize("NFC", text).split())
    if _DATE_LIKE.match(plain):
        for fmt in _HASHED_DATES:
            try:
                return datetime.strptime(plain, fmt).isoformat()
            except ValueError:
                continue
    return plain


_DATE_LIKE = re.compile(r"^\d{1,4}[/-]\d{1,2}[/-]\d{1,4}( \d{1,2}:\d{2}(:\d{2})?)?$")
#: Day first, as Spanish-speaking countries write dates, then the ISO form.
_HASHED_DATES = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
)


def parse_timestamp(text: str, fmt: str, time_zone: str) -> datetime | None:
    """A local date and time in the consultation's time zone, as stored (naive UTC)."""
    for candidate in (fmt, *_ISO_FORMATS):
        try:
            moment = datetime.strptime(text.strip(), candidate)
        except ValueError:
            continue
        return moment.replace(tzinfo=zone_info(time_zone)).astimezone(UTC).replace(tzinfo=None)
    return None


class _Reader:
    """The checks of one file's rows against one mapping and consultation."""

    def __init__(self, table: Table, mapping: Mapping, consultation: Consultation, max_chars: int):
        self.table, self.mapping, self.consultation = table, mapping, consultation
        self.max_chars = max_chars
        self.index = {h: i for i, h in enumerate(table.headers)}
        self.questions = {q.key: q for q in consultation.questions}
        self.sections = {s.key: s for s in consultation.sections}
        self.targets = {
            key: L.question_target(self.questions[key], max_chars) for key in mapping.questions
        }
        self.profile_targets = {key: L.profile_target(consultation, key) for key in mapping.profile}
        self.known = {
            f"question:{key}": L.known_labels(self.targets[key], source)
            for key, source in mapping.questions.items()
        }
        for key, source in mapping.profile.items():
            self.known[f"profile:{key}"] = L.known_labels(self.profile_targets[key], source)
        if mapping.publication:
            self.known["publication"] = L.known_labels(L.publication_target(), mapping.publication)
        contributions = L.contribution_target(consultation)
        for key, comment in mapping.comments.items():
            if comment.contribution:
                self.known[f"contribution:{key}"] = L.known_labels(
                    contributions, comment.contribution
                )
        self.now = utcnow()

    def cell(self, row: Row, column: str | None) -> str:
        return row.cells[self.index[column]].strip() if column else ""

    def choice(self, row: Row, source: Source, known: dict, problems: list) -> str | None:
        """The code a single-choice source gives this row (None: empty or refused)."""
        text = self.cell(row, source.column) if source.column else (source.value or "")
        if not text:
            return None
        code = known.get(L.normalise(text))
        if code is None:
            problems.append(
                Problem(
                    row.line,
                    source.column or "",
                    _l("“%(label)s” is not one of the options.", label=text),
                )
            )
        return code

    def text(self, row: Row, column: str | None, limit: int, problems: list) -> str | None:
        text = self.cell(row, column)
        if not text:
            return None
        if _CONTROL.search(text):
            problems.append(
                Problem(
                    row.line,
                    column or "",
                    _l("This text contains characters that cannot be stored."),
                )
            )
        elif len(text) > limit:
            problems.append(
                Problem(
                    row.line,
                    column or "",
                    _l(
                        "At most %(max)d characters, please; this text has %(length)d.",
                        max=limit,
                        length=len(text),
                    ),
                )
            )
        return text

    def convert(self, row: Row) -> tuple[Planned | None, list[Problem]]:
        problems: list[Problem] = []
        mapping = self.mapping
        if row.overflow:
            problems.append(Problem(row.line, "", _l("The row has more cells than the header.")))
        submitted = self.now
        if mapping.timestamp:
            text = self.cell(row, mapping.timestamp)
            stamp = (
                parse_timestamp(text, mapping.timestamp_format, self.consultation.time_zone)
                if text
                else None
            )
            if stamp is None:
                problems.append(
                    Problem(
                        row.line,
                        mapping.timestamp,
                        _l(
                            "“%(text)s” is not a date and time as %(format)s.",
                            text=text,
                            format=mapping.timestamp_format,
                        ),
                    )
                    if text
                    else Problem(row.line, mapping.timestamp, _l("The date and time are missing."))
                )
            elif stamp > self.now:
                problems.append(
                    Problem(row.line, mapping.timestamp, _l("The date is in the future."))
                )
            else:
                submitted = stamp
        given: dict[str, object] = {}
        for key, source in mapping.profile.items():
            target = self.profile_targets[key]
            if target.kind == "choice":
                given[key] = self.choice(row, source, self.known[f"profile:{key}"], problems)
            elif target.kind == "country":
                text = self.cell(row, source.column) if source.column else (source.value or "")
                code = L.country_code(text) if text else None
                if text and code is None:
                    problems.append(
                        Problem(
                            row.line,
                            source.column or "",
                            _l("“%(label)s” is not a country.", label=text),
                        )
                    )
                given[key] = code
            else:
                given[key] = (
                    self.text(row, source.column, target.limit, problems)
                    if source.column
                    else source.value
                )
        publication = Publication.PRIVATE.value
        if mapping.publication:
            publication = (
                self.choice(row, mapping.publication, self.known["publication"], problems)
                or publication
            )
        given["publication"] = publication
        given["display_name"] = self.text(row, mapping.name, L.NAME_CHARS, problems)
        email = self.text(row, mapping.email, L.EMAIL_CHARS, problems)
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            problems.append(
                Problem(row.line, mapping.email or "", _l("This is not an email address."))
            )
        given["email"] = email
        answers = self.answers(row, problems)
        comments = self.comments(row, problems)
        if not answers and not comments:
            problems.append(Problem(row.line, "", _l("The row has no answer and no comment.")))
        checked = None
        try:
            checked = profile_values(self.consultation, given)
        except ProfileInvalid as invalid:
            for key, why in invalid.errors.items():
                problems.append(Problem(row.line, self.column_of(key), _profile_reason(key, why)))
        if problems or checked is None:
            return None, problems
        return Planned(
            row.line, "", submitted, checked.columns, checked.traits, answers, comments
        ), []

    def column_of(self, key: str) -> str:
        if key in ("publication",) and self.mapping.publication:
            return self.mapping.publication.column or ""
        if key == "display_name":
            return self.mapping.name or ""
        source = self.mapping.profile.get(key)
        return source.column or "" if source else ""

    def answers(self, row: Row, problems: list) -> dict[str, object]:
        answers: dict[str, object] = {}
        for key, source in self.mapping.questions.items():
            target = self.targets[key]
            if target.kind == "choice":
                code = self.choice(row, source, self.known[f"question:{key}"], problems)
                if code is not None:
                    answers[key] = code
            elif target.kind in ("multiple", "ranking"):
                text = self.cell(row, source.column)
                if not text:
                    continue
                found = L.split_labels(text, self.known[f"question:{key}"], source.separator)
                codes = [code for _label, code in found if code is not None]
                unknown = [label for label, code in found if code is None]
                for label in unknown:
                    problems.append(
                        Problem(
                            row.line,
                            source.column or "",
                            _l("“%(label)s” is not one of the options.", label=label),
                        )
                    )
                if len(set(codes)) != len(codes):
                    problems.append(
                        Problem(row.line, source.column or "", _l("An option is named twice."))
                    )
                elif codes and not unknown:
                    answers[key] = codes
            else:
                text = self.text(row, source.column, target.limit, problems)
                if text:
                    answers[key] = text
        for key, question in self.questions.items():
            if question.required and key in self.mapping.questions and key not in answers:
                section = question.section_id
                if any(self.questions[k].section_id == section for k in answers):
                    problems.append(
                        Problem(
                            row.line,
                            self.mapping.questions[key].column or "",
                            _l("Please answer this question."),
                        )
                    )
        return answers

    def comments(self, row: Row, problems: list) -> dict[str, tuple[str, str | None]]:
        comments = {}
        for key, source in self.mapping.comments.items():
            text = self.text(row, source.column, self.max_chars, problems)
            contribution = None
            if source.contribution:
                contribution = self.choice(
                    row, source.contribution, self.known[f"contribution:{key}"], problems
                )
            if text:
                comments[key] = (text, contribution)
        return comments


def _profile_reason(key: str, why: str):
    if why == "required":
        return _l("A value is required here.")
    if why.startswith("required"):
        return _l("A value is required here (%(why)s).", why=why)
    return _l("Not accepted: %(why)s.", why=why)


def plan_import(
    table: Table, mapping: Mapping, consultation: Consultation, *, max_chars: int
) -> Plan:
    """Check and convert every row; nothing is written."""
    plan = Plan()
    plan.mapping_errors = check_mapping(mapping, consultation, table.headers)
    used = {column for column, _what in mapping.columns()} | set(mapping.ignore)
    plan.unmapped = [h for h in table.headers if h not in used]
    plan.rows_read = sum(1 for row in table.rows if not row.blank)
    plan.blank = len(table.rows) - plan.rows_read
    if plan.mapping_errors:
        return plan
    reader = _Reader(table, mapping, consultation, max_chars)
    seen: set[str] = set()
    for row in table.rows:
        if row.blank:
            continue
        digest = row_hash(consultation.slug, table.headers, row)
        if digest in seen:
            plan.repeated.append(row.line)
            continue
        seen.add(digest)
        planned, problems = reader.convert(row)
        if planned is None:
            plan.problems += problems
            plan.refused.append(row.line)
        else:
            planned.row_hash = digest
            plan.valid.append(planned)
    return plan
