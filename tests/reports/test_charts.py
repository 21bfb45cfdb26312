"""Charts: valid, small, self-contained SVG with a title, text kept as text; PNG for the PDF."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import matplotlib
import matplotlib.pyplot as plt
import pytest
from flask import Flask, session

from consult.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [
    {
        "label": "All respondents",
        "share_1": 0.2,
        "share_2": 0.2,
        "share_3": 0.2,
        "share_4": 0.2,
        "share_5": 0.2,
        "dk_share": 1 / 6,
    },
    {
        "label": "Academia",
        "share_1": 0.5,
        "share_2": 0.0,
        "share_3": 0.0,
        "share_4": 0.5,
        "share_5": 0.0,
        "dk_share": 0.0,
    },
    {"label": "Business", **dict.fromkeys(["share_1", "share_2", "share_3"], None)},
]


@pytest.fixture
def page(app: Flask):
    """A request in English, as a page draws its charts."""
    with app.test_request_context("/"):
        session["lang"] = "en"
        yield


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def check_accessible(svg: str, title: str) -> ET.Element:
    root = parse(svg)
    assert root.get("role") == "img"
    first = root[0]
    assert first.tag == f"{SVG}title" and first.text == title
    assert root.get("aria-labelledby") == first.get("id")
    return root


def test_a_bar_chart_is_valid_svg_with_a_title_and_its_table(page):
    labels = ["Academia", "Business & <trade>", "Citizens"]
    table = charts.bar(
        labels, [4, "<5", None], "Responses by group", label_header="Group", value_header="N"
    )
    root = check_accessible(table.svg, "Responses by group")
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Business & <trade>" in texts  # text stays text, escaped
    assert "4" in texts and texts.count("—") == 2  # withheld and missing values get no bar
    assert table.columns == ["Group", "N"]
    assert table.rows == [("Academia", [4]), ("Business & <trade>", ["<5"]), ("Citizens", [None])]
    assert list(table.frame.columns) == ["Group", "N"]


def test_a_likert_chart_is_valid_svg_and_its_table_holds_what_it_draws(page):
    table = charts.likert(ROWS, "I agree with the target", label_header="Group")
    root = check_accessible(table.svg, "I agree with the target")
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert {"Strongly disagree", "Strongly agree", "Don't know"} <= set(texts)  # the legend
    assert "50%" in texts and "17%" in texts  # segments carry their share
    assert table.columns[0] == "Group" and len(table.columns) == 7
    overall = dict(zip(table.columns[1:], table.rows[0][1], strict=True))
    # Points 1–5 fill the bar (shares of those taking a position), as the tables print them;
    # don't know is drawn apart, as a share of all answers.
    assert overall["Strongly agree"] == pytest.approx(0.2)
    assert sum(table.rows[0][1][:5]) == pytest.approx(1)
    assert overall["Don't know"] == pytest.approx(1 / 6)
    assert table.rows[2] == ("Business", [None] * 6)  # withheld: no bar, no figure


def test_svg_is_small_self_contained_and_safe_to_inline_twice(page):
    first = charts.likert(ROWS, "One", label_header="Group").svg
    second = charts.likert(ROWS[:2], "Two", label_header="Group").svg
    for svg in (first, second):
        assert len(svg) < 40_000
        assert not svg.startswith("<?xml") and "<!DOCTYPE" not in svg
        assert "<style" not in svg and "<metadata" not in svg and "@font-face" not in svg
        assert "<image" not in svg and "http://" not in svg.replace(
            'xmlns="http://www.w3.org/2000/svg"', ""
        ).replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
        assert 'width="' not in svg.split(">", 1)[0]  # scales to its box
    first_ids, second_ids = ids_of(first), ids_of(second)
    assert first_ids and not first_ids & second_ids
    assert set(re.findall(r"url\(#([^)]+)\)", first)) <= first_ids  # references still resolve


def ids_of(svg: str) -> set[str]:
    return {e.get("id") for e in parse(svg).iter() if e.get("id")}


def test_figures_are_plain_and_also_give_png(page):
    fig = charts.bar_chart(["A", "B"], [1, 2], "Title")
    assert fig.get_label() == "Title"
    assert charts.to_png(fig).startswith(b"\x89PNG\r\n\x1a\n")
    assert "<title" in charts.to_svg(fig)
    assert charts.to_png(charts.likert_chart(ROWS, "Likert")).startswith(b"\x89PNG")
    assert matplotlib.get_backend().lower() == "agg"
    assert plt.get_fignums() == []  # no figure is left open in pyplot


def test_charts_work_outside_a_request():
    svg = charts.to_svg(charts.likert_chart(ROWS, "Outside"), description="Shares per point")
    root = check_accessible(svg, "Outside")
    assert root[1].tag == f"{SVG}desc" and root[1].text == "Shares per point"
