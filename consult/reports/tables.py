"""The report's frames shaped into printable tables (and their charts), for the web pages.

``report_page`` serves both the coordinators' page (the confidential report) and the
public results page (its open version), so the two print the same figures the same way.
Labels are translated here: prompts and section titles in the page's language, vocabulary
codes through their ``label``. A value of None prints as withheld ("—").
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
from flask_babel import format_date, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import Consultation
from ..models.columns import current_language
from ..models.vocab import (
    AgeBand,
    Gender,
    OrganisationSize,
    QuestionType,
    Region,
    ReportingGroup,
    RespondingAs,
    StakeholderType,
    likert_choices,
)
from . import charts
from .charts import Table
from .frames import Report
from .grouping import ALL, GROUPS, OTHER
from .labels import contribution_labels, group_label, label_of, share_note

#: Participation frame → (vocabulary, caption, header of the row labels).
PROFILE = {
    "group": (ReportingGroup, _l("Responses by stakeholder group"), _l("Stakeholder group")),
    "stakeholder_type": (
        StakeholderType,
        _l("Responses by stakeholder type"),
        _l("Stakeholder type"),
    ),
    "responding_as": (RespondingAs, _l("Individuals and organisations"), _l("Responding")),
    "organisation_size": (
        OrganisationSize,
        _l("Organisations by size"),
        _l("Size of the organisation"),
    ),
    "region": (Region, _l("Responses by region"), _l("Region")),
    "gender": (Gender, _l("Responses by gender"), _l("Gender")),
    "age_band": (AgeBand, _l("Responses by age"), _l("Age")),
}
_POINTS = ["1", "2", "3", "4", "5"]
_ORDER = [ALL, *GROUPS, OTHER]


def clean(value: Any) -> Any:
    """A frame cell for printing: NaN and NA become None, numpy numbers Python ones."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def grouped(rows: list[dict], key: str) -> dict[Any, list[dict]]:
    out: dict[Any, list[dict]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def _groups_in(rows: list[dict]) -> list[str]:
    """The groups these rows have, overall first, then in the groups' fixed order."""
    present = {r["group"] for r in rows}
    return [g for g in _ORDER if g in present]


def day_label(row: dict) -> str:
    """A day, or the days an open report merged into one row ("since – day")."""
    day = format_date(date.fromisoformat(row["day"]))
    since = row.get("since")
    if not since or since == row["day"]:
        return day
    return f"{format_date(date.fromisoformat(since))} – {day}"


def section_labels(report: Report) -> dict[str, str]:
    """Section key → "5.3. Education and skills", in the page's language."""
    title = "title_en" if current_language() == "en" else "title_es"
    return {
        r["section"]: f"{r['number']}. {r[title] or r['title_es']}"
        for r in records(report.sections)
    }


# ---------------------------------------------------------------- participation


def participation_tables(report: Report) -> list[Table]:
    """One table per profile question (groups also as a chart); per day; sections covered."""
    tables = []
    for name, (vocabulary, caption, header) in PROFILE.items():
        rows = records(report.participation[name])
        labels = [label_of(vocabulary, r[name]) for r in rows]
        values = [r["responses"] for r in rows]
        if name == "group":
            headers = {"label_header": str(header), "value_header": _("Responses")}
            tables.append(charts.bar(labels, values, str(caption), **headers))
        else:
            lines = [(label, [value]) for label, value in zip(labels, values, strict=True)]
            tables.append(Table(str(caption), [str(header), _("Responses")], lines, ["count"]))
    days = records(report.participation["day"])
    tables.append(
        Table(
            _("Responses by day of submission (Peru time)"),
            [_("Day"), _("Responses"), _("Cumulative")],
            [(day_label(d), [d["responses"], d["cumulative"]]) for d in days],
            ["count", "count"],
        )
    )
    covered = records(report.participation["sections_covered"])
    tables.append(
        Table(
            _("Responses by number of sections answered or commented"),
            [_("Sections"), _("Responses")],
            [
                (
                    group_label(r["sections"]) if r["sections"] == OTHER else str(r["sections"]),
                    [r["responses"]],
                )
                for r in covered
            ],  # fmt: skip
            ["count"],
        )
    )
    return tables


# ---------------------------------------------------------------- questions


def questions_of(report: Report, consultation: Consultation) -> list[dict[str, Any]]:
    """The questions with figures, in order: prompt, section and option labels; for a
    question of a gated section, ``chose_to_answer``: its section's base (None: withheld)."""
    prompt = "prompt_en" if current_language() == "en" else "prompt_es"
    sections = section_labels(report)
    options = {q.key: dict(q.option_choices()) for q in consultation.questions}
    gated = {s.key for s in consultation.sections if s.gated}
    bases = {r["section"]: r["chose_to_answer"] for r in records(report.gates) if r["group"] == ALL}
    return [
        {
            "key": q["question"],
            "type": QuestionType(q["type"]),
            "prompt": q[prompt] or q["prompt_es"],
            "section": sections.get(q["section"], _("The draft as a whole")),
            "options": options.get(q["question"], {}),
            "gated": q["section"] in gated,
            "chose_to_answer": bases.get(q["section"]),
        }
        for q in records(report.questions)
        if q["type"] not in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)
    ]


