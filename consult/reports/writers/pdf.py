"""The printable summary, "Informe de resultados": a PDF written from the report's frames.

Everything is in the report's language (Babel's current locale: the request's, or
``consult report --lang``): headings, filters, vocabulary and option labels. The font is
DejaVu Sans as shipped inside matplotlib, so the PDF renders the same on any machine;
the charts are the web report's (``charts.py``, matplotlib on Agg), as PNG in memory.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

import matplotlib
import pandas as pd
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ...models.zones import moment_text
from .. import charts
from ..frames import Report
from ..grouping import ALL, GROUPS_KEY, field_name
from ..labels import (
    banner,
    breakdown_label,
    breakdown_name,
    category_label,
    contribution_labels,
    count_text,
    demo_note,
    group_label,
    language,
    option_labels,
    privacy_note,
    share_note,
    time_zone_note,
)
from ..participation import NOT_PROFILE
from ..passage_tables import passage_table
from ..representation_tables import representation_tables
from ..tables import campaign_table

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
#: Quotes printed per section, and in all.
QUOTES_PER_SECTION = 3
QUOTES_IN_ALL = 30
QUOTE_CHARS = 600


# ---------------------------------------------------------------- text


_count = count_text


def _representation(pdf: Document, report: Report) -> None:
    """Who is missing: per field, each category against the population, lowest index first."""
    for table in representation_tables(report.representation, report.profile, report.min_cell):
        pdf.line_of_text(table.caption, bold=True)
        rows = [
            [label, _count(n), _percent(share), _percent(population), _decimal(index), words]
            for label, (n, share, population, index, words) in table.rows
        ]
        pdf.grid(table.columns, rows, (3, 1, 1, 1, 1, 2))
        pdf.note(table.note or "")


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(text: str) -> str:
    """A decimal point as the language writes it (a comma in Spanish)."""
    return text if language() == "en" else text.replace(".", ",")


def _percent(value) -> str:
    return "—" if _missing(value) else _number(f"{float(value) * 100:.1f} %")


def _decimal(value) -> str:
    return "—" if _missing(value) else _number(f"{float(value):.2f}")


def one_line(text) -> str:
    """One line of user text: whitespace and control characters collapsed, length capped."""
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


# ---------------------------------------------------------------- charts


def _png(figure) -> bytes:
    return charts.to_png(figure, dpi=120)


def _bars(labels: list[str], values: list, *, percent: bool, note: str | None = None) -> bytes:
    """A horizontal bar chart (the web report's), values printed as the tables print them."""
    fmt = _percent if percent else (lambda v: str(int(v)))
    return _png(charts.bar_chart(labels, values, "", fmt=fmt, shares=percent, note=note))


# ---------------------------------------------------------------- document


class Document(FPDF):
    """An A4 page with the audience's banner on top and the page number below."""

    def __init__(self, banner: str, title: str | None = None) -> None:
        super().__init__(format="A4")
        self.banner = banner
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=15)
        self.set_title(title or _("Results report"))

    def header(self) -> None:
        self.set_font(FONT, "B", 8)
        self.set_text_color(176, 0, 32)
        self.cell(0, 5, self.banner, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, _("Page %(n)s", n=self.page_no()), align="C")

    def heading(self, text: str, size: int = 14) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_font(FONT, "", 9)

    def line_of_text(self, text: str, *, bold: bool = False, size: int = 9) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, 5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)

    def grid(self, columns: list[str], rows: list[list[str]], widths=None) -> None:
        if not rows:
            self.line_of_text(_("No data."))
            return
        self.set_font(FONT, "", 8)
        aligns = ["LEFT"] + ["RIGHT"] * (len(columns) - 1)
        with self.table(col_widths=widths, text_align=aligns, line_height=5, padding=1) as table:
            table.row([str(c) for c in columns])
            for values in rows:
                table.row([str(v) for v in values])
        self.ln(2)
        self.set_font(FONT, "", 9)

    def note(self, text: str) -> None:
        """A table's note, in small type under it."""
        self.set_font(FONT, "", 7)
        self.multi_cell(0, 3.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_font(FONT, "", 9)

    def chart(self, png: bytes) -> None:
        self.image(io.BytesIO(png), w=self.epw * 0.8)
        self.ln(2)


def to_pdf(report: Report) -> bytes:
    """The printable "Informe de resultados" of a report.

    Needs an app context: its words are in the current locale's language.
    """
    pdf = Document(banner(report.audience))
    pdf.add_page()
    front_page(pdf, report, _("Results report"))
    results_pages(pdf, report)
    return bytes(pdf.output())


def results_pages(pdf: Document, report: Report) -> None:
    """Every part of the results report after its front page (the final report's too)."""
    _participation(pdf, report)
    _representation(pdf, report)
    _gates(pdf, report)
    _likert(pdf, report)
    _choices(pdf, report)
    _ranking(pdf, report)
    _comments(pdf, report)
    _quotes(pdf, report)


def front_page(pdf: Document, report: Report, title: str) -> None:
    """The report's title, audience, count, time, filters and privacy note."""
    pdf.heading(title, 20)
    pdf.line_of_text(report.title_in(language()), bold=True, size=12)
    if report.demo:
        pdf.line_of_text(demo_note(), bold=True, size=11)
    pdf.ln(2)
    pdf.set_fill_color(253, 236, 234)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 8, banner(report.audience), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    counted = _count(report.responses)
    pdf.line_of_text(f"{_('Responses counted')}: {counted}", bold=True, size=11)
    pdf.line_of_text(f"{_('Computed at')}: {moment_text(report.computed_at, report.time_zone)}")
    pdf.line_of_text(f"{_('Time zone')}: {time_zone_note(report.time_zone)}")
    pdf.line_of_text(f"{_('Filters')}:", bold=True)
    for label, text in report.filters.describe(report.profile):
        pdf.line_of_text(f"  {label}: {text}")
    if report.filters.notes:
        ignored = ", ".join(report.filters.notes)
        pdf.line_of_text(f"  {_('Filter values ignored')}: {ignored}")
    note = privacy_note(report)
    if note:
        pdf.line_of_text(note)


def _participation(pdf: Document, report: Report) -> None:
    """Groups (with a chart), then every field the consultation asks, in its order."""
    pdf.heading(_("1. Participation"))
    groups = report.participation[GROUPS_KEY]
    labels = [group_label(report.profile, g) for g in groups[GROUPS_KEY]]
    shown = [_count(v) for v in groups["responses"]]
    rows = [list(r) for r in zip(labels, shown, strict=True)]
    pdf.grid([_("Stakeholder group"), _("Responses")], rows, (3, 1))
    pdf.chart(_bars(labels, list(groups["responses"]), percent=False))
    for name, frame in report.participation.items():
        if name in (GROUPS_KEY, *NOT_PROFILE):
            continue
        frame = frame[frame["responses"].map(lambda v: not isinstance(v, int) or v > 0)]
        title = field_name(report.profile, name, language())
        pdf.line_of_text(title, bold=True)
        rows = [
            [category_label(report.profile, name, k), _count(v)]
            for k, v in frame.iloc[:, :2].values
        ]
        pdf.grid([title, _("Responses")], rows, (3, 1))


def _question_title(report: Report, key: str) -> str:
    match = report.questions[report.questions["question"] == key]
    if match.empty:
        return key
    row = match.iloc[0]
    section = report.sections[report.sections["section"] == row["section"]]
    number = f"{section.iloc[0]['number']} · " if not section.empty else ""
    prompt = row["prompt_en"] if language() == "en" and row["prompt_en"] else row["prompt_es"]
    return f"{number}{prompt}"


def _short_title(report: Report, key: str) -> str:
    """A question named by its section's number ("5.3"), or by its key."""
    title = _question_title(report, key)
    return title.split(" · ")[0] if " · " in title else key


def _ordered(report: Report, frame: pd.DataFrame) -> list[str]:
    order = list(report.questions["question"])
    keys = list(dict.fromkeys(frame["question"]))
    return sorted(keys, key=lambda k: order.index(k) if k in order else len(order))


def _likert(pdf: Document, report: Report) -> None:
    pdf.heading(_("2. Agreement questions (scale of 1 to 5)"))
    frame = report.likert
    if frame.empty:
        pdf.line_of_text(_("No answers."))
        return
    base, note = report.share_base, share_note(report.share_base)
    pdf.line_of_text(note)
    overall = frame[frame["group"] == "all"]
    keys = _ordered(report, frame)
    rows = {r["question"]: r for _i, r in overall.iterrows()}
    agree = [rows[k]["agree"] if k in rows else None for k in keys]
    pdf.line_of_text(_("Share agreeing (4–5), all respondents, per question"), bold=True)
    pdf.chart(_bars([_short_title(report, k) for k in keys], agree, percent=True, note=note))
    for key in keys:
        pdf.heading(_question_title(report, key), 11)
        if key in rows:
            row = rows[key]
            pdf.line_of_text(
                _(
                    "All respondents: agree %(agree)s · disagree %(disagree)s · don't know"
                    " %(dk)s · answers %(n)s",
                    agree=_percent(row["agree"]),
                    disagree=_percent(row["disagree"]),
                    dk=_percent(row["dk_share"]),
                    n=_count(row["n"]),
                )
            )
        part = frame[frame["question"] == key]
        records = part.to_dict("records")
        bars = [{**r, "label": breakdown_label(report, r["group"])} for r in records]
        pdf.chart(_png(charts.likert_chart(bars, base=base, note=note)))
        pdf.grid(
            [
                _("Group") if report.by == GROUPS_KEY else breakdown_name(report),
                "n",
                _("Took a position"),
                _("Agree"),
                _("Disagree"),
                _("Net"),
                _("Don't know"),
                _("Mean"),
            ],
            [
                [
                    breakdown_label(report, r["group"]),
                    _count(r["n"]),
                    _count(r["valid"]),
                    _percent(r["agree"]),
                    _percent(r["disagree"]),
                    _percent(r["net"]),
                    _percent(r["dk_share"]),
                    _decimal(r["mean"]),
                ]
                for _i, r in part.iterrows()
            ],
            (2.6, 0.8, 1.3, 1.3, 1.6, 1.1, 1.1, 1.2),
        )
        pdf.note(note)


def _option_tables(
    pdf: Document,
    report: Report,
    frame: pd.DataFrame,
    headers: list[str],
    cells: Callable[[dict], list[str]],
    widths: tuple[float, ...],
) -> None:
    """One table of options per question, over all respondents (choice and ranking alike)."""
    overall = frame[frame["group"] == "all"] if not frame.empty else frame
    if overall.empty:
        pdf.line_of_text(_("No answers."))
        return
    labels = option_labels(report)
    for key in _ordered(report, overall):
        pdf.heading(_question_title(report, key), 11)
        part = overall[overall["question"] == key]
        rows = [
            [labels.get((key, r["option"]), r["option"]), *cells(r)]
            for r in part.to_dict("records")
        ]
        pdf.grid(headers, rows, widths)


def _choices(pdf: Document, report: Report) -> None:
    pdf.heading(_("3. Choice questions"))
    _option_tables(
        pdf,
        report,
        report.choices,
        [_("Option"), _("Responses"), _("Share")],
        lambda r: [_count(r["n"]), _percent(r["share"])],
        (3, 1, 1),
    )


def _ranking(pdf: Document, report: Report) -> None:
    pdf.heading(_("4. Ranking questions"))
    _option_tables(
        pdf,
        report,
        report.ranking,
        [_("Option"), _("Borda score"), _("Mean rank"), _("In the top 3")],
        lambda r: [_decimal(r["borda"]), _decimal(r["mean_rank"]), _percent(r["top3_share"])],
        (2, 1, 1, 1.3),
    )


def _comments(pdf: Document, report: Report) -> None:
    pdf.heading(_("5. Comments per section"))
    frame = report.comments
    overall = frame[frame["group"] == "all"] if not frame.empty else frame
    labels = contribution_labels(report)
    titles = _section_titles(report)
    rows = []
    for section in report.sections["section"]:
        part = overall[overall["section"] == section]
        if part.empty:
            continue
        counts = dict(zip(part["contribution"].astype(object), part["n"], strict=True))
        if labels:
            rows.append([titles[section], *[_count(counts.get(k, 0)) for k in labels]])
        else:  # no contribution asked: one count per section
            rows.append([titles[section], _count(part["n"].sum())])
    if labels:
        widths = (3, *[3.4 / len(labels)] * len(labels))
        pdf.grid([_("Section"), *labels.values()], rows, widths)
    else:
        pdf.grid([_("Section"), _("Comments")], rows, (3, 1))
    _passages(pdf, report)
    campaigns = campaign_table(report)
    if campaigns is not None:
        pdf.line_of_text(campaigns.caption, bold=True)
        rows = [[label, *[_count(n) for n in values]] for label, values in campaigns.rows]
        pdf.grid(campaigns.columns, rows, (3, 1, 1))
        pdf.note(campaigns.note or "")
    if not report.themes.empty:
        pdf.line_of_text(_("Themes"), bold=True)
        themes = report.themes[report.themes["group"] == "all"]
        rows = [[theme, _count(n)] for theme, n in themes[["theme", "n"]].values]
        pdf.grid([_("Theme"), _("Comments")], rows)


def _passages(pdf: Document, report: Report) -> None:
    """Comments on each passage of a section's text, all respondents (no anchor: the
    downloads carry it)."""
    table = passage_table(report, by_group=False)
    if table is None:
        return
    pdf.line_of_text(table.caption, bold=True)
    rows = [
        [section, label, words, _count(total), _count(proposing)]
        for section, (label, words, _anchor, total, proposing) in table.rows
    ]
    columns = [c for i, c in enumerate(table.columns) if i != 3]
    pdf.grid(columns, rows, (0.8, 1.3, 3.4, 1, 1.2))
    pdf.note(table.note or "")


def _section_titles(report: Report) -> dict[str, str]:
    """Section key → "5.3 Education and skills", in the report's language."""
    title = "title_en" if language() == "en" else "title_es"
    return {
        key: f"{number} {text or spanish}"
        for key, number, text, spanish in report.sections[
            ["section", "number", title, "title_es"]
        ].values
    }


def _gates(pdf: Document, report: Report) -> None:
    """Sections that ask first whether to answer them: who chose to, over all respondents."""
    overall = report.gates[report.gates["group"] == ALL]
    if overall.empty:
        return
    pdf.line_of_text(_("Respondents who chose to answer each section that asks first"), bold=True)
    titles = _section_titles(report)
    rows = [
        [titles.get(key, key), _count(n)]
        for key, n in overall[["section", "chose_to_answer"]].values
    ]
    pdf.grid([_("Section"), _("Chose to answer")], rows, (3, 1))
    pdf.note(
        _(
            "These sections open with a yes/no question; those who answered “No” skipped"
            " them. Their results are of the respondents who chose to answer them."
        )
    )


def _quotes(pdf: Document, report: Report) -> None:
    pdf.heading(_("6. Published comments (quotes)"))
    order = {key: i for i, key in enumerate(report.sections["section"])}
    quotes = report.quotes.assign(_order=report.quotes["section"].map(order))
    quotes = quotes.sort_values(["_order", "comment"], kind="stable")
    quotes = quotes.groupby("section", sort=False).head(QUOTES_PER_SECTION)
    if quotes.empty:
        pdf.line_of_text(_("No published comments."))
    numbers = dict(zip(report.sections["section"], report.sections["number"], strict=True))
    for _i, quote in quotes.head(QUOTES_IN_ALL).iterrows():
        author = quote["author"] if not _missing(quote["author"]) else _("Anonymous")
        section = numbers.get(quote["section"], quote["section"])
        group = group_label(report.profile, quote["group"])
        pdf.line_of_text(
            _(
                "Section %(section)s — %(author)s (%(group)s)",
                section=section,
                author=author,
                group=group,
            ),
            bold=True,
        )
        pdf.line_of_text(f"«{one_line(quote['text'])}»")
        pdf.ln(1)
