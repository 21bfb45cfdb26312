"""Breakdowns in report frames: the overall row and one row per category of a profile field.

A report breaks its question, comment, theme and gate results down by one categorical
field of the consultation's own profile (``ReportFilters.by``): its reporting groups by
default, or any field its form asks from a list (region, age band, a further question
such as education). SQL gives each counted response its category (``counted.c.category``);
the frames name it in their ``group`` column whatever the field, so the open-report rule
and the writers treat every breakdown alike. No list of categories lives in code.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..models.profile import GROUPS_KEY, Field, Profile
from ..models.vocab import RespondingAs

ALL = "all"
#: In an open report, the row pooling kinds of respondent too few to be shown on their own.
OTHER = "other_groups"
#: In an open report, a quote's group when its author's group is not shown on its own.
OTHER_ACTOR = "other_actor"
#: The category of a respondent who left the breakdown's field unanswered.
NOT_GIVEN = "not_given"
#: What reports call the standard fields; a further question is named by its prompt.
FIELD_NAMES = {
    GROUPS_KEY: _l("Stakeholder group"),
    "stakeholder_type": _l("Stakeholder type"),
    "responding_as": _l("Responding"),
    "organisation_size": _l("Size of the organisation"),
    "region": _l("Region"),
    "gender": _l("Gender"),
    "age_band": _l("Age"),
}


def code(value) -> str:
    """The stored code of a vocabulary value (SQLAlchemy returns the enum member)."""
    return value.value if hasattr(value, "value") else value


def group_column(profile: Profile, stakeholder_type: sa.ColumnElement) -> sa.ColumnElement:
    """Each response's reporting group in SQL, by the consultation's mapping of types."""
    mapping = profile.group_of
    return sa.case(mapping, value=stakeholder_type) if mapping else sa.null()


def breakdowns(profile: Profile) -> list[str]:
    """What a report can break results down by: the groups, then every categorical field
    the consultation asks, in its order."""
    return [GROUPS_KEY, *(f.key for f in profile.categorical)]


def categories(profile: Profile, by: str) -> list[str]:
    """The categories of a breakdown, in the consultation's order (empty if it asks none)."""
    if by == GROUPS_KEY:
        return profile.group_codes
    found = profile[by]
    return field_codes(found) if found else []


def field_codes(field: Field) -> list[str]:
    """A field's codes in order: its options, or consult's own for responding as."""
    if field.key == "responding_as":
        return [r.value for r in RespondingAs]
    return field.codes


def field_name(profile: Profile, key: str, language: str) -> str:
    """A breakdown's name as people read it: consult's for a standard field, the prompt
    for a further question (its key if it has none)."""
    if key in FIELD_NAMES:
        return str(FIELD_NAMES[key])
    found = profile[key]
    return (found.prompt(language) if found else "") or key


def with_overall(frame: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """Sum per category of the breakdown (the ``category`` column: unanswered is
    ``not_given``) into a ``group`` column, and add the ``all`` rows."""
    category = frame["category"].astype(object)
    frame = frame.assign(group=category.where(category.notna(), NOT_GIVEN)).drop(columns="category")
    # dropna=False: a key may be None (a comment's contribution where none is asked).
    by_group = frame.groupby([*keys, "group"], as_index=False, dropna=False)[values].sum()
    overall = frame.groupby(keys, as_index=False, dropna=False)[values].sum().assign(group=ALL)
    return pd.concat([overall, by_group], ignore_index=True)
