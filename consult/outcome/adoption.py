"""Adopting wording a respondent proposed for a passage into the next version of the draft.

The next version is the one after the last version anybody answered: the first
adoption (after the consultation stopped taking responses) makes it, later ones write
into it, so a coordinator's adoptions gather into one revised draft. The passage is
rewritten in both languages (the coordinator gives each, starting from the proposal and
the other language's current words), the section's change in that version is linked to
the comment (the public comparison and the respondent's private page say so), and the
comment records the version it went into. One transaction, audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..content import passages
from ..content.markdown import render_markdown
from ..content.versions import snapshot_current, version_row, write_texts
from ..extensions import db
from ..models import Comment, Consultation, Response, Section, User
from ..models.columns import utcnow
from ..models.outcome import DraftChange, DraftVersion
from ..models.vocab import Stage
from ..responding.changes import note_public_change
from ..reviewing import audit


class AdoptionRefused(Exception):
    """A proposal that cannot be adopted now; ``args[0]`` is the message for the person."""


@dataclass(frozen=True)
class Target:
    """Where an adoption would go: the version's number, and whether it exists yet."""

    number: int
    exists: bool


def answered_version(consultation: Consultation) -> int:
    """The latest version any response answered (1 before any response)."""
    found = db.session.scalar(
        sa.select(sa.func.max(Response.draft_version)).where(
            Response.consultation_id == consultation.id
        )
    )
    return found or 1


def target(consultation: Consultation) -> Target:
    """The next version: the current one if nobody answered it, else a new one."""
    if consultation.current_version > answered_version(consultation):
        return Target(consultation.current_version, True)
    return Target(consultation.current_version + 1, False)


def refusal(consultation: Consultation, comment: Comment) -> str | None:
    """Why this comment's proposal cannot be adopted now (a message), or None."""
    if not comment.proposal:
        return str(_l("This comment proposes no wording."))
    if comment.adopted_version is not None:
        return str(
            _l(
                "This wording was adopted into version %(number)s already.",
                number=comment.adopted_version,
            )
        )
    if consultation.is_open:
        return str(
            _l(
                "Proposals are adopted once the consultation stops taking responses: people"
                " are still answering this version of the draft."
            )
        )
    if consultation.stage is Stage.OUTCOME:
        return str(
            _l(
                "The outcome is published: the draft's versions no longer change here. Move"
                " the consultation back to analysis first."
            )
        )
    if _passage(comment.section, comment.anchor, "es") is None:
        return str(
            _l(
                "This passage has changed since the proposal was written: it is not in the"
                " current text any more. Change the text by loading a new version instead."
            )
        )
    return None


def _passage(section: Section, anchor: str, language: str) -> passages.Passage | None:
    if language == "es":
        return passages.find(passages.passages(section.body_md_es), anchor)
    return passages.find(passages.passages(section.body_md_en, section.body_md_es), anchor)


def current_wording(section: Section, anchor: str, language: str) -> str:
    """The passage's words in the current text in ``language`` ("" if not there)."""
    found = _passage(section, anchor, language)
    return found.text if found else ""


def adopt(comment: Comment, wording_es: str, wording_en: str, actor: User) -> int:
    """Rewrite the comment's passage as ``wording_es``/``wording_en`` in the next version;
    return that version's number. ``AdoptionRefused`` when it cannot be done."""
    section = comment.section
    consultation = section.consultation
    why = refusal(consultation, comment)
    if why is not None:
        raise AdoptionRefused(why)
    wording_es, wording_en = " ".join(wording_es.split()), " ".join(wording_en.split())
    if not wording_es or not wording_en:
        raise AdoptionRefused(str(_l("Give the adopted wording in both languages.")))
    es = _passage(section, comment.anchor, "es")
    en = _passage(section, comment.anchor, "en")
    assert es is not None
    where = target(consultation)
    try:
        if where.exists:
            version = version_row(consultation, where.number)
            if version is None:  # version 1 has no row until a second exists
                version = snapshot_current(consultation)
        else:
            snapshot_current(consultation)
            version = DraftVersion(
                consultation_id=consultation.id,
                number=where.number,
                note_es="Versión revisada con la redacción propuesta en la consulta",
                note_en="Revised version with wording proposed in the consultation",
                created_by_id=actor.id,
            )
            db.session.add(version)
            db.session.flush()
        before = {"es": es.text, "en": en.text if en else ""}
        section.body_md_es = passages.replace(section.body_md_es, es, wording_es)
        section.body_html_es = render_markdown(section.body_md_es)
        if en is not None:
            section.body_md_en = passages.replace(section.body_md_en, en, wording_en)
            section.body_html_en = render_markdown(section.body_md_en)
        if where.exists:
            write_texts(version, [section])
        else:
            write_texts(version, list(consultation.sections))
            consultation.current_version = version.number
        change = db.session.scalar(
            sa.select(DraftChange).filter_by(version_id=version.id, section_id=section.id)
        )
        if change is None:
            change = DraftChange(version_id=version.id, section_id=section.id)
            db.session.add(change)
        if comment not in change.comments:
            change.comments.append(comment)
        comment.adopted_version = version.number
        comment.adopted_at = utcnow()
        comment.adopted_by_id = actor.id
        db.session.flush()
        audit.record(
            actor,
            "proposal.adopt",
            "comment",
            comment.id,
            before=before,
            after={
                "version": version.number,
                "section": section.key,
                "es": wording_es,
                "en": wording_en,
            },
        )
        note_public_change(db.session)
        db.session.commit()
    except sa.exc.IntegrityError as exc:  # the same version made at the same moment
        db.session.rollback()
        raise AdoptionRefused(
            str(
                _l(
                    "Someone changed the draft at the same moment. Nothing was adopted: look"
                    " at the versions, then try again."
                )
            )
        ) from exc
    except Exception:
        db.session.rollback()
        raise
    return version.number
