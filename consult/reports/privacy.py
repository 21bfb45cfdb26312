"""What an open (public) output may show: groups of at least K respondents, never fewer.

Protect by group, not by cell. In every breakdown — a table whose rows are kinds of
respondents (stakeholder type or group, and every other field of the consultation's
profile: region, gender, age band, size, individual or organisation, further questions
such as education; sections covered; each question's results, comments per section
and per passage of a section's text, themes and those who chose to answer each gated
section, by the report's breakdown, whichever field it is) — a kind is shown as its own
row only if at least K of its respondents are counted in that table. Smaller kinds are
pooled into one row, ``other_groups``; if the pool counts fewer than K, the smallest shown
kinds join it until it counts K or more, so the total minus the shown rows never isolates
fewer than K people. A table whose total is below K is not published at all (a question answered by
fewer than K has no rows).

Inside a published row everything is published as it is — counts (small ones too),
shares, means — because they describe a group of K or more, not a person. Days with
fewer than K new responses are merged into the following day; a word is counted only
when K or more published comments use it; a quote names its author's group only when
that group is shown on its own. The frames hold no email and no name but a published
author's, and an open report reads only published text. Who is missing (representation
by region and gender) is read from the opened participation tables: a pooled region shows
its population but no count or index of its own (``representation.opened``).
Confidential reports are not touched by any of this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from .campaigns import open_campaigns
from .frames import Report
from .grouping import ALL, GROUPS_KEY, NOT_GIVEN, categories
from .questions import choice_figures, likert_figures, ranking_figures
from .representation import opened

#: The row that pools the kinds of respondent too few to be shown on their own.
OTHER = "other_groups"
#: A quote's group when its author's group is not shown on its own.
OTHER_ACTOR = "other_actor"
#: Respondents of a table that no row names (a group with answers but no option chosen):
#: they always count in the pool, never on their own.
_UNNAMED = "_unnamed"
_LIKERT_COUNTS = ["n", "1", "2", "3", "4", "5", "dk", "valid"]


def pooled(sizes: Mapping[str, int], k: int, forced: Iterable[str] = ()) -> set[str]:
    """The kinds to pool in one table, given how many respondents each counts there.

    Kinds with 1…k−1 respondents are pooled, and so are the ``forced`` ones (pooled
    elsewhere in the report); while the pool counts 1…k−1, the smallest shown kind joins
    it (ties: the later in ``sizes``, so earlier kinds stay shown). ``_UNNAMED`` is always
    pooled. Kinds with no respondents are never pooled: they show 0, which says nothing
    about anyone.
    """
    forced = set(forced) | {_UNNAMED}
    pool = {kind for kind, n in sizes.items() if n and (n < k or kind in forced)}
    while 0 < sum(sizes[kind] for kind in pool) < k:
        if not _join_smallest(pool, sizes):
            break
    return pool


def _join_smallest(pool: set[str], sizes: Mapping[str, int]) -> bool:
    """Add the smallest shown kind to the pool; False if none is left."""
    order = {kind: i for i, kind in enumerate(sizes)}
    shown = [kind for kind, n in sizes.items() if n > 0 and kind not in pool]
    if not shown:
        return False
    pool.add(min(shown, key=lambda kind: (sizes[kind], -order[kind])))
    return True


@dataclass(frozen=True)
class _Participants:
    """What the participation tables tell an outsider about each group's size.

    A question's respondents of a group are at most its participants: with few groups in
    a pool, that can force a member's share of the pool's answers above zero (6 of a pool
    of two groups of 5 chose it: each group had at least one). ``shown`` are the groups'
    published participants; ``block`` the groups pooled there, ``block_size`` their pool.
    """

    shown: Mapping[str, int]
    block: frozenset[str]
    block_size: int


@dataclass(frozen=True)
class _Breakdown:
    """How to pool one frame: per table (``table`` keys), per kind (``group``)."""

    table: tuple[str, ...]
    #: What else a row is about inside its table (an option, a contribution).
    row: tuple[str, ...]
    #: The counts summed into the pool's row.
    counts: tuple[str, ...]
    #: Those of them that count people choosing something (checked against participants).
    answers: tuple[str, ...]
    #: Respondents per kind are a column repeated on each row (choices, ranking), or the
    #: sum of a count over the kind's rows (likert: one row; comments; themes).
    respondents: str
    repeated: bool = False
    #: How many of these a participant can count for (a comment per section, many themes).
    per_participant: int = 1


_POINT_COUNTS = ("1", "2", "3", "4", "5", "dk")
_BREAKDOWNS = {
    "likert": _Breakdown(("question",), (), tuple(_LIKERT_COUNTS), _POINT_COUNTS, "n"),
    "choices": _Breakdown(("question",), ("option",), ("n",), ("n",), "respondents", repeated=True),
    "ranking": _Breakdown(
        ("question",),
        ("option",),
        ("n", "rank_sum", "top3"),
        ("n", "top3"),
        "respondents",
        repeated=True,
    ),
    # A respondent may comment on a section and on each of its passages: its commenters
    # (repeated on each contribution's row) are the people, not its comments.
    "comments": _Breakdown(
        ("section",),
        ("contribution",),
        ("n", "respondents"),
        ("respondents",),
        "respondents",
        repeated=True,
    ),
    "themes": _Breakdown(("theme",), (), ("n",), ("n",), "n"),
    # One comment per response and passage: a passage's comments are its commenters.
    "passages": _Breakdown(("section", "anchor"), (), ("n", "proposals"), ("n",), "n"),
    "gates": _Breakdown(
        ("section",), (), ("chose_to_answer",), ("chose_to_answer",), "chose_to_answer"
    ),
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


def _pool_rows(rows: pd.DataFrame, spec: _Breakdown, pool: set[str]) -> pd.DataFrame:
    members = rows[rows["group"].isin(pool)]
    keys = list(spec.table + spec.row)
    summed = members.groupby(keys, as_index=False, sort=False, dropna=False)
    return summed[list(spec.counts)].sum()


def _pins_a_member(
    summed: pd.DataFrame,
    spec: _Breakdown,
    pool: set[str],
    sizes: Mapping[str, int],
    who: _Participants,
) -> bool:
    """Whether the pool's answers, beside the participants, say that a member chose one.

    A pooled group outside the participation pool answered at most its participants; if
    a count of the pool exceeds what the other members could hold between them, that
    group must have chosen it. (Members pooled in participation too hold at most their
    pool's size together, which an outsider cannot split among them.)
    """
    per = spec.per_participant
    block = pool & who.block
    units = [(g, who.shown.get(g, sizes[g]) * per) for g in pool - block if g != _UNNAMED]
    capacity = sum(cap for _g, cap in units) + (who.block_size * per if block else 0)
    capacity += sizes.get(_UNNAMED, 0) if _UNNAMED in pool else 0
    most = max((int(summed[c].max()) for c in spec.answers if len(summed)), default=0)
    return any(most > capacity - cap for _g, cap in units)


def _pool_table(
    rows: pd.DataFrame, spec: _Breakdown, k: int, who: _Participants
) -> pd.DataFrame | None:
    """One table's rows as published: kept, pooled, or (below K in all) none.

    Groups pooled in participation are pooled here too (shown here, they would bound the
    participation pool's members); while the pool's answers would pin a member's, the
    smallest shown group joins it.
    """
    total, sizes = _sizes(rows, spec)
    if total < k:
        return None
    pool = pooled(sizes, k, forced=who.block)
    while pool and _pins_a_member(_pool_rows(rows, spec, pool), spec, pool, sizes, who):
        if not _join_smallest(pool, sizes):
            break
    kept = rows[~rows["group"].isin(pool)]
    if not pool or sum(sizes[g] for g in pool) == total:
        return kept  # nothing pooled, or everyone: the "all" row says it
    summed = _pool_rows(rows, spec, pool)
    summed["group"] = OTHER
    if spec.repeated:
        summed[spec.respondents] = sum(sizes[g] for g in pool)
    return pd.concat([kept, summed], ignore_index=True)


def _pool_frame(frame: pd.DataFrame, spec: _Breakdown, k: int, who: _Participants) -> pd.DataFrame:
    """Every table of a frame pooled; derived figures of the pool rows left to the caller."""
    if frame.empty:
        return frame.copy()
    if "rank_sum" in spec.counts:
        frame = frame.assign(rank_sum=(frame["mean_rank"] * frame["n"]).round())
    tables = []
    for _key, rows in frame.groupby(list(spec.table), sort=False):
        published = _pool_table(rows, spec, k, who)
        if published is not None:
            tables.append(published)
    if not tables:
        return frame.iloc[0:0].drop(columns="rank_sum", errors="ignore")
    return pd.concat(tables, ignore_index=True)


def _by_group(report: Report, k: int, who: _Participants) -> dict[str, pd.DataFrame]:
    """Question results, comments, themes and gated sections' bases by group, pooled,
    their figures recomputed."""
    likert = _pool_frame(report.likert, _BREAKDOWNS["likert"], k, who)
    if not likert.empty:
        likert = likert_figures(likert, report.share_base)[report.likert.columns]
    choices = _pool_frame(report.choices, _BREAKDOWNS["choices"], k, who)
    if not choices.empty:
        choices = choice_figures(choices)[report.choices.columns]
    ranking = _pool_frame(report.ranking, _BREAKDOWNS["ranking"], k, who)
    if not ranking.empty:
        options = report.options.groupby("question")["option"].count().to_dict()
        ranking = ranking_figures(ranking, options)[report.ranking.columns]
    sections = max(len(report.sections), 1)
    themes = replace(_BREAKDOWNS["themes"], per_participant=sections)
    return {
        "likert": likert,
        "choices": choices,
        "ranking": ranking,
        "comments": _pool_frame(report.comments, _BREAKDOWNS["comments"], k, who),
        "themes": _pool_frame(report.themes, themes, k, who),
        "passages": _open_passages(report.passages, k, who),
        "gates": _pool_frame(report.gates, _BREAKDOWNS["gates"], k, who),
    }


def _open_passages(frame: pd.DataFrame, k: int, who: _Participants) -> pd.DataFrame:
    """Each passage's table pooled (a passage with fewer than K commenters in all is
    left out, as a section's is), the pool rows named like the passage's own."""
    opened = _pool_frame(frame, _BREAKDOWNS["passages"], k, who)
    if opened.empty:
        return opened
    keys = ["section", "anchor"]
    described = frame[[c for c in frame.columns if c not in ("group", "n", "proposals")]]
    counts = opened[[*keys, "group", "n", "proposals"]]
    merged = counts.merge(described.drop_duplicates(keys), on=keys, how="left")
    return merged[list(frame.columns)]


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


def _type_pool(
    types: pd.DataFrame, group_pool: set[str], k: int, group_of: Mapping[str, str]
) -> set[str]:
    """Stakeholder types to pool, consistent with the groups' pool.

    A type is shown only if its group is; within a shown group, the pooled types count 0
    or K or more (else the group's row minus its shown types would isolate them), the
    smallest shown type of the group joining the pool until they do.
    """
    sizes = {
        str(t): int(n) for t, n in zip(types["stakeholder_type"], types["responses"], strict=True)
    }
    pool = {t for t, n in sizes.items() if n and (group_of.get(t) in group_pool or n < k)}
    for group in {group_of.get(t) for t in sizes} - group_pool:
        members = {t: n for t, n in sizes.items() if group_of.get(t) == group}
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
    """Every participation table pooled: the groups, each field the consultation asks
    (further questions too), the days; sizes after individuals or organisations."""
    frames = report.participation
    group_pool = pooled(_counts(frames[GROUPS_KEY], GROUPS_KEY), k)
    opened = {}
    later = ("organisation_size",)  # needs the opened "responding_as" table
    for name in [n for n in frames if n not in later] + [n for n in later if n in frames]:
        frame = frames[name]
        if name == "day":
            opened[name] = _days(frame, k)
        elif name == GROUPS_KEY:
            opened[name] = _pool_counts(frame, GROUPS_KEY, k, group_pool)
        elif name == "stakeholder_type":
            pool = _type_pool(frame, group_pool, k, report.profile.group_of)
            opened[name] = _pool_counts(frame, "stakeholder_type", k, pool)
        elif name == "organisation_size" and "responding_as" in frames:
            opened[name] = _pool_counts(_with_unsized(frame, frames["responding_as"]), name, k)
            if "organisation" not in _shown(opened["responding_as"], "responding_as"):
                # Their sum would give back the organisations, and so the individuals.
                opened[name] = opened[name].iloc[0:0]
        else:
            opened[name] = _pool_counts(frame, frame.columns[0], k)
    return {name: opened[name] for name in frames}


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


def _participants(report: Report, participation: dict[str, pd.DataFrame]) -> _Participants:
    """What the opened participation table of the report's breakdown tells of each kind.

    Organisations' sizes leave out the individuals, whom a breakdown by size counts as
    "not given": that row is never taken as their number.
    """
    by, total = report.by, int(report.responses)
    frame = participation.get(by)
    if frame is None:
        return _Participants({}, frozenset(), 0)
    shown = {c: n for c, n in _counts(frame, by).items() if c != OTHER}
    if by == "organisation_size":
        shown.pop(NOT_GIVEN, None)
    pooled_size = total - sum(shown.values())
    kinds = {*categories(report.profile, by), NOT_GIVEN}
    block = frozenset(kinds - set(shown)) if pooled_size else frozenset()
    return _Participants(shown, block, pooled_size)


def open_report(report: Report, k: int) -> Report:
    """The open version of a report computed for the "open" audience (input untouched)."""
    if report.audience != "open":
        raise ValueError("compute the report with audience='open' before opening it")
    participation = _participation(report, k)
    who = _participants(report, participation)
    responses = report.responses if report.responses >= k or not report.responses else f"<{k}"
    return replace(
        report,
        responses=responses,
        participation=participation,
        quotes=_quotes(report.quotes, participation),
        terms=report.terms[report.terms["comments_using"] >= k].reset_index(drop=True),
        min_cell=k,
        representation=opened(report.representation, participation),
        campaigns=open_campaigns(report.campaigns, k, pooled),
        **_by_group(report, k, who),
    )
