"""Who is missing, as printable tables: one per field compared (region, gender), for the
report pages and the console's "who is missing" page, with the index in words beside
the number so that no colour has to carry it."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..insight.representation import (
    IN_PROPORTION,
    NO_RESPONSE,
    OVER,
    OVER_REPRESENTED,
    POOLED,
    UNDER,
    UNDER_REPRESENTED,
    Comparison,
)
from ..models.profile import Profile
from .charts import Table
from .grouping import FIELD_NAMES
from .labels import category_label
from .representation import NOT_COMPARED

#: The index in words (``insight.representation.verdict``).
VERDICTS = {
    NO_RESPONSE: _l("no response"),
    UNDER_REPRESENTED: _l("under-represented"),
    IN_PROPORTION: _l("roughly in proportion"),
    OVER_REPRESENTED: _l("over-represented"),
}
CAPTIONS = {
    "region": _l("Responses by region against the population"),
    "gender": _l("Responses by gender against the census"),
}


def verdict_words(verdict: str) -> str:
    """A verdict code of the downloads (``representation.representation_frame``) in words."""
    if verdict == POOLED:
        return _("counted in “Other groups”")
    if verdict == NOT_COMPARED:
        return _("not compared")
    return str(VERDICTS[verdict])


def verdict_label(verdict: str, k: int | None = None) -> str:
    if verdict == POOLED:
        if k:
            return _("fewer than %(k)s responses: counted in “Other groups”", k=k)
        return _("not published")
    return str(VERDICTS[verdict])


def bands() -> list[tuple[str, str]]:
    """What each word means, for the explanation beside the tables."""
    under, over = format_decimal(UNDER), format_decimal(OVER)
    return [
        (str(VERDICTS[NO_RESPONSE]), _("nobody responded (index 0)")),
        (str(VERDICTS[UNDER_REPRESENTED]), _("index below %(under)s", under=under)),
        (
            str(VERDICTS[IN_PROPORTION]),
            _("index from %(under)s to %(over)s", under=under, over=over),
        ),
        (str(VERDICTS[OVER_REPRESENTED]), _("index above %(over)s", over=over)),
    ]


def representation_table(comparison: Comparison, profile: Profile, k: int | None = None) -> Table:
    """One field's comparison, most under-represented first."""
    key = comparison.field_key
    rows = [
        (
            category_label(profile, key, row["code"]),
            [
                row["responses"],
                row["response_share"],
                row["population_share"],
                row["index"],
                verdict_label(row["verdict"], k),
            ],
        )
        for row in comparison.table.to_dict("records")
    ]
    name = str(FIELD_NAMES.get(key, key))
    caption = str(CAPTIONS.get(key, _("Responses by %(field)s against the population", field=name)))
    return Table(
        caption,
        [
            name,
            _("Responses"),
            _("Share of responses"),
            _("Share of population"),
            _("Index"),
            _("In words"),
        ],  # fmt: skip
        rows,
        ["count", "percent1", "percent1", "decimal", "text"],
        note=_note(comparison, profile, k),
    )


def _note(comparison: Comparison, profile: Profile, k: int | None) -> str:
    key = comparison.field_key
    note = _(
        "Shares of responses are of the %(n)s respondents in one of these categories."
        " Population: %(source)s.",
        n=comparison.base,
        source=comparison.source or _("the consultation's own table"),
    )
    if comparison.others:
        others = ", ".join(
            f"{category_label(profile, key, code)} {n}" for code, n in comparison.others.items()
        )
        note += " " + _("Not compared (not in the population table): %(others)s.", others=others)
    if k and POOLED in set(comparison.table["verdict"]):
        note += " " + _(
            "Respondents counted in “Other groups” are in that number whatever their category."
        )
    return note


def representation_tables(
    comparisons: Mapping[str, Comparison], profile: Profile, k: int | None = None
) -> list[Table]:
    return [representation_table(c, profile, k) for c in comparisons.values()]
