"""The word-level comparison of two texts of a section (pure functions)."""

from consult.outcome.diff import (
    Block,
    BlockComparison,
    blocks,
    compare_blocks,
    compare_markdown,
    counts,
    word_pieces,
)


def test_words_inserted_and_deleted_in_reading_order():
    assert word_pieces("Formar profesionales en IA.", "Formar docentes y profesionales en IA.") == [
        ("equal", "Formar"),
        ("insert", "docentes y"),
        ("equal", "profesionales en IA."),
    ]
    assert word_pieces("uno dos tres", "uno tres") == [
        ("equal", "uno"),
        ("delete", "dos"),
        ("equal", "tres"),
    ]
    assert word_pieces("una meta", "un objetivo") == [
        ("delete", "una meta"),
        ("insert", "un objetivo"),
    ]


def test_words_are_compared_as_written():
    assert word_pieces("Datos abiertos", "datos abiertos") == [
        ("delete", "Datos"),
        ("insert", "datos"),
        ("equal", "abiertos"),
    ]


def test_the_same_text_is_one_equal_piece_and_empty_texts_none():
    assert word_pieces("a  b\nc", "a b c") == [("equal", "a b c")]
    assert word_pieces("", "") == []
    assert word_pieces("", "nuevo texto") == [("insert", "nuevo texto")]


def test_markdown_is_read_as_plain_blocks():
    text = "## Meta propuesta\n\n**Educación** y *competencias*\n\n- **i.** Uno\n- Dos\n\n1. Tres\n"
    assert blocks(text) == [
        Block("heading", "Meta propuesta"),
        Block("paragraph", "Educación y competencias"),
        Block("item", "i. Uno"),
        Block("item", "Dos"),
        Block("item", "Tres"),
    ]


def test_a_table_is_read_row_by_row():
    assert blocks("| a | b |\n|---|---|\n| 1 | 2 |\n") == [
        Block("row", "a | b"),
        Block("row", "1 | 2"),
    ]


def test_blocks_pair_and_a_new_list_item_is_inserted_whole():
    old = "## Metas\n\n- Primera meta.\n- Segunda meta.\n"
    new = "## Metas\n\n- Primera meta.\n- Nueva meta de gobernanza.\n- Segunda meta.\n"
    assert compare_markdown(old, new) == [
        BlockComparison("heading", [("equal", "Metas")]),
        BlockComparison("item", [("equal", "Primera meta.")]),
        BlockComparison("item", [("insert", "Nueva meta de gobernanza.")]),
        BlockComparison("item", [("equal", "Segunda meta.")]),
    ]


def test_a_replaced_block_is_compared_word_by_word_and_a_removed_one_deleted_whole():
    old = [Block("paragraph", "Sus comentarios son útiles."), Block("paragraph", "Fin.")]
    new = [Block("paragraph", "Sus comentarios fueron útiles.")]
    result = compare_blocks(old, new)
    assert result == [
        BlockComparison(
            "paragraph",
            [
                ("equal", "Sus comentarios"),
                ("delete", "son"),
                ("insert", "fueron"),
                ("equal", "útiles."),
            ],
        ),
        BlockComparison("paragraph", [("delete", "Fin.")]),
    ]
    assert [b.changed for b in result] == [True, True]
    assert counts(result) == (1, 2)


def test_a_new_section_is_all_inserted():
    result = compare_markdown("", "Texto nuevo.\n\n- Punto")
    assert [b.pieces for b in result] == [[("insert", "Texto nuevo.")], [("insert", "Punto")]]


def test_the_same_text_has_nothing_changed():
    text = "## A\n\nUno dos.\n"
    assert not any(b.changed for b in compare_markdown(text, text))
