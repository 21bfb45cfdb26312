"""What the API shows, as plain dicts in a fixed key order (the JSON documents' shapes).

Every function here turns what the public may read into JSON-ready values; none reads
the request or decides what is public (``views`` asks ``published`` and the public
readers for that). Texts a consultation wrote are given in each of the site's languages
(``{"es": …, "en": …}``); consult's own words (a stage, a question type, a decision) as
a code and its label in each language. Times are ISO 8601 with the offset of the
consultation's time zone. Nothing about a person leaves but the name an author chose to
publish; counts of people are the open report's, "<K" where it prints so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale

from ..models import Consultation, Question, Section
from ..models.vocab import QuestionType, Stage, likert_choices
from ..models.zones import in_zone
from ..outcome.stages import next_step, shown
from ..outcome.summary import Decided, DecisionCount, OutcomeSummary, SectionOutcome
from ..published import CommentPage, PublicDecision, PublicDecisions, PublicTheme
from ..published.comments import PublishedComment


def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def in_languages(make: Callable[[], Any]) -> dict[str, str]:
    """``make()`` in each language of the site (for consult's own, translated words)."""
    found = {}
    for language in languages():
        with force_locale(language):
            found[language] = str(make())
    return found


def texts(obj: Any, name: str) -> dict[str, str]:
    """A text the consultation wrote, in each language (``title_es``, ``title_en`` …)."""
    return {language: getattr(obj, f"{name}_{language}", "") or "" for language in languages()}


def moment(value: datetime | None, consultation: Consultation) -> str | None:
    """A stored time as ISO 8601 with the consultation's offset, to the second."""
    if value is None:
        return None
    return in_zone(value, consultation.time_zone).replace(microsecond=0).isoformat()


def coded(value: Any) -> dict[str, Any]:
    """A vocabulary member as its code and its label in each language."""
    return {"code": value.value, "label": in_languages(lambda: value.label)}


# ---------------------------------------------------------------- consultations


def results_published(consultation: Consultation) -> bool:
    return bool(consultation.summary_published)


def outcome_published(consultation: Consultation) -> bool:
    return consultation.stage is Stage.OUTCOME


def consultation_links(consultation: Consultation) -> dict[str, str | None]:
    """Where to read the consultation: its API documents and its public pages."""
    slug = consultation.slug
    results = results_published(consultation)
    outcome = outcome_published(consultation)

    def api(endpoint: str) -> str:
        return url_for(f"api.{endpoint}", slug=slug, _external=True)

    return {
        "self": api("get_consultation"),
        "html": url_for("public.show_consultation", slug=slug, _external=True),
        "comments": api("list_comments"),
        "results": api("get_results") if results else None,
        "results_html": (
            url_for("public.show_results", slug=slug, _external=True) if results else None
        ),
        "decisions": api("get_decisions") if outcome else None,
        "outcome": api("get_outcome") if outcome else None,
        "outcome_html": url_for("public.show_outcome", slug=slug, _external=True)
        if outcome
        else None,
    }


def stage(consultation: Consultation) -> dict[str, Any]:
    """The stage people see now (by the dates while running) and what happens next."""
    now_shown = shown(consultation)
    step = next_step(consultation)
    return {
        "code": now_shown.value,
        "label": in_languages(lambda: now_shown.label),
        "next_step": None
        if step is None
        else {
            "text": in_languages(lambda: next_step(consultation).text),
            "at": moment(step.at, consultation),
        },
    }


def consultation_summary(consultation: Consultation) -> dict[str, Any]:
    """One consultation as the list shows it."""
    return {
        "slug": consultation.slug,
        "title": texts(consultation, "title"),
        "organiser": texts(consultation, "organiser"),
        "is_demo": bool(consultation.is_demo),
        "stage": stage(consultation),
        "opens_at": moment(consultation.opens_at, consultation),
        "closes_at": moment(consultation.closes_at, consultation),
        "time_zone": consultation.time_zone,
        "languages": list(languages()),
        "results_published": results_published(consultation),
        "outcome_published": outcome_published(consultation),
        "links": consultation_links(consultation),
    }


def _section(section: Section, consultation: Consultation) -> dict[str, Any]:
    slug = consultation.slug
    outcome = outcome_published(consultation)
    return {
        "key": section.key,
        "number": section.number,
        "title": texts(section, "title"),
        "comments_enabled": bool(section.comments_enabled),
        "gate": texts(section, "gate") if section.gated else None,
        "questions": [q.key for q in section.questions],
        "links": {
            "html": url_for("public.show_section", slug=slug, key=section.key, _external=True),
            "comments": url_for(
                "api.list_comments", slug=slug, section=section.key, _external=True
            ),
            "outcome_html": (
                url_for("public.show_section_outcome", slug=slug, key=section.key, _external=True)
                if outcome
                else None
            ),
        },
        "children": [_section(child, consultation) for child in section.children],
    }


def sections_tree(consultation: Consultation) -> list[dict[str, Any]]:
    """Parts in reading order, each with its sub-parts."""
    return [_section(s, consultation) for s in consultation.sections if s.parent_id is None]


def _options(question: Question) -> list[dict[str, Any]]:
    if question.type is QuestionType.LIKERT:
        return [
            {"code": code, "label": in_languages(lambda label=label: label)}
            for code, label in likert_choices()
        ]
    return [
        {"code": o["code"], "label": {lang: o.get(lang) or o["es"] for lang in languages()}}
        for o in question.options
    ]


def question(item: Question, sections: dict[int, str]) -> dict[str, Any]:
    return {
        "key": item.key,
        "section": sections.get(item.section_id) if item.section_id else None,
        "type": coded(item.type),
        "required": bool(item.required),
        "prompt": texts(item, "prompt"),
        "help": texts(item, "help"),
        "options": _options(item),
    }


def questions(consultation: Consultation) -> list[dict[str, Any]]:
    """Every question in reading order: each section's, then those on the whole draft."""
    keys = {s.id: s.key for s in consultation.sections}
    ordered = [q for s in consultation.sections for q in s.questions]
    ordered += consultation.general_questions
    return [question(q, keys) for q in ordered]


def consultation_detail(consultation: Consultation) -> dict[str, Any]:
    """One consultation with its sections and questions."""
    return {
        **consultation_summary(consultation),
        "contributions": [
            {"code": c["code"], "label": {lang: c.get(lang) or c["es"] for lang in languages()}}
            for c in consultation.contributions
        ],
        "sections": sections_tree(consultation),
        "questions": questions(consultation),
    }


# ---------------------------------------------------------------- published comments


def passage(comment: PublishedComment) -> dict[str, Any] | None:
    """The passage a comment is on, as its author read it; None when on the whole section.
    ``number`` and ``kind`` are null when the section's current text no longer has it."""
    if not comment.anchor:
        return None
    return {
        "anchor": comment.anchor,
        "number": comment.passage_number,
        "kind": comment.passage_kind,
        "text": comment.passage_text,
    }


def comment_page(consultation: Consultation, page: CommentPage, links: dict) -> dict[str, Any]:
    """One page of published comments with what a client needs to page on."""
    return {
        "consultation": consultation.slug,
        "page": page.number,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        "links": links,
        "items": [
            {
                "id": c.id,
                "section": c.section,
                "text": c.text,
                "contribution": c.contribution,
                "stakeholder_type": c.stakeholder_type,
                "stakeholder_group": c.stakeholder_group,
                "author": c.author,
                "published_at": moment(c.published_at, consultation),
                "themes": list(c.themes),
                "passage": passage(c),
                "proposal": c.proposal,
            }
            for c in page.items
        ],
    }


# ---------------------------------------------------------------- decisions


def decision(found: PublicDecision | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        **coded(found.decision),
        "reason": {"es": found.reason_es, "en": found.reason_en},
    }


def theme(item: PublicTheme) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "comments": item.comments,
        "decision": decision(item.decision),
    }


