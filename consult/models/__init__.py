"""The models, imported here so Alembic and the app see every table.

May import: ``extensions`` only; everything else imports the models.
"""

from .authoring import ConsultationEditor, TextRevision
from .consultation import Consultation, Question, Section
from .importing import ResponseImport
from .insight import (
    CopyCluster,
    CopyMember,
    InsightRun,
    OpinionGroup,
    OpinionMap,
    ReferencePopulation,
    SuggestionMember,
    ThemeSuggestion,
    opinion_member,
)
from .mail import OutgoingMail
from .outcome import (
    DraftChange,
    DraftVersion,
    OutcomeDecision,
    SectionText,
    change_comment,
    change_theme,
)
from .papers import PositionPaper
from .profile import ProfileField, ProfileOption, RespondentTrait
from .response import Answer, AnswerChoice, Comment, GateAnswer, Response
from .review import AuditEntry, Note, Theme, answer_theme, comment_theme
from .user import ConsoleSession, SignInFailure, User

__all__ = [
    "Answer",
    "AnswerChoice",
    "AuditEntry",
    "Comment",
    "ConsoleSession",
    "CopyCluster",
    "CopyMember",
    "InsightRun",
    "OpinionGroup",
    "OpinionMap",
    "ReferencePopulation",
    "SuggestionMember",
    "ThemeSuggestion",
    "Consultation",
    "ConsultationEditor",
    "DraftChange",
    "DraftVersion",
    "OutcomeDecision",
    "OutgoingMail",
    "PositionPaper",
    "SectionText",
    "change_comment",
    "change_theme",
    "GateAnswer",
    "Note",
    "ProfileField",
    "ProfileOption",
    "Question",
    "RespondentTrait",
    "Response",
    "ResponseImport",
    "Section",
    "SignInFailure",
    "TextRevision",
    "Theme",
    "User",
    "answer_theme",
    "comment_theme",
    "opinion_member",
]