def likert_table(question: dict, rows: list[dict], base: str) -> Table:
    """Counts and shares of each point, mean, agree, disagree and net; overall and by group.

    Shares are over ``base`` (the report's ``share_base``), which the table's note states.
    """
    order = _groups_in(rows)
    rows = sorted(rows, key=lambda r: order.index(r["group"]))
    labelled = [dict(r, label=group_label(r["group"])) for r in rows]
    table = charts.likert(
        labelled, question["prompt"], label_header=_("Group"), base=base, note=share_note(base)
    )
    table.columns = [
        _("Group"),
        pgettext("column: how many answered the question", "Answers"),
        *[str(name) for _point, name in likert_choices()],
        _("Mean (1–5)"),
        _("Agree (4–5)"),
        _("Disagree (1–2)"),
        _("Net agreement"),
    ]
    table.formats = ["count", *["count_share"] * 6, "decimal", "percent", "percent", "percent"]
    table.rows = [
        (
            r["label"],
            [
                r["n"],
                *[(r[p], r[f"share_{p}"]) for p in _POINTS],
                (r["dk"], r["dk_share"]),
                r["mean"],
                r["agree"],
                r["disagree"],
                r["net"],
            ],
        )
        for r in labelled
    ]
    return table


def stance_matrix(questions: list[dict], likert: list[dict], base: str) -> Table | None:
    """Net agreement for each likert question (by its section) and stakeholder group."""
    net = {(r["question"], r["group"]): r["net"] for r in likert}
    groups = _groups_in(likert)
    rows = [
        (f"{q['section']} — {q['prompt']}", [net.get((q["key"], g)) for g in groups])
        for q in questions
        if q["type"] is QuestionType.LIKERT and (q["key"], ALL) in net
    ]
    if not rows:
        return None
    return Table(
        _("Net agreement by section and stakeholder group"),
        [_("Question"), *[group_label(g) for g in groups]],
        rows,
        ["percent"] * len(groups),
        note=share_note(base),
    )


def choice_table(question: dict, rows: list[dict]) -> Table:
    """Respondents choosing each option and their share, overall (charted) and by group."""
    groups = _groups_in(rows)
    found = {(r["option"], r["group"]): (r["n"], r["share"]) for r in rows}
    options = list(question["options"]) or sorted({r["option"] for r in rows})
    labels = [question["options"].get(o, o) for o in options]
    overall = [found.get((o, ALL), (0, 0.0))[1] for o in options]
    headers = {"label_header": _("Option"), "value_header": _("Share")}
    table = charts.bar(labels, overall, question["prompt"], kind="percent", **headers)
    table.columns = [_("Option"), *[group_label(g) for g in groups]]
    table.formats = ["count_share"] * len(groups)
    table.rows = [
        (label, [found.get((o, g), (0, 0.0)) for g in groups])
        for o, label in zip(options, labels, strict=True)
    ]
    return table


