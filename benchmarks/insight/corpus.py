"""A generator of Spanish comments on the draft AI strategy, with known topics.

The insight evaluation needs comments whose right answer is known: which topic each is
about (themes) and that no two are copies (campaigns). Real 2021 comments were not
published, so these are written from templates: an opener, a claim about one of ten
topics (often with a qualifier: how, when, for whom), one to three supporting sentences,
sometimes a sentence borrowed from a neighbouring topic, sometimes a closing line. People
word things their own way, so words are swapped for variants and fillers ("sin duda",
"en mi región") slipped in. The topics share vocabulary on purpose ("datos",
"universidades", "regiones", "el Estado", "inteligencia artificial" run through several
of them), so separating them is not a matter of one keyword each.

``labelled_comments(n, seed)`` gives (text, topic) pairs; ``distinct_comments(n, seed)``
gives texts only. No two of them are copies, not even template copies by the issue's
definition: no two share 60 % of the shorter text's three-word runs (``_draw``).
Deterministic for a seed.
"""

from __future__ import annotations

import math
import pickle
import random
import re
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

REGIONS = [
    "Amazonas", "Áncash", "Apurímac", "Arequipa", "Ayacucho", "Cajamarca", "Callao", "Cusco",
    "Huancavelica", "Huánuco", "Ica", "Junín", "La Libertad", "Lambayeque", "Lima", "Loreto",
    "Madre de Dios", "Moquegua", "Pasco", "Piura", "Puno", "San Martín", "Tacna", "Tumbes",
    "Ucayali",
]  # fmt: skip

ROLES = [
    "docente universitario", "estudiante de ingeniería", "emprendedora", "funcionario público",
    "investigadora", "médico", "agricultor", "abogada", "programador", "madre de familia",
    "representante de una ONG", "gerente de una pyme", "profesora de secundaria",
    "consultor en tecnología", "periodista", "dirigente vecinal", "enfermera",
    "analista de datos", "trabajador independiente", "jubilado",
]  # fmt: skip

OPENERS = [
    "Considero que", "Creo que", "En mi opinión,", "Me parece fundamental que",
    "Sugiero que", "Es urgente que", "La estrategia debería asegurar que",
    "Propongo que", "Desde {region}, pienso que", "Como {role}, considero que",
    "Como {role} en {region}, creo que", "Quisiera señalar que", "Es necesario que",
    "Hace falta que", "Pido que",
]  # fmt: skip

CLOSERS = [
    "Gracias por la oportunidad de participar.", "Espero que se tome en cuenta.",
    "Esto beneficiaría a todo el país.", "Sin esto la estrategia se quedará en el papel.",
    "Es una deuda pendiente desde hace años.", "Ojalá se escuche a las regiones.",
    "Lo digo por experiencia propia en {region}.", "Saludos cordiales.",
    "Es lo que vemos cada día en {region}.", "Confío en que se incluya en la versión final.",
]  # fmt: skip

#: What people add to a claim to say how, when or for whom (any topic).
QUALIFIERS = [
    "cuanto antes", "en los próximos {years} años", "con un presupuesto propio",
    "con metas claras y medibles", "sin dejar de lado a {region}", "empezando por {region}",
    "con participación de la sociedad civil", "de forma descentralizada",
    "con enfoque de género", "pensando en las zonas rurales", "de manera gradual",
    "con apoyo de la cooperación internacional", "y que se rinda cuentas cada año",
    "para que nadie se quede atrás", "como política de Estado", "desde este mismo año",
    "con reglas claras", "en coordinación con los gobiernos regionales",
    "para cerrar brechas", "con indicadores públicos",
]  # fmt: skip

