"""The report's frames shaped into printable tables (and their charts), for the web pages.

``report_page`` serves both the coordinators' page (the confidential report) and the
public results page (its open version), so the two print the same figures the same way.
Labels are translated here: prompts and section titles in the page's language, profile
codes by the consultation's own lists (``Report.profile``). Results are shown by the
report's breakdown (``Report.by``): reporting groups, or any categorical field of the
profile. A value of None prints as withheld ("—").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from flask_babel import format_date, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import Consultation
from ..models.columns import current_language
from ..models.profile import Profile
from ..models.vocab import CopyKind, QuestionType, likert_choices
from ..models.zones import zone_label
from . import charts
from .campaigns import ALL_COMMENTS, OTHER_CAMPAIGNS
from .charts import Table
from .frames import Report
from .grouping import ALL, FIELD_NAMES, GROUPS_KEY, NOT_GIVEN, OTHER, categories, field_name
from .labels import (
    category_label,
    channel_label,
    contribution_labels,
    group_label,
    language,
    share_note,
)
from .participation import NOT_PROFILE
from .representation_tables import bands, representation_tables

#: The captions of the standard fields' participation tables; a further question's
#: table is captioned by its prompt.
CAPTIONS = {
    GROUPS_KEY: _l("Responses by stakeholder group"),
    "stakeholder_type": _l("Responses by stakeholder type"),
    "responding_as": _l("Individuals and organisations"),
    "organisation_size": _l("Organisations by size"),
    "region": _l("Responses by region"),
    "gender": _l("Responses by gender"),
    "age_band": _l("Responses by age"),
}
_POINTS = ["1", "2", "3", "4", "5"]


@dataclass(frozen=True)
class Breakdown:
    """The rows of the results tables: the report's breakdown, in order, with labels."""

    profile: Profile
    key: str = GROUPS_KEY

    @property
    def is_groups(self) -> bool:
        return self.key == GROUPS_KEY

    @property
    def header(self) -> str:
        """The heading of the column naming the rows."""
        return _("Group") if self.is_groups else field_name(self.profile, self.key, language())

    def label(self, code) -> str:
        return category_label(self.profile, self.key, code)

    def order(self, rows: list[dict]) -> list[str]:
        """The categories these rows have: overall first, then in the consultation's
        order, then not given, codes the list has lost, and the open report's pool."""
        present = {r["group"] for r in rows}
        known = [ALL, *categories(self.profile, self.key), NOT_GIVEN]
        lost = sorted(present - {*known, OTHER}, key=str)
        return [g for g in known if g in present] + lost + ([OTHER] if OTHER in present else [])


