"""Suggested themes against known topics, and their speed on 100,000 comments.

Quality: on the lead's labelled corpus (``corpus.labelled_comments``: Spanish comments on
ten topics that share vocabulary), the model sees only the texts; its dominant-topic
assignment (a comment no suggestion holds is a group of its own, -1) is compared with the
labels by the adjusted Rand index (target ≥ 0.6), on several corpus seeds.

Recovered topics: a topic is recovered when one suggestion holds at least half of its
comments and those comments are at least half of that suggestion; the share of topics
recovered is reported (no target in the issue; 1.0 is every topic found as one theme).

Speed: 100,000 comments (the corpus's texts) → suggestions, timed on this machine, both
in one section and spread over 16 sections as a run meets them (one model per section);
target ≤ 60 s on 2 cores for each; peak memory of the process by getrusage (≤ 2 GB). The
database reads and the one transaction that stores the suggestions are not timed here.

    python benchmarks/insight/themes.py
"""

from __future__ import annotations

import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from corpus import labelled_comments  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from consult.insight import themes as topic_model  # noqa: E402

QUALITY_SIZE = 2_000
QUALITY_SEEDS = (0, 1, 2)
SPEED_SIZE = 100_000
#: The sections 100,000 comments are spread over (about as many as the bundled draft has).
SECTIONS = 16
TARGET_ARI = 0.6
TARGET_SECONDS = 60.0
TARGET_MEMORY_MB = 2048.0


def recovered(labels: list[str], assignment) -> dict[str, bool]:
    """Per topic: one suggestion holds ≥ 50 % of its comments, and they are ≥ 50 % of it."""
    sizes = Counter(int(a) for a in assignment if a >= 0)
    found = {}
    for topic in sorted(set(labels)):
        held = Counter(int(a) for a, t in zip(assignment, labels, strict=True) if t == topic)
        held.pop(-1, None)
        total = sum(1 for t in labels if t == topic)
        found[topic] = any(
            n >= 0.5 * total and n >= 0.5 * sizes[suggestion] for suggestion, n in held.items()
        )
    return found


def quality(seed: int) -> dict:
    rows = labelled_comments(QUALITY_SIZE, seed=seed)
    texts, labels = [t for t, _ in rows], [topic for _, topic in rows]
    started = time.perf_counter()
    result = topic_model.suggest(texts, max_themes=12)
    seconds = time.perf_counter() - started
    topics = recovered(labels, result.assignment)
    return {
        "comments": len(texts),
        "topics": len(topics),
        "suggestions": len(result.suggestions),
        "adjusted_rand_index": round(adjusted_rand_score(labels, result.assignment), 3),
        "topics_recovered": round(sum(topics.values()) / len(topics), 3),
        "unassigned": int((result.assignment < 0).sum()),
        "seconds": round(seconds, 2),
    }


def speed() -> dict:
    """100,000 comments in one section, and spread over SECTIONS sections as a run
    finds them (one model per section, each choosing its own number of themes)."""
    texts = [t for t, _ in labelled_comments(SPEED_SIZE, seed=7)]
    started = time.perf_counter()
    result = topic_model.suggest(texts, max_themes=12)
    one = time.perf_counter() - started
    size = len(texts) // SECTIONS
    started = time.perf_counter()
    found = sum(
        len(topic_model.suggest(texts[i * size : (i + 1) * size], max_themes=12).suggestions)
        for i in range(SECTIONS)
    )
    spread = time.perf_counter() - started
    return {
        "comments": len(texts),
        "one_section_suggestions": len(result.suggestions),
        "one_section_seconds": round(one, 1),
        "sections": SECTIONS,
        "per_section_suggestions": found,
        "per_section_seconds": round(spread, 1),
        "seconds_met": max(one, spread) <= TARGET_SECONDS,
    }


def main() -> dict:
    runs = {f"seed_{seed}": quality(seed) for seed in QUALITY_SEEDS}
    for name, figures in runs.items():
        print(f"themes quality {name}: {figures}", flush=True)
    worst = min(r["adjusted_rand_index"] for r in runs.values())
    figures = {
        "quality": runs,
        "adjusted_rand_index_min": worst,
        "adjusted_rand_index_met": worst >= TARGET_ARI,
        "topics_recovered_mean": round(
            sum(r["topics_recovered"] for r in runs.values()) / len(runs), 3
        ),
        "speed": speed(),
    }
    print(f"themes speed: {figures['speed']}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_memory_mb"] = round(peak)
    figures["peak_memory_met"] = peak <= TARGET_MEMORY_MB

    def verdict(met: bool) -> str:
        return "met" if met else "MISSED"

    print(
        f"themes: adjusted Rand index (worst of {len(runs)} corpora) {worst} "
        f"(target ≥ {TARGET_ARI}: {verdict(figures['adjusted_rand_index_met'])}); "
        f"topics recovered {figures['topics_recovered_mean']:.0%}; "
        f"100,000 comments in {figures['speed']['one_section_seconds']} s in one section, "
        f"{figures['speed']['per_section_seconds']} s over {SECTIONS} sections "
        f"(target ≤ {TARGET_SECONDS:.0f} s: {verdict(figures['speed']['seconds_met'])}); "
        f"peak memory {figures['peak_memory_mb']} MB "
        f"(target ≤ {TARGET_MEMORY_MB:.0f} MB: {verdict(figures['peak_memory_met'])})",
        flush=True,
    )
    return figures


if __name__ == "__main__":
    main()
