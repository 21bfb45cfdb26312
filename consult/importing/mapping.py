"""The mapping: which column of a file is which part of a response (docs/importing-responses.md).

A YAML document, written by hand, suggested by ``consult import-responses
--suggest-mapping``, or built by the console's pages::

    channel: import            # or paper
    locale: es                 # the language the respondents wrote in
    timestamp: {column: Marca temporal, format: "%d/%m/%Y %H:%M:%S"}
    email: Dirección de correo electrónico
    name: Nombre
    publication: {column: ¿Podemos publicar sus comentarios?, labels: {Sí, con mi nombre: named}}
    profile:
      stakeholder_type: {column: Tipo de actor, labels: {Startup: company}}
      region: {column: Región}
      responding_as: {value: organisation}     # a constant: every row the same
    questions:
      q-5-1-agree: {column: "5.1 Estoy de acuerdo con la meta propuesta"}
      q-strengthen: {column: ¿Qué debería reforzar…?, separator: ";"}
    comments:
      "5-1": {column: Comentarios 5.1, contribution: {column: Aporte 5.1}}
    ignore: [Puntuación]

``labels`` map a file's label to an option's code; a label not listed is matched to the
option's Spanish or English label or code, ignoring accents, case and spacing. This module
reads, writes and checks the document against the consultation and the file; converting
rows is ``rows``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from flask_babel import lazy_gettext as _l

from ..models import Consultation
from ..models.profile import GROUPS_KEY
from ..models.vocab import Channel

DEFAULT_TIMESTAMP_FORMAT = "%d/%m/%Y %H:%M:%S"
#: Profile keys a mapping may give besides the consultation's fields.
_EXTRA_PROFILE = ("country",)


class MappingError(ValueError):
    """A mapping that cannot be used; ``messages`` says every reason."""

    def __init__(self, messages: list) -> None:
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


@dataclass
class Source:
    """Where one value comes from: a column (its labels mapped to codes) or a constant."""

    column: str | None = None
    value: str | None = None
    #: A label as the file writes it → the option's code.
    labels: dict[str, str] = field(default_factory=dict)
    #: For a multiple choice or a ranking: what separates the labels in a cell.
    separator: str = ";,"


@dataclass
class CommentSource:
    column: str
    contribution: Source | None = None


@dataclass
class Mapping:
    channel: Channel = Channel.IMPORT
    locale: str = "es"
    timestamp: str | None = None
    timestamp_format: str = DEFAULT_TIMESTAMP_FORMAT
    email: str | None = None
    name: str | None = None
    publication: Source | None = None
    profile: dict[str, Source] = field(default_factory=dict)
    questions: dict[str, Source] = field(default_factory=dict)
    comments: dict[str, CommentSource] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)

    def columns(self) -> list[tuple[str, str]]:
        """(column, what it is) of every column the mapping reads."""
        used: list[tuple[str, str]] = []
        if self.timestamp:
            used.append((self.timestamp, "timestamp"))
        for what, column in (("email", self.email), ("name", self.name)):
            if column:
                used.append((column, what))
        if self.publication and self.publication.column:
            used.append((self.publication.column, "publication"))
        used += [(s.column, f"profile:{k}") for k, s in self.profile.items() if s.column]
        used += [(s.column, f"question:{k}") for k, s in self.questions.items() if s.column]
        for key, comment in self.comments.items():
            used.append((comment.column, f"comment:{key}"))
            if comment.contribution and comment.contribution.column:
                used.append((comment.contribution.column, f"contribution:{key}"))
        return used


def _source(raw, where: str, errors: list) -> Source | None:
    if isinstance(raw, str):
        return Source(column=raw)
    if not isinstance(raw, dict) or not ({"column", "value"} & set(raw)):
        errors.append(_l("%(where)s: give a column or a value.", where=where))
        return None
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict):
        errors.append(_l("%(where)s: labels must map a label to a code.", where=where))
        labels = {}
    return Source(
        column=str(raw["column"]) if raw.get("column") is not None else None,
        value=str(raw["value"]) if raw.get("value") is not None else None,
        labels={str(k): str(v) for k, v in labels.items()},
        separator=str(raw.get("separator") or ";,"),
    )


def load_mapping(text: str) -> Mapping:
    """Read a mapping from its YAML; raise ``MappingError`` saying what is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise MappingError([_l("The mapping is not valid YAML: %(why)s", why=str(error))]) from None
    if not isinstance(raw, dict):
        raise MappingError([_l("The mapping must be a YAML mapping (key: value lines).")])
    errors: list = []
    mapping = Mapping()
    try:
        mapping.channel = Channel(str(raw.get("channel") or "import"))
    except ValueError:
        errors.append(_l("channel: import or paper."))
    if mapping.channel is Channel.ONLINE:
        errors.append(_l("channel: import or paper."))
    mapping.locale = str(raw.get("locale") or "es")
    stamp = raw.get("timestamp")
    if isinstance(stamp, dict):
        mapping.timestamp = str(stamp["column"]) if stamp.get("column") else None
        mapping.timestamp_format = str(stamp.get("format") or DEFAULT_TIMESTAMP_FORMAT)
    elif stamp:
        mapping.timestamp = str(stamp)
    mapping.email = str(raw["email"]) if raw.get("email") else None
    mapping.name = str(raw["name"]) if raw.get("name") else None
    if raw.get("publication"):
        mapping.publication = _source(raw["publication"], "publication", errors)
    for part in ("profile", "questions", "comments"):
        if not isinstance(raw.get(part) or {}, dict):
            errors.append(_l("%(part)s: must map keys to columns.", part=part))
            raw[part] = {}
    for key, spec in (raw.get("profile") or {}).items():
        if (found := _source(spec, f"profile.{key}", errors)) is not None:
            mapping.profile[str(key)] = found
    for key, spec in (raw.get("questions") or {}).items():
        if (found := _source(spec, f"questions.{key}", errors)) is not None:
            mapping.questions[str(key)] = found
    for key, spec in (raw.get("comments") or {}).items():
        column = spec.get("column") if isinstance(spec, dict) else spec
        if not column:
            errors.append(_l("%(where)s: give a column.", where=f"comments.{key}"))
            continue
        contribution = spec.get("contribution") if isinstance(spec, dict) else None
        mapping.comments[str(key)] = CommentSource(
            str(column),
            _source(contribution, f"comments.{key}.contribution", errors) if contribution else None,
        )
    mapping.ignore = [str(c) for c in raw.get("ignore") or []]
    if errors:
        raise MappingError(errors)
    return mapping


