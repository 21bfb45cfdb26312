"""Complementary suppression on hand-built tables: no hidden count comes back by subtraction."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from consult.reports.suppression import Equation, protect

K = 5


def table(rows: dict[str, list[int]]) -> tuple[dict, list[Equation]]:
    """A two-way table with row totals, column totals and the grand total, as equations."""
    values: dict = {}
    equations = []
    width = len(next(iter(rows.values())))
    for name, counts in rows.items():
        for j, n in enumerate(counts):
            values[(name, j)] = n
        values[(name, "total")] = sum(counts)
        equations.append(Equation((name, "total"), tuple((name, j) for j in range(width))))
    for j in range(width):
        values[("total", j)] = sum(counts[j] for counts in rows.values())
        equations.append(Equation(("total", j), tuple((name, j) for name in rows)))
    values[("total", "total")] = sum(map(sum, rows.values()))
    equations.append(Equation(("total", "total"), tuple((n, "total") for n in rows)))
    return values, equations


def test_one_small_cell_takes_the_next_smallest_of_its_breakdown_with_it():
    # Responses by group: total 30; business 3 would be 30 − 12 − 15 if only it were hidden.
    values = {"all": 30, "academia": 12, "business": 3, "citizens": 15}
    small, complementary = protect(
        values, [Equation("all", ("academia", "business", "citizens"))], K
    )
    assert small == {"business"}
    assert complementary == {"academia"}  # 12 < 15: the next smallest
    # Now 30 − 15 = 15 is all a reader learns: business and academia together.


def test_two_small_cells_need_no_complement():
    values = {"all": 22, "academia": 2, "business": 3, "citizens": 17}
    small, complementary = protect(
        values, [Equation("all", ("academia", "business", "citizens"))], K
    )
    assert small == {"academia", "business"}
    assert complementary == set()


def test_zeros_are_never_hidden_nor_chosen():
    values = {"all": 23, "academia": 0, "business": 3, "citizens": 20}
    small, complementary = protect(
        values, [Equation("all", ("academia", "business", "citizens"))], K
    )
    assert (small, complementary) == ({"business"}, {"citizens"})


def test_a_hidden_subtotal_hides_one_of_its_parts_too():
    # Business (12) is hidden to protect citizens (3); with its types 5 and 7 shown, it
    # would come back as 5 + 7, and citizens as 15 − 12.
    values = {"responses": 15, "business": 12, "citizens": 3, "company": 5, "association": 7}
    equations = [
        Equation("responses", ("business", "citizens")),
        Equation("business", ("company", "association")),
    ]
    small, complementary = protect(values, equations, K)
    assert small == {"citizens"}
    assert complementary == {"business", "company"}  # 12 − 7: company is hidden too


def test_rows_and_columns_both_hold_after_suppression():
    # Comments by group (rows) and contribution (columns), with all totals printed.
    values, equations = table(
        {
            "academia": [10, 2, 8],
            "business": [6, 9, 7],
            "citizens": [12, 11, 5],
        }
    )
    small, complementary = protect(values, equations, K)
    assert small == {("academia", 1)}
    # Its row takes academia's 8 (not 10), its column business's 9; column 2 then takes
    # citizens' 5, business's row its 6, citizens' row its 11, column 0 academia's 10:
    # every row and column with a hidden count has two or more, and no total is hidden.
    hidden = small | complementary
    for equation in equations:
        members = (equation.total, *equation.cells)
        assert sum(m in hidden for m in members) != 1, equation
    assert complementary == {
        ("academia", 2), ("business", 1), ("citizens", 2), ("business", 0), ("citizens", 1),
        ("academia", 0),
    }  # fmt: skip


def test_equations_that_do_not_hold_are_ignored():
    # Multiple choice: options do not add up to the respondents.
    values = {"respondents": 20, "a": 3, "b": 15, "c": 12}
    small, complementary = protect(values, [Equation("respondents", ("a", "b", "c"))], K)
    assert (small, complementary) == ({"a"}, set())


@given(
    st.lists(
        st.lists(st.integers(0, 30), min_size=2, max_size=5),
        min_size=2,
        max_size=5,
    ).filter(lambda rows: len({len(r) for r in rows}) == 1),
    st.integers(2, 10),
)
def test_no_breakdown_is_left_with_a_single_hidden_count(rows, k):
    values, equations = table({f"r{i}": counts for i, counts in enumerate(rows)})
    small, complementary = protect(values, equations, k)
    assert small == {c for c, v in values.items() if 0 < v < k}
    hidden = small | complementary
    assert all(values[c] > 0 for c in hidden)
    assert small.isdisjoint(complementary)
    for equation in equations:
        members = (equation.total, *equation.cells)
        assert sum(m in hidden for m in members) != 1, (equation, hidden)
