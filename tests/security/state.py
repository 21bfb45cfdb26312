"""The whole database as rows, so a test can say "this request changed nothing"."""

from __future__ import annotations

import sqlalchemy as sa

from consult.extensions import db

Snapshot = dict[str, list[tuple]]


def snapshot() -> Snapshot:
    """Every row of every table, in primary-key order."""
    db.session.rollback()
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    db.session.rollback()
    return rows


def changed_tables(before: Snapshot, after: Snapshot) -> set[str]:
    return {name for name in before if before[name] != after.get(name)}
