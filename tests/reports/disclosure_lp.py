"""The auditor's arithmetic: linear relations over unknown counts, and the bounds they imply.

An outsider who reads an open report knows some counts exactly, some only within a range
("<5" is 1–4), and many relations between them (totals, shares × bases, means × bases).
What they can learn about one unknown count is its smallest and largest value over every
solution of those relations: two linear programs (HiGHS through ``scipy.optimize.linprog``).
Counts are whole numbers, so the bounds are rounded inwards, with a tolerance for the
solver's floating point. The linear relaxation is what the issue asks for; an outsider
solving the integer program could sometimes learn more, never less.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

INF = math.inf
#: How far from a whole number a solver's bound may be and still count as that number.
ROUNDING = 1e-6

#: The row that pools the kinds of respondent not shown on their own.
OTHER = "other_groups"
#: A linear combination of unknowns: unknown → coefficient.
Terms = dict[int, float]


class Inconsistent(Exception):
    """The published figures contradict the relations: no counts can produce them."""


def combine(*parts: Terms, scale: float = 1.0) -> Terms:
    """The sum of combinations, times ``scale``."""
    out: Terms = {}
    for part in parts:
        for var, coef in part.items():
            out[var] = out.get(var, 0.0) + coef * scale
    return out


@dataclass
class Program:
    """Nonnegative unknowns with bounds, and constraints ``lower ≤ Σ coef·x ≤ upper``.

    Unknowns whose bounds meet are known; the others fall into independent components
    (unknowns tied by a constraint, known ones aside). A minimum is the sum of one small
    program per component the objective touches: most of a report is known, so those
    programs stay small and fast.
    """

    names: list[str] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[tuple[Terms, float, float]] = field(default_factory=list)
    _parts: tuple | None = field(default=None, repr=False)
    _programs: dict = field(default_factory=dict, repr=False)
    #: Solutions found so far, per component: one that reaches a trivial bound spares a solve.
    _witnesses: dict = field(default_factory=dict, repr=False)

    def copy(self) -> Program:
        return Program(list(self.names), list(self.lower), list(self.upper), list(self.rows))

    def variable(self, name: str, lower: float = 0, upper: float = INF) -> int:
        self.names.append(name)
        self.lower.append(max(0.0, lower))
        self.upper.append(upper)
        self._parts = None
        return len(self.names) - 1

    def constrain(self, terms: Terms, lower: float, upper: float) -> None:
        """``lower ≤ terms ≤ upper``; on a single unknown, its bounds are tightened."""
        terms = {v: c for v, c in terms.items() if c != 0}
        if not terms:
            if lower > ROUNDING or upper < -ROUNDING:
                raise Inconsistent(f"0 is not within [{lower}, {upper}]")
            return
        if len(terms) == 1:
            ((var, coef),) = terms.items()
            low, high = (lower / coef, upper / coef) if coef > 0 else (upper / coef, lower / coef)
            self.lower[var] = max(self.lower[var], low)
            self.upper[var] = min(self.upper[var], high)
            if self.lower[var] > self.upper[var] + ROUNDING:
                raise Inconsistent(f"{self.names[var]} cannot be within [{low}, {high}]")
            self.upper[var] = max(self.upper[var], self.lower[var])
        else:
            self.rows.append((terms, lower, upper))
        self._parts = None

    def equal(self, terms: Terms, value: float) -> None:
        self.constrain(terms, value, value)

    def bounds(self, terms: Terms) -> tuple[float, float]:
        """The smallest and largest whole value of ``terms`` (whole coefficients; −∞/∞ if
        unbounded)."""
        return self.minimum(terms), self.maximum(terms)

    def maximum(self, terms: Terms) -> float:
        return -self.minimum({v: -c for v, c in terms.items()})

    def minimum(self, terms: Terms) -> float:
        """The smallest whole value of ``terms`` (whole coefficients) over every solution."""
        root, parts, _rows = self._components()
        value, touched = 0.0, {}
        for var, coef in terms.items():
            if var in root:
                touched.setdefault(root[var], {})[var] = coef
            else:
                value += coef * self.lower[var]
        for part, objective in touched.items():
            value += self._minimum(part, objective)
        return _whole(value, up=True)

    def _minimum(self, part: int, terms: Terms) -> float:
        index, bounds, a_ub, b_ub, a_eq, b_eq = self._program(part)
        ends = [self.lower[v] if c > 0 else self.upper[v] for v, c in terms.items()]
        trivial = sum(c * e for c, e in zip(terms.values(), ends, strict=True))
        if a_ub is None and a_eq is None:  # no constraint: each unknown at its bound
            return trivial
        witnesses = self._witnesses.setdefault(part, [])
        for x in witnesses:
            if sum(c * x[index[v]] for v, c in terms.items()) <= trivial + ROUNDING:
                return trivial
        objective = np.zeros(len(index))
        for var, coef in terms.items():
            objective[index[var]] = coef
        result = linprog(
            objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
        )
        if result.status == 2:
            raise Inconsistent(f"{result.message} ({', '.join(self.names[v] for v in index)})")
        if result.status == 3:
            return -INF
        if result.status != 0:
            raise RuntimeError(f"linprog: {result.message}")
        witnesses.append(result.x)
        return result.fun

    def _components(self):
        """Each unknown's component, the unknowns of each, and the constraints of each."""
        if self._parts is None:
            free = [
                v for v, (lo, hi) in enumerate(zip(self.lower, self.upper, strict=True)) if lo < hi
            ]
            parent = {v: v for v in free}

            def find(v: int) -> int:
                while parent[v] != v:
                    parent[v] = parent[parent[v]]
                    v = parent[v]
                return v

            for terms, lower, upper in self.rows:
                unknown = [v for v in terms if v in parent]
                if not unknown:
                    value = sum(c * self.lower[v] for v, c in terms.items())
                    slack = ROUNDING * max(1.0, abs(value))
                    if not lower - slack <= value <= upper + slack:
                        raise Inconsistent(f"{value:g} is not within [{lower:g}, {upper:g}]")
                for v in unknown[1:]:
                    parent[find(v)] = find(unknown[0])
            root = {v: find(v) for v in free}
            parts: dict[int, list[int]] = {}
            for v in free:
                parts.setdefault(root[v], []).append(v)
            rows: dict[int, list[int]] = {}
            for i, (terms, _lo, _hi) in enumerate(self.rows):
                unknown = [v for v in terms if v in root]
                if unknown:
                    rows.setdefault(root[unknown[0]], []).append(i)
            self._parts, self._programs, self._witnesses = (root, parts, rows), {}, {}
        return self._parts

    def _program(self, part: int):
        """The matrices of one component, known unknowns moved to the right-hand side."""
        if part not in self._programs:
            _root, parts, rows = self._components()
            index = {v: i for i, v in enumerate(parts[part])}
            ub, b_ub, eq, b_eq = [], [], [], []
            for i in rows.get(part, []):
                terms, lower, upper = self.rows[i]
                row = np.zeros(len(index))
                known = 0.0
                for var, coef in terms.items():
                    if var in index:
                        row[index[var]] = coef
                    else:
                        known += coef * self.lower[var]
                if lower == upper:
                    eq.append(row)
                    b_eq.append(lower - known)
                    continue
                if upper < INF:
                    ub.append(row)
                    b_ub.append(upper - known)
                if lower > -INF:
                    ub.append(-row)
                    b_ub.append(known - lower)
            bounds = [
                (self.lower[v], None if self.upper[v] == INF else self.upper[v]) for v in index
            ]
            self._programs[part] = (
                index,
                bounds,
                np.array(ub) if ub else None,
                np.array(b_ub) if ub else None,
                np.array(eq) if eq else None,
                np.array(b_eq) if eq else None,
            )
        return self._programs[part]


