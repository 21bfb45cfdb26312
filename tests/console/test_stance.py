"""A comment's stance in the console: beside it, as a filter, and counted per section."""

from __future__ import annotations

import re

import pytest

from consult.reports.stance import Stance
from tests.console.test_lists import BASE, comment_texts, matching, page
from tests.factories import make_response


@pytest.fixture
def console(coordinator_client):
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


@pytest.fixture
def mixed(enia):
    return {
        "agree": make_response(enia, ("5-3", "Estoy de acuerdo"), answers={"q-5-3-agree": "4"}),
        "neutral": make_response(enia, ("5-3", "Ni fu ni fa"), answers={"q-5-3-agree": "3"}),
        "disagree": make_response(enia, ("5-3", "No me convence"), answers={"q-5-3-agree": "1"}),
        "none": make_response(enia, ("5-3", "Solo un comentario")),
        # Agrees with 5.3 but comments on 5.4, where it gave no answer.
        "elsewhere": make_response(enia, ("5-4", "Otra sección"), answers={"q-5-3-agree": "5"}),
    }


@pytest.mark.parametrize(
    ("stance", "texts"),
    [
        ("agree", {"Estoy de acuerdo"}),
        ("neutral", {"Ni fu ni fa"}),
        ("disagree", {"No me convence"}),
        ("no_answer", {"Solo un comentario", "Otra sección"}),
    ],
)
def test_the_stance_filter_narrows_the_comment_list(console, mixed, stance, texts):
    body = page(console, f"{BASE}/comments?stance={stance}")
    assert set(comment_texts(body)) == texts
    assert matching(body) == len(texts)


def test_the_stance_filter_narrows_the_responses_list_too(console, mixed):
    body = page(console, f"{BASE}/responses?stance=disagree")
    assert matching(body) == 1 and mixed["disagree"].reference in body


def test_an_unknown_stance_is_ignored_with_a_notice(console, mixed):
    body = page(console, f"{BASE}/comments?stance=furious")
    assert "were ignored:" in body and matching(body) == 5


def test_each_comment_shows_its_stance_in_words(console, mixed):
    body = page(console, f"{BASE}/comments")
    items = re.findall(r'<p class="answer-text">([^<]*)</p>.*?</li>', body, re.S)
    assert len(items) == 5
    for text, label in (
        ("Estoy de acuerdo", "Agrees"),
        ("Ni fu ni fa", "Neutral"),
        ("No me convence", "Disagrees"),
        ("Solo un comentario", "No answer"),
    ):
        item = body.split(text)[1].split("</li>")[0]
        assert f"Stance (own agreement answer): {label}" in item


def test_the_comment_page_shows_the_stance(console, mixed):
    comment = mixed["disagree"].comments[0]
    body = page(console, f"{BASE}/comments/{comment.id}")
    assert "Stance (own agreement answer): Disagrees" in body


def test_the_breakdown_counts_comments_per_stance_and_section(console, mixed):
    body = page(console, f"{BASE}/comments")
    table = body.split('id="stance-title"')[1].split("</table>")[0]
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table, re.S)
    counts = {
        label.split(".")[0] + "." + label.split(".")[1]: re.findall(r">(\d+)<span", cells)
        for label, cells in rows
    }
    assert counts == {"5.3": ["1", "1", "1", "1"], "5.4": ["0", "0", "0", "1"]}
    # Each count leads to the comments it counts.
    assert f"section=5-3&amp;stance={Stance.DISAGREE.value}" in table


def test_the_breakdown_follows_the_filters(console, mixed):
    body = page(console, f"{BASE}/comments?section=5-4")
    table = body.split('id="stance-title"')[1].split("</table>")[0]
    assert "5.4." in table and "5.3." not in table
