"""The comments on passages shaped into one printable table, for the web pages.

One row per passage commented on (``passages.passage_matrix``): its section's number, its
label ("paragraph 3"), opening words in the page's language, anchor, then the comments by
each category of the report's breakdown, the total and how many propose new wording.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..models.columns import current_language
from .charts import Table
from .frames import Report
from .grouping import ALL
from .passages import passage_label
from .tables import breakdown_of, records


def passage_table(report: Report, *, by_group: bool = True) -> Table | None:
    """Comments on each passage, by category of the breakdown (``by_group``) and in all;
    None when no passage has comments (or, in an open report, none has K commenters)."""
    rows = records(report.passages)
    if not rows:
        return None
    by = breakdown_of(report)
    groups = [g for g in by.order(rows) if g != ALL] if by_group else []
    numbers = dict(zip(report.sections["section"], report.sections["number"], strict=True))
    words = "words_en" if current_language() == "en" else "words_es"
    counts = {(r["section"], r["anchor"], r["group"]): r for r in rows}
    lines = []
    for r in rows:
        if r["group"] != ALL:
            continue
        key = (r["section"], r["anchor"])
        per_group = [counts[(*key, g)]["n"] if (*key, g) in counts else 0 for g in groups]
        lines.append(
            (
                str(numbers.get(r["section"], r["section"])),
                [
                    passage_label(r["kind"], r["number"]),
                    r[words] or r["words_es"] or "",
                    r["anchor"],
                    *per_group,
                    r["n"],
                    r["proposals"],
                ],
            )
        )
    note = _(
        "Comments on one paragraph or line of a section's text; the comments on each"
        " section count them too. A passage is numbered in the current text; “earlier"
        " text” is a passage the text no longer has."
    )
    if report.min_cell is not None:
        left_out = _(
            "A passage commented on by fewer than %(k)s respondents is not listed.",
            k=report.min_cell,
        )
        note = f"{note} {left_out}"
    if by_group and not by.is_groups:
        caption = _("Comments on passages, by: %(breakdown)s", breakdown=by.header)
    else:
        caption = _("Comments on passages")
    return Table(
        caption,
        [
            _("Section"),
            _("Passage"),
            _("Opening words"),
            _("Anchor"),
            *[by.label(g) for g in groups],
            _("Total"),
            _("Proposing wording"),
        ],
        lines,
        ["text", "text", "text", *["count"] * len(groups), "count", "count"],
        note=note,
    )
