"""A mark on the database session: this transaction changes what public pages show.

``public.cache`` sets it from the ORM's flushes and drops the pages it keeps when a
transaction carrying it commits. Writes the ORM does not see (Core statements, such as
``saving``) set it themselves.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

PUBLIC_PAGES = "consult.public_cache"


def note_public_change(session: Session) -> None:
    """Drop the kept public pages when this session's transaction commits."""
    session.info[PUBLIC_PAGES] = True
