"""The demo's Spanish: comments composed from varied templates, a campaign letter with
small edits, the texts moderators refuse, themes found by hand-like rules, and reasons.

A comment is an opening, a claim about one of its section's topics, often a concrete
detail (a region, a year, a share) and sometimes a second claim or a closing line. With
a few dozen pieces per slot, two respondents rarely write the same sentence, so consult's
copy finder (``insight/copies``) finds the campaign, not the ordinary comments.
"""

from __future__ import annotations

import random

#: What each ENIA section is about, as a noun phrase; unknown sections: the strategy.
TOPICS = {
    "1": ("el proceso de elaboración del borrador", "la participación de los sectores"),
    "2": ("el objetivo general de la estrategia", "la visión al 2026", "las metas del objetivo"),
    "3": ("los principios éticos de la OCDE", "el principio de transparencia"),
    "4": ("las áreas de política", "la coordinación entre ministerios"),
    "5": ("la selección de áreas prioritarias", "el orden de las prioridades"),
    "5-1": ("los entornos controlados de prueba", "los sandboxes regulatorios", "los pilotos"),
    "5-2": ("la gobernanza de la política de IA", "el comité de seguimiento", "la rectoría"),
    "5-3": ("la formación docente en IA", "las becas en ciencia de datos",
            "la enseñanza de programación en colegios públicos"),
    "5-4": ("la IA en la agricultura", "la IA en la minería y la salud", "los sectores elegidos"),
    "5-5": ("el apoyo a las regiones", "los clústeres regionales", "la conectividad regional"),
    "5-6": ("los desafíos sociales y ambientales", "el sesgo de los algoritmos",
            "el impacto en el empleo"),
    "5-7": ("la cooperación internacional", "los convenios con otros países"),
    "5-8": ("el uso de la IA en el Estado", "los algoritmos en los servicios públicos",
            "la compra pública de sistemas de IA"),
    "5-9": ("la inversión en I+D", "los fondos concursables de investigación"),
    "5-10": ("el acceso a los datos", "la protección de datos personales",
             "los datos abiertos del Estado"),
    "6": ("la implementación", "los indicadores de seguimiento", "el presupuesto de la estrategia"),
    "7": ("la relación entre IA y cambio climático", "el consumo energético de la IA"),
}  # fmt: skip
_DEFAULT_TOPICS = ("la estrategia", "el borrador")

OPENERS = (
    "Considero que", "Me parece que", "Creo sinceramente que", "En mi opinión,",
    "Desde mi experiencia en el aula, creo que", "Como profesional del sector, veo que",
    "Quisiera señalar que", "Coincido en parte con el texto, pero", "Es importante decir que",
    "Leyendo esta sección, noto que", "Con todo respeto, pienso que", "Hay que reconocer que",
    "Después de revisar el documento, opino que", "Desde la región, percibimos que",
    "A mi juicio,", "Como estudiante, siento que", "Tras varios años trabajando en datos, sé que",
    "Sin rodeos:",
)  # fmt: skip
#: A claim is a head about a topic and what it lacks or needs (a noun phrase).
CLAIM_HEADS = (
    "en {topic} faltan", "para {topic} hacen falta", "sobre {topic} el texto no define",
    "en {topic} echo de menos", "para {topic} se necesitan con urgencia",
    "respecto de {topic} conviene precisar", "en lo relativo a {topic} urge definir",
    "sobre {topic} sería bueno sumar",
)  # fmt: skip
CLAIM_TAILS = (
    "metas medibles", "un presupuesto asignado", "plazos concretos", "responsables con nombre",
    "reglas de rendición de cuentas", "indicadores públicos anuales",
    "acciones para las zonas rurales", "espacios para las comunidades indígenas",
    "alianzas con universidades regionales", "una entidad que lidere",
    "medidas para mujeres y jóvenes", "garantías para las personas afectadas",
    "lecciones de otros países", "conectividad previa", "fondos concursables",
    "mecanismos de evaluación independiente",
)  # fmt: skip

