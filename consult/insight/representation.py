"""Who is missing: respondents per category (region, gender) against the population.

The representation index of a category is its share of the responses divided by its share
of the population: 1 is in proportion, 0.5 is half as many responses as its population
would give, 2 twice as many. Shares are taken among the categories the population table
covers, so answers it does not cover ("abroad", "prefer not to say", no answer) are
counted beside the index but never move it. Pure functions over plain values; the
reference tables consult ships (Peru's 2017 census) are read from ``data/``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files

import pandas as pd

#: Below this index a category is under-represented (fewer than half the responses its
#: population would give).
UNDER = 0.5
#: Above this index a category is over-represented (more than twice as many).
OVER = 2.0
#: Verdicts, from the index (``verdict``).
NO_RESPONSE, UNDER_REPRESENTED, IN_PROPORTION, OVER_REPRESENTED, POOLED = (
    "no_response",
    "under",
    "in_proportion",
    "over",
    "pooled",
)
#: Where Peru's tables come from (consult/insight/data/README.md).
PERU_SOURCE = (
    "INEI, Censos Nacionales 2017: XII de Población, VII de Vivienda y III de Comunidades"
    " Indígenas (primeros resultados, junio de 2018)"
)
COLUMNS = [
    "code",
    "responses",
    "response_share",
    "population",
    "population_share",
    "index",
    "verdict",
]


@dataclass(frozen=True)
class PopulationTable:
    """A reference population: one profile field's codes and how many people each has."""

    #: The profile field compared ("region", "gender").
    field_key: str
    #: Code → population (people, or a share: only proportions matter).
    population: dict[str, float]
    #: Code → the row's own note (how the figure was made), where it has one.
    notes: dict[str, str] = field(default_factory=dict)
    #: Where the figures come from.
    source: str = ""


@dataclass(frozen=True)
class Comparison:
    """One field's responses against its population, most under-represented first."""

    field_key: str
    #: ``COLUMNS``: one row per category of the population table.
    table: pd.DataFrame
    #: Code → responses outside the comparison (abroad, other answers, "not_given").
    others: dict[str, int]
    #: Respondents the shares divide by: those in a category of the table.
    base: int
    #: The population compared with.
    reference: PopulationTable

    @property
    def source(self) -> str:
        return self.reference.source

    @property
    def missing(self) -> list[str]:
        """Categories with no response at all, in the population table's order."""
        return list(self.table.loc[self.table["verdict"] == NO_RESPONSE, "code"])

    def most_under(self, limit: int = 5) -> list[str]:
        """The most under-represented categories that did respond (index below 1)."""
        under = [
            code
            for code, index, said in self.table[["code", "index", "verdict"]].itertuples(
                index=False
            )
            if said not in (NO_RESPONSE, POOLED) and index < 1
        ]
        return under[:limit]


def verdict(index: float | None) -> str:
    """The index in words: no response, under-represented, in proportion, over-represented."""
    if index is None or (isinstance(index, float) and math.isnan(index)):
        return POOLED
    if index == 0:
        return NO_RESPONSE
    if index < UNDER:
        return UNDER_REPRESENTED
    if index > OVER:
        return OVER_REPRESENTED
    return IN_PROPORTION


def compare(
    field_key: str,
    responses: Mapping[str, int],
    reference: PopulationTable,
    *,
    hidden: Iterable[str] = (),
    base: int | None = None,
) -> Comparison:
    """Each category's responses, shares and index, ordered by index (lowest first).

    ``hidden`` categories (an open report's pooled ones) keep their population but show
    no count, share or index; ``base`` then says what the shares divide by (by default,
    the responses in the table's categories).
    """
    hidden = set(hidden)
    population = reference.population
    total_population = sum(population.values())
    compared = {c: int(responses.get(c, 0)) for c in population}
    base = sum(compared.values()) if base is None else base
    rows = []
    for position, (code, people) in enumerate(population.items()):
        population_share = people / total_population if total_population else 0.0
        if code in hidden:
            rows.append((code, None, None, people, population_share, None, POOLED, position))
            continue
        n = compared[code]
        share = n / base if base else 0.0
        index = share / population_share if population_share else None
        rows.append((code, n, share, people, population_share, index, verdict(index), position))
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "position"])
    # Lowest index first; pooled rows (no index) last; ties in the table's order.
    frame["_key"] = frame["index"].astype(float).fillna(math.inf)
    frame = frame.sort_values(["_key", "position"], kind="stable")
    frame = frame.drop(columns=["_key", "position"]).reset_index(drop=True)
    others = {c: int(n) for c, n in responses.items() if c not in population and n}
    return Comparison(field_key, without_nan(frame), others, base, reference)


def without_nan(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with None for every missing figure (hidden, or not computed), counts as
    integers: what writers and templates print as withheld."""
    out = {}
    for column in frame.columns:
        values = [None if pd.isna(v) else v for v in frame[column]]
        if column == "responses":
            values = [None if v is None else int(v) for v in values]
        out[column] = pd.Series(values, dtype=object, index=frame.index)
    return pd.DataFrame(out)


# ---------------------------------------------------------------- population tables


def read_population_csv(text: str, where: str) -> PopulationTable:
    """A population table in consult's CSV shape: ``<field key>,<population>[,source_note]``.

    The first column's header names the profile field; each row a code and a positive
    number. Raises ``ValueError`` saying where and why.
    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or len(rows[0]) < 2:
        raise ValueError(f"{where}: the header must be <field key>,<population>[,source_note]")
    field_key = rows[0][0].strip()
    if not field_key:
        raise ValueError(f"{where}: the first column's header must name a profile field")
    population: dict[str, float] = {}
    notes: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise ValueError(f"{where}, line {number}: expected a code and a population")
        code, raw = row[0].strip(), row[1].strip().replace("_", "")
        try:
            people = float(raw)
        except ValueError:
            raise ValueError(f"{where}, line {number}: {raw!r} is not a number") from None
        if not math.isfinite(people) or people <= 0:
            raise ValueError(f"{where}, line {number}: the population must be above 0")
        if code in population:
            raise ValueError(f"{where}, line {number}: {code!r} repeats")
        population[code] = people
        if len(row) > 2 and row[2].strip():
            notes[code] = row[2].strip()
    if not population:
        raise ValueError(f"{where}: no rows")
    return PopulationTable(field_key, population, notes)


def _shipped(name: str) -> PopulationTable:
    text = files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    table = read_population_csv(text, name)
    return PopulationTable(table.field_key, table.population, table.notes, PERU_SOURCE)


def peru_tables() -> dict[str, PopulationTable]:
    """Peru's 2017 census by region (consult's codes) and by gender (women, men)."""
    return {
        "region": _shipped("peru-population-2017.csv"),
        "gender": _shipped("peru-gender-2017.csv"),
    }
