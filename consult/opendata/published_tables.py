"""The tables of what was published one by one: comments, and with the outcome its themes
and decisions, as ``schema`` describes them."""

from __future__ import annotations

from .schema import (
    CONTRIBUTION,
    DECISION,
    REASON_EN,
    REASON_ES,
    Column,
    Table,
    counted,
)

TABLES: tuple[Table, ...] = (
    Table(
        "comments",
        ("Published comments", "Comentarios publicados"),
        (
            "Comments a moderator published whose authors chose publication, as the section pages"
            " show them (redacted where redacted). The author's name only when they chose to "
            "publish it; their stakeholder type and group only where the open report shows them "
            "on their own.",
            "Comentarios publicados por moderación cuyos autores eligieron publicarlos, como los "
            "muestran las páginas de sección (con lo suprimido por moderación). El nombre solo si"
            " la persona eligió publicarlo; su tipo y grupo de actor solo si el informe abierto "
            "los muestra por separado.",
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
            "Themes of the published outcome: comments a person tagged with each, and what was "
            "decided. Empty until the outcome is published.",
            "Temas del resultado publicado: comentarios que una persona etiquetó con cada uno, y "
            "lo decidido. Vacío hasta que se publica el resultado.",
        ),
        (
            Column(
                "theme", "integer", ("Theme", "Tema"), ("Its number", "Su número"), required=True
            ),
            Column("name", "string", ("Name", "Nombre"), required=True),
            *counted(
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
            "Which published comment a person tagged with which theme. Empty until the outcome is"
            " published.",
            "Qué comentario publicado se etiquetó con qué tema. Vacío hasta que se publica el "
            "resultado.",
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
            "What was decided about each theme and section, with the public reason in each "
            "language. Empty until the outcome is published.",
            "Lo decidido sobre cada tema y sección, con el motivo público en cada idioma. Vacío "
            "hasta que se publica el resultado.",
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
            *counted(
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
            "How many counted comments each decision applies to (their own, else their themes', "
            "else their section's), and how many were answered one by one. Empty until the "
            "outcome is published.",
            "A cuántos comentarios contabilizados se aplica cada decisión (la suya, si no la de "
            "sus temas, si no la de su sección), y cuántos se respondieron uno por uno. Vacío "
            "hasta que se publica el resultado.",
        ),
        (
            Column(
                "decision", "string", ("Decision", "Decisión"), required=True, codes="decisions"
            ),
            *counted(
                "comments",
                ("Comments", "Comentarios"),
                ("Comments the decision applies to", "Comentarios a los que se aplica"),
            ),
            *counted(
                "answered_individually",
                ("Answered one by one", "Respondidos uno por uno"),
                ("Of them, with a decision of their own", "De ellos, con una decisión propia"),
            ),
        ),
        ("decision",),
    ),
)
