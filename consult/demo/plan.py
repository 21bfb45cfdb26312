"""The whole demo as data: who responded, what they answered and wrote, what moderators
did with it. A pure function of (shape, N, seed, now): ``writing`` only stores it.

Every moderation state is there: most comments published, a share waiting, some refused
(spam, off-topic, offensive, personal data, duplicate) and some published with personal
data redacted. About one in sixteen submitted responses is a copy of the campaign letter.
Some decisions on comments carry their reasons. A few drafts and withdrawn responses
come on top of the N submitted ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import opinions, people, texts
from .shape import Shape

#: Share of submitted responses that send the campaign letter (at least a handful).
CAMPAIGN_SHARE = 1 / 16
MIN_CAMPAIGN = 6
#: Drafts and withdrawn responses, over the N submitted.
DRAFT_SHARE, WITHDRAWN_SHARE = 0.03, 0.02
#: Chance a respondent comments at all, and how many sections they comment on.
COMMENTING, MAX_SECTIONS = 0.6, 3
#: Fates of an ordinary comment: (state, reason), with their shares.
FATES = (
    (("published", None), 0.575),
    (("pending", None), 0.22),
    (("redacted", None), 0.05),
    (("rejected", "off_topic"), 0.05),
    (("rejected", "spam"), 0.04),
    (("rejected", "offensive"), 0.02),
    (("rejected", "personal_data"), 0.03),
    (("rejected", "duplicate"), 0.015),
)
#: Sections people comment on most (others: weight 1).
POPULAR = {"5-3": 5, "5-5": 4, "5-10": 4, "2": 3, "5-6": 3, "5-8": 3, "6": 2, "7": 2}
#: Share of published comments with a decision and its reason.
DECIDED = 0.12


@dataclass
class DemoComment:
    section: str
    text: str
    moderation: str = "pending"
    rejection_reason: str | None = None
    redacted_text: str | None = None
    contribution: str | None = None
    decision: str | None = None
    decision_reason: str | None = None
    themes: list[str] = field(default_factory=list)
    campaign: bool = False

    @property
    def public_text(self) -> str:
        return self.redacted_text or self.text


@dataclass
class DemoResponse:
    person: people.Person
    status: str
    answers: opinions.Answers
    comments: list[DemoComment]
    #: Free-text answers: question key -> text.
    texts: dict[str, str] = field(default_factory=dict)
    withdrawn_at: datetime | None = None


@dataclass
class DemoPlan:
    responses: list[DemoResponse]

    @property
    def submitted(self) -> list[DemoResponse]:
        return [r for r in self.responses if r.status == "submitted"]

    def comments(self) -> list[DemoComment]:
        return [c for r in self.responses for c in r.comments]


def _fate(rng: random.Random) -> tuple[str, str | None]:
    return rng.choices([f for f, _ in FATES], [w for _, w in FATES])[0]


def _ordinary(
    rng: random.Random, shape: Shape, section: str, number: int, earlier: dict[str, str]
) -> DemoComment:
    """An ordinary comment and its fate; a duplicate repeats an earlier one (``earlier``:
    the last comment written on each section), as someone who sends twice does."""
    state, reason = _fate(rng)
    note = DemoComment(section=section, text=texts.comment(rng, section))
    if reason == "duplicate" and section in earlier:
        note.text = earlier[section]
    earlier[section] = note.text
    if state == "redacted":
        note.text, note.redacted_text = texts.with_personal_data(rng, note.text, number)
        state = "published"
    elif reason == "personal_data":
        note.text, _ = texts.with_personal_data(rng, note.text, number)
    elif reason in ("spam", "off_topic", "offensive"):
        note.text = texts.refused(rng, reason)
    note.moderation, note.rejection_reason = state, reason
    if shape.contributions and rng.random() < 0.6:
        note.contribution = rng.choice(shape.contributions)
    return note


def _decide(rng: random.Random, note: DemoComment) -> None:
    if note.moderation == "published" and not note.campaign and rng.random() < DECIDED:
        note.decision = rng.choice(list(texts.REASONS))
        note.decision_reason = texts.REASONS[note.decision]


def _comments(
    rng: random.Random,
    shape: Shape,
    person: people.Person,
    number: int,
    campaign: bool,
    earlier: dict[str, str],
) -> list[DemoComment]:
    sections = list(shape.sections)
    found: list[DemoComment] = []
    if campaign:
        section = texts.CAMPAIGN_SECTION if texts.CAMPAIGN_SECTION in sections else sections[0]
        where = person.region.replace("_", " ").title() if person.region else "mi región"
        note = DemoComment(section=section, text=texts.campaign_copy(rng, where), campaign=True)
        note.moderation = "published" if rng.random() < 0.7 else "pending"
        found.append(note)
        sections.remove(section)
    elif sections and rng.random() < COMMENTING:
        weights = [POPULAR.get(s, 1) for s in sections]
        wanted = rng.randint(1, MAX_SECTIONS)
        chosen: list[str] = []
        while len(chosen) < min(wanted, len(sections)):
            pick = rng.choices(sections, weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        found = [_ordinary(rng, shape, s, number, earlier) for s in chosen]
    for note in found:
        if note.moderation != "rejected":
            note.themes = texts.themes_of(note.public_text)
        _decide(rng, note)
    return found


def _free_texts(rng: random.Random, shape: Shape) -> dict[str, str]:
    """Some respondents also answer an open question, briefly."""
    written = {}
    for key, section in shape.texts.items():
        if rng.random() < 0.08:
            written[key] = texts.comment(rng, section or "")
    return written


def plan_demo(shape: Shape, count: int, seed: int, now: datetime) -> DemoPlan:
    """``count`` submitted responses (plus a few drafts and withdrawn ones), as data."""
    rng = random.Random(seed)
    regions = people.region_weights(shape.regions)
    drafts = max(1, round(count * DRAFT_SHARE))
    withdrawn = max(1, round(count * WITHDRAWN_SHARE))
    total = count + drafts + withdrawn
    kinds = people.stakeholder_types(rng, shape, count)
    kinds += [rng.choice(shape.stakeholder_types) for _ in range(total - count)]
    times = people.moments(rng, shape, total, now)
    statuses = ["submitted"] * count + ["draft"] * drafts + ["withdrawn"] * withdrawn
    order = list(range(total))
    rng.shuffle(order)
    campaign = set(
        rng.sample(range(count), min(count, max(MIN_CAMPAIGN, round(count * CAMPAIGN_SHARE))))
    )
    responses = []
    earlier: dict[str, str] = {}
    for number in range(total):
        person = people.person(rng, shape, regions, kinds[number], number, times[order[number]])
        in_campaign = number in campaign
        if in_campaign and person.region == "lima_metropolitana":  # the regions' letter
            person.region = rng.choice([r for r in regions if r != "lima_metropolitana"])
        camp = (
            "regiones"
            if in_campaign
            else opinions.camp_of(rng, person.stakeholder_type, person.region)
        )
        response = DemoResponse(
            person=person,
            status=statuses[number],
            answers=opinions.answers(rng, shape, camp),
            comments=_comments(rng, shape, person, number, in_campaign, earlier),
            texts=_free_texts(rng, shape),
        )
        if response.status == "withdrawn":
            response.withdrawn_at = min(
                now, person.submitted_at + timedelta(days=rng.randint(1, 6))
            )
        responses.append(response)
    return DemoPlan(responses)