def _whole(value: float, *, up: bool) -> float:
    """A bound on a whole number, rounded inwards (a bound of 0.5 on a count means 1)."""
    if math.isinf(value):
        return value
    return float(math.ceil(value - ROUNDING) if up else math.floor(value + ROUNDING))


# ---------------------------------------------------------------- the rule


def meaning(value, withheld_at_least: int = 0) -> tuple[float, float]:
    """What a published count says: exactly v; "<K" is 1…K−1; withheld (null) is ≥ 0.

    ``withheld_at_least`` reads a withheld count as the old notes did ("5 or more").
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float(withheld_at_least), INF
    if isinstance(value, str):
        match = re.fullmatch(r"\s*<\s*(\d+)\s*", value)
        if not match:
            raise ValueError(f"not a count: {value!r}")
        return 1.0, float(int(match.group(1)) - 1)
    if isinstance(value, bool) or not float(value).is_integer():
        raise ValueError(f"not a count: {value!r}")
    return float(value), float(value)


def hidden(value) -> bool:
    """A count the output does not print as a number."""
    return value is None or isinstance(value, str) or (isinstance(value, float) and value != value)


def judge(
    program: Program,
    k: int,
    shown: dict[str, Terms],
    unknown: dict[str, Terms],
    answers: dict[str, dict[str, Terms]],
    cells: dict[tuple[str, str], tuple[Terms, object]],
    residual: Terms | None,
    actual: dict[str, float] | None = None,
) -> Iterator[tuple[str, str]]:
    """The findings (a), (b) and (c) of one table, as (row, what) pairs.

    Lower bounds first: a largest value is sought only where the smallest already lies in
    1…K−1. An answer count can be ≥ 1 only where the kind's respondents are; learning one
    is a leak where the kind counts fewer than K: ``actual`` says how many it really counts,
    else any kind that might count fewer is taken to.
    """

    def small(terms: Terms) -> str | None:
        """The range of ``terms`` if it lies within 1…K−1, else None."""
        low = program.minimum(terms)
        if not 1 <= low <= k - 1:
            return None
        high = program.maximum(terms)
        return span(low, high) if high <= k - 1 else None

    def span(low: float, high: float) -> str:
        return f"exactly {low:g}" if low == high else f"{low:g}–{high:g}"

    if residual is not None and (found := small(residual)):
        yield OTHER, f"the total minus the shown rows leaves {found} respondents"
    for atom, terms in shown.items():
        if found := small(terms):
            yield atom, f"shown on its own with {found} respondents (fewer than {k})"
    for atom, terms in unknown.items():
        if found := small(terms):
            yield atom, f"not shown on its own, yet counts {found} respondents"
        low = program.minimum(terms)
        fewer = actual[atom] < k if actual is not None and atom in actual else low < k
        if low < 1 or not fewer:
            continue
        for label, count in answers.get(atom, {}).items():
            least = program.minimum(count)
            if least >= 1:
                yield atom, f"not shown on its own, yet at least {least:g} chose {label}"
    for (row, label), (terms, value) in cells.items():
        low = program.minimum(terms)
        if value is None:
            if low == (high := program.maximum(terms)):
                yield row, f"{label} is withheld, yet pinned to {low:g}"
        elif (low, high := program.maximum(terms)) != meaning(value):
            yield row, f"{label} printed {value!r} is {span(low, high)}"
