"""Charts of the report: matplotlib figures, written as small, accessible SVG (or PNG).

Every chart is drawn from numbers the page also prints: a ``Table`` carries the SVG together
with the data table it draws, so a page shows both side by side. Figures are built as
``matplotlib.figure.Figure`` on the Agg backend, outside pyplot, so no global registry
keeps them: a figure is freed once its SVG or PNG is written. Text stays text in the SVG
(no embedded fonts); segments carry hatching and labels, so colour is never the only cue.
"""

from __future__ import annotations

import hashlib
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from flask import has_request_context  # noqa: E402
from flask_babel import format_decimal, format_percent, get_locale  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..models.vocab import LIKERT_DONT_KNOW, ShareBase, likert_choices  # noqa: E402

INK = "#1b1b1b"
BRAND = "#0b4f8a"
#: Strongly disagree … strongly agree, then don't know: a diverging palette (ColorBrewer
#: RdBu) with a pattern each; dark fills get white labels, light fills black ones.
LIKERT_STYLE = {
    "1": ("#b2182b", "//", "#ffffff"),
    "2": ("#ef8a62", "\\\\", INK),
    "3": ("#f7f7f7", "", INK),
    "4": ("#67a9cf", "|", INK),
    "5": ("#2166ac", "xx", "#ffffff"),
    LIKERT_DONT_KNOW: ("#bababa", "-", INK),
}
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "consult",
    "font.family": "sans-serif",
    "font.size": 10,
    "hatch.color": INK,
    "hatch.linewidth": 0.6,
    "axes.edgecolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}
WIDTH = 7.0


@dataclass
class Table:
    """A table of the report ready to print, with the chart drawn from it if there is one.

    ``rows`` are (row header, values); ``formats`` says how to print each value column:
    "count", "percent", "percent1" (one decimal), "decimal", "text", or "count_share" for a
    (count, share) pair.
    A value of None is withheld or cannot be computed; a string such as "<5" is printed
    as it is.
    """

    caption: str
    #: Column headers, the first naming the row headers.
    columns: list[str]
    rows: list[tuple[str, list[Any]]]
    formats: list[str]
    #: Inline SVG of the chart drawn from these figures, if any.
    svg: str | None = None
    #: A sentence printed with the table (and drawn under its chart): what shares are of.
    note: str | None = None

    @property
    def frame(self) -> pd.DataFrame:
        """The same figures as a DataFrame (pairs split into count and share)."""
        data: dict[str, list] = {self.columns[0]: [label for label, _v in self.rows]}
        for i, (name, kind) in enumerate(zip(self.columns[1:], self.formats, strict=True)):
            values = [values[i] for _l, values in self.rows]
            if kind == "count_share":
                data[name] = [v[0] if v else None for v in values]
                data[f"{name} (%)"] = [v[1] if v else None for v in values]
            else:
                data[name] = values
        return pd.DataFrame(data)


def _percent(value: float) -> str:
    if has_request_context():
        return format_percent(value)
    return f"{value:.0%}"


def _decimal(value: float) -> str:
    if has_request_context():
        return format_decimal(round(value, 2))
    return f"{value:.2f}"


def _wrap(label: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(str(label), width)[:3]) or " "


def _missing(value) -> bool:
    return (
        value is None or isinstance(value, str) or (isinstance(value, float) and math.isnan(value))
    )


#: Inches kept at the foot of a chart for its note (two lines of small type).
_NOTE_HEIGHT = 0.34


def _figure(rows: int, *, legend: bool = False, note: str | None = None) -> tuple[Figure, Any]:
    """The figure, and where to draw the chart in it: the figure itself, or above its note.

    A note gets a strip of its own at the foot (a subfigure), so the chart's layout,
    legend included, never runs into it.
    """
    height = 0.9 + 0.42 * max(rows, 1) + (0.45 if legend else 0)
    with matplotlib.rc_context(_RC):
        if not note:
            fig = Figure(figsize=(WIDTH, height), layout="constrained")
            return fig, fig
        fig = Figure(figsize=(WIDTH, height + _NOTE_HEIGHT), layout="constrained")
        chart, foot = fig.subfigures(2, 1, height_ratios=[height, _NOTE_HEIGHT])
        foot.text(0.01, 0.5, textwrap.fill(note, 120), fontsize=7.5, va="center")
        return fig, chart


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    *,
    fmt: Callable[[float], str] | None = None,
    shares: bool = False,
    note: str | None = None,
) -> Figure:
    """Horizontal bars, one per label, top to bottom, each with its value written at its end.

    ``shares`` are fractions drawn on a 0–100 % axis, whatever the largest. Missing values
    (None, NaN; nothing to compute them from) get no bar and a "—". ``note`` is written
    under the chart.
    """
    fmt = fmt or _decimal
    with matplotlib.rc_context(_RC):
        fig, chart = _figure(len(labels), note=note)
        fig.set_label(title)
        ax = chart.add_subplot()
        drawn = [0.0 if _missing(v) else float(v) for v in values]
        positions = list(range(len(labels)))
        ax.barh(positions, drawn, color=BRAND, edgecolor=INK, linewidth=0.6, height=0.65)
        top = 1.0 if shares else (max(drawn, default=0) or 1)
        for y, value in zip(positions, values, strict=True):
            text = "—" if _missing(value) else fmt(float(value))
            ax.text(
                (0 if _missing(value) else float(value)) + top * 0.01,
                y,
                text,
                va="center",
                fontsize=9,
            )
        ax.set_yticks(positions, [_wrap(label) for label in labels])
        ax.invert_yaxis()
        if shares:  # a share reads against the whole: 0 to 100 %, labelled as percentages
            top = 1.0
            ticks = [0, 0.25, 0.5, 0.75, 1.0]
            ax.set_xticks(ticks, [_percent(t) for t in ticks])
        ax.set_xlim(0, top * 1.15)
        ax.set_title(title, loc="left", fontsize=11)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    return fig