#: topic → (claims, supporting sentences, slot words). Claims follow an opener in lower case.
TOPICS: dict[str, dict[str, list[str]]] = {
    "formacion": {
        "claims": [
            "se capacite a los docentes de colegios públicos en {skill}",
            "las universidades ofrezcan carreras y maestrías en {skill}",
            "se incluya {skill} en el currículo escolar desde primaria",
            "haya becas para que jóvenes de {region} estudien {skill}",
            "los institutos técnicos enseñen {skill} con laboratorios equipados",
            "se forme talento local en {skill} para no depender de expertos extranjeros",
        ],
        "support": [
            "Muchos profesores no saben cómo usar estas herramientas en el aula.",
            "Sin talento humano formado no habrá inteligencia artificial peruana.",
            "Las becas deben llegar también a mujeres y estudiantes rurales.",
            "El programa de formación docente debería durar al menos {years} años.",
            "Los cursos virtuales gratuitos pueden llegar a miles de estudiantes.",
            "Las universidades regionales necesitan profesores con doctorado en {skill}.",
            "Hay que medir cuántos egresados en {skill} tiene el país cada año.",
        ],
        "skill": [
            "programación",
            "ciencia de datos",
            "aprendizaje automático",
            "estadística",
            "matemáticas",
            "pensamiento computacional",
            "robótica",
            "ciberseguridad",
        ],
    },
    "datos_abiertos": {
        "claims": [
            "las entidades públicas publiquen sus {dataset} como datos abiertos",
            "exista un catálogo nacional de {dataset} en formatos reutilizables",
            "los {dataset} del Estado se actualicen y documenten con estándares",
            "se cree una infraestructura nacional de datos con {dataset} interoperables",
            "los gobiernos regionales compartan sus {dataset} con universidades y empresas",
        ],
        "support": [
            "Hoy muchos datos están en PDF o en hojas de cálculo sin descripción.",
            "Sin datos de calidad no se puede entrenar ningún modelo útil.",
            "La Plataforma Nacional de Datos Abiertos tiene conjuntos desactualizados.",
            "Se necesitan licencias claras para reutilizar los datos públicos.",
            "Los datos de {region} casi nunca aparecen en los portales nacionales.",
            "Un equipo de gobernanza de datos debería velar por su calidad.",
        ],
        "dataset": [
            "datos de salud",
            "datos educativos",
            "datos de transporte",
            "datos geográficos",
            "datos presupuestales",
            "datos de contrataciones",
            "datos climáticos",
            "registros administrativos",
        ],
    },
    "privacidad": {
        "claims": [
            "se proteja la privacidad de las personas cuando se usan sus {pdata}",
            "la Autoridad de Protección de Datos Personales supervise el uso de {pdata}",
            "nadie use {pdata} sin consentimiento informado",
            "se actualice la ley de protección de datos personales para los {pdata}",
            "las empresas expliquen cómo tratan los {pdata} de sus clientes",
        ],
        "support": [
            "Las filtraciones de datos personales son cada vez más frecuentes.",
            "El consentimiento debe ser claro y fácil de retirar.",
            "Los datos biométricos requieren una protección especial.",
            "Las sanciones por mal uso de datos personales son muy bajas.",
            "La anonimización debe verificarse antes de publicar cualquier dato.",
            "Los ciudadanos deben poder saber qué datos tiene el Estado sobre ellos.",
        ],
        "pdata": [
            "datos personales",
            "datos biométricos",
            "historias clínicas",
            "datos de ubicación",
            "datos de menores de edad",
            "datos financieros",
        ],
    },
    "etica": {
        "claims": [
            "los sistemas de inteligencia artificial del Estado sean {value}",
            "se evalúe el impacto ético de los algoritmos antes de usarlos, para que sean {value}",
            "exista un comité de ética que garantice sistemas {value}",
            "la estrategia adopte principios para una inteligencia artificial {value}",
            "se prohíba usar algoritmos que no sean {value} en decisiones sobre personas",
        ],
        "support": [
            "Los algoritmos pueden discriminar a mujeres, indígenas y personas pobres.",
            "Las personas afectadas deben poder apelar una decisión automatizada.",
            "Los principios de la OCDE y de la UNESCO son un buen punto de partida.",
            "Hace falta auditar los sesgos de los modelos con regularidad.",
            "Toda decisión automatizada debe tener a una persona responsable.",
            "La transparencia algorítmica evita abusos y genera confianza.",
        ],
        "value": [
            "transparentes",
            "justos",
            "explicables",
            "auditables",
            "responsables",
            "inclusivos",
            "no discriminatorios",
            "seguros",
        ],
    },
    "conectividad": {
        "claims": [
            "se lleve {net} a las comunidades rurales de {region}",
            "el Estado invierta en {net} antes de hablar de inteligencia artificial",
            "las escuelas y postas de salud cuenten con {net}",
            "se amplíe la red dorsal para ofrecer {net} en zonas alejadas",
            "el precio del {net} baje para las familias de menores ingresos",
        ],
        "support": [
            "En muchos distritos de {region} no hay señal de celular.",
            "Sin conectividad la brecha digital seguirá creciendo.",
            "La Red Dorsal Nacional de Fibra Óptica está subutilizada.",
            "Los centros de datos deberían estar también fuera de Lima.",
            "Se necesita energía eléctrica estable para usar cualquier tecnología.",
            "Los estudiantes rurales no pudieron seguir clases virtuales por falta de señal.",
        ],
        "net": [
            "internet de banda ancha",
            "fibra óptica",
            "internet móvil 4G",
            "conectividad satelital",
            "acceso a internet",
            "servicio de internet",
        ],
    },
    "investigacion": {
        "claims": [
            "se financien proyectos de investigación en {field} con fondos concursables",
            "Concytec cree un centro de excelencia en {field}",
            "las universidades publiquen más investigación aplicada en {field}",
            "se vincule a investigadores y empresas en proyectos de {field}",
            "el presupuesto para investigación en {field} aumente de forma sostenida",
        ],
        "support": [
            "El Perú invierte menos del {pct} % de su PBI en investigación y desarrollo.",
            "Los investigadores peruanos en el extranjero podrían volver con incentivos.",
            "Los laboratorios universitarios necesitan equipos de cómputo de alto rendimiento.",
            "Las publicaciones científicas del país en este campo son muy pocas.",
            "La transferencia tecnológica a las empresas sigue siendo débil.",
            "Los fondos de investigación deben llegar a universidades de {region}.",
        ],
        "field": [
            "procesamiento de lenguaje natural",
            "visión por computadora",
            "lenguas originarias",
            "agricultura de precisión",
            "robótica",
            "modelos climáticos",
            "bioinformática",
        ],
    },
    "gobierno_digital": {
        "claims": [
            "el Estado use inteligencia artificial para mejorar {service}",
            "se automaticen trámites de {service} para reducir colas y papeleo",
            "las municipalidades de {region} digitalicen {service}",
            "se usen chatbots para orientar a los ciudadanos sobre {service}",
            "la Secretaría de Gobierno Digital priorice {service}",
        ],
        "support": [
            "Hoy un trámite simple puede tomar semanas y varias visitas.",
            "La plataforma gob.pe es un buen avance que hay que ampliar.",
            "Los servidores públicos deben ser capacitados para usar estas herramientas.",
            "La interoperabilidad entre entidades evitaría pedir el mismo documento dos veces.",
            "Los servicios digitales deben funcionar también en quechua y aimara.",
            "Las compras públicas de tecnología deberían ser más ágiles.",
        ],
        "service": [
            "la atención al ciudadano",
            "los trámites municipales",
            "las licencias",
            "los programas sociales",
            "la gestión tributaria",
            "los registros civiles",
        ],
    },
    "empleo": {
        "claims": [
            "se prepare a los trabajadores de {sector} para la automatización",
            "la estrategia proteja el empleo en {sector} frente a la inteligencia artificial",
            "haya programas de reconversión laboral para quienes trabajan en {sector}",
            "se estudie cuántos puestos de {sector} podrían desaparecer",
            "los sindicatos de {sector} participen en el diseño de la estrategia",
        ],
        "support": [
            "La automatización puede dejar sin trabajo a miles de personas.",
            "La informalidad laboral hace más difícil cualquier reconversión.",
            "Los nuevos empleos digitales exigen habilidades que pocos tienen.",
            "El Ministerio de Trabajo debería liderar este tema.",
            "Los trabajadores mayores de {age} años son los más vulnerables.",
            "Las plataformas digitales de reparto ya cambiaron las condiciones laborales.",
        ],
        "sector": [
            "el comercio",
            "la banca",
            "los centros de llamadas",
            "el transporte",
            "la manufactura",
            "la minería",
            "los servicios administrativos",
        ],
    },
    "salud": {
        "claims": [
            "se use inteligencia artificial para {health}",
            "los hospitales de {region} usen herramientas de diagnóstico para {health}",
            "el Minsa impulse proyectos piloto para {health}",
            "la telemedicina con inteligencia artificial sirva para {health}",
        ],
        "support": [
            "En {region} faltan médicos especialistas y los pacientes viajan días.",
            "La historia clínica electrónica es indispensable para empezar.",
            "La pandemia mostró lo frágil que es nuestro sistema de salud.",
            "Los modelos deben validarse con pacientes peruanos, no solo extranjeros.",
            "Las postas rurales podrían enviar imágenes para un diagnóstico remoto.",
            "Los profesionales de la salud deben ser parte del diseño de estas herramientas.",
        ],
        "health": [
            "detectar la anemia infantil",
            "diagnosticar la tuberculosis a tiempo",
            "leer radiografías",
            "prever brotes de dengue",
            "reducir las listas de espera",
            "detectar el cáncer de mama",
        ],
    },
    "empresas": {
        "claims": [
            "se apoye a las pymes de {industry} para adoptar inteligencia artificial",
            "haya incentivos tributarios para empresas de {industry} que innoven",
            "las startups de {industry} accedan a capital semilla y a compras públicas",
            "Produce y Concytec financien la adopción tecnológica en {industry}",
            "se creen clústeres de innovación en {industry} en {region}",
        ],
        "support": [
            "Las pequeñas empresas no tienen dinero para contratar especialistas.",
            "El ecosistema de emprendimiento tecnológico está concentrado en Lima.",
            "Los programas de Innóvate Perú deberían ampliarse.",
            "La inversión de capital de riesgo en el país es mínima.",
            "Las empresas necesitan casos de éxito locales para animarse a invertir.",
            "Un fondo de cofinanciamiento reduciría el riesgo de los primeros proyectos.",
        ],
        "industry": [
            "agroexportación",
            "turismo",
            "textiles",
            "logística",
            "software",
            "alimentos",
            "artesanía",
            "pesca",
        ],
    },
}

