"""A bundle's reference population (``population.csv``): read and check it, then store it.

Who lives where (or of which gender), to compare with who responded (the console's "who
is missing" page and the reports). Each table names a profile field in its first header
and gives each of the field's codes a population; a code the field does not list is
refused before anything is written. A bundle without one keeps consult's default (Peru's
2017 census where the profile lists Peru's regions, ``reports.representation``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..insight.representation import read_population_csv
from ..models import Consultation
from ..models.insight import ReferencePopulation
from .checks import ContentError

#: The bundle's tables: ``population.csv``, and ``population-<anything>.csv`` for more fields.
PATTERNS = ("population.csv", "population-*.csv")


def read_population(folder: Path, profile: dict) -> list[dict[str, Any]]:
    """Check the bundle's population tables against its profile; one dict per row."""
    listed = {f["key"]: [o["code"] for o in f["options"]] for f in profile["fields"]}
    paths = sorted({p for pattern in PATTERNS for p in folder.glob(pattern)})
    rows: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            table = read_population_csv(path.read_text(encoding="utf-8"), str(path))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ContentError(str(exc)) from exc
        key = table.field_key
        if not listed.get(key):
            fields = ", ".join(k for k, codes in listed.items() if codes)
            raise ContentError(
                f"{path}: {key!r} is not a field of profile.yaml answered from a list"
                f" (the first column's header names one of: {fields})"
            )
        if key in seen:
            raise ContentError(f"{path}: {key!r} already has a table, {seen[key].name}")
        seen[key] = path
        unknown = [code for code in table.population if code not in listed[key]]
        if unknown:
            raise ContentError(
                f"{path}: {', '.join(unknown)}: not codes of the {key!r} field in profile.yaml"
                f" ({', '.join(listed[key])}); nothing was loaded"
            )
        first_note = next(iter(table.notes.values()), None)
        rows += [
            {
                "field_key": key,
                "code": code,
                "population": people,
                "source": (table.notes.get(code) or first_note or path.name)[:300],
            }
            for code, people in table.population.items()
        ]
    return rows


def load_population(consultation: Consultation, wanted: list[dict[str, Any]], report: Any) -> None:
    """Make the consultation's stored reference population the bundle's (none if it has
    none), writing only what differs."""
    session = db.session
    stored = {
        (row.field_key, row.code): row
        for row in session.scalars(
            sa.select(ReferencePopulation).filter_by(consultation_id=consultation.id)
        )
    }
    changed = False
    for spec in wanted:
        row = stored.pop((spec["field_key"], spec["code"]), None)
        if row is None:
            session.add(ReferencePopulation(consultation_id=consultation.id, **spec))
            changed = True
        elif (row.population, row.source) != (spec["population"], spec["source"]):
            row.population, row.source = spec["population"], spec["source"]
            changed = True
    for row in stored.values():
        session.delete(row)
        changed = True
    if changed:
        report.updated.append(f"reference population of {consultation.slug}")
        session.flush()
