"""The camps of the demo's respondents and the answers they give.

Real consultations on a strategy split along a few lines, and consult's opinion groups
(``insight/groups``) are there to find them; so each synthetic respondent belongs to one of
three camps, with a mean agreement per section, a ranking of the priority areas and their
own choices, and answers around them with noise:

- **impulso** (innovation first): experimentation, sectors, R&D, international
  cooperation; content with the draft;
- **derechos** (rights and safeguards): governance, societal challenges, data protection;
  wary of experimentation and of AI in the public sector;
- **regiones** (the regions and education): regional clusters and skills; the draft is
  seen from Lima.

Which camp depends on who responds (companies lean to innovation, civil society to rights,
citizens outside Lima to the regions). Keys not listed (another bundle) get the camp's
general mean, so the generator works on any consultation's questions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .shape import Shape

CAMPS = ("impulso", "derechos", "regiones")

#: Mean agreement (1–5) per section key; "" is the camp's default.
AGREEMENT = {
    "impulso": {
        "": 3.8, "2": 4.3, "5-1": 4.6, "5-2": 3.0, "5-4": 4.4, "5-6": 3.0, "5-7": 4.3,
        "5-8": 4.4, "5-9": 4.6, "5-10": 3.8, "6": 3.8,
    },
    "derechos": {
        "": 3.2, "2": 3.0, "5-1": 1.8, "5-2": 4.6, "5-4": 2.9, "5-6": 4.7, "5-7": 3.4,
        "5-8": 2.2, "5-9": 3.3, "5-10": 4.5, "6": 2.0,
    },
    "regiones": {
        "": 3.4, "2": 3.3, "5-1": 3.0, "5-2": 3.2, "5-3": 4.7, "5-5": 4.8, "5-7": 2.3,
        "5-8": 3.4, "5-9": 3.0, "6": 2.3,
    },
}  # fmt: skip
#: The camps' leanings per stakeholder type: shares of impulso, derechos, regiones.
LEANING = {
    "company": (0.72, 0.08, 0.20),
    "business_association": (0.75, 0.05, 0.20),
    "civil_society": (0.10, 0.70, 0.20),
    "trade_union": (0.10, 0.55, 0.35),
    "academia": (0.40, 0.35, 0.25),
    "technical_community": (0.55, 0.30, 0.15),
    "public_sector": (0.45, 0.15, 0.40),
    "international_org": (0.40, 0.45, 0.15),
}
CITIZENS_LIMA = (0.35, 0.40, 0.25)
CITIZENS_REGIONS = (0.15, 0.25, 0.60)
#: Single choice: the camp's likely answers (codes of ENIA's "overall fit"; others: any).
OVERALL = {
    "impulso": {"very-well": 0.25, "well": 0.5, "partly": 0.2, "dont-know": 0.05},
    "derechos": {"well": 0.1, "partly": 0.45, "poorly": 0.35, "not-at-all": 0.1},
    "regiones": {"well": 0.15, "partly": 0.5, "poorly": 0.3, "dont-know": 0.05},
}
#: Multiple choice: the chance of ticking each option (codes of ENIA's "strengthen").
STRENGTHEN = {
    "impulso": {"targets-deadlines": 0.5, "budget-funding": 0.6, "data-infrastructure": 0.6,
                "talent-education": 0.5, "governance": 0.2},
    "derechos": {"ethics-rights": 0.85, "governance": 0.6, "monitoring-evaluation": 0.55,
                 "regional-inclusion": 0.25},
    "regiones": {"regional-inclusion": 0.85, "talent-education": 0.6, "budget-funding": 0.5,
                 "data-infrastructure": 0.35},
}  # fmt: skip
DONT_KNOW = 0.05


@dataclass
class Answers:
    """One respondent's answers: likert points, choice codes, ranked codes."""

    camp: str
    values: dict[str, str]
    choices: dict[str, list[str]]


def camp_of(rng: random.Random, kind: str, region: str | None) -> str:
    """The camp of a respondent of this type and region."""
    if kind in LEANING:
        weights = LEANING[kind]
    else:
        weights = CITIZENS_LIMA if region == "lima_metropolitana" else CITIZENS_REGIONS
    return rng.choices(CAMPS, weights)[0]


def _mean(camp: str, section: str) -> float:
    return AGREEMENT[camp].get(section, AGREEMENT[camp][""])


def _point(rng: random.Random, mean: float) -> str:
    if rng.random() < DONT_KNOW:
        return "dk"
    return str(min(5, max(1, round(rng.gauss(mean, 0.75)))))


def _from(rng: random.Random, mix: dict[str, float], codes: tuple[str, ...]) -> str:
    known = {c: w for c, w in mix.items() if c in codes}
    if not known:
        return rng.choice(codes)
    return rng.choices(list(known), list(known.values()))[0]


def answers(rng: random.Random, shape: Shape, camp: str) -> Answers:
    """A respondent of ``camp``'s answers; each answers part of the questions, as people do."""
    engagement = rng.uniform(0.25, 1.0)
    values: dict[str, str] = {}
    choices: dict[str, list[str]] = {}
    for key, section in shape.likert.items():
        if rng.random() < engagement:
            values[key] = _point(rng, _mean(camp, section))
    for key, codes in shape.single.items():
        if rng.random() < 0.4 + engagement / 2:
            values[key] = _from(rng, OVERALL[camp], codes)
    for key, codes in shape.multiple.items():
        if rng.random() < engagement:
            ticked = [c for c in codes if rng.random() < STRENGTHEN[camp].get(c, 0.12)]
            if ticked:
                choices[key] = ticked
    for key, codes in shape.ranking.items():
        if rng.random() < engagement * 0.8:
            # An option named like a section (ENIA's priority areas "5-1" …) ranks by the
            # camp's agreement with that section.
            scores = {c: _mean(camp, c) + rng.gauss(0, 0.9) for c in codes}
            choices[key] = sorted(codes, key=lambda c: -scores[c])
    return Answers(camp=camp, values=values, choices=choices)