DETAILS = (
    "Por ejemplo, en {region} no hay un solo laboratorio de datos en las universidades públicas.",
    "Propongo fijar una meta de al menos {share} % de avance para {year}.",
    "Sería útil un piloto en {region} antes de extenderlo a todo el país.",
    "En {region} las empresas pequeñas no saben cómo acceder a estos programas.",
    "Una mesa de trabajo con {region} y otras regiones ayudaría mucho.",
    "Hacia {year} deberíamos tener resultados verificables, no solo diagnósticos.",
    "El {share} % de los fondos debería ir a proyectos con socios regionales.",
    "Recomiendo revisar lo que hicieron Chile y Colombia con sus estrategias.",
    "Falta explicar cómo se coordinará con los gobiernos locales de {region}.",
    "Sugiero publicar un tablero con el avance de cada meta hasta {year}.",
    "Los docentes de {region} piden capacitación práctica, no solo conferencias.",
    "Hay que evitar que el {share} % del presupuesto se quede en consultorías.",
)  # fmt: skip
#: Why: the second half of the first sentence.
REASONS_WHY = (
    "porque sin eso nadie podrá evaluar los resultados",
    "ya que así lo muestran otros países de la región",
    "pues en provincias la situación es muy distinta",
    "porque los recursos públicos son limitados",
    "dado que la tecnología cambia muy rápido",
    "porque la confianza ciudadana depende de ello",
    "ya que las pymes no tienen cómo competir solas",
    "porque hoy los talentos se van al extranjero",
    "pues la brecha digital sigue creciendo",
    "porque sin datos de calidad no hay IA útil",
    "ya que los gobiernos regionales no fueron consultados",
    "porque la experiencia de otras políticas digitales fue mala",
    "dado que el borrador no dice quién paga",
    "porque las universidades ya tienen capacidades instaladas",
    "pues las comunidades rurales quedan fuera",
    "porque una estrategia sin seguimiento no se cumple",
    "ya que el sector privado necesita reglas estables",
    "porque está en juego la igualdad de oportunidades",
    "pues la población espera resultados concretos",
    "porque conviene aprender de los errores ajenos",
)  # fmt: skip
DETAIL_LEADS = (
    "en {region}", "en mi experiencia en {region},", "hacia {year}", "para {year}",
    "en las universidades de {region}", "entre las pymes de {region}",
    "en los colegios de {region}", "en los hospitales de {region}", "antes de {year}",
    "en la sierra de {region}",
)  # fmt: skip
DETAIL_ASKS = (
    "hace falta un laboratorio de datos abierto al público",
    "deberíamos ver resultados verificables y no solo diagnósticos",
    "nadie conoce todavía los programas del Estado en esta materia",
    "se necesitan al menos dos convocatorias de fondos al año",
    "conviene probar primero con un piloto pequeño y evaluado",
    "la conexión a internet sigue siendo lenta y cara",
    "los docentes piden capacitación práctica y materiales en castellano y quechua",
    "las autoridades locales deberían participar en el comité",
    "sería bueno publicar un tablero con el avance de cada meta",
    "el sector privado está dispuesto a cofinanciar si hay reglas claras",
    "faltan especialistas y los pocos que hay migran a Lima",
    "hay experiencias comunitarias que el borrador ignora",
    "los datos del Estado no están disponibles en formatos abiertos",
    "la estrategia debería fijar un presupuesto por año",
)  # fmt: skip
CLOSERS = (
    "Gracias por abrir este espacio de participación.", "Espero que se tome en cuenta.",
    "Ojalá se publique cómo se usan estos aportes.", "Quedo atenta a la versión final.",
    "Saludos cordiales.", "Felicito el esfuerzo del equipo.", "Seguiremos atentos.",
)  # fmt: skip
REGIONS = (
    "Puno", "Cusco", "Loreto", "Piura", "Arequipa", "Ayacucho", "Junín", "San Martín",
    "Cajamarca", "Ucayali", "Tacna", "Huánuco", "La Libertad", "Lambayeque",
)  # fmt: skip


