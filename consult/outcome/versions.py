"""Versions of a consultation's draft: loading the next one, and reading what changed.

``load_new_version`` reads and checks a bundle, then, in one transaction: writes the
current version's texts if it has none yet (version 1 is written when version 2 arrives),
updates the live sections as a reload does (matched by key, so every response and answer
stays attached), stores every section's text as version N+1 and makes it current.
``section_changes`` is the comparison reader the console and the public pages share.
``show_consulted_text`` gives the public pages the text people were consulted on until
the outcome is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..content.bundles import LoadReport, bundle_path, read_bundle, write_bundle
from ..content.checks import Refused
from ..content.versions import (
    COMPARED,
    TEXT_FIELDS,
    snapshot_current,
    version_row,
    write_texts,
)
from ..extensions import db
from ..models import Consultation, Section, User
from ..models.columns import utcnow
from ..models.outcome import DraftChange, DraftVersion, SectionText
from ..models.vocab import Stage
from ..responding.changes import note_public_change
from ..reviewing import audit
from . import diff


class VersionRefused(Refused):
    """A new version that cannot be loaded; ``message`` in the reader's language."""


@dataclass
class NewVersion:
    """What loading a new version did."""

    number: int
    #: Keys of the sections whose text differs from the previous version (new ones too).
    changed: list[str]
    report: LoadReport


def load_new_version(
    folder: str | Path,
    *,
    note_es: str = "",
    note_en: str = "",
    actor: User | None = None,
    slug: str | None = None,
) -> NewVersion:
    """Load a bundle as the next version of the consultation with its slug (which must
    be ``slug`` when given: an upload on that consultation's page)."""
    bundle = read_bundle(bundle_path(folder))
    if slug is not None and bundle["slug"] != slug:
        raise VersionRefused(
            _l(
                "This bundle is the consultation “%(other)s”, not “%(slug)s”. Nothing was loaded.",
                other=bundle["slug"],
                slug=slug,
            )
        )
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=bundle["slug"]))
    if consultation is None:
        raise VersionRefused(
            _l(
                "No consultation has the address “%(slug)s”: load it first as a consultation,"
                " without a new version.",
                slug=bundle["slug"],
            )
        )
    _refuse_dropped(consultation, bundle)
    changed = _changed_keys(consultation, bundle)
    current = consultation.current_version
    if not changed:
        raise VersionRefused(
            _l(
                "Nothing changed from version %(number)s: no section's number, title or text"
                " differs.",
                number=current,
            )
        )
    try:
        snapshot_current(consultation)
        # The dates stay: a revised draft neither reopens the consultation nor moves it.
        report = write_bundle(bundle, opens=consultation.opens_at, closes=consultation.closes_at)
        version = DraftVersion(
            consultation_id=consultation.id,
            number=current + 1,
            note_es=note_es.strip(),
            note_en=note_en.strip(),
            created_by_id=actor.id if actor else None,
        )
        db.session.add(version)
        db.session.flush()
        db.session.refresh(consultation, ["sections"])
        write_texts(version, list(consultation.sections))
        consultation.current_version = version.number
        if actor is not None:
            audit.record(
                actor,
                "draft.new_version",
                "consultation",
                consultation.id,
                before={"version": current},
                after={"version": version.number, "changed": changed},
            )
        note_public_change(db.session)
        db.session.commit()
    except sa.exc.IntegrityError as exc:  # another version N+1 written at the same moment
        db.session.rollback()
        raise VersionRefused(
            _l(
                "Another version was loaded at the same moment. Nothing was loaded: look at"
                " the versions, then try again."
            )
        ) from exc
    except Exception:
        db.session.rollback()
        raise
    return NewVersion(version.number, changed, report)


def _refuse_dropped(consultation: Consultation, bundle: dict) -> None:
    """A new version keeps every section and question: their answers answered them."""
    sections = {s.key for s in consultation.sections} - {s["key"] for s in bundle["sections"]}
    wanted = {q["key"] for q in bundle["questions"]}
    wanted |= {q["key"] for s in bundle["sections"] for q in s["questions"]}
    questions = {q.key for q in consultation.questions} - wanted
    if sections or questions:
        raise VersionRefused(
            _l(
                "A new version keeps every section and question of the one before; this"
                " bundle leaves out: %(keys)s. Nothing was loaded.",
                keys=", ".join(sorted(sections | questions)),
            )
        )


def _changed_keys(consultation: Consultation, bundle: dict) -> list[str]:
    live = {s.key: s for s in consultation.sections}
    changed = []
    for spec in bundle["sections"]:
        section = live.get(spec["key"])
        if section is None or any(getattr(section, f) != spec[f] for f in COMPARED):
            changed.append(spec["key"])
    return changed


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class VersionSummary:
    """One version as the list of versions shows it (version 1 may have no row yet)."""

    number: int
    row: DraftVersion | None

    @property
    def note(self) -> str:
        return self.row.note if self.row else ""

    @property
    def created_at(self):
        return self.row.created_at if self.row else None


def versions(consultation: Consultation) -> list[VersionSummary]:
    """Every version of the draft, the first first."""
    rows = {
        v.number: v
        for v in db.session.scalars(
            sa.select(DraftVersion).filter_by(consultation_id=consultation.id)
        )
    }
    return [VersionSummary(n, rows.get(n)) for n in range(1, consultation.current_version + 1)]


