"""Who took part: counts of the responses a report counts, by each profile question."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, Comment, Question, Response
from ..models.vocab import AgeBand, Gender, OrganisationSize, Region, RespondingAs, StakeholderType
from .filters import local_day
from .grouping import GROUP_OF, GROUPS

#: The profile questions, with their vocabularies: each stored code is counted.
PROFILE = {
    "stakeholder_type": (Response.stakeholder_type, StakeholderType),
    "responding_as": (Response.responding_as, RespondingAs),
    "organisation_size": (Response.organisation_size, OrganisationSize),
    "region": (Response.region, Region),
    "gender": (Response.gender, Gender),
    "age_band": (Response.age_band, AgeBand),
}


def _profile_counts(counted: sa.CTE) -> dict[str, dict[str, int]]:
    """Responses per stored code ("not_given" for none) of each profile question.

    One pass over the counted responses with a conditional count per code: no GROUP BY,
    so no sort of a million rows, and one pass instead of six. A question holding a code
    outside its vocabulary (the CHECK constraints forbid it) is counted again with a
    GROUP BY, so nothing can go missing.
    """
    cells, counts = [], []
    for name, (column, vocabulary) in PROFILE.items():
        for member in vocabulary:
            cells.append((name, member.value))
            counts.append(sa.func.count().filter(column == member))
        cells.append((name, "not_given"))
        counts.append(sa.func.count().filter(column.is_(None)))
    total, *values = db.session.execute(
        sa.select(sa.func.count(), *counts)
        .select_from(Response)
        .join(counted, counted.c.id == Response.id)
    ).one()
    found: dict[str, dict[str, int]] = {name: {} for name in PROFILE}
    for (name, code), n in zip(cells, values, strict=True):
        if n:
            found[name][code] = n
    for name, (column, _) in PROFILE.items():
        if sum(found[name].values()) != total:
            rows = db.session.execute(
                sa.select(column, sa.func.count())
                .select_from(Response)
                .join(counted, counted.c.id == Response.id)
                .group_by(column)
            ).all()
            found[name] = {_code(v): n for v, n in rows}
    return found


def _code(value) -> str:
    return str(value.value) if hasattr(value, "value") else (value or "not_given")


def _count_by(found: dict[str, int], codes: list[str], name: str) -> pd.DataFrame:
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
    counts = _profile_counts(counted)
    by_type = _count_by(
        counts["stakeholder_type"], [t.value for t in StakeholderType], "stakeholder_type"
    )
    by_group = (
        by_type.assign(group=by_type["stakeholder_type"].map(GROUP_OF))
        .groupby("group", sort=False)["responses"]
        .sum()
        .reindex(GROUPS, fill_value=0)
        .reset_index()
    )
    organisations = _count_by(
        counts["organisation_size"], [s.value for s in OrganisationSize], "organisation_size"
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
            counts["responding_as"], [r.value for r in RespondingAs], "responding_as"
        ),
        "organisation_size": organisations.reset_index(drop=True),
        "region": _count_by(counts["region"], [r.value for r in Region], "region"),
        "gender": _count_by(counts["gender"], [g.value for g in Gender] + ["not_given"], "gender"),
        "age_band": _count_by(
            counts["age_band"], [a.value for a in AgeBand] + ["not_given"], "age_band"
        ),
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
