"""Opinion groups: are planted groups found again, and how fast at a million respondents?

Synthetic answers: GROUPS groups of unequal size, each with its own agreement profile over
STATEMENTS statements on the 1..5 scale (as -2..2) and two single-choice questions (one
column per option), answered with noise (a respondent's point is the group's point plus
a normal error, rounded and clipped to the scale) and about 20 % of answers missing.

* quality: ``insight.groups.find_groups`` on 20,000 respondents, adjusted Rand index of
  the groups found against the planted ones (target ≥ 0.8), and whether k was found;
* speed: 1,000,000 respondents through ``find_groups`` (target ≤ 60 s on the two cores),
  with the peak resident memory of the process (``ru_maxrss``).

    python benchmarks/insight/groups.py [--respondents 1000000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from consult.insight.groups import find_groups  # noqa: E402

GROUPS = 4
STATEMENTS = 20
CHOICES = ((3, "q-choice-a"), (4, "q-choice-b"))
MISSING = 0.2
NOISE = 0.9
SEED = 15
QUALITY_RESPONDENTS = 20_000
SPEED_RESPONDENTS = 1_000_000
ARI_TARGET = 0.8
SECONDS_TARGET = 60.0


def synthetic(
    respondents: int, seed: int = SEED
) -> tuple[pd.DataFrame, np.ndarray, pd.Series, pd.Series]:
    """Answers of ``respondents`` people in GROUPS planted groups, their true groups, a
    stakeholder type per person (drawn with a different mix per group), and the question
    of each column."""
    rng = np.random.default_rng(seed)
    weights = np.array([0.4, 0.3, 0.2, 0.1])[:GROUPS]
    truth = rng.choice(GROUPS, size=respondents, p=weights / weights.sum())
    # Each group's point on each statement; a few statements every group agrees with.
    profiles = rng.integers(-2, 3, size=(GROUPS, STATEMENTS)).astype(np.float32)
    profiles[:, :3] = rng.integers(1, 3, size=(GROUPS, 3))
    points = profiles[truth] + rng.normal(0, NOISE, size=(respondents, STATEMENTS))
    columns = {f"s{j + 1:02d}": np.clip(np.rint(points[:, j]), -2, 2) for j in range(STATEMENTS)}
    for options, key in CHOICES:
        favourite = rng.integers(0, options, size=GROUPS)
        # 70 % choose their group's favourite, the others any option.
        chosen = np.where(
            rng.random(respondents) < 0.7,
            favourite[truth],
            rng.integers(0, options, size=respondents),
        )
        for o in range(options):
            columns[f"{key}:{o}"] = (chosen == o).astype(np.float32)
    frame = pd.DataFrame({k: np.asarray(v, dtype=np.float32) for k, v in columns.items()})
    missing = rng.random(frame.shape) < MISSING
    # A choice question is missing whole (all its options), as when it is not answered.
    for options, key in CHOICES:
        cols = [frame.columns.get_loc(f"{key}:{o}") for o in range(options)]
        missing[:, cols] = missing[:, cols[:1]]
    frame = frame.mask(missing)
    kinds = np.array(["academia", "company", "civil_society", "individual", "public_sector"])
    mixes = rng.dirichlet(np.ones(len(kinds)), size=GROUPS)
    types = np.array([rng.choice(kinds, p=mixes[g]) for g in truth[:2000]])
    types = pd.Series(np.resize(types, respondents))
    questions = pd.Series({c: c.split(":")[0] for c in frame.columns})
    return frame, truth, types, questions


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(respondents: int = QUALITY_RESPONDENTS) -> dict:
    frame, truth, types, questions = synthetic(respondents)
    found = find_groups(frame, types, questions=questions)
    assert found is not None
    return {
        "respondents": respondents,
        "planted_groups": GROUPS,
        "groups_found": len(found.groups),
        "silhouette": found.silhouette,
        "adjusted_rand_index": round(float(adjusted_rand_score(truth, found.labels)), 4),
        "consensus_statements": len(found.consensus),
    }


def speed(respondents: int = SPEED_RESPONDENTS) -> dict:
    frame, _truth, types, questions = synthetic(respondents, seed=SEED + 1)
    started = time.perf_counter()
    found = find_groups(frame, types, questions=questions)
    seconds = time.perf_counter() - started
    return {
        "respondents": respondents,
        "seconds": round(seconds, 2),
        "groups_found": len(found.groups) if found else 0,
        "peak_memory_mb": round(_peak_mb(), 1),
    }


def main(respondents: int = SPEED_RESPONDENTS) -> dict:
    """Measure, print and return the figures, with whether each target is met."""
    found = quality()
    timed = speed(respondents)
    figures = {
        "quality": found,
        "ari_target": ARI_TARGET,
        "ari_met": found["adjusted_rand_index"] >= ARI_TARGET,
        "speed": timed,
        "seconds_target": SECONDS_TARGET,
        "speed_met": timed["seconds"] <= SECONDS_TARGET,
    }
    print(
        f"opinion groups: {found['groups_found']} of {GROUPS} planted groups found in "
        f"{found['respondents']:,} respondents, adjusted Rand index "
        f"{found['adjusted_rand_index']:.3f} (target ≥ {ARI_TARGET}: "
        f"{'met' if figures['ari_met'] else 'NOT met'}), silhouette {found['silhouette']:.3f}"
    )
    print(
        f"opinion groups: {timed['respondents']:,} respondents in {timed['seconds']:.1f} s "
        f"(target ≤ {SECONDS_TARGET:.0f} s: {'met' if figures['speed_met'] else 'NOT met'}), "
        f"peak memory {timed['peak_memory_mb']:.0f} MB"
    )
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=SPEED_RESPONDENTS)
    main(parser.parse_args().respondents)
