"""What an open (public) output may show: small cells suppressed, no personal data.

The frames already hold no email and no name except a published author's; the quotes
and word counts of an open report read only published text. What is left is the
small-cell rule: a count of fewer than K respondents is shown as "<K"; a count that
would give a hidden one back by subtraction from a total is withheld (None, printed
"—" or left empty), and so is every share, mean or score computed from a hidden count.
The number of responses counted is a count like the others: below K it is "<K" too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import replace

import pandas as pd

from ..models.vocab import QuestionType
from .frames import Report
from .grouping import ALL, GROUP_OF
from .suppression import Equation, protect

#: The number of responses counted: the total of every participation breakdown.
RESPONSES = ("responses",)
_POINTS = ["1", "2", "3", "4", "5"]
#: Per frame, each derived figure and the counts it is computed from: withheld as soon
#: as one of them is hidden (a share of a shown base would give a hidden count back).
DERIVED = {
    "likert": {
        **{f"share_{p}": (p, "valid") for p in _POINTS},
        "mean": (*_POINTS, "valid"),
        "agree": ("4", "5", "valid"),
        "disagree": ("1", "2", "valid"),
        "net": ("1", "2", "4", "5", "valid"),
        "dk_share": ("dk", "n"),
    },
    "choices": {"share": ("n", "respondents")},
    "ranking": {
        "mean_rank": ("n",),
        "borda": ("n", "respondents"),
        "top3_share": ("top3", "respondents"),
    },
}

#: Where a cell is printed: (frame name, row index, column); frame names as ``_frames``.
Place = tuple[str, Hashable, str]


class _Grid:
    """The counts of a report as cells, where each one is printed, and the totals tying them."""

    def __init__(self) -> None:
        self.values: dict[Hashable, int] = {}
        self.places: dict[Hashable, list[Place]] = defaultdict(list)
        self.equations: list[Equation] = []

    def count(self, cell: Hashable, value, place: Place | None = None) -> None:
        self.values[cell] = int(value)
        if place is not None:
            self.places[cell].append(place)

    def total(self, total: Hashable, cells) -> None:
        """``total`` is the sum of ``cells``; cells absent from the report count 0."""
        present = tuple(c for c in cells if c in self.values)
        if total in self.values:
            self.equations.append(Equation(total, present))

    def across_groups(self, frame: pd.DataFrame, name: str, keys: list[str], column: str):
        """Each group's count in ``column`` adds up to the ``all`` row's, per ``keys``."""
        by_key: dict[tuple, list] = defaultdict(list)
        keyed = zip(*(frame[k] for k in keys), strict=True)
        rows = zip(frame.index, keyed, frame["group"], frame[column], strict=True)
        for index, key, group, value in rows:
            cell = (name, *key, group, column)
            self.count(cell, value, (name, index, column))
            if group != ALL:
                by_key[key].append(cell)
        for key, cells in by_key.items():
            self.total((name, *key, ALL, column), cells)


def _participation(grid: _Grid, report: Report) -> None:
    """Every breakdown adds up to the responses counted; types add up to their group; the
    running total per day is the previous one plus the day's count."""
    grid.count(RESPONSES, report.responses)
    for name, frame in report.participation.items():
        key = frame.columns[0]
        cells = []
        for index, category, value in zip(frame.index, frame[key], frame["responses"], strict=True):
            cells.append(("participation", name, category))
            grid.count(cells[-1], value, (f"participation:{name}", index, "responses"))
        grid.total(RESPONSES, cells)
    types = report.participation["stakeholder_type"]["stakeholder_type"]
    for group in report.participation["group"]["group"]:
        members = [
            ("participation", "stakeholder_type", t) for t in types if GROUP_OF.get(t) == group
        ]
        grid.total(("participation", "group", group), members)
    day = report.participation["day"]
    previous = None
    for i, (index, when) in enumerate(zip(day.index, day["day"], strict=True)):
        # The last running total is the number of responses: the same cell.
        cell = RESPONSES if i == len(day) - 1 else ("cumulative", when)
        grid.count(cell, day.at[index, "cumulative"], ("participation:day", index, "cumulative"))
        counted = ("participation", "day", when)
        grid.total(cell, (counted,) if previous is None else (previous, counted))
        previous = cell


