"""Opinion groups in the console: the last map a run stored, read-only.

A map is the machine's reading of who answered alike; nobody confirms it, nothing of it is
published. The page says so, and where the groups came from (which run, when).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Consultation, InsightRun, OpinionMap
from ..models.columns import current_language
from ..public.routes import load_consultation
from . import bp


@dataclass(frozen=True)
class Statement:
    """What a stored statement stands for, in the page's language."""

    #: "5.3. Education", or None for a question about the consultation as a whole.
    section: str | None
    prompt: str
    #: The option's label for a choice question's column; None for an agreement question.
    option: str | None


def statement_texts(consultation: Consultation, language: str) -> dict[tuple, Statement]:
    """(question id, option code or None) → its section, prompt and option label, in
    ``language`` (the page's: prompts and titles follow it by themselves)."""
    texts: dict[tuple, Statement] = {}
    for question in consultation.questions:
        section = question.section
        where = f"{section.number}. {section.title}" if section else None
        prompt = question.prompt
        texts[(question.id, None)] = Statement(where, prompt, None)
        for option in question.options or ():
            label = option.get(language) or option.get("es") or option["code"]
            texts[(question.id, option["code"])] = Statement(where, prompt, label)
    return texts


def latest_map(consultation: Consultation) -> OpinionMap | None:
    return db.session.scalar(
        sa.select(OpinionMap)
        .where(OpinionMap.consultation_id == consultation.id)
        .order_by(OpinionMap.created_at.desc(), OpinionMap.id.desc())
        .options(selectinload(OpinionMap.groups))
        .limit(1)
    )


def _described(entries: list[dict[str, Any]], texts: dict[tuple, Statement]) -> list[dict]:
    """Stored entries with their statement's words (a question since deleted: left out)."""
    return [
        {**e, "text": texts[(e["question_id"], e["option"])]}
        for e in entries
        if (e["question_id"], e["option"]) in texts
    ]


@bp.get("/c/<slug>/insight/groups/")
def show_opinion_groups(slug: str):
    """The groups of respondents who answered alike, what sets each apart, and what unites
    and divides them all."""
    consultation = load_consultation(slug)
    opinion_map = latest_map(consultation)
    run = (
        db.session.get(InsightRun, opinion_map.run_id)
        if opinion_map and opinion_map.run_id
        else None
    )
    texts = statement_texts(consultation, current_language())
    groups = []
    if opinion_map is not None:
        for group in opinion_map.groups:
            groups.append(
                {
                    "position": group.position,
                    "size": group.size,
                    "share": group.size / opinion_map.respondents if opinion_map.respondents else 0,
                    "composition": sorted(group.composition.items(), key=lambda i: (-i[1], i[0])),
                    "distinctive": _described(group.distinctive, texts),
                }
            )
    return render_template(
        "console/insight/opinions.html",
        consultation=consultation,
        opinion_map=opinion_map,
        run=run,
        groups=groups,
        consensus=_described(opinion_map.consensus, texts) if opinion_map else [],
        divisive=_described(opinion_map.divisive, texts) if opinion_map else [],
    )
