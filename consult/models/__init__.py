"""The models, imported here so Alembic and the app see every table."""

from .consultation import Consultation, Question, Section
from .response import Answer, AnswerChoice, Comment, Response

__all__ = ["Answer", "AnswerChoice", "Comment", "Consultation", "Question", "Response", "Section"]