def decisions(consultation: Consultation, found: PublicDecisions) -> dict[str, Any]:
    """Decisions on themes and sections with their reasons, and how many comments each
    kind of decision applies to (a comment's own decision is never shown alone)."""
    return {
        "consultation": consultation.slug,
        "themes": [theme(t) for t in found.themes],
        "sections": [
            {
                "key": s.key,
                "number": s.number,
                "title": {"es": s.title_es, "en": s.title_en},
                "comments": s.comments,
                "decision": decision(s.decision),
            }
            for s in found.sections
        ],
        "comments": [
            {"decision": coded(c.decision), "applied": c.applied, "own": c.own}
            for c in found.comments
        ],
    }


# ---------------------------------------------------------------- the outcome


def _decided(found: Decided | None) -> dict[str, Any] | None:
    """A decision with its reason in the document's language."""
    if found is None:
        return None
    return {"code": found.decision.value, "label": found.decision.label, "reason": found.reason}


def _section_outcome(item: SectionOutcome) -> dict[str, Any]:
    return {
        "key": item.key,
        "number": item.number,
        "title": item.title,
        "comments": item.comments,
        "decision": _decided(item.decision),
    }


def _counts(items: list[DecisionCount]) -> list[dict[str, Any]]:
    return [
        {
            "decision": c.decision.value,
            "label": c.decision.label,
            "applied": c.applied,
            "own": c.own,
        }
        for c in items
    ]


def outcome(
    consultation: Consultation, summary: OutcomeSummary, *, language: str, responses: int
) -> dict[str, Any]:
    """ "You said, we did" in one language: themes, decisions, changes, what was not taken
    up; ``responses`` as the open report counts them."""
    slug = consultation.slug
    return {
        "consultation": slug,
        "language": language,
        "min_cell": summary.min_cell,
        "responses": responses,
        "comments": summary.comments,
        "themes": [
            {
                "id": t.id,
                "name": t.name,
                "comments": t.comments,
                "decision": _decided(t.decision),
                "quotes": [
                    {
                        "comment": q.comment_id,
                        "section": q.section_key,
                        "text": q.text,
                        "author": q.author,
                        "stakeholder_type": q.stakeholder_type,
                    }
                    for q in t.quotes
                ],
            }
            for t in summary.themes
        ],
        "sections": [_section_outcome(s) for s in summary.sections],
        "changes": [
            {
                "version": c.version,
                "version_note": c.version_note,
                "section": c.section.key,
                "explanation": c.explanation,
                "themes": [{"name": t.name, "comments": t.comments} for t in c.themes],
                "comments": c.comments,
            }
            for c in summary.changes
        ],
        "not_taken_up": {
            "themes": [t.id for t in summary.not_taken_up.themes],
            "sections": [s.key for s in summary.not_taken_up.sections],
            "comments": _counts(summary.not_taken_up.comments),
        },
        "comment_decisions": _counts(summary.comment_decisions),
        "links": {
            "html": url_for("public.show_outcome", slug=slug, _external=True),
            "pdf": url_for("public.download_outcome_pdf", slug=slug, _external=True),
            "decisions": url_for("api.get_decisions", slug=slug, _external=True),
        },
    }