def likert_parts(row) -> list[float | None]:
    """The row's shares of points 1–5 (over its share base), then of don't know (of all
    answers): the figures the likert frame and the tables print. None if withheld."""
    values = [row.get(f"share_{p}") for p in "12345"] + [row.get("dk_share")]
    return [None if _missing(v) else float(v) for v in values]


def _segment_label(ax, bar, share: float, colour: str, text_colour: str, *, outside: bool) -> None:
    """The share written on its segment, or just after it (``outside``) on a narrow axis."""
    y = bar.get_y() + bar.get_height() / 2
    if outside and share < 0.5:
        ax.text(share + 0.04, y, _percent(share), va="center", fontsize=8)
    elif share >= 0.07:
        ax.text(
            bar.get_x() + share / 2,
            y,
            _percent(share),
            ha="center",
            va="center",
            fontsize=8,
            color=text_colour,
            bbox={"boxstyle": "square,pad=0.2", "fc": colour, "ec": "none"},
        )


def likert_chart(
    frame_rows: pd.DataFrame | Sequence[dict],
    title: str = "",
    *,
    base: str = ShareBase.VALID,
    note: str | None = None,
) -> Figure:
    """A 100% stacked bar per row, as the tables print the shares, with ``note`` under it.

    With the "valid" share base, points 1–5 are shares of the answers that took a
    position (they fill the bar) and don't know, a share of all answers, has a bar
    beside it; with "answered", all six are shares of all answers and fill one bar.
    Segments are hatched and labelled. Rows need ``share_1`` … ``share_5`` and
    ``dk_share`` (as in the likert frame) and a ``label`` (else ``question`` or
    ``group``). A withheld row gets no bar but "—".
    """
    rows = frame_rows.to_dict("records") if isinstance(frame_rows, pd.DataFrame) else frame_rows
    labels = [r.get("label") or r.get("question") or r.get("group") or "" for r in rows]
    names = dict(likert_choices())
    parts = [likert_parts(r) for r in rows]
    positions = list(range(len(rows)))
    apart = ShareBase(base) is ShareBase.VALID  # don't know on an axis of its own
    stacked = 5 if apart else 6
    with matplotlib.rc_context(_RC):
        fig, chart = _figure(len(rows), legend=True, note=note)
        fig.set_label(title)
        if apart:
            ax, dk_ax = chart.subplots(1, 2, sharey=True, width_ratios=[5, 1])
        else:
            ax = dk_ax = chart.add_subplot()
        complete = [None not in p[:stacked] for p in parts]
        for i, point in enumerate(LIKERT_STYLE):
            colour, hatch, text_colour = LIKERT_STYLE[point]
            target = dk_ax if apart and point == LIKERT_DONT_KNOW else ax
            if apart and target is dk_ax:
                shares, left = [p[5] for p in parts], [0.0] * len(parts)
            else:
                pairs = list(zip(parts, complete, strict=True))
                shares = [p[i] if ok else None for p, ok in pairs]
                left = [sum(p[:i]) if ok else 0.0 for p, ok in pairs]
            bars = target.barh(
                positions,
                [share or 0 for share in shares],
                left=left,
                height=0.65,
                color=colour,
                hatch=hatch,
                edgecolor=INK,
                linewidth=0.6,
                label=str(names[point]),
            )
            for bar, share in zip(bars, shares, strict=True):
                if share is not None:
                    outside = apart and target is dk_ax
                    _segment_label(target, bar, share, colour, text_colour, outside=outside)
        for y, (p, ok) in enumerate(zip(parts, complete, strict=True)):
            marks = ((ax, not ok), (dk_ax, p[5] is None)) if apart else ((ax, not ok),)
            for target, missing in marks:
                if missing:
                    target.text(0.02, y, "—", va="center", fontsize=9)
        ax.set_yticks(positions, [_wrap(label, 30) for label in labels])
        ax.invert_yaxis()
        for target in dict.fromkeys((ax, dk_ax)):
            target.set_xlim(0, 1)
            target.xaxis.set_major_formatter(lambda x, _pos: _percent(x))
            target.tick_params(axis="x", labelsize=8)
            target.spines[["top", "right"]].set_visible(False)
        if apart:
            dk_ax.set_xticks([])
            dk_ax.tick_params(axis="y", left=False)
            dk_ax.set_title(str(names[LIKERT_DONT_KNOW]), fontsize=9)
        if title:
            ax.set_title(title, loc="left", fontsize=11)
        chart.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig


