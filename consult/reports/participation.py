"""Who took part: counts of the responses a report counts, by each profile question."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, Comment, Question, Response
from ..models.vocab import AgeBand, Gender, OrganisationSize, Region, RespondingAs, StakeholderType
from .filters import local_day
from .grouping import GROUP_OF, GROUPS


def _count_by(counted: sa.CTE, column: sa.ColumnElement, codes: list[str], name: str):
    rows = db.session.execute(
        sa.select(column, sa.func.count())
        .select_from(Response)
        .join(counted, counted.c.id == Response.id)
        .group_by(column)
    ).all()
    found = {(str(v.value) if hasattr(v, "value") else (v or "not_given")): n for v, n in rows}
    frame = pd.DataFrame({name: codes, "responses": [found.get(code, 0) for code in codes]})
    extra = [code for code in found if code not in codes]
    if extra:
        frame = pd.concat(
            [frame, pd.DataFrame({name: extra, "responses": [found[c] for c in extra]})],
            ignore_index=True,
        )
    return frame


def participation(counted: sa.CTE) -> dict[str, pd.DataFrame]:
    """Who took part: by type, group, individual or organisation, size, region, gender, age;
    per day (and cumulative); how many sections each response covered."""
    by_type = _count_by(
        counted, Response.stakeholder_type, [t.value for t in StakeholderType], "stakeholder_type"
    )
    by_group = (
        by_type.assign(group=by_type["stakeholder_type"].map(GROUP_OF))
        .groupby("group", sort=False)["responses"]
        .sum()
        .reindex(GROUPS, fill_value=0)
        .reset_index()
    )
    organisations = _count_by(
        counted,
        Response.organisation_size,
        [s.value for s in OrganisationSize],
        "organisation_size",
    )
    organisations = organisations[organisations["organisation_size"] != "not_given"]
    day = local_day(Response.submitted_at)
    days = db.session.execute(
        sa.select(day, sa.func.count())
        .select_from(Response)
        .join(counted, counted.c.id == Response.id)
        .group_by(day)
        .order_by(day)
    ).all()
    by_day = pd.DataFrame({"day": [str(d) for d, _ in days], "responses": [n for _, n in days]})
    by_day["cumulative"] = by_day["responses"].cumsum()
    return {
        "stakeholder_type": by_type,
        "group": by_group,
        "responding_as": _count_by(
            counted, Response.responding_as, [r.value for r in RespondingAs], "responding_as"
        ),
        "organisation_size": organisations.reset_index(drop=True),
        "region": _count_by(counted, Response.region, [r.value for r in Region], "region"),
        "gender": _count_by(
            counted, Response.gender, [g.value for g in Gender] + ["not_given"], "gender"
        ),
        "age_band": _count_by(
            counted, Response.age_band, [a.value for a in AgeBand] + ["not_given"], "age_band"
        ),
        "day": by_day,
        "sections_covered": sections_covered(counted),
    }


def sections_covered(counted: sa.CTE) -> pd.DataFrame:
    """How many responses covered 0, 1, 2 … sections (an answer or a comment in it)."""
    touched = sa.union(
        sa.select(Answer.response_id.label("rid"), Question.section_id.label("sid"))
        .join(Question, Question.id == Answer.question_id)
        .where(Question.section_id.is_not(None)),
        sa.select(Comment.response_id.label("rid"), Comment.section_id.label("sid")),
    ).subquery()
    per_response = (
        sa.select(touched.c.rid, sa.func.count().label("sections"))
        .join(counted, counted.c.id == touched.c.rid)
        .group_by(touched.c.rid)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(per_response.c.sections, sa.func.count())
        .group_by(per_response.c.sections)
        .order_by(per_response.c.sections)
    ).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted))
    frame = pd.DataFrame({"sections": [s for s, _ in rows], "responses": [n for _, n in rows]})
    none = total - int(frame["responses"].sum())
    if none:
        frame = pd.concat(
            [pd.DataFrame({"sections": [0], "responses": [none]}), frame], ignore_index=True
        )
    return frame
