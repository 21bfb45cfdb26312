"""Who is missing: the counted respondents by region and gender against the population.

The population is the consultation's own (``reference_population`` rows, from its
bundle's ``population.csv``), else consult's default: Peru's 2017 census, by region where
the profile lists Peru's regions, and by gender (women, men) for the same consultations.
The index itself is ``insight.representation``'s; here the counts are read (one GROUP BY
per field over the responses a report counts) and, for an open report, taken from its
opened participation tables so that no region of fewer than K respondents shows a count
or an index of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..insight.representation import (
    Comparison,
    PopulationTable,
    compare,
    peru_tables,
    without_nan,
)
from ..models import Consultation, RespondentTrait, Response
from ..models.insight import ReferencePopulation
from ..models.profile import Profile
from .filters import ReportFilters, counted_responses
from .grouping import NOT_GIVEN, OTHER

#: The columns of the representation table in every download.
COLUMNS = [
    "field",
    "code",
    "responses",
    "response_share",
    "population",
    "population_share",
    "index",
    "verdict",
]
#: The verdict of a response outside the comparison (abroad, "prefer not to say", none).
NOT_COMPARED = "not_compared"


def reference_tables(consultation: Consultation) -> dict[str, PopulationTable]:
    """The population each field of the consultation is compared with, by field key."""
    profile = consultation.profile
    stored: dict[str, list[ReferencePopulation]] = {}
    for row in db.session.scalars(
        sa.select(ReferencePopulation).filter_by(consultation_id=consultation.id)
    ):
        stored.setdefault(row.field_key, []).append(row)
    tables = {}
    for key, rows in stored.items():
        field = profile[key]
        if field is None:
            continue
        order = {code: i for i, code in enumerate(field.codes)}
        rows.sort(key=lambda r: order.get(r.code, len(order)))
        sources = list(dict.fromkeys(r.source for r in rows if r.source))
        tables[key] = PopulationTable(
            key, {r.code: r.population for r in rows}, source="; ".join(sources)
        )
    for key, table in _default_tables(profile).items():
        tables.setdefault(key, table)
    return tables


def _default_tables(profile: Profile) -> dict[str, PopulationTable]:
    """Peru's census for a consultation whose profile lists exactly Peru's regions."""
    region = profile["region"]
    peru = peru_tables()
    if region is None or set(region.codes) - profile.abroad_codes != set(peru["region"].population):
        return {}
    found = {"region": peru["region"]}
    gender = profile["gender"]
    if gender is not None and set(peru["gender"].population) <= set(gender.codes):
        found["gender"] = peru["gender"]
    return found


def counts_by_field(
    consultation: Consultation, counted: sa.CTE, keys: list[str]
) -> dict[str, dict[str, int]]:
    """Per field, the counted responses per code ("not_given" for none): one GROUP BY each."""
    profile = consultation.profile
    found: dict[str, dict[str, int]] = {}
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    for key in keys:
        field = profile[key]
        if field is None:
            continue
        if field.standard:
            column = getattr(Response, key)
            rows = db.session.execute(
                sa.select(column, sa.func.count())
                .select_from(Response)
                .join(counted, counted.c.id == Response.id)
                .group_by(column)
            ).all()
        else:
            rows = db.session.execute(
                sa.select(RespondentTrait.code, sa.func.count())
                .join(counted, counted.c.id == RespondentTrait.response_id)
                .where(RespondentTrait.field_id == field.id)
                .group_by(RespondentTrait.code)
            ).all()
        counts = {(code or NOT_GIVEN): n for code, n in rows}
        if total - sum(counts.values()) > 0:
            counts[NOT_GIVEN] = counts.get(NOT_GIVEN, 0) + total - sum(counts.values())
        found[key] = counts
    return found


def compare_fields(
    counts: Mapping[str, Mapping[str, int]],
    tables: Mapping[str, PopulationTable],
    filters: ReportFilters | None = None,
) -> dict[str, Comparison]:
    """Each field with a population, compared; regions left out when the report is
    narrowed to some regions (every other region would seem to have no response)."""
    return {
        key: compare(key, counts.get(key, {}), table)
        for key, table in tables.items()
        if not (key == "region" and filters is not None and filters.regions)
    }


def representation(
    consultation: Consultation, fields: tuple[str, ...] | None = None
) -> dict[str, Comparison]:
    """Who is missing among the responses a report counts by default (submitted, not
    flagged as spam or duplicate): the console's page and dashboard (``fields``: only
    these)."""
    tables = reference_tables(consultation)
    if fields is not None:
        tables = {key: table for key, table in tables.items() if key in fields}
    if not tables:
        return {}
    counted = counted_responses(consultation, ReportFilters()).cte("counted")
    return compare_fields(counts_by_field(consultation, counted, list(tables)), tables)


def opened(
    comparisons: Mapping[str, Comparison], participation: Mapping[str, pd.DataFrame]
) -> dict[str, Comparison]:
    """The comparisons an open report shows, from its opened participation tables.

    A category pooled there (fewer than K respondents, or joined to make the pool K) shows
    its population but no count, share or index; a category with no response shows 0, as
    the participation table does. The shares divide by the respondents the published
    figures give: the shown categories, plus the pool when a compared category is in it.
    A table not published (fewer than K in all) shows no count at all.
    """
    found = {}
    for key, comparison in comparisons.items():
        frame = participation.get(key)
        shown: dict[str, int] = {}
        pool = 0
        if frame is not None:
            for code, n in zip(frame[key].astype(str), frame["responses"], strict=True):
                if code == OTHER:
                    pool = int(n)
                else:
                    shown[code] = int(n)
        codes = list(comparison.reference.population)
        hidden = [c for c in codes if c not in shown]
        base = sum(shown.get(c, 0) for c in codes) + (pool if hidden else 0)
        found[key] = compare(key, shown, comparison.reference, hidden=hidden, base=base)
    return found


def representation_frame(comparisons: Mapping[str, Comparison]) -> pd.DataFrame:
    """Every comparison as one tidy table (``COLUMNS``), for the downloads: the compared
    categories, then the responses outside the comparison."""
    rows: list[dict] = []
    for key, comparison in comparisons.items():
        rows += [{"field": key, **row} for row in comparison.table.to_dict("records")]
        rows += [
            {"field": key, "code": code, "responses": n, "verdict": NOT_COMPARED}
            for code, n in comparison.others.items()
        ]
    return without_nan(pd.DataFrame(rows, columns=COLUMNS))
