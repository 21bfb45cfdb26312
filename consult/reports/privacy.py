"""What an open (public) output may show: groups of at least K respondents, never fewer.

Protect by group, not by cell. In every breakdown — a table whose rows are kinds of
respondents (stakeholder type or group, region, gender, age band, size, individual or
organisation, sections covered; each question's results by group; comments per section
by group; themes by group) — a kind is shown as its own row only if at least K of its
respondents are counted in that table. Smaller kinds are pooled into one row,
``other_groups``; if the pool counts fewer than K, the smallest shown kinds join it until
it counts K or more, so the total minus the shown rows never isolates fewer than K
people. A table whose total is below K is not published at all (a question answered by
fewer than K has no rows).

Inside a published row everything is published as it is — counts (small ones too),
shares, means — because they describe a group of K or more, not a person. Days with
fewer than K new responses are merged into the following day; a word is counted only
when K or more published comments use it; a quote names its author's group only when
that group is shown on its own. The frames hold no email and no name but a published
author's, and an open report reads only published text. Confidential reports are not
touched by any of this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from .frames import Report
from .grouping import ALL, GROUP_OF
from .questions import choice_figures, likert_figures, ranking_figures

#: The row that pools the kinds of respondent too few to be shown on their own.
OTHER = "other_groups"
#: A quote's group when its author's group is not shown on its own.
OTHER_ACTOR = "other_actor"
#: Respondents of a table that no row names (a group with answers but no option chosen):
#: they always count in the pool, never on their own.
_UNNAMED = "_unnamed"
_LIKERT_COUNTS = ["n", "1", "2", "3", "4", "5", "dk", "valid"]


def pooled(sizes: Mapping[str, int], k: int) -> set[str]:
    """The kinds to pool in one table, given how many respondents each counts there.

    Kinds with 1…k−1 respondents are pooled; while the pool counts 1…k−1, the smallest
    shown kind joins it (ties: the later in ``sizes``, so earlier kinds stay shown).
    ``_UNNAMED`` is always pooled. Kinds with no respondents are never pooled: they
    show 0, which says nothing about anyone.
    """
    pool = {kind for kind, n in sizes.items() if 0 < n < k or (kind == _UNNAMED and n)}
    order = {kind: i for i, kind in enumerate(sizes)}
    while 0 < sum(sizes[kind] for kind in pool) < k:
        shown = [kind for kind, n in sizes.items() if n > 0 and kind not in pool]
        if not shown:
            break
        pool.add(min(shown, key=lambda kind: (sizes[kind], -order[kind])))
    return pool


@dataclass(frozen=True)
class _Breakdown:
    """How to pool one frame: per table (``table`` keys), per kind (``group``)."""

    table: tuple[str, ...]
    #: What else a row is about inside its table (an option, a contribution).
    row: tuple[str, ...]
    #: The counts summed into the pool's row.
    counts: tuple[str, ...]
    #: Respondents per kind are a column repeated on each row (choices, ranking), or the
    #: sum of a count over the kind's rows (likert: one row; comments; themes).
    respondents: str
    repeated: bool = False


_BREAKDOWNS = {
    "likert": _Breakdown(("question",), (), tuple(_LIKERT_COUNTS), "n"),
    "choices": _Breakdown(("question",), ("option",), ("n",), "respondents", repeated=True),
    "ranking": _Breakdown(
        ("question",), ("option",), ("n", "rank_sum", "top3"), "respondents", repeated=True
    ),
    "comments": _Breakdown(("section",), ("contribution",), ("n",), "n"),
    "themes": _Breakdown(("theme",), (), ("n",), "n"),
}


def _sizes(rows: pd.DataFrame, spec: _Breakdown) -> tuple[int, dict[str, int]]:
    """The table's respondents in all, and per kind (with ``_UNNAMED`` for the rest)."""
    per_kind = rows.groupby("group", sort=False)[spec.respondents]
    counted = per_kind.first() if spec.repeated else per_kind.sum()
    total = int(counted.get(ALL, 0))
    sizes = {str(g): int(n) for g, n in counted.items() if g != ALL}
    unnamed = total - sum(sizes.values())
    if unnamed > 0:
        sizes[_UNNAMED] = unnamed
    return total, sizes