# ---------------------------------------------------------------- output

_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')
_GEOMETRY = re.compile(r'(\s(?:d|x|y|transform|points)=")([^"]*)"')
_PRECISE = re.compile(r"(\d\.\d\d)\d+")


def _compact(svg: str) -> str:
    """Coordinates to two decimals (a hundredth of a point): about a third smaller."""
    return _GEOMETRY.sub(lambda m: m.group(1) + _PRECISE.sub(r"\1", m.group(2)) + '"', svg)


def to_svg(
    fig: Figure,
    *,
    title: str | None = None,
    description: str | None = None,
    described_by: str | None = None,
) -> str:
    """The figure as an inline ``<svg role="img">`` with a ``<title>``; text kept as text.

    No XML prologue, no metadata, no stylesheet, no fixed size (it scales to its box);
    ids are prefixed so that several charts can share a page. ``described_by`` names the
    id of the data table on the page.
    """
    title = title if title is not None else fig.get_label()
    buffer = BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = _compact(svg)
    head_end = svg.index(">") + 1
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:head_end])
    prefix = "c" + hashlib.sha1(svg.encode()).hexdigest()[:8] + "-"
    body = _REFERENCE.sub(lambda m: m.group(1) + prefix + m.group(2), svg[head_end:])
    label = f' aria-labelledby="{prefix}title"'
    if described_by:
        label += f' aria-describedby="{escape(described_by)}"'
    head = head[:-1] + f' role="img"{label}>'
    desc = f"<desc>{escape(description)}</desc>" if description else ""
    return f'{head}\n<title id="{prefix}title">{escape(title)}</title>{desc}{body}'


def to_png(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (for the PDF)."""
    buffer = BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


# ---------------------------------------------------------------- charts with their tables
#
# Drawing takes a good part of a second per chart, so the SVG of the same figures in the
# same language is kept (a page reloaded, or its filters changed back, draws nothing).

_FIELDS = ("label", "share_1", "share_2", "share_3", "share_4", "share_5", "dk_share")


def _language() -> str:
    locale = get_locale() if has_request_context() else None
    return str(locale or "")


@lru_cache(maxsize=256)
def _bar_svg(labels: tuple, values: tuple, caption: str, kind: str, _language: str) -> str:
    if kind == "percent":
        return to_svg(bar_chart(labels, values, caption, fmt=_percent, shares=True))
    return to_svg(bar_chart(labels, values, caption, fmt=_decimal))


@lru_cache(maxsize=256)
def _likert_svg(rows: tuple, caption: str, base: str, note: str | None, _language: str) -> str:
    rows = [dict(zip(_FIELDS, r, strict=True)) for r in rows]
    return to_svg(likert_chart(rows, caption, base=base, note=note))


def bar(
    labels: Sequence[str],
    values: Sequence[float | str | None],
    caption: str,
    *,
    label_header: str,
    value_header: str,
    kind: str = "count",
) -> Table:
    """A bar chart and the two-column table it draws."""
    svg = _bar_svg(tuple(map(str, labels)), tuple(values), str(caption), kind, _language())
    rows = [(label, [value]) for label, value in zip(labels, values, strict=True)]
    return Table(caption, [label_header, value_header], rows, [kind], svg)


def likert(
    rows: Sequence[dict],
    caption: str,
    *,
    label_header: str,
    base: str = ShareBase.VALID,
    note: str | None = None,
) -> Table:
    """A likert chart and its table: each row's shares, point by point, over ``base``;
    ``note`` (what the shares are of) goes with both."""
    key = tuple(
        tuple(str(r.get(f) or "") if f == "label" else r.get(f) for f in _FIELDS) for r in rows
    )
    note = str(note) if note else None
    svg = _likert_svg(key, str(caption), str(base), note, _language())
    names = [str(name) for _point, name in likert_choices()]
    lines = [(r.get("label") or "", likert_parts(r)) for r in rows]
    formats = ["percent"] * len(names)
    return Table(caption, [label_header, *names], lines, formats, svg, note)
