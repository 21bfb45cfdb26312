"""Coordinators' operations: moderation and decisions, notes, themes; accounts; the audit trail.

``moderation`` (moderate, redact, decide, add_note) and ``themes`` (tag, create, rename,
merge, delete) are each one transaction that writes its audit entries through ``audit``;
``accounts`` creates users, signs them in (throttled) and ends their sessions.

May import: models, extensions. Never Flask's request, ``web``, or a blueprint.
"""

from .moderation import ReviewError, add_note, decide, moderate, redact
from .themes import create_theme, delete_theme, merge_themes, rename_theme, tag

__all__ = [
    "ReviewError",
    "add_note",
    "create_theme",
    "decide",
    "delete_theme",
    "merge_themes",
    "moderate",
    "redact",
    "rename_theme",
    "tag",
]
