"""Who took part: counts of the responses a report counts, by each profile question."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, Comment, Question, Response
from ..models.vocab import AgeBand, Gender, OrganisationSize, Region, RespondingAs, StakeholderType
from .filters import local_day
from .grouping import GROUP_OF, GROUPS

#: The profile columns counted in one GROUP BY (a pass over the responses, not six).
PROFILE = {
    "stakeholder_type": Response.stakeholder_type,
    "responding_as": Response.responding_as,
    "organisation_size": Response.organisation_size,
    "region": Response.region,
    "gender": Response.gender,
    "age_band": Response.age_band,
}


def _profile_counts(counted: sa.CTE) -> pd.DataFrame:
    """Responses per combination of the profile columns, as stored codes."""
    rows = db.session.execute(
        sa.select(*PROFILE.values(), sa.func.count())
        .select_from(Response)
        .join(counted, counted.c.id == Response.id)
        .group_by(*PROFILE.values())
    ).all()
    return pd.DataFrame(
        [[_code(v) for v in row[:-1]] + [row[-1]] for row in rows],
        columns=[*PROFILE, "responses"],
    )


def _code(value) -> str:
    return str(value.value) if hasattr(value, "value") else (value or "not_given")


def _count_by(counts: pd.DataFrame, codes: list[str], name: str) -> pd.DataFrame:
    found = counts.groupby(name, sort=False)["responses"].sum().to_dict()
    frame = pd.DataFrame({name: codes, "responses": [int(found.get(c, 0)) for c in codes]})
    extra = [code for code in found if code not in codes]
    if extra:
        frame = pd.concat(
            [frame, pd.DataFrame({name: extra, "responses": [int(found[c]) for c in extra]})],
            ignore_index=True,
        )
    return frame


def participation(counted: sa.CTE) -> dict[str, pd.DataFrame]:
    """Who took part: by type, group, individual or organisation, size, region, gender, age;
    per day (and cumulative); how many sections each response covered."""
    counts = _profile_counts(counted)
    by_type = _count_by(counts, [t.value for t in StakeholderType], "stakeholder_type")
    by_group = (
        by_type.assign(group=by_type["stakeholder_type"].map(GROUP_OF))
        .groupby("group", sort=False)["responses"]
        .sum()
        .reindex(GROUPS, fill_value=0)
        .reset_index()
    )
    organisations = _count_by(counts, [s.value for s in OrganisationSize], "organisation_size")
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
        "responding_as": _count_by(counts, [r.value for r in RespondingAs], "responding_as"),
        "organisation_size": organisations.reset_index(drop=True),
        "region": _count_by(counts, [r.value for r in Region], "region"),
        "gender": _count_by(counts, [g.value for g in Gender] + ["not_given"], "gender"),
        "age_band": _count_by(counts, [a.value for a in AgeBand] + ["not_given"], "age_band"),
        "day": by_day,
        "sections_covered": sections_covered(counted),
    }


def sections_covered(counted: sa.CTE) -> pd.DataFrame:
    """How many responses covered 0, 1, 2 … sections (an answer or a comment in it).

    Each response's sections are read from its own few answers and comments (index
    lookups by response), never by a UNION of every answer and comment of the database.
    """
    answered = (
        sa.select(Question.section_id.label("section_id"))
        .join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == counted.c.id)
        .correlate(counted)
    )
    commented = (
        sa.select(Comment.section_id).where(Comment.response_id == counted.c.id).correlate(counted)
    )
    # COUNT(DISTINCT) over UNION ALL (NULL sections, of general questions, do not count):
    # cheaper per response than a UNION, which builds a temporary table each time.
    touched = sa.union_all(answered, commented).subquery()
    per_response = (
        sa.select(
            sa.select(sa.func.count(sa.distinct(touched.c.section_id)))
            .scalar_subquery()
            .label("sections")
        )
        .select_from(counted)
        # OFFSET 0 keeps the subquery whole: flattened, SQLite would run the per-response
        # count twice (once for GROUP BY, once for the result).
        .offset(0)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(per_response.c.sections, sa.func.count())
        .group_by(per_response.c.sections)
        .order_by(per_response.c.sections)
    ).all()
    return pd.DataFrame({"sections": [s for s, _ in rows], "responses": [n for _, n in rows]})
