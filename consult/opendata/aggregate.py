"""The tables of the consultation's text (sections, questions, options, contributions)
and of its aggregate results (the open report's frames), as ``schema`` describes them."""

from __future__ import annotations

from .schema import (
    CONTRIBUTION,
    GROUP,
    LABEL_EN,
    LABEL_ES,
    OPTION,
    QUESTION,
    SHARE,
    Column,
    N,
    Table,
    counted,
)


def _likert_counts() -> tuple[Column, ...]:
    points = tuple(
        Column(
            f"count_{p}",
            "integer",
            (f"Answered {p}", f"Respondieron {p}"),
            (
                f"Respondents who chose point {p} of 5 (1: strongly disagree, 5: strongly agree)",
                f"Personas que eligieron el punto {p} de 5 (1: muy en desacuerdo, 5: muy de "
                f"acuerdo)",
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
            "Responses counted per category of each profile field, as the open report shows them "
            "(small categories pooled as 'other_groups'). The row field=all, category=all is the "
            "total.",
            "Respuestas contabilizadas por categoría de cada campo del perfil, como las muestra "
            "el informe abierto (categorías pequeñas agrupadas como 'other_groups'). La fila "
            "field=all, category=all es el total.",
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
            *counted(
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
            "New responses per day in the consultation's time zone; days with fewer than K are "
            "merged into the next (since: first day merged).",
            "Respuestas nuevas por día en la zona horaria de la consulta; los días con menos de K"
            " se suman al siguiente (since: primer día sumado).",
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
            "Comments counted per section, contribution and group (all comments counted, "
            "published or not; on the section as a whole and on its passages).",
            "Comentarios contabilizados por sección, aporte y grupo (todos, publicados o no; "
            "sobre la sección en su conjunto y sobre sus pasajes).",
        ),
        (
            Column("section", "string", ("Section", "Sección"), required=True),
            CONTRIBUTION,
            GROUP,
            N,
            Column(
                "respondents",
                "integer",
                ("Respondents who commented", "Personas que comentaron"),
                (
                    "People of the group who commented on the section or its passages (the "
                    "same on each contribution's row): one may comment on the section and on "
                    "each of its passages",
                    "Personas del grupo que comentaron la sección o sus pasajes (igual en la "
                    "fila de cada aporte): una puede comentar la sección y cada uno de sus "
                    "pasajes",
                ),
                required=True,
            ),
        ),
        (),
        (
            (("section",), "sections", ("section",)),
            (("contribution",), "contributions", ("contribution",)),
        ),
    ),
    Table(
        "passage_comment_counts",
        ("Comments per passage", "Comentarios por pasaje"),
        (
            "Comments counted on each passage (a paragraph or a line of a list) of a section's "
            "text, by group, and how many propose new wording (all comments counted, published "
            "or not; one per person and passage). A passage commented on by fewer than K "
            "people is left out. comment_counts counts these too, with the comments on each "
            "section as a whole.",
            "Comentarios contabilizados sobre cada pasaje (un párrafo o una línea de una lista) "
            "del texto de una sección, por grupo, y cuántos proponen una nueva redacción "
            "(todos, publicados o no; uno por persona y pasaje). Se omite un pasaje comentado "
            "por menos de K personas. comment_counts también los cuenta, junto con los "
            "comentarios sobre cada sección en su conjunto.",
        ),
        (
            Column("section", "string", ("Section", "Sección"), required=True),
            Column(
                "number",
                "integer",
                ("Passage number", "Número del pasaje"),
                (
                    "Its place among the passages of the section's current text; empty when "
                    "the text no longer has it",
                    "Su lugar entre los pasajes del texto actual de la sección; vacío si el "
                    "texto ya no lo tiene",
                ),
            ),
            Column(
                "kind",
                "string",
                ("Kind of passage", "Tipo de pasaje"),
                (
                    "paragraph, item (a line of a list) or earlier (no longer in the text)",
                    "paragraph (párrafo), item (línea de una lista) o earlier (ya no está en "
                    "el texto)",
                ),
                required=True,
                codes="passage_kinds",
            ),
            Column(
                "anchor",
                "string",
                ("Anchor", "Ancla"),
                (
                    "The passage's stable name, as the section's page links it (#anchor)",
                    "El nombre estable del pasaje, como lo enlaza la página de la sección (#ancla)",
                ),
                required=True,
            ),
            Column(
                "words_es", "string", ("Opening words (Spanish)", "Primeras palabras (español)")
            ),
            Column("words_en", "string", ("Opening words (English)", "Primeras palabras (inglés)")),
            GROUP,
            N,
            Column(
                "proposals",
                "integer",
                ("Proposing wording", "Proponen redacción"),
                ("Of them, comments proposing new wording", "De ellos, los que proponen redacción"),
                required=True,
            ),
        ),
        ("section", "anchor", "group"),
        ((("section",), "sections", ("section",)),),
    ),
    Table(
        "gates",
        ("Sections people chose to answer", "Secciones que se eligió responder"),
        (
            "For a section asked only of those who want to: how many chose to answer it.",
            "Para una sección que se pregunta solo a quien quiere: cuántas personas eligieron "
            "responderla.",
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
)
