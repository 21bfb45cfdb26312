"""An open XLSX read back into the JSON document's shape, for the disclosure auditor.

The workbook is written for people: sheet names, headings and vocabulary labels are in the
report's language, codes only where a column holds them (question, option). ``Words``
holds the inverse of those labels for one language; ``words()`` builds it from the
writers' own functions (it needs the app and the locale), ``read_xlsx`` is plain data.
A label that is not in ``Words`` stops the reading: a sheet the auditor cannot read is
not a sheet it may call safe.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl

from consult.models.profile import Profile
from consult.models.vocab import QuestionType, ShareBase
from consult.reports.labels import category_label, label_of

OTHER, ALL, OTHER_ACTOR = "other_groups", "all", "other_actor"
#: Stems of the sheets read, as ``tidy.FRAMES`` names them.
SHEETS = ("likert", "choices", "ranking", "comments", "themes", "quotes", "terms", "questions",
          "options", "sections")  # fmt: skip
#: Columns holding vocabulary labels, and their vocabularies; profile codes besides.
LABELLED = {"type": QuestionType, "share_base": ShareBase}
PROFILE_LABELLED = ("group", "stakeholder_type")


@dataclass
class Words:
    """What one language's workbook calls things, each mapped back to its code."""

    sheets: dict[str, str]
    #: Per sheet stem (and "participation"): heading → column code.
    columns: dict[str, dict[str, str]]
    #: Per labelled column: label → code.
    labels: dict[str, dict[str, str]]
    #: Participation: breakdown label → name, and per name: category label → code.
    breakdowns: dict[str, str]
    categories: dict[str, dict[str, str]]
    responses: str


def words(profile: Profile) -> Words:
    """The labels of the current locale (inside an app context, under ``force_locale``),
    the consultation's (``profile``) for its codes."""
    from flask_babel import gettext as _

    from consult.reports.grouping import GROUPS_KEY, categories
    from consult.reports.writers import headings

    likert = ["1", "2", "3", "4", "5", "dk", "dk_share", *(f"share_{p}" for p in "12345")]
    candidates = [*likert, "n", *headings.COLUMNS]
    columns = {
        stem: {headings.heading(stem, c): c for c in reversed(candidates)}
        for stem in (*SHEETS, "participation")
    }
    extra = {ALL, OTHER, "not_given"}
    labels = {
        column: {label_of(vocabulary, code): code for code in [*vocabulary, *extra]}
        for column, vocabulary in LABELLED.items()
    }
    fields = [GROUPS_KEY, *(f.key for f in profile.categorical)]
    categories_of = {
        name: {
            category_label(profile, name, code): code
            for code in [*categories(profile, name), *extra]
        }
        for name in fields
    }
    labels.update({column: categories_of[column] for column in PROFILE_LABELLED})
    # A quote's group when not shown on its own; the same word as the group "other" may be.
    other_actor = category_label(profile, GROUPS_KEY, OTHER_ACTOR)
    labels["quote_group"] = {**labels["group"], other_actor: OTHER_ACTOR}
    names = [*fields, "day", "sections_covered", "channel"]
    return Words(
        sheets={stem: headings.sheet_name(stem) for stem in (*SHEETS, "participation")},
        columns=columns,
        labels=labels,
        breakdowns={headings._breakdown(name, profile): name for name in names},
        categories=categories_of,
        responses=_("Responses counted"),
    )


def _cell(value):
    """A count or figure as the JSON document holds it: numbers, "<K" text, None."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sheet(book, words: Words, stem: str) -> list[dict]:
    name = words.sheets[stem]
    if name not in book.sheetnames:
        return []
    rows = book[name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    known = words.columns[stem]
    columns = [known.get(h, h) for h in header]
    out = []
    for values in rows:
        if values[0] is None or all(v is None for v in values[1:]):
            continue  # a note under the table
        record = {c: _cell(v) for c, v in zip(columns, values, strict=False)}
        for column in (LABELLED.keys() | set(PROFILE_LABELLED)) & record.keys():
            value = record[column]
            labels = words.labels[
                "quote_group" if (stem, column) == ("quotes", "group") else column
            ]
            if value in ("nan", "None"):  # pandas' printing of an empty code: nothing named
                value = record[column] = None
            if value is not None:
                if value not in labels:
                    raise ValueError(f"{stem}: {column} label {value!r} unknown")
                record[column] = labels[value]
        out.append(record)
    return out


def _labels_of(words: Words, code: str) -> set[str]:
    """Every label that reads back as ``code`` in the workbook's categories."""
    return {label for table in words.categories.values() for label, c in table.items() if c == code}


def _participation(book, words: Words) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for row in _sheet(book, words, "participation"):
        name = words.breakdowns[row["breakdown"]]
        label = str(row["category"])
        record = {"responses": row["responses"]}
        if name == "day":
            since, _dash, day = label.rpartition(" – ")
            record.update(day=day, since=since or day, cumulative=row.get("cumulative"))
        elif name == "sections_covered":  # numbers, or the pool's label
            record["sections"] = OTHER if label in _labels_of(words, OTHER) else label
        elif name == "channel":  # codes, or the pool's label
            record["channel"] = OTHER if label in _labels_of(words, OTHER) else label
        else:
            if label not in words.categories[name]:
                raise ValueError(f"participation {name}: category {label!r} unknown")
            record[name] = words.categories[name][label]
        tables.setdefault(name, []).append(record)
    return tables


def _summary(book, words: Words):
    for label, value, *_rest in book.worksheets[0].iter_rows(values_only=True, min_col=1):
        if label == words.responses:
            return _cell(value) if not isinstance(value, str) or value.startswith("<") else None
    return None


def read_xlsx(data: bytes, words: Words, k: int) -> dict:
    """The workbook as the JSON document's dict (K, which the workbook states in words)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    document = {stem: _sheet(book, words, stem) for stem in SHEETS}
    document["meta"] = {"min_cell": k, "responses": _summary(book, words)}
    document["participation"] = _participation(book, words)
    book.close()
    return document