def breakdown_of(report: Report) -> Breakdown:
    return Breakdown(report.profile, report.by)


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
    """One table per field of the consultation's profile, groups first (also as a chart);
    per day; sections covered."""
    tables = []
    for name, frame in report.participation.items():
        if name in NOT_PROFILE:
            continue
        rows = records(frame)
        labels = [category_label(report.profile, name, r[name]) for r in rows]
        values = [r["responses"] for r in rows]
        if name in CAPTIONS:
            caption, header = str(CAPTIONS[name]), str(FIELD_NAMES[name])
        else:  # a further question: its prompt, then its answers
            caption, header = field_name(report.profile, name, language()), _("Answer")
        if name == GROUPS_KEY:
            headers = {"label_header": header, "value_header": _("Responses")}
            tables.append(charts.bar(labels, values, caption, **headers))
        else:
            lines = [(label, [value]) for label, value in zip(labels, values, strict=True)]
            tables.append(Table(caption, [header, _("Responses")], lines, ["count"]))
    days = records(report.participation["day"])
    tables.append(
        Table(
            _("Responses by day of submission (%(zone)s)", zone=zone_label(report.time_zone)),
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
                    group_label(report.profile, r["sections"])
                    if r["sections"] == OTHER
                    else str(r["sections"]),
                    [r["responses"]],
                )
                for r in covered
            ],  # fmt: skip
            ["count"],
        )
    )
    if "channel" in report.participation:  # online, each imported file, paper
        channels = records(report.participation["channel"])
        tables.append(
            Table(
                _("Responses by channel"),
                [_("Channel"), _("Responses")],
                [(channel_label(r["channel"]), [r["responses"]]) for r in channels],
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


def likert_table(question: dict, rows: list[dict], base: str, by: Breakdown) -> Table:
    """Counts and shares of each point, mean, agree, disagree and net; overall and by
    each category of the breakdown ``by``.

    Shares are over ``base`` (the report's ``share_base``), which the table's note states.
    """
    order = by.order(rows)
    rows = sorted(rows, key=lambda r: order.index(r["group"]))
    labelled = [dict(r, label=by.label(r["group"])) for r in rows]
    table = charts.likert(
        labelled, question["prompt"], label_header=by.header, base=base, note=share_note(base)
    )
    table.columns = [
        by.header,
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


def stance_matrix(
    questions: list[dict], likert: list[dict], base: str, by: Breakdown
) -> Table | None:
    """Net agreement for each likert question (by its section) and category of the
    breakdown (stakeholder group by default)."""
    net = {(r["question"], r["group"]): r["net"] for r in likert}
    groups = by.order(likert)
    rows = [
        (f"{q['section']} — {q['prompt']}", [net.get((q["key"], g)) for g in groups])
        for q in questions
        if q["type"] is QuestionType.LIKERT and (q["key"], ALL) in net
    ]
    if not rows:
        return None
    caption = (
        _("Net agreement by section and stakeholder group")
        if by.is_groups
        else _("Net agreement by section, by: %(breakdown)s", breakdown=by.header)
    )
    return Table(
        caption,
        [_("Question"), *[by.label(g) for g in groups]],
        rows,
        ["percent"] * len(groups),
        note=share_note(base),
    )


def choice_table(question: dict, rows: list[dict], by: Breakdown) -> Table:
    """Respondents choosing each option and their share, overall (charted) and by each
    category of the breakdown."""
    groups = by.order(rows)
    found = {(r["option"], r["group"]): (r["n"], r["share"]) for r in rows}
    options = list(question["options"]) or sorted({r["option"] for r in rows})
    labels = [question["options"].get(o, o) for o in options]
    overall = [found.get((o, ALL), (0, 0.0))[1] for o in options]
    headers = {"label_header": _("Option"), "value_header": _("Share")}
    table = charts.bar(labels, overall, question["prompt"], kind="percent", **headers)
    table.columns = [_("Option"), *[by.label(g) for g in groups]]
    table.formats = ["count_share"] * len(groups)
    table.rows = [
        (label, [found.get((o, g), (0, 0.0)) for g in groups])
        for o, label in zip(options, labels, strict=True)
    ]
    return table


def ranking_tables(question: dict, rows: list[dict], by: Breakdown) -> list[Table]:
    """Mean rank, Borda score and top-3 share: overall (charted by Borda), then by each
    category of the breakdown."""
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
    order = by.order(rows)
    by_group = sorted(
        (r for r in rows if r["group"] != ALL),
        key=lambda r: (place.get(r["option"], len(place)), order.index(r["group"])),
    )
    caption = (
        _("%(prompt)s — by stakeholder group", prompt=question["prompt"])
        if by.is_groups
        else _("%(prompt)s — by: %(breakdown)s", prompt=question["prompt"], breakdown=by.header)
    )
    detail = Table(
        caption,
        [_("Option"), by.header, *columns],
        [
            (
                labels.get(r["option"], r["option"]),
                [by.label(r["group"])] + [r[f] for f in figures],
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
    by = breakdown_of(report)
    shape = {
        QuestionType.LIKERT: lambda q, rows: [likert_table(q, rows, report.share_base, by)],
        QuestionType.SINGLE_CHOICE: lambda q, rows: [choice_table(q, rows, by)],
        QuestionType.MULTIPLE_CHOICE: lambda q, rows: [choice_table(q, rows, by)],
        QuestionType.RANKING: lambda q, rows: ranking_tables(q, rows, by),
    }
    results = []
    for q in questions_of(report, consultation):
        rows = frames[q["type"]].get(q["key"])
        results.append({**q, "tables": shape[q["type"]](q, rows) if rows else []})
    return results


# ---------------------------------------------------------------- comments


def comment_tables(report: Report, sections: dict[str, str]) -> dict[str, Table]:
    """Per section: comments by category of the breakdown × contribution, with the total
    where it is known; the comments on its passages count too (``passage_tables`` has
    them per passage).

    Where the consultation asks no contribution, one column: the comments.
    """
    by = breakdown_of(report)
    labels = contribution_labels(report)
    tables = {}
    for section, rows in grouped(records(report.comments), "section").items():
        counts = {(r["group"], r["contribution"]): r["n"] for r in rows}
        found = {r["contribution"] for r in rows}
        kinds = [*labels, *sorted(found - set(labels) - {None})]
        if None in found:
            kinds.append(None)
        lines = []
        for g in by.order(rows):
            values = [counts.get((g, k), 0) for k in kinds]
            total = sum(values) if all(isinstance(v, int) for v in values) else None
            lines.append((by.label(g), values if kinds == [None] else [*values, total]))
        if kinds == [None]:
            headers = [_("Comments")]
        else:
            named = [labels.get(k, k) if k is not None else _("Not given") for k in kinds]
            headers = [*named, _("Total")]
        tables[section] = Table(
            # Every comment of the section: on the section as a whole and on its passages.
            _(
                "Comments on %(section)s (on the section and its passages)",
                section=sections.get(section, section),
            ),
            [by.header, *headers],
            lines,
            ["count"] * len(headers),
        )
    return tables


def gate_table(report: Report, sections: dict[str, str]) -> Table | None:
    """Per gated section: the respondents who chose to answer it, overall and by each
    category of the breakdown."""
    rows = records(report.gates)
    if not rows:
        return None
    by = breakdown_of(report)
    groups = by.order(rows)
    counts = {(r["section"], r["group"]): r["chose_to_answer"] for r in rows}
    return Table(
        _("Respondents who chose to answer each section that asks first"),
        [_("Section"), *[by.label(g) for g in groups]],
        [
            (sections.get(key, key), [counts.get((key, g), 0) for g in groups])
            for key in dict.fromkeys(r["section"] for r in rows)
        ],
        ["count"] * len(groups),
    )


def theme_table(report: Report) -> Table | None:
    """Comments tagged with each theme, overall and by each category of the breakdown."""
    rows = records(report.themes)
    if not rows:
        return None
    by = breakdown_of(report)
    groups = by.order(rows)
    counts = {(r["theme"], r["group"]): r["n"] for r in rows}
    caption = (
        _("Comments tagged with each theme, by stakeholder group")
        if by.is_groups
        else _("Comments tagged with each theme, by: %(breakdown)s", breakdown=by.header)
    )
    return Table(
        caption,
        [_("Theme"), *[by.label(g) for g in groups]],
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
            group_label=group_label(report.profile, q["group"]),
            contribution_label=contributions.get(q["contribution"], q["contribution"]),
        )
        for q in records(report.quotes)
    ]
    return grouped(quotes, "section")


def campaign_table(report: Report) -> Table | None:
    """Comments raw and with each confirmed campaign counted once, each campaign with its
    copies; None when no campaign is confirmed (suggestions never change a report)."""
    rows = records(report.campaigns)
    if not rows:
        return None
    kinds = {kind.value: kind.label for kind in CopyKind}
    lines = []
    for r in rows:
        if r["campaign"] == ALL_COMMENTS:
            label = _("All comments")
        elif r["campaign"] == OTHER_CAMPAIGNS:
            label = _("Smaller campaigns (%(n)s)", n=r["counted_as"])
        else:
            label = _(
                "Campaign %(n)s: %(kind)s",
                n=r["campaign"],
                kind=kinds.get(r["campaign_kind"], r["campaign_kind"]),
            )
        lines.append((label, [r["raw"], r["counted_as"]]))
    return Table(
        _("Comments, raw and with each confirmed campaign counted once"),
        [_("Comments"), _("Raw"), _("Each campaign once")],
        lines,
        ["count", "count"],
        note=_("A campaign's copies are kept and counted everywhere else; here they count once."),
    )


# ---------------------------------------------------------------- the page


def report_page(report: Report, consultation: Consultation) -> dict[str, Any]:
    """Every table of the page, each with its chart where one is drawn."""
    # Built on this module's helpers, so imported here, not at the top.
    from .passage_tables import passage_table

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
        "representation": representation_tables(
            report.representation, report.profile, report.min_cell
        ),
        "representation_bands": bands(),
        "likert_overview": overview,
        "matrix": stance_matrix(results, likert, report.share_base, breakdown_of(report)),
        "questions": results,
        "comments": comment_tables(report, sections),
        "passages": passage_table(report),
        "passage_totals": passage_table(report, by_group=False),
        "gates": gate_table(report, sections),
        "themes": theme_table(report),
        "campaigns": campaign_table(report),
        "terms": term_tables(report, sections),
        "quotes": quotes_by_section(report),
    }