#: Neighbours share vocabulary in real comments; a borrowed sentence makes topics overlap.
NEIGHBOURS = {
    "formacion": ["investigacion", "empleo"],
    "datos_abiertos": ["privacidad", "gobierno_digital"],
    "privacidad": ["datos_abiertos", "etica"],
    "etica": ["privacidad", "gobierno_digital"],
    "conectividad": ["formacion", "salud"],
    "investigacion": ["formacion", "empresas"],
    "gobierno_digital": ["datos_abiertos", "conectividad"],
    "empleo": ["formacion", "empresas"],
    "salud": ["datos_abiertos", "privacidad"],
    "empresas": ["investigacion", "empleo"],
}

_SLOTS = re.compile(r"\{(\w+)\}")

#: People say the same thing in their own words: each of these is swapped, half the time,
#: for one of its alternatives, so two comments on one template rarely share a long passage.
VARIANTS: dict[str, list[str]] = {
    "muchos": ["bastantes", "numerosos", "la mayoría de los"],
    "muchas": ["bastantes", "numerosas", "la mayoría de las"],
    "deben": ["tienen que", "deberían", "necesitan"],
    "debe": ["tiene que", "debería", "necesita"],
    "debería": ["tendría que", "debe", "podría"],
    "deberían": ["tendrían que", "deben", "podrían"],
    "necesita": ["requiere", "precisa"],
    "necesitan": ["requieren", "precisan"],
    "se necesitan": ["hacen falta", "faltan", "urge tener"],
    "se necesita": ["hace falta", "falta", "urge tener"],
    "hay que": ["es preciso", "toca", "conviene"],
    "hace falta": ["se necesita", "urge", "conviene"],
    "muy": ["bastante", "demasiado", "realmente"],
    "cada vez más": ["más y más", "crecientemente"],
    "sin": ["a falta de", "si no hay"],
    "también": ["además", "igualmente", "asimismo"],
    "el país": ["el Perú", "nuestro país", "la nación"],
    "el Estado": ["el gobierno", "el sector público", "las autoridades"],
    "las empresas": ["las compañías", "el sector privado", "los negocios"],
    "pequeñas empresas": ["mypes", "microempresas", "pequeños negocios"],
    "personas": ["ciudadanos", "peruanos", "usuarios"],
    "los ciudadanos": ["las personas", "la ciudadanía", "la gente"],
    "estudiantes": ["alumnos", "jóvenes", "escolares"],
    "profesores": ["docentes", "maestros"],
    "hoy": ["actualmente", "ahora", "en la actualidad"],
    "es": ["resulta", "sigue siendo"],
    "son": ["resultan", "siguen siendo"],
    "herramientas": ["tecnologías", "aplicaciones", "sistemas"],
    "sistema": ["modelo", "esquema"],
    "claras": ["precisas", "sencillas", "transparentes"],
    "mínima": ["muy baja", "casi nula", "escasa"],
    "débil": ["insuficiente", "limitada", "escasa"],
    "pocas": ["escasas", "contadas", "insuficientes"],
    "un buen avance": ["un paso adelante", "un progreso", "un buen inicio"],
    "ampliar": ["extender", "fortalecer", "mejorar"],
    "ampliarse": ["extenderse", "fortalecerse", "crecer"],
    "indispensable": ["imprescindible", "esencial", "clave"],
    "frecuentes": ["comunes", "habituales", "graves"],
    "para empezar": ["como primer paso", "antes que nada", "desde el inicio"],
    "evitaría": ["ahorraría", "impediría"],
    "pueden": ["podrían", "suelen"],
    "podrían": ["pueden", "deberían poder"],
}
_LONGEST_FIRST = sorted(map(re.escape, VARIANTS), key=len, reverse=True)
_VARIANT = re.compile(r"\b(" + "|".join(_LONGEST_FIRST) + r")\b")