def ranking_tables(question: dict, rows: list[dict]) -> list[Table]:
    """Mean rank, Borda score and top-3 share: overall (charted by Borda), then by group."""
    labels = question["options"]
    overall = sorted(
        (r for r in rows if r["group"] == ALL),
        key=lambda r: -r["borda"] if isinstance(r["borda"], int | float) else 0,
    )
    names = [labels.get(r["option"], r["option"]) for r in overall]
    headers = {"label_header": _("Option"), "value_header": _("Borda score")}
    scores = [r["borda"] for r in overall]
    table = charts.bar(names, scores, question["prompt"], kind="decimal", **headers)
    columns = [_("Ranked it"), _("Mean rank"), _("Borda score"), _("Share ranking it in the top 3")]
    figures = ["n", "mean_rank", "borda", "top3_share"]
    table.columns = [_("Option"), *columns]
    table.formats = ["count", "decimal", "decimal", "percent"]
    table.rows = [(name, [r[f] for f in figures]) for name, r in zip(names, overall, strict=True)]
    place = {r["option"]: i for i, r in enumerate(overall)}
    by_group = sorted(
        (r for r in rows if r["group"] != ALL),
        key=lambda r: (place.get(r["option"], len(place)), _ORDER.index(r["group"])),
    )
    detail = Table(
        _("%(prompt)s — by stakeholder group", prompt=question["prompt"]),
        [_("Option"), _("Group"), *columns],
        [
            (
                labels.get(r["option"], r["option"]),
                [group_label(r["group"])] + [r[f] for f in figures],
            )
            for r in by_group
        ],
        ["text", "count", "decimal", "decimal", "percent"],
    )
    return [table, detail]


def question_results(report: Report, consultation: Consultation) -> list[dict[str, Any]]:
    """Each question with its tables (each with its chart)."""
    frames = {
        QuestionType.LIKERT: grouped(records(report.likert), "question"),
        QuestionType.SINGLE_CHOICE: grouped(records(report.choices), "question"),
        QuestionType.RANKING: grouped(records(report.ranking), "question"),
    }
    frames[QuestionType.MULTIPLE_CHOICE] = frames[QuestionType.SINGLE_CHOICE]
    shape = {
        QuestionType.LIKERT: lambda q, rows: [likert_table(q, rows, report.share_base)],
        QuestionType.SINGLE_CHOICE: lambda q, rows: [choice_table(q, rows)],
        QuestionType.MULTIPLE_CHOICE: lambda q, rows: [choice_table(q, rows)],
        QuestionType.RANKING: ranking_tables,
    }
    results = []
    for q in questions_of(report, consultation):
        rows = frames[q["type"]].get(q["key"])
        results.append({**q, "tables": shape[q["type"]](q, rows) if rows else []})
    return results


# ---------------------------------------------------------------- comments


def comment_tables(report: Report, sections: dict[str, str]) -> dict[str, Table]:
    """Per section: comments by group × contribution, with the total where it is known.

    Where the consultation asks no contribution, one column: the comments.
    """
    labels = contribution_labels(report)
    tables = {}
    for section, rows in grouped(records(report.comments), "section").items():
        counts = {(r["group"], r["contribution"]): r["n"] for r in rows}
        found = {r["contribution"] for r in rows}
        kinds = [*labels, *sorted(found - set(labels) - {None})]
        if None in found:
            kinds.append(None)
        lines = []
        for g in _groups_in(rows):
            values = [counts.get((g, k), 0) for k in kinds]
            total = sum(values) if all(isinstance(v, int) for v in values) else None
            lines.append((group_label(g), values if kinds == [None] else [*values, total]))
        if kinds == [None]:
            headers = [_("Comments")]
        else:
            named = [labels.get(k, k) if k is not None else _("Not given") for k in kinds]
            headers = [*named, _("Total")]
        tables[section] = Table(
            _("Comments on %(section)s", section=sections.get(section, section)),
            [_("Group"), *headers],
            lines,
            ["count"] * len(headers),
        )
    return tables


