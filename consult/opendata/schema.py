"""How each resource of the open-data package is described: Table Schema, in English and Spanish.

A column's ``title`` and ``description`` are in English (the data's column names are
English codes) and ``title_es``/``description_es`` say the same in Spanish. A code column
lists its codes (``enum``), taken from the consultation (its groups, types, options) or
from consult's vocabularies, so a data user learns every value a column may hold.

Counts below K: the open report prints a number of 1 to K−1 people or comments as "<K".
A CSV column of numbers cannot hold "<5" and still load as numbers, so such a count is
left empty and its ``*_suppressed`` column beside it says true (false where the number is
given). The aggregate results need no such column: there the open report pools small
groups into the row "other_groups" and leaves out a table whose total is below K.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: (English, Spanish)
Words = tuple[str, str]


@dataclass(frozen=True)
class Column:
    name: str
    #: A Table Schema type: string, integer, number, boolean, date, datetime.
    type: str
    title: Words
    description: Words = ("", "")
    required: bool = False
    #: The name of the list of codes it takes (``Codes``), if it is a code.
    codes: str | None = None

    def descriptor(self, codes: dict[str, list[str]]) -> dict[str, Any]:
        field: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title[0]}
        if self.description[0]:
            field["description"] = self.description[0]
        field["title_es"] = self.title[1]
        if self.description[1]:
            field["description_es"] = self.description[1]
        if self.type == "number":
            field["bareNumber"] = True
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.codes and codes.get(self.codes):
            constraints["enum"] = codes[self.codes]
        if constraints:
            field["constraints"] = constraints
        return field


@dataclass(frozen=True)
class Table:
    name: str
    title: Words
    description: Words
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    #: (our columns, the other resource, its columns)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def schema(self, codes: dict[str, list[str]]) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.descriptor(codes) for c in self.columns],
            "missingValues": [""],
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(ours), "reference": {"resource": other, "fields": list(theirs)}}
                for ours, other, theirs in self.foreign_keys
            ]
        return schema


def counted(name: str, title: Words, description: Words) -> tuple[Column, Column]:
    """A count that may be withheld below K, and its ``_suppressed`` flag."""
    return (
        Column(name, "integer", title, description),
        Column(
            f"{name}_suppressed",
            "boolean",
            (f"{title[0]}: fewer than K", f"{title[1]}: menos de K"),
            (
                f"True when {name} is 1 to K−1 and left empty (K is the package's min_cell).",
                f"Verdadero cuando {name} es de 1 a K−1 y se deja vacío (K es min_cell).",
            ),
            required=True,
        ),
    )


SECTION = Column(
    "section", "string", ("Section", "Sección"), ("Key of the section", "Clave de la sección")
)
QUESTION = Column(
    "question",
    "string",
    ("Question", "Pregunta"),
    ("Key of the question", "Clave de la pregunta"),
    required=True,
)
OPTION = Column(
    "option",
    "string",
    ("Option", "Opción"),
    ("Code of the option", "Código de la opción"),
    required=True,
)
GROUP = Column(
    "group",
    "string",
    ("Stakeholder group", "Grupo de actores"),
    (
        "Code of the reporting group; 'all' for everyone, 'other_groups' for the groups too small"
        " to be shown on their own, pooled",
        "Código del grupo; 'all' para todos, 'other_groups' para los grupos demasiado pequeños "
        "para mostrarse por separado, agrupados",
    ),
    required=True,
    codes="result_groups",
)
CONTRIBUTION = Column(
    "contribution",
    "string",
    ("Contribution", "Aporte"),
    ("What the comment contributes to (code)", "A qué aporta el comentario (código)"),
    codes="contributions",
)
LABEL_ES = Column("label_es", "string", ("Label (Spanish)", "Etiqueta (español)"))
LABEL_EN = Column("label_en", "string", ("Label (English)", "Etiqueta (inglés)"))
N = Column("n", "integer", ("Count", "Número"), required=True)
SHARE = ("Share (0 to 1)", "Proporción (0 a 1)")
DECISION = Column(
    "decision",
    "string",
    ("Decision", "Decisión"),
    ("Code of what was decided", "Código de lo decidido"),
    codes="decisions",
)
REASON_ES = Column(
    "reason_es",
    "string",
    ("Reason (Spanish)", "Motivo (español)"),
    ("The public reason given", "El motivo público"),
)
REASON_EN = Column(
    "reason_en",
    "string",
    ("Reason (English)", "Motivo (inglés)"),
    ("The public reason given", "El motivo público"),
)