#: Words people slip into a sentence of their own ("Las becas deben llegar, sin duda, a…"):
#: each moves the sentence's three-word runs away from everyone else's version of it.
FILLERS = [
    "realmente", "sin duda", "de verdad", "en mi región", "hoy en día", "por ejemplo",
    "a mi juicio", "claramente", "en la práctica", "todavía", "sobre todo", "en general",
    "lamentablemente", "en el fondo", "al menos", "en concreto", "desde luego", "aquí",
    "ciertamente", "a veces", "con urgencia", "en nuestro caso", "francamente", "ya",
]  # fmt: skip


#: Fillers go where a phrase starts, so the sentence still reads.
_PHRASE_STARTS = frozenset(
    ["a", "al", "con", "de", "del", "el", "en", "es", "la", "las", "los", "no", "para",
     "por", "que", "se", "sin", "son", "un", "una", "y"]
)  # fmt: skip
_ARTICLES = frozenset(["el", "la", "las", "los", "un", "una", "al", "del"])


def _reword(sentence: str, rng: random.Random) -> str:
    """The sentence in the writer's own words: variants swapped in half the time, and
    one or two fillers slipped in between words, most of the time."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(1)
        return rng.choice(VARIANTS[word]) if rng.random() < 0.5 else word

    words = _VARIANT.sub(swap, sentence).split(" ")
    for _ in range(rng.choice([0, 1, 1, 2, 2])):
        places = [
            i
            for i in range(1, len(words))
            if words[i] in _PHRASE_STARTS and words[i - 1].casefold() not in _ARTICLES
        ]
        if places:
            words.insert(rng.choice(places), rng.choice(FILLERS))
    return " ".join(words)


def _fill(template: str, topic: str, rng: random.Random) -> str:
    words = TOPICS[topic]

    def choose(match: re.Match[str]) -> str:
        slot = match.group(1)
        if slot == "region":
            return rng.choice(REGIONS)
        if slot == "role":
            return rng.choice(ROLES)
        if slot == "years":
            return str(rng.randint(2, 6))
        if slot == "pct":
            return rng.choice(["0,1", "0,2", "0,12", "0,15"])
        if slot == "age":
            return str(rng.choice([40, 45, 50, 55]))
        return rng.choice(words[slot])

    return _SLOTS.sub(choose, template)


def _comment(topic: str, rng: random.Random) -> tuple[str, tuple]:
    """A comment about ``topic`` and its skeleton: which opener, claim and support lines."""
    spec = TOPICS[topic]
    opener_template = rng.choice(OPENERS)
    claim = rng.choice(spec["claims"])
    support = rng.sample(spec["support"], rng.choice([1, 1, 2, 2, 3]))
    claim_text = _fill(claim, topic, rng)
    if rng.random() < 0.7:
        claim_text += " " + _fill(rng.choice(QUALIFIERS), topic, rng)
    claim_text = _reword(claim_text, rng)
    parts = [f"{_fill(opener_template, topic, rng)} {claim_text}."]
    parts += [_reword(_fill(line, topic, rng), rng) for line in support]
    if rng.random() < 0.3:
        other = rng.choice(NEIGHBOURS[topic])
        line = _reword(_fill(rng.choice(TOPICS[other]["support"]), other, rng), rng)
        parts.insert(rng.randint(1, len(parts)), line)
    if rng.random() < 0.4:
        parts.append(_fill(rng.choice(CLOSERS), topic, rng))
    text = " ".join(parts)
    return text[0].upper() + text[1:], (claim, *sorted(support))


def comment(topic: str, rng: random.Random) -> str:
    """One comment about ``topic``: opener, claim, support, maybe a neighbour's line, closer."""
    return _comment(topic, rng)[0]


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"\W+", " ", "".join(c for c in plain if not unicodedata.combining(c))).strip()


