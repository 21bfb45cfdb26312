"""Opinion groups: respondents who answered the survey alike, as Pol.is finds them in votes.

The input is a respondents × statements matrix of numbers, NaN where a respondent gave no
answer. A statement is an agreement question on a scale centred on its neutral point
(1..5 becomes -2..2; "don't know" is NaN), or one option of a choice question (1 chose it,
0 answered the question without choosing it, NaN did not answer it). A respondent
*agrees* with a statement when the value is above 0: points 4–5 of the scale, or an
option chosen. Shares are always of those who answered the statement.

Steps: standardise each column on its answers; reduce to a few principal components; cluster
with k-means, k chosen by silhouette among 2..max_groups; then describe each group
(distinctive statements) and the whole (consensus and divisive statements). Everything is
seeded, so the same answers give the same groups.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score

#: Fewer respondents than this give no map: groups of a handful of people say nothing.
MIN_RESPONDENTS = 10
#: Respondents who answered fewer questions than this are not placed in any group: a
#: single answer places nobody (Pol.is likewise waits for a few votes).
MIN_ANSWERS = 2
#: A statement everybody in every group agrees with at least this much is a consensus.
CONSENSUS_SHARE = 0.6
#: Principal components kept (at most; fewer when there are fewer statements).
COMPONENTS = 4
#: k is chosen on at most this many respondents; beyond it the chosen k is refined on all
#: with mini-batches, which keeps a million respondents under a minute on two cores.
FIT_SAMPLE = 40_000
#: Respondents the silhouette is measured on (its cost grows with the square).
SILHOUETTE_SAMPLE = 4_000
#: A k whose silhouette is this close to the best one's, with fewer groups, is preferred.
SILHOUETTE_SLACK = 0.01
#: No group smaller than this many respondents, nor than this share of them: a handful
#: of people who answered identically is not an opinion group.
MIN_GROUP = 5
MIN_GROUP_SHARE = 0.02
#: Statements listed per group and as divisive.
TOP = 5
#: A statement whose groups' shares lie closer than this is not divisive.
MIN_SPREAD = 0.2
#: How far (in standard errors) a group's share must stand from the rest's to be listed.
MIN_Z = 2.0


@dataclass
class Group:
    #: 1, 2, … largest first.
    position: int
    size: int
    #: Respondents per stakeholder type code.
    composition: dict[str, int]
    #: {"statement", "group_share", "rest_share", "difference"}, largest difference first.
    distinctive: list[dict[str, Any]]


@dataclass
class OpinionMap:
    #: Each respondent's group position (1..k), in the input's row order; 0 for those who
    #: answered fewer than MIN_ANSWERS questions (in no group).
    labels: np.ndarray
    #: Silhouette of the chosen k (-1..1): how apart the groups stand.
    silhouette: float
    groups: list[Group]
    #: {"statement", "shares": [per group], "overall"}: ≥ CONSENSUS_SHARE in every group.
    consensus: list[dict[str, Any]]
    #: {"statement", "shares": [per group], "spread"}: largest spread between groups first.
    divisive: list[dict[str, Any]]
    #: Statement keys, in the input's column order.
    statements: list[str] = field(default_factory=list)


def likert_values(points: pd.Series) -> pd.Series:
    """Agreement points "1".."5" as -2..2; "don't know" and anything else as missing."""
    return pd.to_numeric(points, errors="coerce").where(lambda v: v.between(1, 5)) - 3


def answering(values: pd.DataFrame, questions: pd.Series | None = None) -> np.ndarray:
    """Which rows answered enough questions (MIN_ANSWERS) to be placed in a group.

    A choice question's options are answered or not together: one column of each question
    (``questions``, by column) is looked at.
    """
    if questions is not None:
        of_column = questions.reindex(values.columns)
        values = values.loc[:, of_column.isna().to_numpy() | ~of_column.duplicated().to_numpy()]
    return values.notna().to_numpy().sum(axis=1) >= MIN_ANSWERS


def prepare(values: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Standardise each column on its answers, missing answers at the column's mean (0).

    Why the mean: a missing answer says nothing, and at 0 it pulls a respondent neither
    way on that statement (Pol.is does the same with a vote not cast). Left at that, people
    who answered little would huddle in the middle of the map; as Pol.is does, each row is
    then scaled by sqrt(statements / answered), so they sit where their answers put them.
    Columns nobody answered, or everybody answered alike, are 0.
    """
    x = np.asarray(values, dtype=np.float32)
    answered = ~np.isnan(x)
    counts = answered.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, np.nansum(x, axis=0) / np.maximum(counts, 1), 0)
        x = np.where(answered, x - means, 0).astype(np.float32)
        spread = np.sqrt((x * x).sum(axis=0) / np.maximum(counts, 1))
    x /= np.where(spread > 0, spread, 1).astype(np.float32)
    if weights is not None:
        x *= np.asarray(weights, dtype=np.float32)[None, :]
    per_row = answered.sum(axis=1)
    x *= np.sqrt(x.shape[1] / np.maximum(per_row, 1)).astype(np.float32)[:, None]
    return x


