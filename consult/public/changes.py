"""What changed in the draft, for everyone once the outcome is published: every changed
section between the first and the current version (``public.changes``), or one
section's (``public.section_changes``), each compared word by word, with why it changed.

A theme is named with its number of comments, never linked to the console; a number
from 1 to K−1 (``REPORT_MIN_CELL``) is shown as "fewer than K", as the open report does.
Before the outcome is published these pages are not found, but a signed-in coordinator
previews them (never kept or shared: ``g.previewing``).
"""

from __future__ import annotations

from flask import current_app, g, render_template

from ..models import Consultation
from ..outcome import changes as outcome_changes
from ..outcome import versions
from ..web.security import shareable
from . import bp
from .outcome_pages import published_or_preview, section_of


def _page(consultation: Consultation, found: list, section=None):
    theme_ids = {t.id for item in found for change in item.changes for t in change.themes}
    change_ids = {change.id for item in found for change in item.changes}
    return render_template(
        "public/changes.html",
        consultation=consultation,
        changes=found,
        section=section,
        counts=outcome_changes.theme_comment_counts(theme_ids, public=True),
        linked=outcome_changes.linked_comment_counts(change_ids),
        min_cell=current_app.config["REPORT_MIN_CELL"],
        preview=bool(g.get("previewing")),
    )


@bp.get("/c/<slug>/changes")
@shareable
def changes(slug: str):
    """Every section that changed from the first version to the current one."""
    consultation = published_or_preview(slug)
    found = versions.section_changes(consultation, 1, consultation.current_version)
    return _page(consultation, found)


@bp.get("/c/<slug>/s/<key>/changes")
@shareable
def section_changes(slug: str, key: str):
    """How one section changed from the first version to the current one, and why."""
    consultation = published_or_preview(slug)
    section = section_of(consultation, key)
    found = versions.section_changes(consultation, 1, consultation.current_version, key=key)
    return _page(consultation, found, section)
