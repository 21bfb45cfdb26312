"""Small-cell and complementary suppression over counts tied together by totals.

A count below K is hidden ("<K"). That alone is not enough where a total is shown: with
one count of a breakdown hidden, the total minus the others gives it back. Each
breakdown is an equation ``total = cell + cell + …``; ``protect`` hides more counts
(the next smallest of the breakdown) until no equation has exactly one hidden member.
Equations share members (a row total and a column total, a group and its types, a day
and the running total), so it repeats until nothing changes.

This stops recovery by one subtraction, which is what a reader of a table can do. It
does not solve the general problem (several equations combined, or bounds: two hidden
cells whose known sum is 2 are both 1); the open outputs also withhold every share or
mean computed from a hidden count.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

Cell = Hashable


@dataclass(frozen=True)
class Equation:
    """``total`` counts exactly what its ``cells`` count between them."""

    total: Cell
    cells: tuple[Cell, ...]

    def holds(self, values: Mapping[Cell, int]) -> bool:
        return values[self.total] == sum(values[c] for c in self.cells)


def protect(
    values: Mapping[Cell, int], equations: Iterable[Equation], k: int
) -> tuple[set[Cell], set[Cell]]:
    """The cells to hide: (small ones, shown as "<k"; complementary ones, withheld).

    A count of 0 is never hidden (nothing to protect, and a reader knows it anyway), nor
    chosen to protect another. The complement of a breakdown is its smallest shown count
    (ties in the order ``values`` lists them); its total only when no count is left.
    Equations that do not hold over ``values`` are ignored.
    """
    order = {cell: i for i, cell in enumerate(values)}
    small = {cell for cell, value in values.items() if 0 < value < k}
    hidden = set(small)
    active = [e for e in equations if e.holds(values)]
    changed = True
    while changed:
        changed = False
        for equation in active:
            members = (equation.total, *equation.cells)
            if sum(member in hidden for member in members) != 1:
                continue
            shown = [c for c in equation.cells if c not in hidden and values[c] > 0]
            if shown:
                pick = min(shown, key=lambda c: (values[c], order[c]))
            elif equation.total not in hidden and values[equation.total] > 0:
                pick = equation.total
            else:  # only zeros besides the hidden member: cannot be, in an equation that holds
                continue
            hidden.add(pick)
            changed = True
    return small, hidden - small
