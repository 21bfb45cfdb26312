"""consult's own fixed vocabularies, stored as short codes and shown translated.

A consultation's lists (stakeholder types and their groups, regions, sizes, gender, age
bands, contribution choices) are not here: they come from its bundle (models/profile.py).

Each enumeration's ``label`` is the text a person sees; ``choices()`` feeds a form.
"""

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l


class Vocabulary(StrEnum):
    """A StrEnum whose members carry a translated label."""

    @property
    def label(self) -> str:
        return str(self._labels()[self])

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(code, label) pairs; labels stay lazy so a form built once translates per request."""
        labels = cls._labels()
        return [(member.value, labels[member]) for member in cls]


class RespondingAs(Vocabulary):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.INDIVIDUAL: _l("As an individual"),
            cls.ORGANISATION: _l("On behalf of an organisation"),
        }


class Publication(Vocabulary):
    NAMED = "named"
    ANONYMOUS = "anonymous"
    PRIVATE = "private"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.NAMED: _l("Publish my comments with my name"),
            cls.ANONYMOUS: _l("Publish my comments anonymously"),
            cls.PRIVATE: _l("Do not publish my comments"),
        }


class ResponseStatus(Vocabulary):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.DRAFT: _l("Draft"),
            cls.SUBMITTED: _l("Submitted"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }


class QuestionType(Vocabulary):
    LIKERT = "likert"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    RANKING = "ranking"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.LIKERT: _l("Agreement scale"),
            cls.SINGLE_CHOICE: _l("Single choice"),
            cls.MULTIPLE_CHOICE: _l("Multiple choice"),
            cls.RANKING: _l("Ranking"),
            cls.SHORT_TEXT: _l("Short text"),
            cls.LONG_TEXT: _l("Long text"),
        }

    @property
    def has_options(self) -> bool:
        return self in (self.SINGLE_CHOICE, self.MULTIPLE_CHOICE, self.RANKING)


class ConsultationStatus(Vocabulary):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.UPCOMING: _l("Not yet open"),
            cls.OPEN: _l("Open"),
            cls.CLOSED: _l("Closed"),
        }


class ShareBase(Vocabulary):
    """What an agreement share is a share of: a per-consultation choice, always stated."""

    #: Valid answers: everyone who chose a point of the scale ("don't know" left out).
    VALID = "valid"
    #: Everyone who answered the item, "don't know" included.
    ANSWERED = "answered"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.VALID: _l("Shares of those who gave an opinion (“don't know” left out)"),
            cls.ANSWERED: _l(
                "Shares of everyone who answered the question (“don't know” included)"
            ),
        }


#: The likert scale: codes stored in ``Answer.value``.
LIKERT_DONT_KNOW = "dk"


def likert_choices() -> list[tuple[str, Any]]:
    return [
        ("1", _l("Strongly disagree")),
        ("2", _l("Disagree")),
        ("3", _l("Neither agree nor disagree")),
        ("4", _l("Agree")),
        ("5", _l("Strongly agree")),
        (LIKERT_DONT_KNOW, _l("Don't know")),
    ]


class ModerationState(Vocabulary):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PENDING: _l("Awaiting moderation"),
            cls.PUBLISHED: _l("Published"),
            cls.REJECTED: _l("Not published"),
        }


class RejectionReason(Vocabulary):
    OFF_TOPIC = "off_topic"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    DUPLICATE = "duplicate"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.OFF_TOPIC: _l("Off-topic"),
            cls.OFFENSIVE: _l("Offensive"),
            cls.PERSONAL_DATA: _l("Contains personal data"),
            cls.SPAM: _l("Spam"),
            cls.DUPLICATE: _l("Duplicate"),
        }


class Decision(Vocabulary):
    """What the organiser decided about a contribution ("you said, we did")."""

    ACCEPTED = "accepted"
    PARTLY = "partly"
    NOT_ACCEPTED = "not_accepted"
    OUT_OF_SCOPE = "out_of_scope"
    ALREADY = "already_in_draft"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ACCEPTED: _l("Accepted"),
            cls.PARTLY: _l("Partly accepted"),
            cls.NOT_ACCEPTED: _l("Not accepted"),
            cls.OUT_OF_SCOPE: _l("Outside the scope"),
            cls.ALREADY: _l("Already in the draft"),
        }


class Role(Vocabulary):
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.COORDINATOR: _l("Coordinator"), cls.ADMIN: _l("Administrator")}


class RunStatus(Vocabulary):
    """Where a run of the insight analyses stands."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.RUNNING: _l("Running"), cls.DONE: _l("Finished"), cls.FAILED: _l("Failed")}


class CopyKind(Vocabulary):
    """How the comments of a cluster of copies resemble each other."""

    EXACT = "exact"
    NEAR = "near"
    TEMPLATE = "template"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.EXACT: _l("Exact copies"),
            cls.NEAR: _l("Near copies"),
            cls.TEMPLATE: _l("Template campaign"),
        }


class Verdict(Vocabulary):
    """A person's word on something a machine suggested (a cluster, a theme)."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.SUGGESTED: _l("Suggested, not yet reviewed"),
            cls.CONFIRMED: _l("Confirmed"),
            cls.DISMISSED: _l("Dismissed"),
        }


class Stage(Vocabulary):
    """Where a consultation stands, as a person decides it; dates open and close ``running``."""

    PREPARATION = "preparation"
    RUNNING = "running"
    ANALYSIS = "analysis"
    OUTCOME = "outcome"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PREPARATION: _l("In preparation"),
            cls.RUNNING: _l("Open or closed by its dates"),
            cls.ANALYSIS: _l("In analysis"),
            cls.OUTCOME: _l("Outcome published"),
        }


class Channel(Vocabulary):
    """How a response reached consult: its own form, a file from another tool, or paper
    typed in. An imported response names its file (``ResponseImport``)."""

    ONLINE = "online"
    IMPORT = "import"
    PAPER = "paper"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ONLINE: _l("Online form"),
            cls.IMPORT: _l("Imported file"),
            cls.PAPER: _l("Paper form"),
        }


class MailStatus(Vocabulary):
    """Where a message of the outbox stands (``models.mail``)."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.QUEUED: _l("Waiting to be sent"),
            cls.SENT: _l("Sent"),
            cls.FAILED: _l("Not sent: gave up after retrying"),
        }
