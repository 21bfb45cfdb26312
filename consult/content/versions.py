"""Each section's text as a version of the draft holds it (``SectionText``).

The live ``Section`` rows always hold the latest text. Version 1 is written lazily: when
version 2 arrives, the sections' texts as they stand become version 1's rows first. A
reload of the current version keeps that version's rows in step with the live text.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Consultation, Section
from ..models.outcome import DraftVersion, SectionText
from .checks import ContentError

#: What a version keeps of a section: the fields copied from the live row.
TEXT_FIELDS = (
    "number",
    "title_es",
    "title_en",
    "body_md_es",
    "body_md_en",
    "body_html_es",
    "body_html_en",
)
#: The fields whose change makes a new version differ (the HTML follows the Markdown).
COMPARED = ("number", "title_es", "title_en", "body_md_es", "body_md_en")


def version_row(consultation: Consultation, number: int) -> DraftVersion | None:
    """The stored row of one version, or None (version 1 before version 2 exists)."""
    return db.session.scalar(
        sa.select(DraftVersion).filter_by(consultation_id=consultation.id, number=number)
    )


def snapshot_current(consultation: Consultation) -> DraftVersion:
    """The current version's row, written from the live texts if it has none yet."""
    version = version_row(consultation, consultation.current_version)
    if version is None:
        version = DraftVersion(consultation_id=consultation.id, number=consultation.current_version)
        db.session.add(version)
        for section in consultation.sections:
            version.texts.append(_text_of(section))
        db.session.flush()
    return version


def write_texts(version: DraftVersion, sections: list[Section]) -> None:
    """Give ``version`` every section's live text, adding or updating its rows."""
    held = {text.section_id: text for text in version.texts}
    for section in sections:
        text = held.get(section.id)
        if text is None:
            version.texts.append(_text_of(section))
            continue
        for name in TEXT_FIELDS:
            if getattr(text, name) != getattr(section, name):
                setattr(text, name, getattr(section, name))
    db.session.flush()


def keep_current_in_step(consultation: Consultation) -> None:
    """After a reload: the current version's stored texts (if any) follow the live ones."""
    version = version_row(consultation, consultation.current_version)
    if version is not None:
        write_texts(version, list(consultation.sections))


def refuse_if_versioned(section: Section) -> None:
    """A section a stored version holds cannot leave: that version would lose its text."""
    numbers = db.session.scalars(
        sa.select(DraftVersion.number)
        .join(SectionText, SectionText.version_id == DraftVersion.id)
        .where(SectionText.section_id == section.id)
        .order_by(DraftVersion.number)
    ).all()
    if numbers:
        listed = ", ".join(str(n) for n in numbers)
        raise ContentError(
            f"section {section.key}: left the bundle, but version(s) {listed} of the draft"
            " hold its text; nothing was changed"
        )


def _text_of(section: Section) -> SectionText:
    return SectionText(section=section, **{name: getattr(section, name) for name in TEXT_FIELDS})
