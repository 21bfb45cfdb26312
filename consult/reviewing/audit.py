"""The audit trail: one append-only entry per coordinator action.

``record`` adds the entry to the current transaction; the operation that called it
commits both together, so an action and its entry are stored or lost as one.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ..extensions import db
from ..models import AuditEntry, User


def _plain(value: Any) -> Any:
    """JSON-safe copy: enums become their codes, times their ISO text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot(obj: Any, *fields: str) -> dict[str, Any]:
    """The named attributes of ``obj``, ready to store as "before" or "after"."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_email: str | None = None,
    address: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else (actor_email or "system"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        address=address,
    )
    db.session.add(entry)
    return entry
