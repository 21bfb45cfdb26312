"""A respondent's own response, as every one of their requests reads it: two Core queries
(three where a section is gated: its yes or no).

Each request of a person answering (a page, a save, the review, the submit) reads their
response with its answers and comments. Built through the ORM's identity map and eager
loaders, that read cost as much as rendering the page; here it is two plain queries
(the response with its comments, then its answers with their chosen options) into plain
objects that carry the same attribute names as the models, so pages and forms read them
alike. Their links point at the process's shared consultation (``public.cache``).

These objects belong to no session: the operations in ``responding`` change the rows
by id with Core statements. Coordinators' pages keep using the ORM models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Answer,
    AnswerChoice,
    Comment,
    Consultation,
    GateAnswer,
    Question,
    Response,
    Section,
)
from ..models.response import hash_token
from ..models.vocab import ModerationState, ResponseStatus

_RESPONSE = Response.__table__
_COMMENT = Comment.__table__
_ANSWER = Answer.__table__
_CHOICE = AnswerChoice.__table__
_GATE = GateAnswer.__table__

#: The response's columns, then its comments' (NULLs when it has none), one row each.
_WITH_COMMENTS = (
    sa.select(
        _RESPONSE,
        _COMMENT.c.id.label("comment_id"),
        _COMMENT.c.section_id.label("comment_section_id"),
        _COMMENT.c.anchor.label("comment_anchor"),
        _COMMENT.c.passage_text.label("comment_passage_text"),
        _COMMENT.c.proposal.label("comment_proposal"),
        _COMMENT.c.adopted_version.label("comment_adopted_version"),
        _COMMENT.c.text.label("comment_text"),
        _COMMENT.c.contribution.label("comment_contribution"),
        _COMMENT.c.moderation.label("comment_moderation"),
    )
    .outerjoin(_COMMENT, _COMMENT.c.response_id == _RESPONSE.c.id)
    .where(_RESPONSE.c.consultation_id == sa.bindparam("consultation_id"))
    .where(_RESPONSE.c.token_hash == sa.bindparam("token_hash"))
    .order_by(_COMMENT.c.id)
)
#: Its answers, with their chosen options in order (NULLs for an answer without).
_ANSWERS = (
    sa.select(
        _ANSWER.c.id,
        _ANSWER.c.question_id,
        _ANSWER.c.value,
        _CHOICE.c.option,
        _CHOICE.c.position,
    )
    .outerjoin(_CHOICE, _CHOICE.c.answer_id == _ANSWER.c.id)
    .where(_ANSWER.c.response_id == sa.bindparam("response_id"))
    .order_by(_ANSWER.c.id, _CHOICE.c.position, _CHOICE.c.option)
)
#: Its yes or no to each gated section it was asked about.
_GATES = sa.select(_GATE.c.section_id, _GATE.c.wants).where(
    _GATE.c.response_id == sa.bindparam("response_id")
)
_COLUMNS = tuple(_RESPONSE.c.keys())


@dataclass(eq=False)
class OwnChoice:
    option: str
    position: int | None


@dataclass(eq=False)
class OwnAnswer:
    id: int
    question_id: int
    value: str | None
    question: Question
    choices: list[OwnChoice] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        """Chosen option codes; for a ranking, most important first."""
        return [c.option for c in self.choices]


@dataclass(eq=False)
class OwnComment:
    id: int
    section_id: int
    text: str
    #: A code of the consultation's ``contributions``; None where it asks none.
    contribution: str | None
    moderation: ModerationState
    section: Section
    #: The passage it is about (``content.passages``); "" for the section as a whole.
    anchor: str = ""
    #: The passage's text as the respondent read it; None for a section comment.
    passage_text: str | None = None
    #: Wording the respondent proposed for the passage; None: none.
    proposal: str | None = None
    #: The version of the draft the proposal was adopted into; None: not adopted.
    adopted_version: int | None = None


@dataclass(eq=False)
class OwnGate:
    """The respondent's yes or no to a gated section."""

    section_id: int
    wants: bool


class OwnResponse:
    """The response's columns as attributes (``status``, ``reference``, ``region`` …), its
    ``answers``, ``comments`` and ``gates``, and ``consultation``: what the models would give."""

    answers: list[OwnAnswer]
    comments: list[OwnComment]
    gates: list[OwnGate]
    consultation: Consultation
    id: int
    status: ResponseStatus

    def __init__(self, columns: dict[str, Any], consultation: Consultation) -> None:
        self.__dict__.update(columns)
        self.consultation = consultation
        self.answers = []
        self.comments = []
        self.gates = []

    @classmethod
    def started(cls, values: dict[str, Any], consultation: Consultation) -> OwnResponse:
        """A draft just inserted with these values (the columns not given are empty)."""
        return cls({name: values.get(name) for name in _COLUMNS}, consultation)

    @property
    def is_editable(self) -> bool:
        """A draft or a submitted response can change while the consultation is open."""
        return self.status is not ResponseStatus.WITHDRAWN and self.consultation.is_open

    def section_comment(self, section: Section | None) -> OwnComment | None:
        """Its comment on the section as a whole (not on one of its passages)."""
        if section is None:
            return None
        return next((c for c in self.comments if c.section_id == section.id and not c.anchor), None)

    def passage_comments(self, section: Section) -> list[OwnComment]:
        """Its comments on passages of the section, in the order written."""
        return [c for c in self.comments if c.section_id == section.id and c.anchor]

    @property
    def shows_published_comments(self) -> bool:
        """Whether a comment of this response is on the public pages (if it is counted)."""
        return any(c.moderation is ModerationState.PUBLISHED for c in self.comments)


def load_own_response(consultation: Consultation, token: str | None) -> OwnResponse | None:
    """The response a secret token opens, within this consultation only."""
    if not token or len(token) > 128:
        return None
    rows = db.session.execute(
        _WITH_COMMENTS, {"consultation_id": consultation.id, "token_hash": hash_token(token)}
    ).all()
    if not rows:
        return None
    questions = {q.id: q for q in consultation.questions}
    sections = {s.id: s for s in consultation.sections}
    first = rows[0]._mapping
    response = OwnResponse({name: first[name] for name in _COLUMNS}, consultation)
    for row in rows:
        if row.comment_id is not None:
            response.comments.append(
                OwnComment(
                    row.comment_id,
                    row.comment_section_id,
                    row.comment_text,
                    row.comment_contribution,
                    row.comment_moderation,
                    sections[row.comment_section_id],
                    row.comment_anchor,
                    row.comment_passage_text,
                    row.comment_proposal,
                    row.comment_adopted_version,
                )
            )
    answers: dict[int, OwnAnswer] = {}
    for answer_id, question_id, value, option, position in db.session.execute(
        _ANSWERS, {"response_id": response.id}
    ):
        answer = answers.get(answer_id)
        if answer is None:
            answer = answers[answer_id] = OwnAnswer(
                answer_id, question_id, value, questions[question_id]
            )
            response.answers.append(answer)
        if option is not None:
            answer.choices.append(OwnChoice(option, position))
    if any(section.gated for section in consultation.sections):
        # A third query only where a section asks first whether to answer it.
        rows = db.session.execute(_GATES, {"response_id": response.id})
        response.gates = [OwnGate(section_id, wants) for section_id, wants in rows]
    return response