@dataclass
class SectionChange:
    """A section's text in two versions, and the explanations of its changes between them."""

    section: Section
    before: SectionText | None  #: None: the section is new
    after: SectionText
    #: The explanations and links of each version between (the later ones last).
    changes: list[DraftChange] = field(default_factory=list)

    def title(self, lang: str) -> list[tuple[str, str]]:
        old = getattr(self.before, f"title_{lang}") if self.before else ""
        return diff.word_pieces(old, getattr(self.after, f"title_{lang}"))

    def comparison(self, lang: str) -> list[diff.BlockComparison]:
        old = getattr(self.before, f"body_md_{lang}") if self.before else ""
        return diff.compare_markdown(old, getattr(self.after, f"body_md_{lang}"))

    @property
    def explained(self) -> list[DraftChange]:
        """The changes that say something (an explanation in either language, a theme or
        a comment)."""
        return [
            c
            for c in self.changes
            if c.explanation_es or c.explanation_en or c.themes or c.comments
        ]


def section_changes(
    consultation: Consultation, old: int, new: int, *, key: str | None = None
) -> list[SectionChange]:
    """The sections whose text differs between versions ``old`` and ``new`` (in order);
    with ``key``, that section's alone. Empty when either version has no stored texts."""
    before_row = version_row(consultation, old)
    after_row = version_row(consultation, new)
    if old >= new or before_row is None or after_row is None:
        return []
    texts = {
        v: {t.section_id: t for t in row.texts} for v, row in ((old, before_row), (new, after_row))
    }
    explanations: dict[int, list[DraftChange]] = {}
    for change in db.session.scalars(
        sa.select(DraftChange)
        .join(DraftVersion, DraftVersion.id == DraftChange.version_id)
        .where(
            DraftVersion.consultation_id == consultation.id,
            DraftVersion.number > old,
            DraftVersion.number <= new,
        )
        .options(selectinload(DraftChange.themes), selectinload(DraftChange.comments))
        .order_by(DraftVersion.number)
    ):
        explanations.setdefault(change.section_id, []).append(change)
    found = []
    for section in consultation.sections:
        if key is not None and section.key != key:
            continue
        after = texts[new].get(section.id)
        before = texts[old].get(section.id)
        if after is None:
            continue
        if before is not None and all(getattr(before, f) == getattr(after, f) for f in COMPARED):
            continue
        found.append(SectionChange(section, before, after, explanations.get(section.id, [])))
    return found


# ---------------------------------------------------------------- what the public reads

#: Where the public copy of a consultation keeps the number of the version it shows.
_SHOWN = "consult_shown_version"


def consulted_version_texts(
    session: Session, consultation: Consultation
) -> tuple[int, dict[int, SectionText]] | None:
    """The version people were consulted on and its sections' texts, when the public must
    read it instead of the current one; None when the current text is the public one.

    The rule: a version loaded before the consultation closed for responses
    (``closes_at``) is one people read and answered; a version loaded later (the revised
    draft, during analysis) becomes public when the outcome is published. So until the
    stage is ``OUTCOME``, the public reads the newest version loaded before the close
    (version 1, whose row is written only when version 2 arrives, always counts), and
    a section that version does not hold is not shown at all. Nothing is stored for it:
    the versions' ``created_at`` and the dates say it. A consultation moved back from
    the outcome to analysis goes back to the consulted text.

    One query, and none at all while the current version is the public one (the outcome
    published, a single version, or the consultation not closed yet: every version
    was then loaded before the close).
    """
    if _current_is_public(consultation):
        return None
    rows = session.execute(
        sa.select(DraftVersion.number, SectionText)
        .join(SectionText, SectionText.version_id == DraftVersion.id)
        .where(
            DraftVersion.consultation_id == consultation.id,
            DraftVersion.number == _consulted(consultation).scalar_subquery(),
        )
    ).all()
    if not rows or rows[0][0] >= consultation.current_version:
        return None
    return rows[0][0], {text.section_id: text for _number, text in rows}


def _current_is_public(consultation: Consultation) -> bool:
    return (
        consultation.stage is Stage.OUTCOME
        or consultation.current_version <= 1
        or utcnow() < consultation.closes_at
    )


def _consulted(consultation: Consultation) -> sa.Select:
    """The number of the newest version loaded before the close (version 1 at least)."""
    return sa.select(sa.func.max(DraftVersion.number)).where(
        DraftVersion.consultation_id == consultation.id,
        sa.or_(DraftVersion.number == 1, DraftVersion.created_at < consultation.closes_at),
    )


def public_version(consultation: Consultation) -> int:
    """The version whose text the public pages show now (``consulted_version_texts``)."""
    if _current_is_public(consultation):
        return consultation.current_version
    return db.session.scalar(_consulted(consultation)) or consultation.current_version


def show_consulted_text(session: Session, consultation: Consultation) -> None:
    """Give a consultation loaded for the public pages (``public.cache``, never written
    back) the consulted version's section texts (``consulted_version_texts``), leaving out
    the sections that version lacks. Its attributes are set as loaded, so nothing is
    marked changed; ``shown_version`` says which version it then shows."""
    found = consulted_version_texts(session, consultation)
    if found is None:
        return
    number, texts = found
    kept = []
    for section in consultation.sections:
        text = texts.get(section.id)
        if text is None:
            continue
        for name in TEXT_FIELDS:
            set_committed_value(section, name, getattr(text, name))
        kept.append(section)
    shown = {s.id for s in kept}
    for section in kept:
        set_committed_value(section, "children", [c for c in section.children if c.id in shown])
    set_committed_value(consultation, "sections", kept)
    set_committed_value(
        consultation,
        "questions",
        [q for q in consultation.questions if q.section_id is None or q.section_id in shown],
    )
    consultation.__dict__[_SHOWN] = number


def shown_version(consultation: Consultation) -> int:
    """The version whose text a consultation object shows: the current one, but for a
    public copy that shows the consulted text (``show_consulted_text``)."""
    return consultation.__dict__.get(_SHOWN, consultation.current_version)
