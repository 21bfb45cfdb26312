"""The Table Schema of every resource of the open-data package, in English and Spanish.

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


def _count(name: str, title: Words, description: Words) -> tuple[Column, Column]:
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
        "Code of the reporting group; 'all' for everyone, 'other_groups' for the groups too small to be shown on their own, pooled",
        "Código del grupo; 'all' para todos, 'other_groups' para los grupos demasiado pequeños para mostrarse por separado, agrupados",
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


def _likert_counts() -> tuple[Column, ...]:
    points = tuple(
        Column(
            f"count_{p}",
            "integer",
            (f"Answered {p}", f"Respondieron {p}"),
            (
                f"Respondents who chose point {p} of 5 (1: strongly disagree, 5: strongly agree)",
                f"Personas que eligieron el punto {p} de 5 (1: muy en desacuerdo, 5: muy de acuerdo)",
            ),
            required=True,
        )
        for p in range(1, 6)
    )
    shares = tuple(
        Column(
            f"share_{p}",
            "number",
            (f"Share {p}", f"Proporción {p}"),
            (
                f"count_{p} divided by the base share_base names",
                f"count_{p} dividido por la base que indica share_base",
            ),
        )
        for p in range(1, 6)
    )
    return (
        *points,
        Column("count_dk", "integer", ("Don't know", "No sabe"), required=True),
        *shares,
    )


TABLES: tuple[Table, ...] = (
    Table(
        "sections",
        ("Sections of the consulted text", "Secciones del texto consultado"),
        ("Each part of the text people commented on.", "Cada parte del texto que se comentó."),
        (
            Column(
                "section",
                "string",
                ("Section", "Sección"),
                ("Key of the section", "Clave de la sección"),
                required=True,
            ),
            Column(
                "number",
                "string",
                ("Number", "Número"),
                ("As the text numbers it", "Como la numera el texto"),
            ),
            Column("title_es", "string", ("Title (Spanish)", "Título (español)")),
            Column("title_en", "string", ("Title (English)", "Título (inglés)")),
        ),
        ("section",),
    ),
    Table(
        "questions",
        ("Questions", "Preguntas"),
        (
            "Every question of the form, in both languages.",
            "Cada pregunta del formulario, en ambos idiomas.",
        ),
        (
            QUESTION,
            Column(
                "type",
                "string",
                ("Type", "Tipo"),
                ("Kind of question", "Tipo de pregunta"),
                required=True,
                codes="question_types",
            ),
            Column(
                "position",
                "integer",
                ("Position", "Posición"),
                ("Order in the form", "Orden en el formulario"),
            ),
            Column(
                "section",
                "string",
                ("Section", "Sección"),
                (
                    "Key of its section; empty for a general question",
                    "Clave de su sección; vacío para una pregunta general",
                ),
            ),
            Column("prompt_es", "string", ("Question (Spanish)", "Pregunta (español)")),
            Column("prompt_en", "string", ("Question (English)", "Pregunta (inglés)")),
        ),
        ("question",),
        ((("section",), "sections", ("section",)),),
    ),
    Table(
        "options",
        ("Options of choice and ranking questions", "Opciones de preguntas de elección y orden"),
        (
            "The codes the results use, with their labels.",
            "Los códigos que usan los resultados, con sus etiquetas.",
        ),
        (QUESTION, OPTION, LABEL_ES, LABEL_EN),
        ("question", "option"),
        ((("question",), "questions", ("question",)),),
    ),
    Table(
        "contributions",
        ("What a comment may contribute to", "A qué puede aportar un comentario"),
        (
            "The consultation's list; empty where it asks none.",
            "La lista de la consulta; vacía si no la pide.",
        ),
        (
            Column("contribution", "string", ("Contribution", "Aporte"), required=True),
            LABEL_ES,
            LABEL_EN,
        ),
        ("contribution",),
    ),
    Table(
        "participation",
        ("Participation", "Participación"),
        (
            "Responses counted per category of each profile field, as the open report shows them (small categories pooled as 'other_groups'). The row field=all, category=all is the total.",
            "Respuestas contabilizadas por categoría de cada campo del perfil, como las muestra el informe abierto (categorías pequeñas agrupadas como 'other_groups'). La fila field=all, category=all es el total.",
        ),
        (
            Column(
                "field",
                "string",
                ("Profile field", "Campo del perfil"),
                (
                    "group, stakeholder_type, region, … or all",
                    "group, stakeholder_type, region, … o all",
                ),
                required=True,
            ),
            Column(
                "category",
                "string",
                ("Category", "Categoría"),
                (
                    "A code of the field's list; other_groups pools small ones",
                    "Un código de la lista del campo; other_groups agrupa las pequeñas",
                ),
                required=True,
            ),
            *_count(
                "responses",
                ("Responses", "Respuestas"),
                ("Submitted responses counted", "Respuestas enviadas contabilizadas"),
            ),
        ),
        ("field", "category"),
    ),
    Table(
        "participation_by_day",
        ("Responses by day", "Respuestas por día"),
        (
            "New responses per day in the consultation's time zone; days with fewer than K are merged into the next (since: first day merged).",
            "Respuestas nuevas por día en la zona horaria de la consulta; los días con menos de K se suman al siguiente (since: primer día sumado).",
        ),
        (
            Column("day", "date", ("Day", "Día"), required=True),
            Column("since", "date", ("Since", "Desde")),
            Column("responses", "integer", ("Responses", "Respuestas"), required=True),
            Column("cumulative", "integer", ("Cumulative", "Acumulado"), required=True),
        ),
        ("day",),
    ),
    Table(
        "likert",
        ("Agreement questions", "Preguntas de acuerdo"),
        (
            "One row per question and group: the open report's counts, shares and mean.",
            "Una fila por pregunta y grupo: los números, proporciones y media del informe abierto.",
        ),
        (
            QUESTION,
            GROUP,
            Column(
                "n",
                "integer",
                ("Answered", "Respondieron"),
                (
                    "Everyone who answered the question",
                    "Todas las personas que respondieron la pregunta",
                ),
                required=True,
            ),
            Column(
                "valid",
                "integer",
                ("Took a position", "Tomaron posición"),
                ("Those who did not answer don't know", "Quienes no respondieron no sabe"),
                required=True,
            ),
            *_likert_counts(),
            Column("mean", "number", ("Mean (1 to 5)", "Media (1 a 5)")),
            Column(
                "agree",
                "number",
                ("Agree", "De acuerdo"),
                ("Share choosing 4 or 5", "Proporción que eligió 4 o 5"),
            ),
            Column(
                "disagree",
                "number",
                ("Disagree", "En desacuerdo"),
                ("Share choosing 1 or 2", "Proporción que eligió 1 o 2"),
            ),
            Column(
                "net",
                "number",
                ("Net agreement", "Acuerdo neto"),
                ("agree minus disagree", "agree menos disagree"),
            ),
            Column("dk_share", "number", ("Don't know share", "Proporción no sabe")),
            Column(
                "share_base",
                "string",
                ("Share base", "Base de las proporciones"),
                ("What shares divide by: n or valid", "Entre qué se dividen: n o valid"),
                codes="share_bases",
            ),
        ),
        ("question", "group"),
        ((("question",), "questions", ("question",)),),
    ),
    Table(
        "choices",
        ("Single and multiple choice questions", "Preguntas de elección única y múltiple"),
        ("One row per question, option and group.", "Una fila por pregunta, opción y grupo."),
        (
            QUESTION,
            OPTION,
            GROUP,
            Column("n", "integer", ("Chose it", "La eligieron"), required=True),
            Column("respondents", "integer", ("Answered the question", "Respondieron la pregunta")),
            Column(
                "share", "number", SHARE, ("n divided by respondents", "n dividido por respondents")
            ),
        ),
        ("question", "option", "group"),
        ((("question", "option"), "options", ("question", "option")),),
    ),
    Table(
        "ranking",
        ("Ranking questions", "Preguntas de orden"),
        ("One row per question, option and group.", "Una fila por pregunta, opción y grupo."),
        (
            QUESTION,
            OPTION,
            GROUP,
            Column("n", "integer", ("Ranked it", "La ordenaron"), required=True),
            Column("top3", "integer", ("Among their first three", "Entre sus tres primeras")),
            Column("respondents", "integer", ("Answered the question", "Respondieron la pregunta")),
            Column("mean_rank", "number", ("Mean rank", "Posición media")),
            Column("borda", "number", ("Borda score", "Puntuación Borda")),
            Column(
                "top3_share",
                "number",
                ("Share among the first three", "Proporción entre las tres primeras"),
            ),
        ),
        ("question", "option", "group"),
        ((("question", "option"), "options", ("question", "option")),),
    ),
    Table(
        "comment_counts",
        ("Comments per section", "Comentarios por sección"),
        (
            "Comments counted per section, contribution and group (all comments counted, published or not).",
            "Comentarios contabilizados por sección, aporte y grupo (todos, publicados o no).",
        ),
        (
            Column("section", "string", ("Section", "Sección"), required=True),
            CONTRIBUTION,
            GROUP,
            N,
        ),
        (),
        (
            (("section",), "sections", ("section",)),
            (("contribution",), "contributions", ("contribution",)),
        ),
    ),
    Table(
        "gates",
        ("Sections people chose to answer", "Secciones que se eligió responder"),
        (
            "For a section asked only of those who want to: how many chose to answer it.",
            "Para una sección que se pregunta solo a quien quiere: cuántas personas eligieron responderla.",
        ),
        (
            Column("section", "string", ("Section", "Sección"), required=True),
            GROUP,
            Column(
                "chose_to_answer",
                "integer",
                ("Chose to answer", "Eligieron responder"),
                required=True,
            ),
        ),
        ("section", "group"),
        ((("section",), "sections", ("section",)),),
    ),
    Table(
        "comments",
        ("Published comments", "Comentarios publicados"),
        (
            "Comments a moderator published whose authors chose publication, as the section pages show them (redacted where redacted). The author's name only when they chose to publish it; their stakeholder type and group only where the open report shows them on their own.",
            "Comentarios publicados por moderación cuyos autores eligieron publicarlos, como los muestran las páginas de sección (con lo suprimido por moderación). El nombre solo si la persona eligió publicarlo; su tipo y grupo de actor solo si el informe abierto los muestra por separado.",
        ),
        (
            Column(
                "comment",
                "integer",
                ("Comment", "Comentario"),
                ("Its number", "Su número"),
                required=True,
            ),
            Column("section", "string", ("Section", "Sección"), required=True),
            CONTRIBUTION,
            Column(
                "stakeholder_group",
                "string",
                ("Stakeholder group", "Grupo de actores"),
                (
                    "Empty or 'other_actor' where the group is too small to be shown",
                    "Vacío u 'other_actor' si el grupo es demasiado pequeño",
                ),
                codes="comment_groups",
            ),
            Column(
                "stakeholder_type",
                "string",
                ("Stakeholder type", "Tipo de actor"),
                (
                    "Empty where the type is too small to be shown",
                    "Vacío si el tipo es demasiado pequeño",
                ),
                codes="stakeholder_types",
            ),
            Column(
                "author",
                "string",
                ("Author", "Autor"),
                (
                    "The name the author chose to publish; empty: anonymous",
                    "El nombre que eligió publicar; vacío: anónimo",
                ),
            ),
            Column(
                "published_at",
                "datetime",
                ("Published at", "Publicado el"),
                ("When it was published (UTC)", "Cuándo se publicó (UTC)"),
            ),
            Column(
                "text",
                "string",
                ("Text", "Texto"),
                ("Exactly as published", "Tal como se publicó"),
                required=True,
            ),
        ),
        ("comment",),
        (
            (("section",), "sections", ("section",)),
            (("contribution",), "contributions", ("contribution",)),
        ),
    ),
    Table(
        "themes",
        ("Themes", "Temas"),
        (
            "Themes of the published outcome: comments a person tagged with each, and what was decided. Empty until the outcome is published.",
            "Temas del resultado publicado: comentarios que una persona etiquetó con cada uno, y lo decidido. Vacío hasta que se publica el resultado.",
        ),
        (
            Column(
                "theme", "integer", ("Theme", "Tema"), ("Its number", "Su número"), required=True
            ),
            Column("name", "string", ("Name", "Nombre"), required=True),
            *_count(
                "comments",
                ("Comments", "Comentarios"),
                ("Counted comments tagged with it", "Comentarios contabilizados con este tema"),
            ),
            DECISION,
            REASON_ES,
            REASON_EN,
        ),
        ("theme",),
    ),
    Table(
        "comment_themes",
        ("Themes of published comments", "Temas de los comentarios publicados"),
        (
            "Which published comment a person tagged with which theme. Empty until the outcome is published.",
            "Qué comentario publicado se etiquetó con qué tema. Vacío hasta que se publica el resultado.",
        ),
        (
            Column("comment", "integer", ("Comment", "Comentario"), required=True),
            Column("theme", "integer", ("Theme", "Tema"), required=True),
        ),
        ("comment", "theme"),
        ((("comment",), "comments", ("comment",)), (("theme",), "themes", ("theme",))),
    ),
    Table(
        "decisions",
        ("Decisions on themes and sections", "Decisiones sobre temas y secciones"),
        (
            "What was decided about each theme and section, with the public reason in each language. Empty until the outcome is published.",
            "Lo decidido sobre cada tema y sección, con el motivo público en cada idioma. Vacío hasta que se publica el resultado.",
        ),
        (
            Column(
                "decided_on",
                "string",
                ("Decided on", "Decidido sobre"),
                ("theme or section", "theme (tema) o section (sección)"),
                required=True,
                codes="decided_on",
            ),
            Column("theme", "integer", ("Theme", "Tema")),
            Column("section", "string", ("Section", "Sección")),
            Column(
                "decision", "string", ("Decision", "Decisión"), required=True, codes="decisions"
            ),
            REASON_ES,
            REASON_EN,
            *_count(
                "comments",
                ("Comments", "Comentarios"),
                (
                    "Counted comments on the theme or section",
                    "Comentarios contabilizados del tema o la sección",
                ),
            ),
        ),
        (),
        ((("theme",), "themes", ("theme",)), (("section",), "sections", ("section",))),
    ),
    Table(
        "decision_counts",
        ("Comments per decision", "Comentarios por decisión"),
        (
            "How many counted comments each decision applies to (their own, else their themes', else their section's), and how many were answered one by one. Empty until the outcome is published.",
            "A cuántos comentarios contabilizados se aplica cada decisión (la suya, si no la de sus temas, si no la de su sección), y cuántos se respondieron uno por uno. Vacío hasta que se publica el resultado.",
        ),
        (
            Column(
                "decision", "string", ("Decision", "Decisión"), required=True, codes="decisions"
            ),
            *_count(
                "comments",
                ("Comments", "Comentarios"),
                ("Comments the decision applies to", "Comentarios a los que se aplica"),
            ),
            *_count(
                "answered_individually",
                ("Answered one by one", "Respondidos uno por uno"),
                ("Of them, with a decision of their own", "De ellos, con una decisión propia"),
            ),
        ),
        ("decision",),
    ),
)
