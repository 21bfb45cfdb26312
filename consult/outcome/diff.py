"""Word-level comparison of two texts of a section: pure functions, no database.

A section's Markdown is read as its blocks (headings, paragraphs, list items, table rows)
in plain text, so a reader sees the words, not the markup. Blocks are paired by difflib
(unchanged blocks match whole); a block replaced by another is compared word by word;
a block only in one text is inserted or deleted whole. Pieces are ``(op, text)`` with op
``"equal"``, ``"insert"`` or ``"delete"``, in reading order.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False})
_markdown.enable("table")
_WORD = re.compile(r"\S+")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Block:
    """One block of a text: ``kind`` is heading, paragraph, item (of a list) or row."""

    kind: str
    text: str


@dataclass(frozen=True)
class BlockComparison:
    """A block in the comparison: its kind (the newer one's) and its pieces."""

    kind: str
    pieces: list[tuple[str, str]]

    @property
    def changed(self) -> bool:
        return any(op != EQUAL for op, _text in self.pieces)


def blocks(markdown: str) -> list[Block]:
    """The text's blocks in reading order, each as plain words."""
    found: list[Block] = []
    kinds: list[str] = []  # the open containers: list items, table rows
    row: list[str] = []
    for token in _markdown.parse(markdown or ""):
        if token.type == "heading_open":
            kinds.append("heading")
        elif token.type == "list_item_open":
            kinds.append("item")
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if any(row):
                found.append(Block("row", " | ".join(row)))
        elif token.type in ("heading_close", "list_item_close"):
            kinds.pop()
        elif token.type == "inline":
            text = plain_words(token)
            if token.map is None or (kinds and kinds[-1] == "row"):
                row.append(text)
            elif text:
                found.append(Block(kinds[-1] if kinds else "paragraph", text))
        elif token.type in ("th_open", "td_open"):
            kinds.append("row")
        elif token.type in ("th_close", "td_close"):
            kinds.pop()
        elif token.type in ("fence", "code_block") and token.content.strip():
            found.append(Block("paragraph", " ".join(token.content.split())))
    return found


def plain_words(token) -> str:
    """An inline token's words as plain text (markup and line breaks set aside)."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def word_pieces(old: str, new: str) -> list[tuple[str, str]]:
    """How ``new`` differs from ``old`` word by word (words compared exactly as written)."""
    before, after = _WORD.findall(old or ""), _WORD.findall(new or "")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == EQUAL:
            _add(pieces, EQUAL, after[j1:j2])
            continue
        _add(pieces, DELETE, before[i1:i2])
        _add(pieces, INSERT, after[j1:j2])
    return pieces


def shared_words(old: str, new: str) -> int:
    """How many words ``new`` keeps of ``old`` in order: which text a rewording starts from."""
    before, after = _WORD.findall(old or ""), _WORD.findall(new or "")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def _add(pieces: list[tuple[str, str]], op: str, words: list[str]) -> None:
    if words:
        pieces.append((op, " ".join(words)))


def compare_blocks(old: list[Block], new: list[Block]) -> list[BlockComparison]:
    """The blocks of both texts paired in reading order, each with its pieces."""
    matcher = difflib.SequenceMatcher(
        None, [b.text for b in old], [b.text for b in new], autojunk=False
    )
    out: list[BlockComparison] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == EQUAL:
            out += [BlockComparison(b.kind, [(EQUAL, b.text)]) for b in new[j1:j2]]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = min(len(olds), len(news)) if op == "replace" else 0
        for before, after in zip(olds[:paired], news[:paired], strict=True):
            out.append(BlockComparison(after.kind, word_pieces(before.text, after.text)))
        out += [BlockComparison(b.kind, [(DELETE, b.text)]) for b in olds[paired:]]
        out += [BlockComparison(b.kind, [(INSERT, b.text)]) for b in news[paired:]]
    return out


def compare_markdown(old: str, new: str) -> list[BlockComparison]:
    """A section's two Markdown texts compared block by block, then word by word."""
    return compare_blocks(blocks(old), blocks(new))


def counts(comparison: list[BlockComparison]) -> tuple[int, int]:
    """Words inserted and deleted in a comparison (for a line that sums it up)."""
    inserted = deleted = 0
    for block in comparison:
        for op, text in block.pieces:
            if op == INSERT:
                inserted += len(text.split())
            elif op == DELETE:
                deleted += len(text.split())
    return inserted, deleted
