"""Whether the database has consult's tables, at the version this code expects.

Commands that read or write consultations check it first, so a new instance is set up
(as ``consult init`` does) instead of failing with "no such table", and an older database
is named as such instead of failing halfway.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from ..extensions import db

EMPTY, CURRENT, BEHIND = "empty", "current", "behind"


def schema_state() -> str:
    """EMPTY (no table at all), CURRENT (at the migrations' head) or BEHIND (older)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        if not sa.inspect(connection).get_table_names():
            return EMPTY
        current = set(MigrationContext.configure(connection).get_current_heads())
    return CURRENT if current == heads else BEHIND
