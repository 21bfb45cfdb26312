"""What each mapped column may hold, and a label in a file turned into an option's code.

Pure: a question's or a profile field's options, the agreement scale's usual wordings in
Spanish and English, a cell split into the labels of a multiple choice. Labels are compared
after ``normalise`` (accents, case and spacing ignored), so "JUNIN" is Junín's label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babel import Locale

from ..models import Consultation, Question
from ..models.vocab import LIKERT_DONT_KNOW, Publication, QuestionType, RespondingAs
from .mapping import Source

#: The agreement scale as form tools and paper forms word it (Spanish, then English).
LIKERT_LABELS = {
    "5": (
        "Muy de acuerdo",
        "Totalmente de acuerdo",
        "Completamente de acuerdo",
        "Strongly agree",
        "Completely agree",
    ),
    "4": ("De acuerdo", "Agree"),
    "3": ("Ni de acuerdo ni en desacuerdo", "Neutral", "Indiferente", "Neither agree nor disagree"),
    "2": ("En desacuerdo", "Disagree"),
    "1": (
        "Muy en desacuerdo",
        "Totalmente en desacuerdo",
        "Completamente en desacuerdo",
        "Strongly disagree",
        "Completely disagree",
    ),
    LIKERT_DONT_KNOW: (
        "No sé",
        "No sabe",
        "No sé / No opino",
        "No opina",
        "NS/NO",
        "Don't know",
        "Do not know",
    ),
}
RESPONDING_AS_LABELS = {
    RespondingAs.INDIVIDUAL.value: (
        "A título personal",
        "A título individual",
        "Persona natural",
        "Como persona",
        "Individual",
        "As an individual",
    ),
    RespondingAs.ORGANISATION.value: (
        "En representación de una organización",
        "Organización",
        "Como organización",
        "Institución",
        "On behalf of an organisation",
        "Organisation",
        "Organization",
    ),
}
PUBLICATION_LABELS = {
    Publication.NAMED.value: (
        "Sí, con mi nombre",
        "Publicar con mi nombre",
        "Con nombre",
        "Yes, with my name",
        "Named",
    ),
    Publication.ANONYMOUS.value: (
        "Sí, de forma anónima",
        "Sí, anónimamente",
        "Anónimo",
        "Publicar de forma anónima",
        "Yes, anonymously",
        "Anonymous",
    ),
    Publication.PRIVATE.value: (
        "No",
        "No publicar",
        "No publicar mis comentarios",
        "Privado",
        "Do not publish",
        "Private",
    ),
}


def normalise(text: str) -> str:
    """A label as compared: accents, case, spacing and closing full stops ignored."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split()).strip(" .")


@dataclass(frozen=True)
class Target:
    """What a column holds: its kind and the (code, Spanish, English) of its options."""

    #: "choice", "multiple", "ranking", "text", "country"
    kind: str
    options: tuple[tuple[str, str, str], ...] = ()
    #: Longest text accepted, for text.
    limit: int = 0

    @property
    def listed(self) -> bool:
        return self.kind in ("choice", "multiple", "ranking")

    def label(self, code: str, language: str) -> str:
        for option, es, en in self.options:
            if option == code:
                return (en if language == "en" else es) or es or code
        return code


def _vocabulary(labels: dict[str, tuple[str, ...]]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (code, words[0], next((w for w in words if w.isascii()), words[0]))
        for code, words in labels.items()
    )


def question_target(question: Question, max_chars: int) -> Target:
    """What an answer to ``question`` may be (the web form's limits: 300 for a short text)."""
    match question.type:
        case QuestionType.LIKERT:
            return Target("choice", _vocabulary(LIKERT_LABELS))
        case QuestionType.SINGLE_CHOICE:
            return Target("choice", _options(question.options))
        case QuestionType.MULTIPLE_CHOICE:
            return Target("multiple", _options(question.options))
        case QuestionType.RANKING:
            return Target("ranking", _options(question.options))
        case QuestionType.SHORT_TEXT:
            return Target("text", limit=SHORT_TEXT_CHARS)
        case _:
            return Target("text", limit=max_chars)


#: As the web form's short-text answer (``public.forms``).
SHORT_TEXT_CHARS = 300
#: As the web form's organisation name and display name.
NAME_CHARS = 200
EMAIL_CHARS = 254


def _options(options) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (o["code"], o.get("es") or o["code"], o.get("en") or o.get("es", "")) for o in options
    )


def profile_target(consultation: Consultation, key: str) -> Target:
    if key == "responding_as":
        return Target("choice", _vocabulary(RESPONDING_AS_LABELS))
    if key == "country":
        return Target("country")
    field = consultation.profile[key]
    if field is None or not field.options:
        return Target("text", limit=NAME_CHARS)
    return Target(
        "choice",
        tuple((o.code, o.labels.get("es", o.code), o.labels.get("en", "")) for o in field.options),
    )


def publication_target() -> Target:
    return Target("choice", _vocabulary(PUBLICATION_LABELS))


def contribution_target(consultation: Consultation) -> Target:
    return Target(
        "choice",
        tuple(
            (c["code"], c.get("es", c["code"]), c.get("en", "")) for c in consultation.contributions
        ),
    )


def known_labels(target: Target, source: Source) -> dict[str, str]:
    """Normalised label → code: the mapping's own labels first, then the options' words."""
    known: dict[str, str] = {}
    vocab = {**LIKERT_LABELS} if target.options == _vocabulary(LIKERT_LABELS) else {}
    vocab |= RESPONDING_AS_LABELS if target.options == _vocabulary(RESPONDING_AS_LABELS) else {}
    vocab |= PUBLICATION_LABELS if target.options == _vocabulary(PUBLICATION_LABELS) else {}
    for code, words in vocab.items():
        for word in words:
            known.setdefault(normalise(word), code)
    for code, es, en in target.options:
        for word in (code, es, en):
            if word:
                known.setdefault(normalise(word), code)
    codes = {code for code, _es, _en in target.options}
    for label, code in source.labels.items():
        if code in codes or not codes:
            known[normalise(label)] = code
    return known


def split_labels(cell: str, known: dict[str, str], separators: str) -> list[tuple[str, str | None]]:
    """The labels a multiple-choice cell names, in order, each with its code (None: not
    recognised). Pieces are rejoined when a label itself holds a separator ("Datos, IA")."""
    if normalise(cell) in known:
        return [(cell.strip(), known[normalise(cell)])]
    pattern = "|".join(re.escape(s) for s in separators) or ";"
    pieces = re.split(pattern, cell)
    found: list[tuple[str, str | None]] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            match = next(
                (
                    joiner.join(pieces[start:end])
                    for joiner in separators or ";"
                    if normalise(joiner.join(pieces[start:end])) in known
                ),
                None,
            )
            if match is not None:
                found.append((match.strip(), known[normalise(match)]))
                start = end
                break
        else:
            if normalise(pieces[start]):
                found.append((pieces[start].strip(), None))
            start += 1
    return found


def country_code(text: str) -> str | None:
    """An ISO 3166 code from a code or a country's Spanish or English name."""
    plain = text.strip()
    if len(plain) == 2 and plain.isalpha():
        return plain.upper()
    wanted = normalise(plain)
    for language in ("es", "en"):
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and normalise(name) == wanted:
                return code
    return None
