"""Copies and campaigns: comments that are the same text, nearly the same, or one letter
with personal lines added.

A campaign sends one text through many hands; counting it as many independent comments
misleads, and deleting the copies silences people. So this module only finds them:

- **exact** copies: the same words once case, accents, spacing and punctuation are set
  aside (``text.normalise``);
- **near** copies: the Jaccard similarity of their word shingles (two-word runs) is at
  least ``threshold`` (0.8). Two-word shingles because one changed word then costs two
  shingles of about one per word: single words would ignore order and join distinct
  comments written with the same vocabulary, three-word runs would push a 25-word
  comment with one word changed below 0.8. Candidates come from datasketch's MinHash LSH
  and are confirmed with the real Jaccard of the shingle sets;
- **template** campaigns: a shared passage of at least ``template_share`` (60 %) of the
  shorter text, with personal lines added or changed. The passage is measured as the
  share of the shorter text's three-word runs that the other text holds too (a run of
  three is long enough that scattered common phrases do not add up), and at least
  ``MIN_SHARED`` runs (a passage of about 18 words: a sentence or two) must be shared, so
  that a letter of 30 words copied with a typo, a sentence and a signature added is one
  campaign.

Each text is checked against one text of its cluster, never through another member, so
no chain of small differences can join two distinct comments: first against the
cluster's first text (its leader), then, in a second pass, against the cluster's most
central text, which is the representative shown and what each member's similarity is
measured against; for the template rule, against the passage most of the cluster's
members hold (so that copies of a short letter, each with its own typo, sentence and
signature, stay one campaign). Work is linear in the number of comments: LSH and a
sampled index of passages find the few candidates to check.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .text import normalise

EXACT, NEAR, TEMPLATE = "exact", "near", "template"

#: Fewer words than this and a repeated text is a common phrase ("de acuerdo con la
#: propuesta"), not a campaign.
MIN_WORDS = 8
#: A template's shared passage holds at least this many three-word runs (about 18 words:
#: a sentence or two). The 60 % share is the issue's definition; this floor only keeps a
#: short text from being a "campaign" because it shares one stock sentence with a longer
#: one. It must stay well under a short letter's length: campaign letters run 30 to 40
#: words (28 to 38 runs) and a copy with a typo loses three runs, two copies with different
#: typos six. 16 was chosen that way, not tuned on the benchmark's distinct comments.
MIN_SHARED = 16
#: MinHash size and LSH bands: with 8 bands of 4, a pair at Jaccard 0.8 is a candidate
#: 98.5 % of the time (0.6: 67 %); candidates are checked exactly, so misses cost recall only.
NUM_PERM = 32
BANDS = (8, 4)
#: One in SAMPLE three-word runs is indexed to find template candidates; a candidate
#: must share LEADS of them. Phrases many distinct texts use are no lead (COMMON), so a
#: letter is found by its own runs: 16 of them (a line or two) share fewer than two
#: sampled ones 0.03 % of the time.
SAMPLE = 2
LEADS = 2
#: A sampled run found in more leaders than this is a common phrase, not a lead (a
#: campaign's own runs have one leader or two: its copies join it).
COMMON = 20
#: Members compared with each other to find the most central one.
CENTRE_SAMPLE = 40

_U64 = np.uint64
_MIX = _U64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Cluster:
    """Comments found to be copies of one text."""

    kind: str
    #: The id of the text shown for the cluster (its most central member, earliest copy).
    representative: Hashable
    #: Every member's id, the representative included, in the order given.
    members: tuple[Hashable, ...]
    #: Jaccard similarity of each member's shingles to the representative's (1.0: same).
    similarity: dict[Hashable, float] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class _Texts:
    """The distinct normalised texts, with their shingles as sorted arrays of hashes."""

    ids: list[list[Hashable]]
    words: list[list[str]]
    pairs: list[np.ndarray]
    runs: list[np.ndarray]


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit mixing step (splitmix64's finaliser), wrapping as unsigned integers do."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> _U64(27))) * _U64(0x94D049BB133111EB)
        return values ^ (values >> _U64(31))


def _shingles(
    word_ids: np.ndarray, starts: np.ndarray, lengths: np.ndarray, k: int
) -> list[np.ndarray]:
    """Each text's runs of k words, hashed, as a sorted array of distinct values."""
    with np.errstate(over="ignore"):
        hashed = word_ids.astype(_U64) * _MIX
        for offset in range(1, k):
            shifted = np.zeros_like(hashed)
            shifted[:-offset] = word_ids[offset:].astype(_U64)
            hashed = _mix(hashed ^ (shifted * _MIX + _U64(offset)))
    out = []
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        count = max(length - k + 1, 1)
        out.append(np.unique(hashed[start : start + count]))
    return out


