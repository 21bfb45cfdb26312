"""The passages of a section's text, each with a stable anchor: pure functions, no database.

A passage is a paragraph (blockquotes' included) or a line of a list (a target, an
objective, a principle) of a section's Markdown; headings and tables are not. Respondents
comment on a passage and may propose new wording for it; the anchor names it in
addresses (``/c/<slug>/s/<key>/p/<anchor>``), in the page (``id``) and on comments.

An anchor is made from the passage's words in the first language (Spanish), so it stays
the same in every version of the text where the passage is unchanged, and is the same on
the Spanish and English pages (passages pair by position). Two equal passages in one
section are told apart by a suffix.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..outcome.diff import plain_words as _plain
from .markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, URL_SCHEMES

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table")

#: Kinds of passage.
PARAGRAPH, ITEM = "paragraph", "item"

#: Marks where a passage ends in the rendered HTML, for the page to put its link there.
#: Private-use characters, taken out of the Markdown first, so no text can forge one.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_MARK_OPEN}([a-z0-9-]+){_MARK_CLOSE}")
_PRIVATE = re.compile(f"[{_MARK_OPEN}{_MARK_CLOSE}]")
ANCHOR = re.compile(r"^p-[0-9a-f]{8}(-[0-9]{1,3})?$")


@dataclass(frozen=True)
class Passage:
    """One passage: its anchor, kind, number within the section (from 1), plain words,
    and the Markdown lines it spans (``first`` to ``last``, excluded)."""

    anchor: str
    kind: str
    number: int
    text: str
    first: int
    last: int


@dataclass(frozen=True)
class _Raw:
    kind: str
    text: str
    first: int
    last: int


def _raw(markdown: str) -> list[_Raw]:
    """The passages of a text in reading order, before anchors."""
    found: list[_Raw] = []
    items = 0  # open list items
    paragraph = None
    for token in _markdown.parse(_PRIVATE.sub("", markdown or "")):
        if token.type == "list_item_open":
            items += 1
        elif token.type == "list_item_close":
            items -= 1
        elif token.type == "paragraph_open":
            paragraph = token
        elif token.type == "inline" and paragraph is not None and paragraph.map:
            text = _plain(token)
            if text:
                first, last = paragraph.map
                found.append(_Raw(ITEM if items else PARAGRAPH, text, first, last))
        elif token.type == "paragraph_close":
            paragraph = None
    return found


def _anchor(text: str) -> str:
    return "p-" + hashlib.sha256(text.casefold().encode()).hexdigest()[:8]


def _anchors(texts: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for text in texts:
        base = _anchor(text)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


@lru_cache(maxsize=512)
def passages(markdown: str, first_language_markdown: str | None = None) -> tuple[Passage, ...]:
    """The passages of ``markdown`` with their anchors.

    ``first_language_markdown``: the same section's text in the first language, whose
    passages give the anchors (by position); None when ``markdown`` is that text.
    """
    raw = _raw(markdown)
    source = raw if first_language_markdown is None else _raw(first_language_markdown)
    anchors = _anchors([p.text for p in source])
    own = _anchors([p.text for p in raw])
    out = []
    for index, p in enumerate(raw):
        anchor = anchors[index] if index < len(anchors) else own[index]
        out.append(Passage(anchor, p.kind, index + 1, p.text, p.first, p.last))
    return tuple(out)


def find(items: tuple[Passage, ...], anchor: str) -> Passage | None:
    return next((p for p in items if p.anchor == anchor), None)


# ---------------------------------------------------------------- rewriting a passage


_LEADING = re.compile(r"^(#{1,6}\s|>|[-+*]\s)")
_NUMBERED = re.compile(r"^(\d{1,9})([.)]\s)")
_INLINE = re.compile(r"([\\`*_\[\]<>|&])")


def as_markdown(text: str) -> str:
    """Plain words as Markdown that renders them as written (no markup of their own)."""
    line = " ".join(text.split())
    line = _INLINE.sub(r"\\\1", line)
    if _LEADING.match(line):
        line = "\\" + line
    return _NUMBERED.sub(r"\1\\\2", line)


def replace(markdown: str, passage: Passage, text: str) -> str:
    """``markdown`` with ``passage`` reworded as ``text`` (plain words), its list marker,
    quote marks and indentation kept, and every other line as it was."""
    lines = (markdown or "").split("\n")
    prefix = _first_content(lines[passage.first])
    lines[passage.first : passage.last] = [prefix + as_markdown(text)]
    return "\n".join(lines)


_PREFIX = re.compile(r"^(\s*(?:>\s?)*\s*(?:(?:[-+*]|\d{1,9}[.)])\s+)?)")


def _first_content(line: str) -> str:
    """The quote marks, list marker and spaces before the words of a passage's first line."""
    match = _PREFIX.match(line)
    return match.group(1) if match else ""


# ---------------------------------------------------------------- the page's HTML


def _render_with_marks(markdown: str, anchors: list[str]) -> str:
    """Markdown to HTML where each passage's element (its paragraph, or its list item
    when the list is tight) has its anchor as ``id`` and ends with a mark for the link
    the page puts there."""
    tokens = _markdown.parse(_PRIVATE.sub("", markdown or ""))
    queue = list(anchors)
    items: list[Token] = []
    paragraph: Token | None = None
    for token in tokens:
        if token.type == "list_item_open":
            items.append(token)
        elif token.type == "list_item_close":
            items.pop()
        elif token.type == "paragraph_open":
            paragraph = token
        elif token.type == "paragraph_close":
            paragraph = None
        elif token.type == "inline" and paragraph is not None and queue and _plain(token):
            anchor = queue.pop(0)
            holder = items[-1] if paragraph.hidden and items else paragraph
            if holder.attrGet("id") is None:
                holder.attrSet("id", anchor)
            mark = Token("text", "", 0)
            mark.content = f"{_MARK_OPEN}{anchor}{_MARK_CLOSE}"
            token.children = [*(token.children or []), mark]
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    attributes.setdefault("p", set()).add("id")
    attributes.setdefault("li", set()).add("id")
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=LINK_REL
    )


@lru_cache(maxsize=256)
def marked_html(markdown: str, first_language_markdown: str | None = None) -> str:
    """The section's HTML with anchors and link marks (``link_passages`` fills them)."""
    anchors = [p.anchor for p in passages(markdown, first_language_markdown)]
    return _render_with_marks(markdown, anchors)


def link_passages(html: str, link) -> str:
    """Put ``link(anchor)`` (safe HTML, or "") where each passage's mark is."""
    return _MARK.sub(lambda m: link(m.group(1)), html)