def _runs(text: str) -> frozenset[int]:
    """The text's three-word runs (hashed), as the copy finder reads them."""
    words = _key(text).split()
    return frozenset(hash(tuple(words[i : i + 3])) for i in range(max(1, len(words) - 2)))


def labelled_comments(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` different comments with their topic (cached in the temporary directory: 100,000
    take a minute or two to draw)."""
    cache = Path(tempfile.gettempdir()) / f"consult-corpus-{CORPUS_VERSION}-{n}-{seed}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    comments = _draw(n, seed)
    cache.write_bytes(pickle.dumps(comments))
    return comments


#: Change it with the templates, so that no stale cache is read.
CORPUS_VERSION = 3
#: Two comments are one template campaign, by the issue's definition, when they share a
#: passage of at least this share of the shorter text's three-word runs; no two kept
#: comments do.
TEMPLATE_SHARE = 0.6


#: Runs beyond the bare minimum a text is looked up (and indexed) by: a kept text that could
#: share TEMPLATE_SHARE with it then holds EXTRA + 1 of them, which few texts do by chance.
EXTRA = 4


def _probe(runs: frozenset[int], holders: dict[int, list[int]]) -> tuple[list[int], int]:
    """Runs of a text to look it up by, and how many of them a text sharing TEMPLATE_SHARE
    of its runs must hold.

    A text sharing ``ceil(share × size)`` of its runs misses at most the others, so of any
    ``size − ceil(share × size) + 1 + EXTRA`` of its runs it holds ``EXTRA + 1``; the
    rarest among the kept comments first, so that the lists looked up stay short (any
    choice would be correct).
    """
    misses = len(runs) - math.ceil(TEMPLATE_SHARE * len(runs))
    probe = sorted(runs, key=lambda r: len(holders.get(r, ())))[: misses + 1 + EXTRA]
    return probe, len(probe) - misses


def _draw(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` different comments with their topic, topics in turn.

    Templates repeat, so two draws can share most of their text. A draw is kept only
    when it shares less than TEMPLATE_SHARE of the shorter text's three-word runs with
    every comment kept before: the comments are really distinct, not even template
    copies of each other, and a campaign found among them is a wrong merge.

    Every pair that could share that much is checked (a prefix filter): if the new text
    is the shorter, a kept text sharing 60 % of its runs holds enough of its probe runs
    (looked up among every kept comment's runs); if a kept text is the shorter, the new
    text holds enough of the probe runs that kept text was indexed by.
    """
    rng = random.Random(seed)
    topics = list(TOPICS)
    kept: list[frozenset[int]] = []
    needs: list[int] = []  # per kept comment: probe runs a text sharing enough must hold
    holders: dict[int, list[int]] = {}  # run → kept comments holding it
    probed: dict[int, list[int]] = {}  # run → kept comments whose probe holds it
    out: list[tuple[str, str]] = []
    while len(out) < n:
        topic = topics[len(out) % len(topics)] if rng.random() < 0.5 else rng.choice(topics)
        text, _ = _comment(topic, rng)
        runs = _runs(text)
        probe, need = _probe(runs, holders)
        hits = Counter(c for r in probe for c in holders.get(r, ()))
        candidates = {c for c, count in hits.items() if count >= need}
        hits = Counter(c for r in runs for c in probed.get(r, ()))
        candidates.update(c for c, count in hits.items() if count >= needs[c])
        if any(
            len(runs & kept[c]) >= TEMPLATE_SHARE * min(len(runs), len(kept[c])) for c in candidates
        ):
            continue
        number = len(kept)
        kept.append(runs)
        needs.append(need)
        for r in runs:
            holders.setdefault(r, []).append(number)
        for r in probe:
            probed.setdefault(r, []).append(number)
        out.append((text, topic))
    rng.shuffle(out)
    return out


def distinct_comments(n: int, seed: int = 0) -> list[str]:
    """``n`` comments, no two copies of each other (nor template copies)."""
    return [text for text, _ in labelled_comments(n, seed)]


if __name__ == "__main__":
    for text, topic in labelled_comments(12, seed=1):
        print(f"[{topic}] {text}")