def _distinct_texts(ids: Sequence[Hashable], texts: Sequence[str], min_words: int) -> _Texts:
    by_text: dict[str, list[Hashable]] = {}
    for comment_id, text in zip(ids, texts, strict=True):
        norm = normalise(text)
        if norm.count(" ") + 1 >= max(min_words, 3):
            by_text.setdefault(norm, []).append(comment_id)
    words = [norm.split(" ") for norm in by_text]
    vocabulary: dict[str, int] = {}
    flat = np.fromiter(
        (vocabulary.setdefault(w, len(vocabulary)) for ws in words for w in ws), dtype=np.int64
    )
    lengths = np.fromiter((len(ws) for ws in words), dtype=np.int64, count=len(words))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(words) else lengths
    return _Texts(
        ids=list(by_text.values()),
        words=words,
        pairs=_shingles(flat, starts, lengths, 2),
        runs=_shingles(flat, starts, lengths, 3),
    )


def _signatures(shingle_sets: list[np.ndarray], num_perm: int) -> np.ndarray:
    """MinHash signatures of every set at once, with datasketch's own permutations."""
    a, b = (p.astype(_U64) for p in MinHash(num_perm=num_perm).permutations)
    out = np.empty((len(shingle_sets), num_perm), dtype=np.uint32)
    mask = _U64(0xFFFFFFFF)
    chunk = 4096
    for first in range(0, len(shingle_sets), chunk):
        sets = shingle_sets[first : first + chunk]
        values = (np.concatenate(sets) >> _U64(32)).reshape(-1, 1)
        with np.errstate(over="ignore"):
            permuted = (values * a + b) & mask
        offsets = np.concatenate(([0], np.cumsum([len(s) for s in sets])[:-1]))
        out[first : first + len(sets)] = np.minimum.reduceat(permuted, offsets, axis=0)
    return out


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def _shared(a: np.ndarray, b: np.ndarray) -> tuple[int, float]:
    """Runs both texts hold, and their share of the shorter text's runs."""
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared, shared / min(len(a), len(b))