def _pool_table(rows: pd.DataFrame, spec: _Breakdown, k: int) -> pd.DataFrame | None:
    """One table's rows as published: kept, pooled, or (below K in all) none."""
    total, sizes = _sizes(rows, spec)
    if total < k:
        return None
    pool = pooled(sizes, k)
    kept = rows[~rows["group"].isin(pool)]
    if not pool or sum(sizes[g] for g in pool) == total:
        return kept  # nothing pooled, or everyone: the "all" row says it
    members = rows[rows["group"].isin(pool)]
    summed = members.groupby(list(spec.table + spec.row), as_index=False, sort=False)[
        list(spec.counts)
    ].sum()
    summed["group"] = OTHER
    if spec.repeated:
        summed[spec.respondents] = sum(sizes[g] for g in pool)
    return pd.concat([kept, summed], ignore_index=True)


def _pool_frame(frame: pd.DataFrame, spec: _Breakdown, k: int) -> pd.DataFrame:
    """Every table of a frame pooled; derived figures of the pool rows left to the caller."""
    if frame.empty:
        return frame.copy()
    if "rank_sum" in spec.counts:
        frame = frame.assign(rank_sum=(frame["mean_rank"] * frame["n"]).round())
    tables = []
    for _key, rows in frame.groupby(list(spec.table), sort=False):
        published = _pool_table(rows, spec, k)
        if published is not None:
            tables.append(published)
    if not tables:
        return frame.iloc[0:0].drop(columns="rank_sum", errors="ignore")
    return pd.concat(tables, ignore_index=True)


def _by_group(report: Report, k: int) -> dict[str, pd.DataFrame]:
    """Question results, comments and themes by group, pooled, their figures recomputed."""
    likert = _pool_frame(report.likert, _BREAKDOWNS["likert"], k)
    if not likert.empty:
        likert = likert_figures(likert)[report.likert.columns]
    choices = _pool_frame(report.choices, _BREAKDOWNS["choices"], k)
    if not choices.empty:
        choices = choice_figures(choices)[report.choices.columns]
    ranking = _pool_frame(report.ranking, _BREAKDOWNS["ranking"], k)
    if not ranking.empty:
        options = report.options.groupby("question")["option"].count().to_dict()
        ranking = ranking_figures(ranking, options)[report.ranking.columns]
    return {
        "likert": likert,
        "choices": choices,
        "ranking": ranking,
        "comments": _pool_frame(report.comments, _BREAKDOWNS["comments"], k),
        "themes": _pool_frame(report.themes, _BREAKDOWNS["themes"], k),
    }


# ---------------------------------------------------------------- participation


def _counts(frame: pd.DataFrame, key: str) -> dict[str, int]:
    return {str(c): int(n) for c, n in zip(frame[key], frame["responses"], strict=True)}


def _with_unsized(sizes: pd.DataFrame, responding_as: pd.DataFrame) -> pd.DataFrame:
    """Organisations by size, with those that gave none as "not_given": the organisations
    row minus the sizes would count them anyway, so they are pooled like any kind."""
    organisations = _counts(responding_as, "responding_as").get("organisation", 0)
    unsized = organisations - int(sizes["responses"].sum())
    if unsized <= 0:
        return sizes
    extra = pd.DataFrame({"organisation_size": ["not_given"], "responses": [unsized]})
    return pd.concat([sizes, extra], ignore_index=True)


def _pool_counts(
    frame: pd.DataFrame, key: str, k: int, pool: Iterable[str] | None = None
) -> pd.DataFrame:
    """A participation breakdown (``key``, ``responses``) with its small kinds pooled."""
    sizes = _counts(frame, key)
    if 0 < sum(sizes.values()) < k:
        return frame.iloc[0:0]
    pool = set(pool) if pool is not None else pooled(sizes, k)
    if not pool:
        return frame.reset_index(drop=True)
    kept = frame[~frame[key].astype(str).isin(pool)]
    other = pd.DataFrame({key: [OTHER], "responses": [sum(sizes[c] for c in pool)]})
    return pd.concat([kept, other], ignore_index=True)