def _plain_source(source: Source) -> dict | str:
    if source.column and not source.labels and source.separator == ";,":
        return source.column
    out: dict = {}
    if source.column:
        out["column"] = source.column
    if source.value is not None:
        out["value"] = source.value
    if source.labels:
        out["labels"] = dict(source.labels)
    if source.separator != ";,":
        out["separator"] = source.separator
    return out


def dump_mapping(mapping: Mapping, heading: str = "") -> str:
    """The mapping as YAML, which ``load_mapping`` reads back the same."""
    raw: dict = {"channel": mapping.channel.value, "locale": mapping.locale}
    if mapping.timestamp:
        raw["timestamp"] = {"column": mapping.timestamp, "format": mapping.timestamp_format}
    if mapping.email:
        raw["email"] = mapping.email
    if mapping.name:
        raw["name"] = mapping.name
    if mapping.publication:
        raw["publication"] = _plain_source(mapping.publication)
    raw["profile"] = {k: _plain_source(s) for k, s in mapping.profile.items()}
    raw["questions"] = {k: _plain_source(s) for k, s in mapping.questions.items()}
    raw["comments"] = {
        key: (
            {"column": c.column, "contribution": _plain_source(c.contribution)}
            if c.contribution
            else {"column": c.column}
        )
        for key, c in mapping.comments.items()
    }
    raw["ignore"] = list(mapping.ignore)
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    lines = [f"# {line}" for line in heading.splitlines()] if heading else []
    return "\n".join([*lines, text])


def check_mapping(mapping: Mapping, consultation: Consultation, headers) -> list:
    """What makes the mapping unusable for this consultation and file (empty: usable)."""
    errors: list = []
    headers = set(headers)
    seen: dict[str, str] = {}
    for column, what in mapping.columns():
        if column not in headers:
            errors.append(
                _l("The file has no column “%(column)s” (%(what)s).", column=column, what=what)
            )
        elif column in seen:
            errors.append(
                _l(
                    "The column “%(column)s” is mapped twice (%(a)s, %(b)s).",
                    column=column,
                    a=seen[column],
                    b=what,
                )
            )
        seen.setdefault(column, what)
    profile = consultation.profile
    known = {f.key for f in profile.fields if f.asked and f.key != GROUPS_KEY} | set(_EXTRA_PROFILE)
    for key in mapping.profile:
        if key not in known:
            errors.append(_l("This consultation's profile asks no “%(key)s”.", key=key))
    questions = {q.key for q in consultation.questions}
    for key in mapping.questions:
        if key not in questions:
            errors.append(_l("This consultation has no question “%(key)s”.", key=key))
    sections = {s.key: s for s in consultation.sections}
    for key in mapping.comments:
        section = sections.get(key)
        if section is None:
            errors.append(_l("This consultation has no section “%(key)s”.", key=key))
        elif not section.comments_enabled:
            errors.append(_l("The section “%(key)s” takes no comments.", key=key))
    if any(c.contribution for c in mapping.comments.values()) and not consultation.contributions:
        errors.append(_l("This consultation asks no contribution type with its comments."))
    if not (mapping.questions or mapping.comments):
        errors.append(_l("The mapping gives no question and no comment column."))
    return errors