def _fill(rng: random.Random, template: str, topic: str) -> str:
    return template.format(
        topic=topic,
        region=rng.choice(REGIONS),
        year=rng.choice((2024, 2025, 2026, 2028, 2030)),
        share=rng.choice((10, 15, 20, 25, 30, 40)),
    )


def _claim(rng: random.Random, topics: tuple[str, ...]) -> str:
    head = rng.choice(CLAIM_HEADS).format(topic=rng.choice(topics))
    first, second = rng.sample(CLAIM_TAILS, 2)
    return f"{head} {first}" + (f" y {second}" if rng.random() < 0.5 else "")


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def comment(rng: random.Random, section: str) -> str:
    """An ordinary comment on ``section``, two to four sentences."""
    topics = TOPICS.get(section, _DEFAULT_TOPICS)
    claim = _claim(rng, topics)
    parts = [_sentence(f"{rng.choice(OPENERS)} {claim}, {rng.choice(REASONS_WHY)}")]
    if rng.random() < 0.95:
        if rng.random() < 0.25:
            parts.append(_fill(rng, rng.choice(DETAILS), ""))
        else:
            lead = _fill(rng, rng.choice(DETAIL_LEADS), "")
            parts.append(_sentence(f"{lead} {rng.choice(DETAIL_ASKS)}"))
    if rng.random() < 0.35:
        also = rng.choice(("Además,", "También", "Por otro lado,", "Asimismo,"))
        parts.append(_sentence(f"{also} {_claim(rng, topics)}"))
    if rng.random() < 0.4:
        parts.append(rng.choice(CLOSERS))
    return " ".join(parts)


# ---------------------------------------------------------------- the campaign

#: The letter a regional collective asked its members to send (on the regions' section).
CAMPAIGN_SECTION = "5-5"
CAMPAIGN_LETTER = (
    "Como ciudadanos de las regiones pedimos que la Estrategia Nacional de Inteligencia"
    " Artificial destine al menos el 30 % de su presupuesto a proyectos fuera de Lima, con"
    " conectividad de banda ancha en cada capital de provincia y centros de formación en IA"
    " en las universidades regionales. Sin las regiones no habrá una estrategia nacional."
)
_SWAPS = (
    ("pedimos", "solicitamos"), ("destine", "asigne"), ("proyectos", "iniciativas"),
    ("centros de formación", "centros de capacitación"), ("ciudadanos", "vecinos"),
    ("Sin las regiones", "Sin nosotros"),
)  # fmt: skip


def campaign_copy(rng: random.Random, region: str) -> str:
    """The campaign letter with the small edits people make: a word or two changed, a
    greeting, the town they write from."""
    text = CAMPAIGN_LETTER
    for old, new in rng.sample(_SWAPS, rng.randint(0, 2)):
        text = text.replace(old, new)
    if rng.random() < 0.3:
        text = f"{rng.choice(('Buenas tardes.', 'Estimados señores:', 'Hola.'))} {text}"
    if rng.random() < 0.5:
        text += f" Escribo desde {region}."
    return text


# ---------------------------------------------------------------- what moderators refuse

