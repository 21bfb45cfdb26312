"""Passages of a section's text and their anchors (consult/content/passages.py)."""

from __future__ import annotations

import re

from consult.content.markdown import render_markdown
from consult.content.passages import (
    ANCHOR,
    ITEM,
    PARAGRAPH,
    as_markdown,
    link_passages,
    marked_html,
    passages,
    replace,
)

TEXT = """## Meta propuesta

Un párrafo de *introducción*
en dos líneas.

- Primera meta.
- Segunda meta.

> Una cita del objetivo.

| a | b |
|---|---|
| 1 | 2 |
"""


def test_paragraphs_list_lines_and_quotes_are_passages_headings_and_tables_are_not():
    found = passages(TEXT)
    assert [(p.kind, p.text) for p in found] == [
        (PARAGRAPH, "Un párrafo de introducción en dos líneas."),
        (ITEM, "Primera meta."),
        (ITEM, "Segunda meta."),
        (PARAGRAPH, "Una cita del objetivo."),
    ]
    assert [p.number for p in found] == [1, 2, 3, 4]
    assert all(ANCHOR.match(p.anchor) for p in found)


def test_an_unchanged_passage_keeps_its_anchor_in_a_new_version():
    before = passages(TEXT)
    after = passages(TEXT.replace("Segunda meta.", "Segunda meta, con plazo al 2026."))
    assert [p.anchor for p in after][:2] == [p.anchor for p in before][:2]
    assert after[2].anchor != before[2].anchor
    assert after[3].anchor == before[3].anchor
    # Inserting a paragraph before does not move the others' anchors.
    inserted = passages(TEXT.replace("## Meta propuesta\n", "## Meta propuesta\n\nNuevo.\n"))
    assert {p.anchor for p in before} < {p.anchor for p in inserted}


def test_equal_passages_are_told_apart_and_english_pairs_with_spanish():
    twice = passages("- Igual.\n- Igual.\n")
    assert twice[0].anchor != twice[1].anchor
    assert twice[1].anchor == twice[0].anchor + "-2"
    english = passages("- Same.\n- Same.\n", "- Igual.\n- Igual.\n")
    assert [p.anchor for p in english] == [p.anchor for p in twice]


def test_the_marked_html_is_the_rendered_html_with_ids_and_links():
    html = marked_html(TEXT)
    plain = link_passages(html, lambda _anchor: "")
    assert re.sub(r' id="p-[0-9a-f-]+"', "", plain) == render_markdown(TEXT)
    found = passages(TEXT)
    assert f'<li id="{found[1].anchor}">Primera meta.' in plain
    assert f'<p id="{found[0].anchor}">Un párrafo' in plain
    linked = link_passages(html, lambda anchor: f"[{anchor}]")
    assert f"Primera meta.[{found[1].anchor}]</li>" in linked
    # Emphasis closes before the link: the link is never inside the author's markup.
    assert "<em>introducción</em>" in linked


def test_a_forged_mark_in_the_text_is_taken_out():
    html = marked_html("Texto \ue000p-12345678\ue001 falso.")
    linked = link_passages(html, lambda anchor: f"[{anchor}]")
    assert "[p-12345678]" not in linked


def test_rewording_keeps_the_marker_and_the_other_lines():
    found = passages(TEXT)
    text = replace(TEXT, found[1], "Primera meta *nueva*")
    assert "- Primera meta \\*nueva\\*\n- Segunda meta." in text
    assert passages(text)[1].text == "Primera meta *nueva*"
    quoted = replace(TEXT, found[3], "Otra cita")
    assert "> Otra cita\n" in quoted
    paragraph = replace(TEXT, found[0], "# no es un título")
    assert passages(paragraph)[0].text == "# no es un título"
    assert "<h1>" not in render_markdown(paragraph)


def test_plain_words_stay_plain_words():
    for words in [
        "1. no es lista",
        "- tampoco",
        "> ni cita",
        "[enlace](x)",
        "a_b_c <b>",
        "A &copy; B",
    ]:
        assert passages(as_markdown(words))[0].text == words