def _type_pool(types: pd.DataFrame, group_pool: set[str], k: int) -> set[str]:
    """Stakeholder types to pool, consistent with the groups' pool.

    A type is shown only if its group is; within a shown group, the pooled types count 0
    or K or more (else the group's row minus its shown types would isolate them), the
    smallest shown type of the group joining the pool until they do.
    """
    sizes = {
        str(t): int(n) for t, n in zip(types["stakeholder_type"], types["responses"], strict=True)
    }
    pool = {t for t, n in sizes.items() if n and (GROUP_OF.get(t) in group_pool or n < k)}
    for group in {GROUP_OF.get(t) for t in sizes} - group_pool:
        members = {t: n for t, n in sizes.items() if GROUP_OF.get(t) == group}
        while 0 < sum(members[t] for t in members if t in pool) < k:
            shown = [t for t, n in members.items() if n and t not in pool]
            if not shown:
                break
            pool.add(min(shown, key=lambda t: members[t]))
    return pool


def _days(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """Responses per day, a day with fewer than K merged into the following one (the last
    ones into the day before), with ``since``, the first day of each merged row."""
    rows: list[dict] = []
    since, count = None, 0
    for day, n in zip(frame["day"], frame["responses"], strict=True):
        since = since or day
        count += int(n)
        if count >= k:
            rows.append({"day": day, "since": since, "responses": count})
            since, count = None, 0
    if count and rows:
        rows[-1]["day"] = frame["day"].iloc[-1]
        rows[-1]["responses"] += count
    merged = pd.DataFrame(rows, columns=["day", "since", "responses"])
    merged["cumulative"] = merged["responses"].cumsum()
    return merged


def _participation(report: Report, k: int) -> dict[str, pd.DataFrame]:
    frames = report.participation
    groups = frames["group"]
    group_sizes = {
        str(g): int(n) for g, n in zip(groups["group"], groups["responses"], strict=True)
    }
    group_pool = pooled(group_sizes, k)
    opened = {}
    for name, frame in frames.items():
        if name == "day":
            opened[name] = _days(frame, k)
        elif name == "group":
            opened[name] = _pool_counts(frame, "group", k, group_pool)
        elif name == "stakeholder_type":
            pool = _type_pool(frame, group_pool, k)
            opened[name] = _pool_counts(frame, "stakeholder_type", k, pool)
        elif name == "organisation_size":
            opened[name] = _pool_counts(_with_unsized(frame, frames["responding_as"]), name, k)
        else:
            opened[name] = _pool_counts(frame, frame.columns[0], k)
    return opened


def _shown(frame: pd.DataFrame, key: str) -> set[str]:
    return set(frame[key].astype(str)) - {OTHER}


def _quotes(quotes: pd.DataFrame, participation: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each quote's group and type only where shown on their own; else "other actor"."""
    if quotes.empty:
        return quotes.copy()
    groups = _shown(participation["group"], "group")
    types = _shown(participation["stakeholder_type"], "stakeholder_type")
    out = quotes.copy()
    out["group"] = [g if g in groups else OTHER_ACTOR for g in out["group"]]
    if "stakeholder_type" in out:
        out["stakeholder_type"] = [
            t if t in types else None for t in out["stakeholder_type"].astype(object)
        ]
    return out


def open_report(report: Report, k: int) -> Report:
    """The open version of a report computed for the "open" audience (input untouched)."""
    if report.audience != "open":
        raise ValueError("compute the report with audience='open' before opening it")
    participation = _participation(report, k)
    responses = report.responses if report.responses >= k or not report.responses else f"<{k}"
    return replace(
        report,
        responses=responses,
        participation=participation,
        quotes=_quotes(report.quotes, participation),
        terms=report.terms[report.terms["comments_using"] >= k].reset_index(drop=True),
        min_cell=k,
        **_by_group(report, k),
    )