def question_weights(columns: pd.Index, questions: pd.Series | None) -> np.ndarray | None:
    """1/sqrt(columns of its question) per column: a question's options, together, carry
    the weight of one statement.

    Without it a five-option question would count five times, and its 0/1 columns, which
    split people into neat blocks, would make the clustering find sub-groups by option
    chosen instead of by opinion (the benchmark's planted groups showed it).
    """
    if questions is None:
        return None
    of_column = questions.reindex(columns)
    of_column = of_column.where(of_column.notna(), pd.Series(columns, index=columns))
    per_question = of_column.map(of_column.value_counts())
    return (1 / np.sqrt(per_question.to_numpy(dtype=np.float64))).astype(np.float32)


def _choose_k(reduced: np.ndarray, max_groups: int, seed: int) -> tuple[int, float, np.ndarray]:
    """The fewest groups (2..max_groups) whose clustering of a sample has a silhouette
    within SILHOUETTE_SLACK of the best one's, counting only clusterings whose every
    group holds MIN_GROUP respondents and MIN_GROUP_SHARE of them.

    Why not simply the best: answers on a five-point scale are lumpy ("agree" and
    "strongly agree" make two neat heaps), and a few people who answered identically sit
    at distance 0 from each other, a perfect silhouette; so splitting a camp by intensity,
    or carving out a handful of twins, can score above the camp itself.
    """
    rng = np.random.default_rng(seed)
    n = len(reduced)
    fit_rows = rng.choice(n, FIT_SAMPLE, replace=False) if n > FIT_SAMPLE else np.arange(n)
    fit = reduced[fit_rows]
    scored = (
        rng.choice(len(fit), SILHOUETTE_SAMPLE, replace=False)
        if len(fit) > SILHOUETTE_SAMPLE
        else np.arange(len(fit))
    )
    smallest = max(MIN_GROUP, int(np.ceil(MIN_GROUP_SHARE * len(fit))))
    distinct = len(np.unique(fit, axis=0))
    tried: list[tuple[int, float, np.ndarray]] = []
    for k in range(2, min(max_groups, len(fit) // smallest, distinct) + 1):
        with warnings.catch_warnings():
            # Identical answerers can leave a cluster empty; the checks below refuse that k.
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(fit)
        labels = model.labels_[scored]
        if np.bincount(model.labels_, minlength=k).min() < smallest:
            continue
        if len(np.unique(labels)) < 2:
            continue
        tried.append((k, float(silhouette_score(fit[scored], labels)), model.cluster_centers_))
    if not tried:
        raise ValueError("the answers do not split")
    best = max(score for _k, score, _c in tried)
    return next(t for t in tried if t[1] >= best - SILHOUETTE_SLACK)


def _shares(agree: np.ndarray, answered: np.ndarray, masks: list[np.ndarray]) -> tuple:
    """Per group: agreement counts and answer counts of every statement."""
    agreed = np.stack([agree[m].sum(axis=0) for m in masks]).astype(np.float64)
    counts = np.stack([answered[m].sum(axis=0) for m in masks]).astype(np.float64)
    return agreed, counts


def _share(agreed: np.ndarray, counts: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, agreed / np.maximum(counts, 1), np.nan)


def _round(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 3)


def find_groups(
    values: pd.DataFrame,
    stakeholder_types: pd.Series | None = None,
    *,
    questions: pd.Series | None = None,
    max_groups: int = 6,
    min_respondents: int = MIN_RESPONDENTS,
    seed: int = 0,
) -> OpinionMap | None:
    """Opinion groups of the respondents (rows) over the statements (columns).

    None when too few respondents answered two questions or more (``min_respondents``),
    when there are fewer than 2 statements, or when nobody's answers differ; those who
    answered fewer are in no group (label 0). ``stakeholder_types`` (aligned with the rows)
    gives each group's composition; ``questions`` (by column) names the question each
    column comes from, so that a choice question's options weigh together as much as one
    agreement statement (``question_weights``). ``max_groups`` is capped at 6.
    """
    eligible = answering(values, questions)
    n, p = int(eligible.sum()), values.shape[1]
    if n < max(min_respondents, 3) or p < 2:
        return None
    raw = values.to_numpy(dtype=np.float32, na_value=np.nan)[eligible]
    x = prepare(raw, question_weights(values.columns, questions))
    if not np.any(x):
        return None
    components = min(COMPONENTS, p, n - 1)
    reduced = PCA(n_components=components, random_state=seed, svd_solver="full").fit_transform(x)
    try:
        k, score, centres = _choose_k(reduced, min(max_groups, 6), seed)
    except ValueError:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if n > FIT_SAMPLE:
            refined = MiniBatchKMeans(
                n_clusters=k, init=centres, n_init=1, batch_size=4096, random_state=seed
            )
        else:
            refined = KMeans(n_clusters=k, init=centres, n_init=1, random_state=seed)
        labels = refined.fit(reduced).labels_
    # Positions by size, largest first (ties: the lower label first, so it is stable).
    sizes = np.bincount(labels, minlength=k)
    order = sorted(range(k), key=lambda g: (-sizes[g], g))
    position = np.empty(k, dtype=np.int64)
    position[order] = np.arange(1, k + 1)
    placed = np.zeros(len(values), dtype=np.int64)
    placed[eligible] = position[labels]
    return describe(values, placed, stakeholder_types, silhouette=score)


def describe(
    values: pd.DataFrame,
    labels: np.ndarray,
    stakeholder_types: pd.Series | None = None,
    *,
    silhouette: float = float("nan"),
) -> OpinionMap:
    """Each group's size, composition and distinctive statements; consensus and divisive
    statements across groups. ``labels`` are group positions 1..k, one per row (0: in no
    group, left out of every share)."""
    statements = [str(c) for c in values.columns]
    raw = values.to_numpy(dtype=np.float32, na_value=np.nan)
    answered = ~np.isnan(raw)
    agree = np.nan_to_num(raw, nan=0.0) > 0
    k = int(labels.max())
    masks = [labels == g for g in range(1, k + 1)]
    agreed, counts = _shares(agree, answered, masks)
    shares = _share(agreed, counts)
    total_agreed, total_counts = agreed.sum(axis=0), counts.sum(axis=0)
    overall = _share(total_agreed, total_counts)
    types = None if stakeholder_types is None else np.asarray(stakeholder_types, dtype=object)

    groups = []
    for g, mask in enumerate(masks):
        rest = _share(total_agreed - agreed[g], total_counts - counts[g])
        difference = shares[g] - rest
        # Two-proportion z: a difference among few answers is noise, not a view.
        pooled = overall
        with np.errstate(invalid="ignore", divide="ignore"):
            error = np.sqrt(
                pooled * (1 - pooled) * (1 / counts[g] + 1 / (total_counts - counts[g]))
            )
            z = np.abs(difference) / error
        ranked = [
            j
            for j in np.argsort(-np.nan_to_num(np.abs(difference), nan=-1), kind="stable")
            if not np.isnan(difference[j]) and z[j] >= MIN_Z
        ][:TOP]
        composition: dict[str, int] = {}
        if types is not None:
            kinds, tally = np.unique(types[mask].astype(str), return_counts=True)
            composition = {
                str(c): int(t)
                for c, t in sorted(zip(kinds, tally, strict=True), key=lambda i: -i[1])
            }
        groups.append(
            Group(
                position=g + 1,
                size=int(mask.sum()),
                composition=composition,
                distinctive=[
                    {
                        "statement": statements[j],
                        "group_share": _round(shares[g, j]),
                        "rest_share": _round(rest[j]),
                        "difference": _round(difference[j]),
                    }
                    for j in ranked
                ],
            )
        )

    every = np.all(np.nan_to_num(shares, nan=-1) >= CONSENSUS_SHARE, axis=0)
    consensus = [
        {
            "statement": statements[j],
            "shares": [_round(s) for s in shares[:, j]],
            "overall": _round(overall[j]),
        }
        for j in np.argsort(-np.nan_to_num(overall, nan=-1), kind="stable")
        if every[j]
    ]
    spread = np.nanmax(np.where(counts > 0, shares, -np.inf), axis=0) - np.nanmin(
        np.where(counts > 0, shares, np.inf), axis=0
    )
    spread = np.where(np.isfinite(spread), spread, np.nan)
    divisive = [
        {
            "statement": statements[j],
            "shares": [_round(s) for s in shares[:, j]],
            "spread": _round(spread[j]),
        }
        for j in np.argsort(-np.nan_to_num(spread, nan=-1), kind="stable")
        if spread[j] >= MIN_SPREAD and not every[j]
    ][:TOP]
    return OpinionMap(
        labels=labels,
        silhouette=round(float(silhouette), 4),
        groups=groups,
        consensus=consensus,
        divisive=divisive,
        statements=statements,
    )
