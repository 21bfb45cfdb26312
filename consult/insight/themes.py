"""Suggested themes: what many comments talk about, found by a topic model.

Each comment becomes its lemmas (``lemmas``), weighted by TF-IDF over single lemmas and
two-lemma phrases; non-negative matrix factorisation (NMF) splits that matrix into topics
whose terms are readable and whose weights per comment say how much of it each topic
explains. NMF rather than LDA: on short texts it gives cleaner topics, is deterministic
with a fixed seed, and scales to 100,000 comments in seconds.

How many themes: the number whose grouping of the comments (each to its dominant topic)
has the best silhouette in TF-IDF space (``choose_k``), at most ``max_themes`` and at most
one per ``min_size`` comments. A stability score (agreement of refits on subsamples) was
tried first and dropped: on comments whose topics nest (ten topics in three families) it
was as high for the three families as for the ten topics, and chose three.

What a coordinator reads is what people wrote: the model works on lemmas, but a theme's
terms, phrases and label show each lemma as the word its comments used most ("datos" for
*dato*) and each phrase as the most frequent run of original words between and including
its two lemmas ("capacitar a los docentes" for *capacitar docente*), counted over the
theme's strongest comments (``Wording``). Matching a theme with one decided before goes by
``signature``: the lemmas of its shown terms, the same whichever forms were shown.

Everything here is a suggestion for a person to accept, rename, merge, split or reject.
"""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from .lemmas import SENTENCE_BREAK, language, lemmas, lemmatised, sentences

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

#: A comment belongs to its dominant topic when that topic holds this share of its weight.
MEMBER_SHARE = 0.3
#: Comments the number of themes is chosen on (the final fit uses them all).
SAMPLE = 1500
#: Refits on subsamples per candidate number of themes (stability).
REFITS = 3
#: From this many sampled comments, only the CANDIDATES best separated numbers are refitted.
PRUNE_FROM = 500
CANDIDATES = 5
#: Convergence of the models that only choose the number of themes.
QUICK = 1e-3
#: A theme's strongest comments whose words show its lemmas and phrases.
WORDING_FROM = 200
#: The longest run of original words a two-lemma phrase is shown as (three lemmas: +2).
SPAN = 4


@dataclass
class Suggestion:
    """One suggested theme: its label, words, members and quotes (indices of the input).

    ``terms`` and ``phrases`` are the top ones as people wrote them (``Wording``), strongest
    first; ``signature(terms)`` brings them back to lemmas.
    """

    label: str
    terms: list[str]
    phrases: list[str]
    #: (index of the comment, its weight in this theme: the share of the comment it explains).
    members: list[tuple[int, float]]
    #: 3–5 indices of representative comments, from different respondents.
    quotes: list[int]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class Themes:
    suggestions: list[Suggestion]
    #: Per comment, the suggestion it belongs to (-1: none).
    assignment: np.ndarray
    #: The score of each number of themes tried (``choose_k``).
    scores: dict[int, float] = field(default_factory=dict)