class _Leaders:
    """The texts others are compared with, indexed: MinHash LSH over their two-word
    shingles (near copies), and a sample of their three-word runs (shared passages)."""

    def __init__(
        self,
        texts: _Texts,
        signatures: np.ndarray,
        threshold: float,
        template_share: float,
        min_passage: int,
    ) -> None:
        self.texts, self.signatures = texts, signatures
        self.threshold, self.template_share, self.min_passage = (
            threshold,
            template_share,
            min_passage,
        )
        self.pair_sizes = np.fromiter((len(p) for p in texts.pairs), dtype=np.int64)
        self.lsh = MinHashLSH(num_perm=signatures.shape[1], params=BANDS)
        self.sketch = MinHash(num_perm=signatures.shape[1])
        self.passages: dict[int, list[int]] = defaultdict(list)
        #: Per leader, the runs a text is matched with by the template rule, when they are
        #: not its own: a cluster's shared passage (``_core``).
        self.own_runs: dict[int, np.ndarray] = {}

    def _lean(self, i: int) -> LeanMinHash:
        self.sketch.hashvalues = self.signatures[i]
        return LeanMinHash(self.sketch)

    def _sampled(self, runs: np.ndarray) -> list[int]:
        if len(runs) < self.min_passage:
            return []
        return runs[runs % _U64(SAMPLE) == 0].tolist()

    def match(self, i: int) -> tuple[int, str]:
        """The leader text ``i`` is a near copy of (the most alike), else the one it shares
        the largest passage with, else -1."""
        texts, threshold = self.texts, self.threshold
        found = self.lsh.query(self._lean(i))
        best, best_j = -1, threshold
        if found:
            # The MinHash estimate only screens candidates (its error at 32 permutations
            # is about 0.07); the real Jaccard decides.
            candidates = np.fromiter(found, dtype=np.int64, count=len(found))
            size, sizes = self.pair_sizes[i], self.pair_sizes[candidates]
            agree = (self.signatures[candidates] == self.signatures[i]).mean(axis=1)
            close = (np.minimum(size, sizes) >= threshold * np.maximum(size, sizes)) & (
                agree >= threshold - 0.25
            )
            for c in candidates[close].tolist():
                j = jaccard(texts.pairs[i], texts.pairs[c])
                if j >= best_j:
                    best, best_j = c, j
        if best >= 0:
            return best, NEAR
        leads: Counter[int] = Counter()
        for run in self._sampled(texts.runs[i]):
            holders = self.passages.get(run)
            if holders is not None and len(holders) <= COMMON:
                leads.update(holders)
        best_share = self.template_share
        for c, count in leads.most_common(4):
            if count < LEADS:
                break
            shared, share = _shared(texts.runs[i], self.own_runs.get(c, texts.runs[c]))
            if shared >= self.min_passage and share >= best_share:
                best, best_share = c, share
        return best, TEMPLATE

    def add(self, i: int, passage: np.ndarray | None = None) -> None:
        """Index text ``i`` as a leader; the template rule matches texts with ``passage``
        (by default its own runs)."""
        self.lsh.insert(i, self._lean(i), check_duplication=False)
        if passage is not None:
            self.own_runs[i] = passage
        for run in self._sampled(self.own_runs.get(i, self.texts.runs[i])):
            holders = self.passages[run]
            if len(holders) <= COMMON:
                holders.append(i)


def _lead(
    texts: _Texts, threshold: float, template_share: float, min_passage: int, num_perm: int
) -> dict[int, list[int]]:
    """Clusters as {centre: members}, each member checked against its centre.

    First pass: in order, each text joins the first text it matches (its leader) or
    becomes a leader. The first text of a campaign may be an odd copy, so a second pass
    puts each cluster's most central text in its place: centres are taken largest
    cluster first (one that matches an earlier centre joins it), then every text joins
    the centre it matches, if any.

    In the second pass the template rule compares a text with its cluster's shared
    passage (the runs most of its members hold) rather than with the centre's own runs:
    when every copy of a short letter has its own typo, sentence and signature, two
    copies share less than 60 % of the shorter one, but each shares most of the letter
    they all hold. The passage is no chain: it holds only what most members share.
    """
    signatures = _signatures(texts.pairs, num_perm)
    first = _Leaders(texts, signatures, threshold, template_share, min_passage)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(texts.words)):
        lead, _ = first.match(i)
        if lead < 0:
            first.add(i)
            lead = i
        groups[lead].append(i)
    found = [m for m in groups.values() if len(m) > 1 or len(texts.ids[m[0]]) > 1]
    found.sort(key=lambda m: -sum(len(texts.ids[i]) for i in m))
    second = _Leaders(texts, signatures, threshold, template_share, min_passage)
    clusters: dict[int, list[int]] = {}
    for members in found:
        centre = _centre(texts, members)
        if second.match(centre)[0] < 0:
            second.add(centre, _core(texts, members, min_passage))
            clusters[centre] = []
    for i in range(len(texts.words)):
        lead = i if i in clusters else second.match(i)[0]
        if lead >= 0:
            clusters[lead].append(i)
    return clusters


