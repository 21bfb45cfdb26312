"""A mapping suggested from a file's headers and labels: a start a person checks and edits.

Each header is compared with what it could be (a profile field's usual names and its
prompt, a question's wording with its section's number and title, "Comentarios 5.1", the
timestamp of a form tool) and each label of a choice column with the options' Spanish and
English labels. Comparison is ``difflib``'s ratio of matching characters after accents,
case and spacing are set aside: headers and labels are a few words each, typed or cut
short by a form tool, and a character-level ratio forgives a typo or a missing accent;
the standard library's is deterministic and needs nothing fitted. (scikit-learn's TF-IDF
in the dependencies compares words across a corpus; it would score "5.1 Estoy de acuerdo"
and "5.2 Estoy de acuerdo" the same, which is exactly what must be told apart.)

Nothing suggested is used until a person confirms it: the command writes a file to read,
the console pre-fills its selects.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from ..models import Consultation
from ..models.profile import GROUPS_KEY
from . import labels as L
from .mapping import CommentSource, Mapping, Source
from .reading import Table

#: Usual headers for the profile's standard fields (Spanish and English).
PROFILE_NAMES = {
    "responding_as": ("Responde como", "Participa como", "Responding as"),
    "stakeholder_type": (
        "Tipo de actor",
        "Tipo de participante",
        "Sector al que pertenece",
        "Stakeholder type",
        "Type of stakeholder",
    ),
    "organisation_name": (
        "Nombre de la organización",
        "Organización",
        "Institución",
        "Organisation name",
        "Organization",
    ),
    "organisation_size": ("Tamaño de la organización", "Organisation size"),
    "region": ("Región", "Departamento", "Region"),
    "country": ("País", "Country"),
    "gender": ("Género", "Sexo", "Gender"),
    "age_band": ("Edad", "Rango de edad", "Age", "Age band"),
}
TIMESTAMP_NAMES = (
    "Marca temporal",
    "Fecha y hora",
    "Hora de finalización",
    "Timestamp",
    "Completion time",
    "Fecha",
)
EMAIL_NAMES = ("Dirección de correo electrónico", "Correo electrónico", "Email address", "Email")
NAME_NAMES = (
    "Nombre para publicar",
    "Nombre a publicar",
    "Nombre",
    "Nombre y apellidos",
    "Nombre completo",
    "Name",
    "Full name",
)
PUBLICATION_NAMES = (
    "¿Podemos publicar sus comentarios?",
    "Publicación de comentarios",
    "Publicar comentarios",
    "May we publish your comments?",
)
TIMESTAMP_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y",
)
#: Below this ratio a header is not matched to anything.
THRESHOLD = 0.62
#: Below this ratio a label is not matched to an option.
LABEL_THRESHOLD = 0.75
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)*)(?![\d.])")


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, L.normalise(a), L.normalise(b), autojunk=False).ratio()


def _numbered(header: str, number: str | None, score: float) -> float:
    """A header naming a section number: the right one counts for, another against."""
    found = _NUMBER.findall(header)
    if not found or number is None:
        return score
    return score + 0.15 if number in found else score * 0.5


def _candidates(consultation: Consultation) -> list[tuple[str, tuple[str, ...], str | None]]:
    """(what, texts it may be headed by, its section's number) for everything mappable."""
    out: list[tuple[str, tuple[str, ...], str | None]] = [
        ("timestamp", TIMESTAMP_NAMES, None),
        ("email", EMAIL_NAMES, None),
        ("name", NAME_NAMES, None),
    ]
    if consultation.asks_publication:
        out.append(("publication", PUBLICATION_NAMES, None))
    for field in consultation.profile.fields:
        if not field.asked or field.key == GROUPS_KEY:
            continue
        names = PROFILE_NAMES.get(field.key, ())
        prompts = tuple(p for p in (field.prompts.get("es"), field.prompts.get("en")) if p)
        out.append((f"profile:{field.key}", names + prompts + (field.key,), None))
    if consultation.profile.abroad_codes:
        out.append(("profile:country", PROFILE_NAMES["country"], None))
    for question in consultation.questions:
        section = question.section
        texts = [question.prompt_es, question.prompt_en]
        if section is not None:
            for prompt in (question.prompt_es, question.prompt_en):
                texts += [
                    f"{section.number} {prompt}",
                    f"{section.number} {section.title_es}: {prompt}",
                ]
        out.append(
            (
                f"question:{question.key}",
                tuple(texts),
                section.number if section is not None else None,
            )
        )
    for section in consultation.sections:
        if not section.comments_enabled:
            continue
        texts = (
            f"Comentarios {section.number}",
            f"Comentarios sobre {section.number} {section.title_es}",
            f"Comentario {section.number} {section.title_es}",
            f"Comments {section.number}",
            f"Comments on {section.number} {section.title_en}",
        )
        out.append((f"comment:{section.key}", texts, section.number))
        if consultation.contributions:
            out.append(
                (
                    f"contribution:{section.key}",
                    (
                        f"Tipo de aporte {section.number}",
                        f"Aporte {section.number}",
                        f"Contribution {section.number}",
                    ),
                    section.number,
                )
            )
    return out


def suggest_columns(headers, consultation: Consultation) -> dict[str, str]:
    """Header → what it most likely is (``timestamp``, ``profile:region``,
    ``question:q-5-1-agree``, ``comment:5-1`` …); headers matching nothing are left out."""
    scored = []
    for what, texts, number in _candidates(consultation):
        for header in headers:
            best = max(similarity(header, text) for text in texts)
            scored.append((_numbered(header, number, best), header, what))
    taken: dict[str, str] = {}
    used: set[str] = set()
    for score, header, what in sorted(scored, key=lambda s: -s[0]):
        if score < THRESHOLD:
            break
        if header not in taken and what not in used:
            taken[header] = what
            used.add(what)
    return taken


def guess_format(values: list[str]) -> str:
    """The timestamp format that reads most of the first values (day first on a tie)."""
    sample = values[:50]

    def reads(fmt: str) -> int:
        count = 0
        for value in sample:
            try:
                datetime.strptime(value.strip(), fmt)
                count += 1
            except ValueError:
                pass
        return count

    return max(TIMESTAMP_FORMATS, key=reads)


def mapping_from_columns(
    columns: dict[str, str], table: Table, consultation: Consultation, fmt: str | None = None
) -> Mapping:
    """The mapping saying what each column is (``suggest_columns``' form); others ignored."""
    mapping = Mapping()
    for header, what in columns.items():
        kind, _, key = what.partition(":")
        if kind == "timestamp":
            mapping.timestamp = header
            mapping.timestamp_format = fmt or guess_format(table.values(header))
        elif kind in ("email", "name"):
            setattr(mapping, kind, header)
        elif kind == "publication":
            mapping.publication = Source(column=header)
        elif kind == "profile":
            mapping.profile[key] = Source(column=header)
        elif kind == "question":
            mapping.questions[key] = Source(column=header)
        elif kind == "comment":
            mapping.comments.setdefault(key, CommentSource(header)).column = header
    for header, what in columns.items():
        kind, _, key = what.partition(":")
        if kind == "contribution" and key in mapping.comments:
            mapping.comments[key].contribution = Source(column=header)
    mapping.ignore = [h for h in table.headers if h not in columns]
    return mapping


def label_targets(mapping: Mapping, consultation: Consultation, max_chars: int = 5000):
    """(name, source, target) of every column whose labels become codes."""
    out = []
    if mapping.publication and mapping.publication.column:
        out.append(("publication", mapping.publication, L.publication_target()))
    for key, source in mapping.profile.items():
        target = L.profile_target(consultation, key)
        if target.listed and source.column:
            out.append((f"profile:{key}", source, target))
    questions = {q.key: q for q in consultation.questions}
    for key, source in mapping.questions.items():
        if key in questions:
            target = L.question_target(questions[key], max_chars)
            if target.listed:
                out.append((f"question:{key}", source, target))
    for key, comment in mapping.comments.items():
        if comment.contribution and comment.contribution.column:
            out.append(
                (f"contribution:{key}", comment.contribution, L.contribution_target(consultation))
            )
    return out


def distinct_labels(table: Table, source: Source, target: L.Target) -> list[str]:
    """Each label a column holds, once, in order of first appearance (lists split)."""
    seen: dict[str, None] = {}
    known = L.known_labels(target, source)
    for value in table.values(source.column or ""):
        if target.kind in ("multiple", "ranking"):
            pieces = [label for label, _code in L.split_labels(value, known, source.separator)]
        else:
            pieces = [value]
        for piece in pieces:
            seen.setdefault(piece.strip(), None)
    return [label for label in seen if label]


def suggest_label(label: str, source: Source, target: L.Target) -> str | None:
    """The option code a label most likely means; None if no option is close enough."""
    known = L.known_labels(target, source)
    if (code := known.get(L.normalise(label))) is not None:
        return code
    best, score = None, LABEL_THRESHOLD
    plain = L.normalise(label)
    for text, code in known.items():
        ratio = similarity(label, text)
        if len(text) > 3 and (plain.startswith(text) or text.startswith(plain)):
            ratio = max(ratio, 0.9)  # "Sector público (gobierno nacional …)": a longer wording
        if ratio >= score:
            best, score = code, ratio
    return best


def suggest_labels(table: Table, mapping: Mapping, consultation: Consultation) -> None:
    """Add to each choice column's labels those its own words do not match but a close
    option label does (in place)."""
    for _name, source, target in label_targets(mapping, consultation):
        known = L.known_labels(target, source)
        for label in distinct_labels(table, source, target):
            if L.normalise(label) in known:
                continue
            code = suggest_label(label, source, target)
            if code is not None:
                source.labels[label] = code


def suggest_mapping(table: Table, consultation: Consultation) -> Mapping:
    """A whole mapping to start from: columns by header, labels by similarity."""
    mapping = mapping_from_columns(
        suggest_columns(table.headers, consultation), table, consultation
    )
    suggest_labels(table, mapping, consultation)
    return mapping