def _terms(document: str) -> list[str]:
    """A lemmatised text's lemmas and its two-lemma phrases within each sentence."""
    terms: list[str] = []
    for sentence in document.split(SENTENCE_BREAK):
        tokens = sentence.split()
        terms += tokens
        terms += [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    return terms


def _matrix(documents: Sequence[str]) -> tuple[csr_matrix, np.ndarray] | None:
    """TF-IDF of lemmas and two-lemma phrases; None when nothing is left to weigh."""
    many = len(documents) >= 20
    vectorizer = TfidfVectorizer(
        analyzer=_terms,
        min_df=2 if many else 1,
        max_df=0.5 if many else 1.0,
        max_features=20_000,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # empty vocabulary
        return None
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _nmf(matrix: csr_matrix, k: int, seed: int, tol: float = 1e-4) -> tuple[np.ndarray, NMF]:
    """The comments' topic weights (W) and the fitted model (its topics' terms, H)."""
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=300, tol=tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # Its reconstruction error (unused here) is the square root of a difference that
        # rounding can make slightly negative on tiny, exact data: a warning, not a fault.
        warnings.simplefilter("ignore", RuntimeWarning)
        weights = model.fit_transform(matrix)
    return weights, model


def choose_k(matrix: csr_matrix, cap: int, seed: int = 0) -> tuple[int, dict[int, float]]:
    """The number of themes (2..cap) whose grouping of the comments is both well separated
    and stable: the product of two scores.

    Every (sampled) comment joins its dominant topic. Separation: the silhouette of that
    grouping in TF-IDF space (cosine), how much closer a comment is to its own theme's
    comments than to the next theme's. Stability: the mean adjusted Rand index between that
    grouping and the groupings of models fitted on 80 % subsamples with other seeds (on the
    comments of each subsample). Either alone misleads: the silhouette keeps rising on a
    few dozen comments as near-identical pairs part, and nested topics (ten in three
    families) are as stable at three as at ten. Returns the number and the scores.
    """
    rng = np.random.default_rng(seed)
    worded = np.flatnonzero(matrix.getnnz(axis=1))
    if len(worded) > SAMPLE:
        worded = np.sort(rng.choice(worded, SAMPLE, replace=False))
    matrix = matrix[worded]
    matrix = matrix[:, np.flatnonzero(matrix.getnnz(axis=0))]  # terms the sample uses
    rows = matrix.shape[0]
    subsets = [np.sort(rng.choice(rows, int(rows * 0.8), replace=False)) for _ in range(REFITS)]
    separation: dict[int, float] = {}
    groups: dict[int, np.ndarray] = {}
    for k in range(2, cap + 1):
        groups[k] = _nmf(matrix, k, seed, QUICK)[0].argmax(axis=1)
        if len(np.unique(groups[k])) > 1:
            score = silhouette_score(matrix, groups[k], metric="cosine", random_state=seed)
            separation[k] = float(score)
    if not separation:
        return 2, {}
    # On many comments the refits cost most: only the best separated numbers are refitted.
    candidates = sorted(separation, key=lambda k: -separation[k])
    if rows >= PRUNE_FROM:
        candidates = candidates[:CANDIDATES]
    scores: dict[int, float] = {}
    for k in candidates:
        agreement = [  # on the comments both models saw
            adjusted_rand_score(
                groups[k][subset], _nmf(matrix[subset], k, seed + n + 1, QUICK)[0].argmax(axis=1)
            )
            for n, subset in enumerate(subsets)
        ]
        scores[k] = round(separation[k] * float(np.mean(agreement)), 4)
    return max(scores, key=lambda k: (scores[k], -k)), scores


def _quotes(
    members: list[tuple[int, float]], texts: Sequence[str], respondents: Sequence[Hashable]
) -> list[int]:
    """Up to five of the most typical comments, one per respondent, readable length first."""
    ranked = sorted(members, key=lambda m: (not 40 <= len(texts[m[0]]) <= 600, -m[1], m[0]))
    seen: set[Hashable] = set()
    quotes = []
    for index, _weight in ranked:
        if respondents[index] in seen:
            continue
        seen.add(respondents[index])
        quotes.append(index)
        if len(quotes) == 5:
            break
    return quotes


class Wording:
    """How some comments wrote lemmas and runs of lemmas: each shown as its most frequent
    original form (lower-cased, accents kept; ties: the shorter, then alphabetical).

    A run (lemmas adjacent once stop words are left out, within a sentence) is shown as the
    words from its first to its last, stop words included, when they are at most ``SPAN``
    (+2 per further lemma): "capacitar a los docentes"; two lemmas further apart, as the
    two words. Only the ``wanted`` runs are counted.
    """

    def __init__(self, texts: Iterable[str], wanted: Iterable[tuple[str, ...]]) -> None:
        self.words: dict[str, Counter[str]] = defaultdict(Counter)
        self.spans: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        wanted = set(wanted)
        sizes = sorted({len(run) for run in wanted if len(run) > 1})
        for text in texts:
            for said, kept in sentences(text):
                for n, (first, base) in enumerate(kept):
                    self.words[base][said[first]] += 1
                    for size in sizes:
                        run = kept[n : n + size]
                        key = tuple(b for _, b in run)
                        if len(run) < size or key not in wanted:
                            continue
                        last = run[-1][0]
                        if last - first < SPAN + 2 * (size - 2):
                            self.spans[key][" ".join(said[first : last + 1])] += 1
                        elif size == 2:
                            self.spans[key][f"{said[first]} {said[last]}"] += 1

    @staticmethod
    def _best(counts: Counter[str] | None) -> str | None:
        if not counts:
            return None
        return min(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]

    def word(self, lemma: str) -> str:
        """A lemma as written most often (the lemma itself when never seen)."""
        return self._best(self.words.get(lemma)) or lemma

    def span(self, run: Sequence[str]) -> str | None:
        """A run of lemmas as written most often; None when never seen together."""
        if len(run) == 1:
            return self.word(run[0])
        return self._best(self.spans.get(tuple(run)))

    def phrase(self, phrase: str) -> str:
        """A two-lemma phrase as written ("dato personal" → "datos personales")."""
        run = phrase.split()
        return self.span(run) or " ".join(self.word(w) for w in run)


def signature(terms: Iterable[str]) -> set[str]:
    """The lemmas of some shown terms: what tells a theme found again from a new one,
    whichever forms of its words were shown (terms stored as lemmas give themselves)."""
    terms = [t for t in terms if t]
    lang = language(" ".join(terms)) if terms else None
    return {base for term in terms for base in lemmas(term, lang)}


def _chunks(phrases: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    """The top four two-lemma phrases, overlapping ones read as one run of at most three
    lemmas ("alto rendimiento" after "cómputo alto": "cómputo alto rendimiento"); each
    with the phrase it started from."""
    chunks: list[tuple[list[str], list[str]]] = []
    for phrase in phrases[:4]:
        first, last = phrase.split()
        for chunk, _ in chunks:
            if {first, last} <= set(chunk):
                break
            if len(chunk) < 3 and chunk[-1] == first and last not in chunk:
                chunk.append(last)
                break
            if len(chunk) < 3 and chunk[0] == last and first not in chunk:
                chunk.insert(0, first)
                break
        else:
            chunks.append(([first, last], [first, last]))
    return chunks


def label_of(
    terms: Sequence[str],
    phrases: Sequence[str],
    wording: Callable[[Sequence[str]], str | None] | None = None,
) -> str:
    """A short label from the top lemma phrases (or terms): a coordinator may rename it.

    The first two chunks of phrases (``_chunks``) that share no lemma, each shown by
    ``wording`` (``Wording.span``: as people wrote it; a chunk never written as one run,
    as the phrase it started from) or as lemmas without it; first letter capitalised, at
    most 120 characters. Function words may repeat ("protección de datos, acceso a
    internet"); content words do not.
    """
    shown: list[str] = []
    used: set[str] = set()
    for chunk, start in _chunks(phrases):
        if used & set(chunk):
            continue
        text = " ".join(chunk)
        if wording is not None:
            text = wording(chunk) or wording(start) or " ".join(start)
        shown.append(text)
        used |= set(chunk)
        if len(shown) == 2:
            break
    if not shown:
        shown = [" · ".join((wording([t]) if wording else None) or t for t in terms[:3])]
    label = ", ".join(shown)
    return (label[:1].upper() + label[1:])[:120].rstrip() or "—"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _describe(
    components: np.ndarray,
    weights: np.ndarray,
    features: np.ndarray,
    texts: Sequence[str],
    respondents: Sequence[Hashable],
    min_size: int,
) -> Themes:
    totals = weights.sum(axis=1)
    dominant = weights.argmax(axis=1)
    share = weights[np.arange(len(weights)), dominant] / np.where(totals == 0, 1, totals)
    belongs = (totals > 0) & (share >= MEMBER_SHARE)
    is_phrase = np.char.find(features.astype(str), " ") >= 0
    suggestions: list[Suggestion] = []
    assignment = np.full(len(texts), -1)
    order = np.argsort(-np.bincount(dominant[belongs], minlength=len(components)), kind="stable")
    for topic in order:
        index = np.flatnonzero(belongs & (dominant == topic))
        if len(index) < min_size:
            continue
        ranked = np.argsort(-components[topic], kind="stable")
        ranked = ranked[components[topic][ranked] > 0]
        terms = [str(features[i]) for i in ranked if not is_phrase[i]][:10]
        phrases = [str(features[i]) for i in ranked if is_phrase[i]][:5]
        members = sorted(
            ((int(i), round(float(share[i]), 4)) for i in index), key=lambda m: (-m[1], m[0])
        )
        wanted = [tuple(p.split()) for p in phrases] + [tuple(c) for c, _ in _chunks(phrases)]
        wording = Wording((texts[i] for i, _ in members[:WORDING_FROM]), wanted)
        assignment[index] = len(suggestions)
        suggestions.append(
            Suggestion(
                label=label_of(terms, phrases, wording.span),
                terms=_unique(wording.word(t) for t in terms),
                phrases=_unique(wording.phrase(p) for p in phrases),
                members=members,
                quotes=_quotes(members, texts, respondents),
            )
        )
    return Themes(suggestions, assignment)


def suggest(
    texts: Sequence[str],
    respondents: Sequence[Hashable] | None = None,
    *,
    max_themes: int = 12,
    min_size: int = 3,
    seed: int = 0,
    k: int | None = None,
) -> Themes:
    """Suggested themes of some comments (``k`` fixes their number instead of choosing it).

    ``respondents`` says who wrote each text, so a theme's quotes come from different
    people; by default every text has its own author.
    """
    respondents = list(range(len(texts))) if respondents is None else list(respondents)
    # One BLAS thread: the models are many small products, and OpenBLAS's threads spin
    # against each other and every other process (ten times slower on a busy machine).
    with threadpool_limits(limits=1, user_api="blas"):
        return _suggest(texts, respondents, max_themes, min_size, seed, k)


def _suggest(
    texts: Sequence[str],
    respondents: list[Hashable],
    max_themes: int,
    min_size: int,
    seed: int,
    k: int | None,
) -> Themes:
    nothing = Themes([], np.full(len(texts), -1))
    documents = lemmatised(texts)
    worded = sum(1 for d in documents if d)
    if worded < 2:
        return nothing
    built = _matrix(documents)
    if built is None:
        return nothing
    matrix, features = built
    cap = max(1, min(max_themes, worded // min_size, matrix.shape[1]))
    scores: dict[int, float] = {}
    if k is None:
        k, scores = choose_k(matrix, cap, seed) if cap >= 2 else (1, {})
    k = max(1, min(k, matrix.shape[0], matrix.shape[1]))
    weights, model = _nmf(matrix, k, seed)
    themes = _describe(model.components_, weights, features, texts, respondents, min_size)
    themes.scores = scores
    return themes


def split(
    texts: Sequence[str], respondents: Sequence[Hashable] | None = None, *, seed: int = 0
) -> Themes:
    """One theme's comments in two (a 2-topic model on them alone)."""
    return suggest(texts, respondents, k=2, min_size=1, seed=seed)
