"""Comments on the passages of a section (a paragraph, a line of a list), by group.

A passage is named by its anchor (``content.passages``), which stays the same in every
version of the text where the passage is unchanged. Its number, kind and opening words
come from the section's current text (anchors from the Spanish text, paired by position
with the English); an anchor no longer in it (the text changed in a later version) is
of kind ``earlier``, its words those its commenters read (``Comment.passage_text``).
Comments on the section as a whole (anchor "") are not here: the per-section table counts
them, with the passage comments.

One comment per response and passage (the database's unique key), so a passage's
comments are its commenters: the open report pools its groups like any other table's.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from flask_babel import gettext as _

from ..content.passages import ITEM, PARAGRAPH, Passage, passages
from ..extensions import db
from ..models import Comment, Consultation, Section
from .filters import ReportFilters
from .grouping import ALL, code, with_overall

#: The kind of a passage that is no longer in the section's current text.
EARLIER = "earlier"
#: How many of a passage's words the report prints.
OPENING_WORDS = 12
COLUMNS = ["section", "number", "kind", "anchor", "words_es", "words_en", "group", "n",
           "proposals"]  # fmt: skip


def opening(text: str | None, words: int = OPENING_WORDS) -> str:
    """The first ``words`` words of a passage, "…" after them when it goes on."""
    found = (text or "").split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def current_passages(section: Section) -> dict[str, tuple[Passage, Passage | None]]:
    """Anchor → the passage in the Spanish text and its English twin (None if none)."""
    spanish = passages(section.body_md_es or "")
    english = passages(section.body_md_en or "", section.body_md_es or "")
    twins = {p.anchor: p for p in english}
    return {p.anchor: (p, twins.get(p.anchor)) for p in spanish}


def passage_matrix(
    consultation: Consultation, counted: sa.CTE, filters: ReportFilters
) -> pd.DataFrame:
    """Comments and proposals of new wording per passage × category of the breakdown.

    Counted like the per-section comments: the report's responses (``counted``) and the
    moderation state asked. Ordered by section, then passage as the text reads, earlier
    passages last; each passage's overall row first.
    """
    sections = {s.id: s for s in consultation.sections}
    conditions = [Comment.moderation == filters.moderation] if filters.moderation else []
    rows = db.session.execute(
        sa.select(
            Comment.section_id,
            Comment.anchor,
            counted.c.category,
            sa.func.count(),
            sa.func.count(Comment.proposal),
            sa.func.max(Comment.passage_text),
        )
        .select_from(Comment)
        .join(counted, counted.c.id == Comment.response_id)
        .where(Comment.anchor != "", *conditions)
        .group_by(Comment.section_id, Comment.anchor, counted.c.category)
    ).all()
    rows = [r for r in rows if r[0] in sections]
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    raw = pd.DataFrame(
        [(sections[i].key, a, code(t), n, p) for i, a, t, n, p, _text in rows],
        columns=["section", "anchor", "category", "n", "proposals"],
    )
    counts = with_overall(raw, ["section", "anchor"], ["n", "proposals"])
    read_as = {(sections[i].key, a): text for i, a, _t, _n, _p, text in rows if text}
    described = _described(consultation, set(zip(raw["section"], raw["anchor"], strict=True)),
                           read_as)  # fmt: skip
    frame = counts.merge(described, on=["section", "anchor"], how="left")
    frame["_overall"] = frame["group"] != ALL
    frame = frame.sort_values(["_order", "_overall"], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


def _described(
    consultation: Consultation, found: set[tuple[str, str]], read_as: dict[tuple[str, str], str]
) -> pd.DataFrame:
    """Number, kind and opening words of each passage commented on, with its place."""
    out = []
    for position, section in enumerate(consultation.sections):
        anchors = sorted(a for s, a in found if s == section.key)
        if not anchors:
            continue
        current = current_passages(section)
        for anchor in anchors:
            if anchor in current:
                spanish, english = current[anchor]
                words_en = opening(english.text) if english else ""
                row = (spanish.number, spanish.kind, opening(spanish.text), words_en)
                order = (position, spanish.number)
            else:
                words = opening(read_as.get((section.key, anchor)))
                row, order = (None, EARLIER, words, words), (position, 10**6)
            out.append((section.key, anchor, *row, order))
    frame = pd.DataFrame(
        out, columns=["section", "anchor", "number", "kind", "words_es", "words_en", "_order"]
    )
    frame["number"] = frame["number"].astype("Int64")
    return frame


def passage_label(kind: str | None, number) -> str:
    """A passage as people name it: "paragraph 3", "line 2" or "earlier text"."""
    if kind == PARAGRAPH and number is not None:
        return _("paragraph %(n)s", n=number)
    if kind == ITEM and number is not None:
        return _("line %(n)s", n=number)
    return _("earlier text")
