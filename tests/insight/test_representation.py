"""Who is missing: the representation index on small populations with known answers."""

from __future__ import annotations

import pytest

from consult.insight.representation import (
    IN_PROPORTION,
    NO_RESPONSE,
    OVER_REPRESENTED,
    POOLED,
    UNDER_REPRESENTED,
    PopulationTable,
    compare,
    peru_tables,
    read_population_csv,
    verdict,
)

#: Three regions: north has half the people, south and east a quarter each.
REGIONS = PopulationTable("region", {"north": 500.0, "south": 250.0, "east": 250.0}, source="test")


def _rows(comparison) -> dict[str, dict]:
    return {row["code"]: row for row in comparison.table.to_dict("records")}


def test_the_index_is_the_share_of_responses_over_the_share_of_population():
    # 20 responses: north 4 (20 % of responses, 50 % of people), south 16 (80 %, 25 %).
    comparison = compare("region", {"north": 4, "south": 16}, REGIONS)
    rows = _rows(comparison)

    assert rows["north"]["response_share"] == pytest.approx(0.2)
    assert rows["north"]["population_share"] == pytest.approx(0.5)
    assert rows["north"]["index"] == pytest.approx(0.4)
    assert rows["south"]["index"] == pytest.approx(3.2)
    assert rows["east"]["responses"] == 0 and rows["east"]["index"] == 0
    assert [rows[c]["verdict"] for c in ("east", "north", "south")] == [
        NO_RESPONSE,
        UNDER_REPRESENTED,
        OVER_REPRESENTED,
    ]


def test_the_most_under_represented_come_first_and_the_missing_are_listed():
    comparison = compare("region", {"north": 4, "south": 16}, REGIONS)

    assert list(comparison.table["code"]) == ["east", "north", "south"]
    assert comparison.missing == ["east"]
    assert comparison.most_under() == ["north"]


def test_answers_outside_the_population_are_counted_beside_the_index_not_in_it():
    gender = PopulationTable("gender", {"woman": 50.8, "man": 49.2})
    responses = {"woman": 30, "man": 70, "prefer_not": 4, "not_given": 2}
    comparison = compare("gender", responses, gender)
    rows = _rows(comparison)

    assert comparison.base == 100
    assert comparison.others == {"prefer_not": 4, "not_given": 2}
    assert rows["woman"]["response_share"] == pytest.approx(0.3)
    assert rows["woman"]["index"] == pytest.approx(0.3 / 0.508)
    assert rows["man"]["index"] == pytest.approx(0.7 / 0.492)
    assert set(comparison.table["code"]) == {"woman", "man"}


def test_hidden_categories_keep_their_population_but_show_no_figure():
    comparison = compare("region", {"north": 10, "east": 0}, REGIONS, hidden={"south"}, base=13)
    rows = _rows(comparison)

    assert rows["south"]["responses"] is None and rows["south"]["index"] is None
    assert rows["south"]["verdict"] == POOLED
    assert rows["south"]["population_share"] == pytest.approx(0.25)
    assert rows["north"]["response_share"] == pytest.approx(10 / 13)
    assert list(comparison.table["code"])[-1] == "south"  # no index: last


@pytest.mark.parametrize(
    ("index", "said"),
    [
        (0, NO_RESPONSE),
        (0.49, UNDER_REPRESENTED),
        (0.5, IN_PROPORTION),
        (2, IN_PROPORTION),
        (2.01, OVER_REPRESENTED),
        (None, POOLED),
    ],  # fmt: skip
)
def test_the_index_in_words(index, said):
    assert verdict(index) == said


def test_no_response_at_all_leaves_every_region_missing():
    comparison = compare("region", {}, REGIONS)
    assert comparison.missing == ["north", "south", "east"]
    assert comparison.base == 0


def test_perus_census_ships_with_consult():
    tables = peru_tables()
    assert len(tables["region"].population) == 26
    assert sum(tables["region"].population.values()) == 29_381_884
    assert tables["region"].population["lima_metropolitana"] == 8_574_974
    assert tables["gender"].population == {"woman": 50.8, "man": 49.2}
    assert "INEI" in tables["region"].source


def test_a_population_table_in_csv():
    text = "region,population,source_note\nnorth,1_000,Census 2020\nsouth,500,\n"
    table = read_population_csv(text, "population.csv")
    assert table.field_key == "region"
    assert table.population == {"north": 1000.0, "south": 500.0}
    assert table.notes == {"north": "Census 2020"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("region,population\nnorth,many\n", "line 2: 'many' is not a number"),
        ("region,population\nnorth,0\n", "line 2: the population must be above 0"),
        ("region,population\nnorth,1\nnorth,2\n", "line 3: 'north' repeats"),
        ("region,population\n", "no rows"),
        ("region\n", "the header must be"),
    ],
)
def test_a_bad_population_table_says_where_and_why(text, says):
    with pytest.raises(ValueError, match=says):
        read_population_csv(text, "population.csv")