def gate_table(report: Report, sections: dict[str, str]) -> Table | None:
    """Per gated section: the respondents who chose to answer it, overall and by group."""
    rows = records(report.gates)
    if not rows:
        return None
    groups = _groups_in(rows)
    counts = {(r["section"], r["group"]): r["chose_to_answer"] for r in rows}
    return Table(
        _("Respondents who chose to answer each section that asks first"),
        [_("Section"), *[group_label(g) for g in groups]],
        [
            (sections.get(key, key), [counts.get((key, g), 0) for g in groups])
            for key in dict.fromkeys(r["section"] for r in rows)
        ],
        ["count"] * len(groups),
    )


def theme_table(report: Report) -> Table | None:
    """Comments tagged with each theme, overall and by stakeholder group."""
    rows = records(report.themes)
    if not rows:
        return None
    groups = _groups_in(rows)
    counts = {(r["theme"], r["group"]): r["n"] for r in rows}
    return Table(
        _("Comments tagged with each theme, by stakeholder group"),
        [_("Theme"), *[group_label(g) for g in groups]],
        [
            (theme, [counts.get((theme, g), 0) for g in groups])
            for theme in sorted({r["theme"] for r in rows}, key=str.casefold)
        ],
        ["count"] * len(groups),
    )


def term_tables(report: Report, sections: dict[str, str]) -> dict[str, Table]:
    """Per section: the most frequent words and two-word phrases of its comments."""
    kinds = {"word": _("Word"), "phrase": _("Phrase")}
    tables = {}
    for section, rows in grouped(records(report.terms), "section").items():
        tables[section] = Table(
            _(
                "Most frequent words and phrases in %(section)s (of %(n)s comments read)",
                section=sections.get(section, section),
                n=rows[0]["comments"],
            ),
            [_("Word or phrase"), _("Kind"), _("Comments using it")],
            [(r["term"], [kinds.get(r["kind"], r["kind"]), r["comments_using"]]) for r in rows],
            ["text", "count"],
        )
    return tables


def quotes_by_section(report: Report) -> dict[str, list[dict]]:
    """Published comments whose authors chose publication, with translated labels."""
    contributions = contribution_labels(report)
    quotes = [
        dict(
            q,
            group_label=group_label(q["group"]),
            contribution_label=contributions.get(q["contribution"], q["contribution"]),
        )
        for q in records(report.quotes)
    ]
    return grouped(quotes, "section")


# ---------------------------------------------------------------- the page


def report_page(report: Report, consultation: Consultation) -> dict[str, Any]:
    """Every table of the page, each with its chart where one is drawn."""
    sections = section_labels(report)
    results = question_results(report, consultation)
    likert = records(report.likert)
    overall = {r["question"]: r for r in likert if r["group"] == ALL}
    overview_rows = [
        dict(overall[q["key"]], label=q["section"]) for q in results if q["key"] in overall
    ]
    overview = None
    if overview_rows:
        overview = charts.likert(
            overview_rows,
            _("Agreement with each part of the draft, all respondents"),
            label_header=_("Section"),
            base=report.share_base,
            note=share_note(report.share_base),
        )
    return {
        "sections": sections,
        "participation": participation_tables(report),
        "likert_overview": overview,
        "matrix": stance_matrix(results, likert, report.share_base),
        "questions": results,
        "comments": comment_tables(report, sections),
        "gates": gate_table(report, sections),
        "themes": theme_table(report),
        "terms": term_tables(report, sections),
        "quotes": quotes_by_section(report),
    }
