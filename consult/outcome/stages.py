"""A consultation's stages: which one it is in, what happens next, and an admin's moves.

A person decides the stage (``Consultation.stage``): in preparation, running, in analysis,
outcome published. While running, the dates still open and close it, so what the public
sees (``shown``) is worked out from both, at the moment asked; nothing runs on a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Consultation, User
from ..models.columns import utcnow
from ..models.vocab import ConsultationStatus, Stage
from ..responding.changes import note_public_change
from ..reviewing import audit


class Shown(StrEnum):
    """The stage as people read it: the decided stage, with running split by the dates."""

    PREPARATION = "preparation"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    ANALYSIS = "analysis"
    OUTCOME = "outcome"

    @property
    def label(self) -> str:
        return str(_SHOWN_LABELS[self])


_SHOWN_LABELS = {
    Shown.PREPARATION: _l("In preparation"),
    Shown.UPCOMING: _l("Not open yet"),
    Shown.OPEN: _l("Open for responses"),
    Shown.CLOSED: _l("Closed for responses"),
    Shown.ANALYSIS: _l("In analysis"),
    Shown.OUTCOME: _l("Outcome published"),
}

_BY_DATES = {
    ConsultationStatus.UPCOMING: Shown.UPCOMING,
    ConsultationStatus.OPEN: Shown.OPEN,
    ConsultationStatus.CLOSED: Shown.CLOSED,
}


def shown(consultation: Consultation, now: datetime | None = None) -> Shown:
    """The stage people see now: the decided one, or, while running, the dates' verdict."""
    if consultation.stage is Stage.RUNNING:
        return _BY_DATES[consultation.status(now)]
    return Shown(consultation.stage.value)


@dataclass(frozen=True)
class NextStep:
    """What happens next, and when if a date says so (naive UTC)."""

    text: str
    at: datetime | None = None


def next_step(consultation: Consultation, now: datetime | None = None) -> NextStep | None:
    """What happens next for this consultation; None once the outcome is published."""
    now = now or utcnow()
    stage = shown(consultation, now)
    if stage is Shown.PREPARATION:
        if consultation.opens_at > now:
            return NextStep(
                str(_l("It will be published and open for responses on")), consultation.opens_at
            )
        return NextStep(str(_l("It will be published and open for responses soon.")))
    if stage is Shown.UPCOMING:
        return NextStep(str(_l("It opens for responses on")), consultation.opens_at)
    if stage is Shown.OPEN:
        return NextStep(str(_l("It closes for responses on")), consultation.closes_at)
    if stage in (Shown.CLOSED, Shown.ANALYSIS):
        return NextStep(str(_l("The responses will be analysed and the outcome published.")))
    return None


#: Allowed moves: forward through the stages and back one step.
MOVES: frozenset[tuple[Stage, Stage]] = frozenset(
    {
        (Stage.PREPARATION, Stage.RUNNING),
        (Stage.RUNNING, Stage.PREPARATION),
        (Stage.RUNNING, Stage.ANALYSIS),
        (Stage.ANALYSIS, Stage.OUTCOME),
        (Stage.OUTCOME, Stage.ANALYSIS),
        (Stage.ANALYSIS, Stage.RUNNING),
    }
)


class StageRefused(Exception):
    """A move the rules do not allow; its message is for the person who asked."""


def targets(consultation: Consultation) -> list[Stage]:
    """The stages it may move to from where it is (before the dates are checked)."""
    return [to for to in Stage if (consultation.stage, to) in MOVES]


def check_move(consultation: Consultation, to: Stage, now: datetime | None = None) -> None:
    """Raise ``StageRefused`` with a reason a person understands if the move is not allowed."""
    now = now or utcnow()
    if (consultation.stage, to) not in MOVES:
        raise StageRefused(
            _l(
                "A consultation cannot go from “%(before)s” to “%(after)s”.",
                before=consultation.stage.label,
                after=to.label,
            )
        )
    if consultation.stage is Stage.PREPARATION and to is Stage.RUNNING:
        _refuse_if_unfinished(consultation)
    if (
        to is Stage.ANALYSIS
        and consultation.stage is Stage.RUNNING
        and now < consultation.closes_at
    ):
        raise StageRefused(
            _l("It can go into analysis only once it has closed for responses, by its dates.")
        )


def _refuse_if_unfinished(consultation: Consultation) -> None:
    """A consultation opens only with a section to read, and once every text is written in
    every language it offers."""
    from ..authoring.texts import missing_translations  # authoring imports this module

    if not consultation.sections:
        raise StageRefused(
            _l("It cannot open without a section: write at least one in the console first.")
        )

    missing = missing_translations(consultation)
    where = "/console/c/" + consultation.slug + "/edit/translations"
    if missing:
        raise StageRefused(
            _l(
                "It cannot open while %(num)d texts lack a language. The console lists them"
                " under “Translations” (%(where)s).",
                num=len(missing),
                where=where,
            )
        )


def move(consultation: Consultation, to: Stage, actor: User, now: datetime | None = None) -> None:
    """Move it to another stage: one transaction with one audit entry, or ``StageRefused``."""
    now = now or utcnow()
    check_move(consultation, to, now)
    before = consultation.stage
    consultation.stage = to
    consultation.stage_changed_at = now
    audit.record(
        actor,
        "consultation.stage",
        "consultation",
        consultation.id,
        before={"stage": before.value},
        after={"stage": to.value},
    )
    note_public_change(db.session)
    db.session.commit()