SPAM = (
    "Gane dinero desde casa con nuestra plataforma de inversiones, escriba ya a"
    " ofertas@promo.invalid",
    "Compre seguidores y reseñas baratas para su negocio en www.promo-demo.invalid hoy mismo",
    "Préstamos inmediatos sin requisitos, respuesta en cinco minutos, visite prestamos.invalid",
)  # fmt: skip
#: Off-topic: a local grievance (subject, then what is wrong with it).
OFF_TOPIC = (
    ("La pista de mi barrio", "El recojo de basura en mi distrito", "El agua potable en mi calle",
     "La convocatoria de plazas docentes", "El paradero de mi urbanización",
     "El alumbrado del parque", "La posta de salud de mi zona", "El mercado municipal"),
    ("lleva años abandonado y nadie hace nada al respecto",
     "es pésimo y la municipalidad no contesta los reclamos",
     "no funciona desde hace meses y ya presentamos tres cartas",
     "es un desastre y nadie informa las fechas",
     "necesita arreglo urgente, por favor hagan algo"),
)  # fmt: skip
#: Offensive: an insult (opening, then target).
OFFENSIVE = (
    ("Este borrador es una tontería", "Puro cuento", "Qué vergüenza", "Documento inútil"),
    ("escrito por gente que no sabe nada y encima cobra", "son todos unos inútiles",
     "no sirve ni para envolver pan en el mercado", "una burla para todos los peruanos"),
)  # fmt: skip
PERSONAL = (
    " Pueden llamarme al 9{phone} o escribirme a vecino{number}@example.org para más detalles."
)
REDACTED = " [Datos personales retirados por la moderación.]"


_ASIDES = (
    "Ya lo dije en otra consulta.", "Nadie responde en la municipalidad.",
    "Lo escribo aquí porque no sé dónde más.", "Vivo en {region} hace veinte años.",
    "Espero que alguien lea esto.", "Mis vecinos de {region} opinan lo mismo.", "",
)  # fmt: skip


def refused(rng: random.Random, reason: str) -> str:
    """A comment a moderator refuses for ``reason`` (spam, off_topic, offensive): spam is
    sent as it is, the others with a line of the writer's own."""
    if reason == "spam":
        return rng.choice(SPAM)
    subjects, complaints = OFF_TOPIC if reason == "off_topic" else OFFENSIVE
    text = f"{rng.choice(subjects)}: {rng.choice(complaints)}."
    aside = _fill(rng, rng.choice(_ASIDES), "")
    return f"{aside} {text}".strip() if rng.random() < 0.5 else f"{text} {aside}".strip()


def with_personal_data(rng: random.Random, text: str, number: int) -> tuple[str, str]:
    """A comment that gives a phone and an address, and its redacted text."""
    extra = PERSONAL.format(phone=rng.randrange(10**7, 10**8), number=number)
    return text + extra, text + REDACTED


# ---------------------------------------------------------------- themes and reasons

#: Themes a coordinator tagged by reading: a comment holding one of the words gets it.
THEMES = {
    "Descentralización y regiones": ("regiones", "regional", "rurales", "fuera de lima"),
    "Educación y talento": ("docente", "becas", "colegios", "universidades", "capacitación"),
    "Financiamiento y presupuesto": ("presupuesto", "fondos", "inversión"),
    "Ética y derechos": ("derechos", "ético", "sesgo", "indígenas", "rendición de cuentas"),
    "Datos y conectividad": ("datos", "conectividad", "banda ancha"),
    "Metas e indicadores": ("metas medibles", "indicadores", "plazos", "tablero"),
}


def themes_of(text: str) -> list[str]:
    """The themes a comment's words give it."""
    lowered = text.lower()
    return [name for name, words in THEMES.items() if any(w in lowered for w in words)]


REASONS = {
    "accepted": "Se incorpora en la versión final, con una meta y un responsable.",
    "partly": "Se recoge en parte: la versión final incluye el criterio, sin fijar el porcentaje.",
    "not_accepted": "No se incorpora: la estrategia mantiene el enfoque del borrador.",
    "out_of_scope": "Excede el alcance de la estrategia; se trasladó al sector competente.",
    "already_in_draft": "El borrador ya lo contempla en la meta correspondiente.",
}
#: Decisions on themes, with their public reasons in both languages.
THEME_DECISIONS = {
    "Descentralización y regiones": (
        "partly",
        "Se añadirá una meta de proyectos regionales; el porcentaje se definirá con los"
        " gobiernos regionales.",
        "A target for regional projects will be added; its share will be set with the"
        " regional governments.",
    ),
    "Metas e indicadores": (
        "accepted",
        "La versión final tendrá indicadores anuales publicados en un tablero abierto.",
        "The final version will have yearly indicators published on an open dashboard.",
    ),
}
