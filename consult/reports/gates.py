"""Gated sections in the report: how many counted respondents chose to answer each one.

A gated section asks "Do you want to answer this section?" before its questions; a "no"
keeps nothing of the section, so its results are those of the people who said yes. That
count is the section's base, given beside its results, overall and per group.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..models import Consultation, GateAnswer
from .grouping import ALL, code, with_overall

COLUMNS = ["section", "group", "chose_to_answer"]


def gate_matrix(consultation: Consultation, counted: sa.CTE) -> pd.DataFrame:
    """Per gated section: the counted respondents who chose to answer it, overall and by
    the report's breakdown (``group``).

    Every gated section has its overall row, 0 when nobody chose it.
    """
    gated = {s.id: s.key for s in consultation.sections if s.gated}
    if not gated:
        return pd.DataFrame(columns=COLUMNS)
    rows = db.session.execute(
        sa.select(GateAnswer.section_id, counted.c.category, sa.func.count())
        .select_from(GateAnswer)
        .join(counted, counted.c.id == GateAnswer.response_id)
        .where(GateAnswer.section_id.in_(list(gated)), GateAnswer.wants.is_(True))
        .group_by(GateAnswer.section_id, counted.c.category)
    ).all()
    raw = pd.DataFrame(
        [(gated[i], code(c), n) for i, c, n in rows],
        columns=["section", "category", "chose_to_answer"],
    )
    frame = with_overall(raw, ["section"], ["chose_to_answer"])
    nobody = [key for key in gated.values() if key not in set(frame["section"])]
    if nobody:
        zeros = pd.DataFrame({"section": nobody, "group": ALL, "chose_to_answer": 0})
        frame = pd.concat([frame, zeros], ignore_index=True) if len(frame) else zeros
    order = {key: i for i, key in enumerate(gated.values())}
    frame = frame.assign(_order=frame["section"].map(order), _all=frame["group"] != ALL)
    frame = frame.sort_values(["_order", "_all", "group"], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)
