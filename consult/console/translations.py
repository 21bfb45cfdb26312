"""A consultation's texts side by side in each language, and what still lacks one
(/console/c/<slug>/edit/translations, issue 17 part 3). It cannot open while anything is
listed as missing (``outcome.stages.check_move``). Each text links to the page that edits it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from ..authoring import sections as section_ops
from ..authoring.texts import (
    CONSULTATION_TEXTS,
    QUESTION_TEXTS,
    SECTION_TEXTS,
    languages,
    missing_translations,
)
from ..models import Consultation
from . import bp
from .sections import editable


@dataclass
class Row:
    """One text in every language, and where to edit it (None: no page here edits it)."""

    label: object
    texts: dict[str, str]
    edit: str | None


@dataclass
class Group:
    heading: str
    rows: list[Row]


def _consultation_url(consultation: Consultation) -> str | None:
    if "console.edit_consultation" in current_app.view_functions:
        return url_for("console.edit_consultation", slug=consultation.slug)
    return None


def _rows(obj, texts, langs, edit) -> list[Row]:
    rows = []
    for prefix, label, required in texts:
        values = {lang: getattr(obj, f"{prefix}_{lang}", "") or "" for lang in langs}
        if required or any(values.values()):
            rows.append(Row(label, values, edit))
    return rows


def groups(consultation: Consultation) -> list[Group]:
    """Every text of the consultation, grouped by where it is, in reading order."""
    langs = languages()
    own = _consultation_url(consultation)
    found = [Group(consultation.t("title"), _rows(consultation, CONSULTATION_TEXTS, langs, own))]
    for choice in consultation.contributions or []:
        label = _l("What a comment contributes to: %(code)s", code=choice.get("code", ""))
        found[0].rows.append(Row(label, {lang: choice.get(lang, "") for lang in langs}, own))
    questions = sorted(consultation.questions, key=lambda q: q.position)
    places = [(None, [q for q in questions if q.section_id is None])]
    places += [
        (s, [q for q in questions if q.section_id == s.id])
        for s in section_ops.ordered(consultation)
    ]
    for section, held in places:
        if section is None:
            if not held:
                continue
            group = Group(str(_l("The draft as a whole")), [])
        else:
            edit = url_for("console.edit_section", slug=consultation.slug, key=section.key)
            group = Group(
                f"{section.number} {section.title}", _rows(section, SECTION_TEXTS, langs, edit)
            )
        for question in held:
            edit = url_for("console.edit_question", slug=consultation.slug, qkey=question.key)
            for row in _rows(question, QUESTION_TEXTS, langs, edit):
                row.label = f"{question.key}: {row.label}"
                group.rows.append(row)
            for option in question.options or []:
                label = _l(
                    "%(key)s: option %(code)s", key=question.key, code=option.get("code", "")
                )
                group.rows.append(Row(label, {lang: option.get(lang, "") for lang in langs}, edit))
        found.append(group)
    return found


@bp.get("/c/<slug>/edit/translations")
def edit_translations(slug: str):
    """What lacks a language (the list that keeps it from opening), then every text side by
    side, each linked to its editor."""
    consultation = editable(slug)
    return render_template(
        "console/translations.html",
        consultation=consultation,
        missing=missing_translations(consultation),
        groups=groups(consultation),
        languages=languages(),
        consultation_url=_consultation_url(consultation),
    )