def _core(texts: _Texts, members: list[int], min_passage: int) -> np.ndarray | None:
    """The runs more than half the members hold (each weighted by its copies), if that
    passage is long enough to be a template's; else None (the centre's own runs)."""
    if len(members) == 1:
        return None
    step = max(1, len(members) // CENTRE_SAMPLE)
    sample = members[::step][:CENTRE_SAMPLE]
    weights = np.fromiter((len(texts.ids[m]) for m in sample), dtype=np.int64)
    runs = np.concatenate([texts.runs[m] for m in sample])
    values, where = np.unique(runs, return_inverse=True)
    held = np.bincount(where, weights=np.repeat(weights, [len(texts.runs[m]) for m in sample]))
    core = values[held * 2 > weights.sum()]
    return core if len(core) >= min_passage else None


def _centre(texts: _Texts, members: list[int]) -> int:
    """The member most like the others (weighted by its copies), the first on a tie."""
    if len(members) == 1:
        return members[0]
    step = max(1, len(members) // CENTRE_SAMPLE)
    sample = members[::step][:CENTRE_SAMPLE]
    best, best_score = members[0], -1.0
    for m in members:
        score = sum(
            len(texts.ids[o]) * (1.0 if o == m else jaccard(texts.pairs[m], texts.pairs[o]))
            for o in sample
        )
        if score > best_score + 1e-12:
            best, best_score = m, score
    return best


def find_copies(
    comments: pd.DataFrame,
    *,
    threshold: float = 0.8,
    template_share: float = 0.6,
    min_words: int = MIN_WORDS,
    min_passage: int = MIN_SHARED,
    num_perm: int = NUM_PERM,
) -> list[Cluster]:
    """Clusters of copies among ``comments`` (columns ``id`` and ``text``, earliest first).

    Returns the clusters of two comments or more, largest first. Texts shorter than
    ``min_words`` words are left out.
    """
    texts = _distinct_texts(comments["id"].tolist(), comments["text"].tolist(), min_words)
    if not texts.words:
        return []
    groups = _lead(texts, threshold, template_share, min_passage, num_perm)
    clusters = []
    for centre, members in groups.items():
        if sum(len(texts.ids[m]) for m in members) < 2:
            continue
        similarity: dict[Hashable, float] = {}
        all_near = True
        for m in members:
            j = 1.0 if m == centre else jaccard(texts.pairs[m], texts.pairs[centre])
            all_near &= j >= threshold
            for comment_id in texts.ids[m]:
                similarity[comment_id] = round(j, 4)
        kind = EXACT if len(members) == 1 else NEAR if all_near else TEMPLATE
        ids = tuple(i for m in sorted(members) for i in texts.ids[m])
        clusters.append(
            Cluster(
                kind=kind,
                representative=texts.ids[centre][0],
                members=ids,
                similarity=similarity,
            )
        )
    clusters.sort(key=lambda c: -c.size)
    return clusters


# ---------------------------------------------------------------- differences

_TOKEN = re.compile(r"\S+")


def differences(representative: str, copy: str) -> list[tuple[str, str]]:
    """How a copy differs from the representative, word by word, as (operation, text)
    pieces in reading order: "equal", "delete" (in the representative only) and "insert"
    (in the copy only). Words are compared as normalised, shown as written in the copy
    (or, for deletions, in the representative)."""
    old = _TOKEN.findall(representative)
    new = _TOKEN.findall(copy)
    matcher = difflib.SequenceMatcher(
        None, [normalise(w) for w in old], [normalise(w) for w in new], autojunk=False
    )
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(("delete", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", " ".join(new[j1:j2])))
    return pieces
