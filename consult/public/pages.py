"""The order of a consultation's pages, and a response shown page by page."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _

from ..models import Consultation, Question, Response, Section
from ..models.columns import current_language
from ..models.vocab import QuestionType, RespondingAs, likert_choices
from ..reports.grouping import field_name
from ..responding import AnswerValue, gate_answers, read_traits


def _page_sections(consultation: Consultation) -> list[Section | None]:
    """Every answerable page in reading order: its section, or None for the general page."""
    pages: list[Section | None] = list(consultation.sections)
    if consultation.general_questions:
        pages.append(None)
    return pages


def _describe(consultation: Consultation, section: Section | None) -> tuple[str, str]:
    """(title, url) of one page."""
    if section is None:
        return _general_title(), url_for("public.show_general", slug=consultation.slug)
    url = url_for("public.show_section", slug=consultation.slug, key=section.key)
    return f"{section.number}. {section.title}", url


def _pages(consultation: Consultation) -> list[tuple[Section | None, str, str]]:
    """Every answerable page in reading order: (section or None, title, url)."""
    return [(s, *_describe(consultation, s)) for s in _page_sections(consultation)]


def _general_title() -> str:
    return _("The draft as a whole")


def _neighbour(consultation: Consultation, section: Section | None, step: int):
    pages = _page_sections(consultation)
    index = next(i for i, page in enumerate(pages) if page is section)
    target = index + step
    if 0 <= target < len(pages):
        return _describe(consultation, pages[target])
    return None


def page_before(consultation: Consultation, section: Section | None) -> tuple[str, str] | None:
    """(title, url) of the previous page, if any."""
    return _neighbour(consultation, section, -1)


def page_after(consultation: Consultation, section: Section | None) -> tuple[str, str] | None:
    """(title, url) of the next page, if any."""
    return _neighbour(consultation, section, +1)


def answers_by_key(response: Response) -> dict[str, AnswerValue]:
    """The response's answers as form values, by question key."""
    out: dict[str, AnswerValue] = {}
    for answer in response.answers:
        question = answer.question
        out[question.key] = (
            answer.codes
            if question.type
            in (
                QuestionType.MULTIPLE_CHOICE,
                QuestionType.RANKING,
            )
            else answer.value
        )
    return out


def display_value(question: Question, value: AnswerValue) -> str | list[str]:
    """What an answer says, in words: a label, a list of labels, or the text itself."""
    if question.type is QuestionType.LIKERT:
        return str(dict(likert_choices()).get(value or "", value or ""))
    labels = dict(question.option_choices())
    if question.type is QuestionType.SINGLE_CHOICE:
        return labels.get(value or "", value or "")
    if isinstance(value, list):
        return [labels.get(code, code) for code in value]
    return value or ""


@dataclass
class ReviewRow:
    """One page of a response: what was answered there."""

    title: str
    url: str
    answers: list[tuple[Question, str | list[str]]] = field(default_factory=list)
    comment: tuple[str, str | None] | None = None
    ranked: set[str] = field(default_factory=set)
    #: The answer to the section's yes/no question: True, False, or None (not asked).
    gate: bool | None = None
    #: Comments on passages of the section, in the order written.
    passages: list[PassageRow] = field(default_factory=list)

    @property
    def declined(self) -> bool:
        """The person chose not to answer this section."""
        return self.gate is False

    @property
    def is_empty(self) -> bool:
        return not self.answers and self.comment is None and not self.declined and not self.passages


@dataclass(frozen=True)
class PassageRow:
    """A comment on one passage, as the review shows it."""

    #: The passage's words as the respondent read them.
    passage: str
    text: str
    contribution: str | None
    proposal: str | None
    url: str


def review_rows(consultation: Consultation, response: Response) -> list[ReviewRow]:
    """The response page by page, including the pages it left blank."""
    values = answers_by_key(response)
    comments = {c.section_id: c for c in response.comments if not c.anchor}
    gates = gate_answers(response)
    # The questions by page, once: not every question read again for every page.
    by_page: dict[int | None, list[Question]] = {}
    for question in consultation.questions:
        by_page.setdefault(question.section_id, []).append(question)
    rows = []
    for section, title, url in _pages(consultation):
        row = ReviewRow(title, url)
        section_id = section.id if section else None
        for question in by_page.get(section_id, ()):
            if question.key in values:
                row.answers.append((question, display_value(question, values[question.key])))
                if question.type is QuestionType.RANKING:
                    row.ranked.add(question.key)
        comment = comments.get(section_id) if section_id else None
        if comment is not None:
            row.comment = (
                comment.text,
                consultation.contribution_label(comment.contribution, current_language()),
            )
        if section is not None:
            row.passages = [
                _passage_row(consultation, section, c)
                for c in response.comments
                if c.anchor and c.section_id == section.id
            ]
        if section is not None and section.gated:
            row.gate = gates.get(section.id)
        rows.append(row)
    return rows


def _passage_row(consultation: Consultation, section: Section, comment) -> PassageRow:
    return PassageRow(
        comment.passage_text or "",
        comment.text,
        consultation.contribution_label(comment.contribution, current_language()),
        comment.proposal,
        url_for(
            "public.show_passage", slug=consultation.slug, key=section.key, anchor=comment.anchor
        ),
    )


def profile_summary(consultation: Consultation, response: Response) -> list[tuple[str, str]]:
    """(what, answer) of each profile field the consultation asks and the response answered.

    Shown to the respondent on their review and private pages, and to coordinators; never
    on a public page.
    """
    language = current_language()
    profile = consultation.profile
    traits = read_traits(profile, response.id)
    rows: list[tuple[str, str]] = []
    for asked in profile.fields:
        if not asked.asked or asked.key in ("organisation_name", "organisation_size"):
            continue
        if asked.key == "responding_as":
            if response.responding_as is None:
                continue
            answer = RespondingAs(response.responding_as).label
            if response.organisation_name:
                size = profile.label("organisation_size", response.organisation_size, language)
                answer += f": {response.organisation_name}" + (f" ({size})" if size else "")
            rows.append((field_name(profile, asked.key, language), answer))
            continue
        code = getattr(response, asked.key) if asked.standard else traits.get(asked.key)
        label = profile.label(asked.key, code, language)
        if label is None:
            continue
        if asked.key == "region" and response.country:
            label += f" ({response.country})"
        rows.append((field_name(profile, asked.key, language), label))
    return rows