def _likert(grid: _Grid, frame: pd.DataFrame) -> None:
    """Per row: n = valid + dk and valid = points 1–5; per column: the groups add up."""
    for column in [*_POINTS, "dk", "valid", "n"]:
        grid.across_groups(frame, "likert", ["question"], column)
    for question, group in zip(frame["question"], frame["group"], strict=True):
        n, valid, dk, *points = (
            ("likert", question, group, c) for c in ["n", "valid", "dk", *_POINTS]
        )
        grid.total(n, (valid, dk))
        grid.total(valid, points)


def _respondents(grid: _Grid, frame: pd.DataFrame, name: str) -> None:
    """Respondents of a question per group (printed on each option's row) add up too."""
    seen: dict[tuple, list] = defaultdict(list)
    for index, question, group, value in zip(
        frame.index, frame["question"], frame["group"], frame["respondents"], strict=True
    ):
        cell = (name, "respondents", question, group)
        grid.count(cell, value, (name, index, "respondents"))
        if group != ALL and cell not in seen[question]:
            seen[question].append(cell)
    for question, cells in seen.items():
        grid.total((name, "respondents", question, ALL), cells)


def _choices(grid: _Grid, frame: pd.DataFrame, questions: pd.DataFrame) -> None:
    """Per option the groups add up; one answer each, single choices add up to respondents."""
    grid.across_groups(frame, "choices", ["question", "option"], "n")
    _respondents(grid, frame, "choices")
    single = set(questions.loc[questions["type"] == QuestionType.SINGLE_CHOICE, "question"])
    options: dict[tuple, list] = defaultdict(list)
    for question, option, group in zip(
        frame["question"], frame["option"], frame["group"], strict=True
    ):
        if question in single:
            options[(question, group)].append(("choices", question, option, group, "n"))
    for (question, group), cells in options.items():
        grid.total(("choices", "respondents", question, group), cells)


def _ranking(grid: _Grid, frame: pd.DataFrame) -> None:
    for column in ("n", "top3"):
        grid.across_groups(frame, "ranking", ["question", "option"], column)
    _respondents(grid, frame, "ranking")


def _grid(report: Report) -> _Grid:
    grid = _Grid()
    _participation(grid, report)
    _likert(grid, report.likert)
    _choices(grid, report.choices, report.questions)
    _ranking(grid, report.ranking)
    grid.across_groups(report.comments, "comments", ["section", "contribution"], "n")
    grid.across_groups(report.themes, "themes", ["theme"], "n")
    return grid


def _frames(report: Report) -> dict[str, pd.DataFrame]:
    """Copies of the frames that hold counts, by the names ``Place`` uses."""
    frames = {f"participation:{name}": f.copy() for name, f in report.participation.items()}
    for name in ("likert", "choices", "ranking", "comments", "themes"):
        frames[name] = getattr(report, name).copy()
    return frames


def _is_hidden(value) -> bool:
    return value is None or isinstance(value, str)


def _withhold(frame: pd.DataFrame, rules: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Withhold each derived figure whose counts are not all shown."""
    if frame.empty:
        return frame
    for derived, counts in rules.items():
        if derived in frame:
            inputs = zip(*(frame[c] for c in counts), strict=True)
            hidden = [any(map(_is_hidden, values)) for values in inputs]
            if any(hidden):
                values = [None if h else v for h, v in zip(hidden, frame[derived], strict=True)]
                frame[derived] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def open_report(report: Report, k: int) -> Report:
    """The open version of a report computed for the "open" audience.

    Counts 1…k−1 become "<k"; complementary counts, and figures computed from hidden
    counts, become None. The input report is left as it was.
    """
    if report.audience != "open":
        raise ValueError("compute the report with audience='open' before opening it")
    grid = _grid(report)
    small, complementary = protect(grid.values, grid.equations, k)
    frames = _frames(report)
    touched = {(name, c) for cell in small | complementary for name, _i, c in grid.places[cell]}
    for name, column in touched:
        frames[name][column] = frames[name][column].astype(object)
    for cells, shown in ((small, f"<{k}"), (complementary, None)):
        for cell in cells:
            for name, index, column in grid.places[cell]:
                frames[name].at[index, column] = shown
    responses = report.responses
    if RESPONSES in small | complementary:
        responses = f"<{k}" if RESPONSES in small else None
    derived = {name: _withhold(frames[name], rules) for name, rules in DERIVED.items()}
    terms = report.terms[report.terms["comments_using"] >= k].reset_index(drop=True)
    return replace(
        report,
        responses=responses,
        participation={name: frames[f"participation:{name}"] for name in report.participation},
        comments=frames["comments"],
        themes=frames["themes"],
        terms=terms,
        min_cell=k,
        **derived,
    )
