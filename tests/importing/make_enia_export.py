"""Write a realistic export of the ENIA consultation from another form tool, by fixed rules.

Run ``python tests/importing/make_enia_export.py`` to write, beside this file, in data/:
``enia-formulario.csv`` (as Google Forms / Microsoft Forms in Spanish export it: ``;``
between cells, Spanish headers, "Marca temporal" as ``15/12/2020 11:10:01``, agreement as
"Muy de acuerdo" …). ``xlsx_bytes()`` gives the same rows as a workbook (dates as date
cells), made by the tests when they need it rather than kept in git as a binary file.
The same seed gives the same rows, so the committed CSV can be checked against it.

The rules: a skewed stakeholder mix (many individuals and academics, few unions), most
respondents in Lima, each question answered by some, comments written from Spanish
templates (accents, commas, semicolons, quotes, a line break), empty cells, a "Puntuación"
column the mapping ignores, and three planted problems whose lines the tests know:
``PLANTED`` (a malformed date, an unknown label, a missing required region).
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ROWS = 212
SEED = 2021

#: line (as a spreadsheet shows it; the header is line 1) → (column, what is wrong).
PLANTED = {
    59: ("Marca temporal", "31/11/2020 25:61:00"),
    125: ("5.3 Estoy de acuerdo con la meta propuesta para esta área.", "Bastante de acuerdo"),
    172: ("Región", ""),
}

AGREEMENT = [
    "Muy en desacuerdo",
    "En desacuerdo",
    "Ni de acuerdo ni en desacuerdo",
    "De acuerdo",
    "Muy de acuerdo",
    "No sé",
]
# (label as the other form wrote it, share, can answer as an organisation)
TYPES = [
    ("Persona a título individual", 34, False),
    ("Academia o investigación", 18, True),
    ("Empresa / startup", 15, True),
    ("Organización de la sociedad civil", 10, True),
    ("Sector público (gobierno nacional, regional o local)", 10, True),
    ("Comunidad técnica", 6, True),
    ("Gremio o cámara empresarial", 3, True),
    ("Sindicato", 2, True),
    ("Organismo internacional", 1, True),
    ("Otro", 1, True),
]
REGIONS = [
    ("Lima Metropolitana", 45),
    ("Arequipa", 8),
    ("Cusco", 6),
    ("La Libertad", 5),
    ("Junín", 4),
    ("Piura", 4),
    ("Lambayeque", 4),
    ("Áncash", 3),
    ("San Martín", 3),
    ("Huánuco", 2),
    ("Puno", 2),
    ("Loreto", 2),
    ("Callao", 4),
    ("Lima Provincias", 3),
    ("Fuera del Perú", 5),
]
COUNTRIES = ["España", "Chile", "Estados Unidos", "Argentina", "México"]
SIZES = [
    "Micro (menos de 10 personas)",
    "Pequeña (de 10 a 49 personas)",
    "Mediana (de 50 a 249 personas)",
    "Grande (250 personas o más)",
]
GENDERS = ["Mujer", "Hombre", "No binaria", "Prefiero no decirlo", ""]
AGES = ["De 18 a 29", "De 30 a 44", "De 45 a 59", "60 o más", ""]
PUBLISH = [("Sí, con mi nombre", 35), ("Sí, de forma anónima", 40), ("No", 25)]
FIT = ["Muy bien", "Bien", "En parte", "Mal", "No responde en absoluto", "No sé"]
STRENGTHEN = [
    "Metas concretas y plazos",
    "Presupuesto y financiamiento",
    "Gobernanza y coordinación",
    "Inclusión de las regiones",
    "Ética y derechos humanos",
    "Datos e infraestructura",
    "Talento y educación",
    "Seguimiento y evaluación",
]
FIRST = [
    "María",
    "José",
    "Lucía",
    "Jorge",
    "Rosa",
    "Luis",
    "Ana",
    "Carlos",
    "Sofía",
    "Miguel",
    "Valeria",
    "Diego",
    "Carmen",
    "Andrés",
    "Julia",
    "Raúl",
    "Elena",
    "Martín",
]
LAST = [
    "Quispe",
    "Huamán",
    "Mamani",
    "Rojas",
    "García",
    "Flores",
    "Chávez",
    "Torres",
    "Vásquez",
    "Ramírez",
    "Castillo",
    "Núñez",
    "Gutiérrez",
    "Ccori",
    "Peña",
]
ORGS = [
    "Universidad Nacional de San Agustín",
    "Pontificia Universidad Católica del Perú",
    "Asociación Peruana de Software",
    "Hiperderecho",
    "Cámara de Comercio de Lima",
    "Municipalidad Provincial del Cusco",
    "Startup Andina S.A.C.",
    "Colegio de Ingenieros",
    "ONG Datos Abiertos Perú",
    "Instituto de Investigación de la Amazonía",
]
TOPICS = [
    "la protección de datos personales",
    "la formación docente",
    "el acceso a internet en zonas rurales",
    "la transparencia de los algoritmos",
    "el financiamiento de la I+D",
    "la participación de las regiones",
    "los sandboxes regulatorios",
    "el uso de la IA en salud",
    "la ética y los derechos humanos",
    "la interoperabilidad del Estado",
]
OPENINGS = [
    "Considero que",
    "Nos parece importante que",
    "Sugerimos que",
    "Es urgente que",
    "Desde nuestra experiencia,",
    "Propongo que",
]
CLOSINGS = [
    "Sin esto, la meta será difícil de cumplir.",
    "Gracias por abrir esta consulta.",
    "Falta precisar plazos; también indicadores.",
    'Debe incluir a las universidades "de regiones", no solo a Lima.',
    "El borrador avanza, pero hace falta presupuesto.",
]

QUESTIONS_LIKERT = [
    ("2", "q-2-objective-agree", "El objetivo propuesto es adecuado para el Perú."),
    *[
        (n, f"q-{n.replace('.', '-')}-agree", text)
        for n, text in [
            ("5.1", "Estoy de acuerdo con la meta propuesta para esta área."),
            ("5.2", "Estoy de acuerdo con la meta propuesta para esta área."),
            ("5.3", "Estoy de acuerdo con la meta propuesta para esta área."),
            ("5.4", "Estoy de acuerdo con la meta propuesta para esta área."),
            ("5.5", "Estoy de acuerdo con las metas propuestas para esta área."),
            ("5.6", "Estoy de acuerdo con las metas propuestas para esta área."),
            ("5.8", "Estoy de acuerdo con la meta propuesta para esta área."),
            ("5.10", "Estoy de acuerdo con las metas propuestas para esta área."),
        ]
    ],
    (
        "6",
        "q-6-implementation-clear",
        "La forma en que se implementará la estrategia está suficientemente clara.",
    ),
]
COMMENT_SECTIONS = ["2", "3", "5.1", "5.2", "5.3", "5.8", "5.10", "6"]


def _numbered(number: str, text: str) -> str:
    """A question's header as the form numbered it: "2. El objetivo …", "5.1 Estoy …"."""
    return f"{number}{'' if '.' in number else '.'} {text}"


HEADERS = [
    "Marca temporal",
    "Dirección de correo electrónico",
    "Puntuación",
    "Responde como",
    "Tipo de actor",
    "Nombre de la organización",
    "Tamaño de la organización",
    "Región",
    "País",
    "Género",
    "Edad",
    "¿Podemos publicar sus comentarios?",
    "Nombre para publicar",
    "En general, ¿qué tan bien responde el borrador a las necesidades del Perú?",
    "¿Qué debería reforzar la versión final de la estrategia?",
    *[_numbered(n, text) for n, _key, text in QUESTIONS_LIKERT],
    "7. ¿Cómo debería contribuir la IA a la acción climática en el Perú?",
    *[f"Comentarios {n}" for n in COMMENT_SECTIONS],
    "Tipo de aporte 5.2",
]


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _comment(rng: random.Random) -> str:
    text = f"{rng.choice(OPENINGS)} se priorice {rng.choice(TOPICS)}; {rng.choice(CLOSINGS)}"
    if rng.random() < 0.15:
        text += (
            f"\nAdemás, {rng.choice(TOPICS)} requiere coordinación con los gobiernos regionales."
        )
    return text


def rows() -> list[dict[str, object]]:
    """The rows, in order: each a dict by header (a ``datetime`` for a valid timestamp)."""
    rng = random.Random(SEED)
    moment = datetime(2020, 12, 15, 8, 3, 12)
    out = []
    for index in range(ROWS):
        line = index + 2
        moment += timedelta(minutes=rng.randint(5, 240), seconds=rng.randint(0, 59))
        chosen_type = _weighted(rng, [(t[0], t[1]) for t in TYPES])
        kind, _share, org_ok = next(t for t in TYPES if t[0] == chosen_type)
        as_org = org_ok and rng.random() < 0.7
        region = _weighted(rng, REGIONS)
        publish = _weighted(rng, PUBLISH)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        leaning = rng.choice([3, 4, 4, 5, 5, 2])
        row: dict[str, object] = dict.fromkeys(HEADERS, "")
        row["Marca temporal"] = moment
        if rng.random() < 0.7:
            row["Dirección de correo electrónico"] = (
                f"{name.split()[0].lower()}.{index}@ejemplo.pe".replace("í", "i")
                .replace("é", "e")
                .replace("á", "a")
                .replace("ó", "o")
                .replace("ú", "u")
            )
        row["Puntuación"] = "0 / 0"
        row["Responde como"] = (
            "En representación de una organización" if as_org else "A título personal"
        )
        row["Tipo de actor"] = kind
        if as_org:
            row["Nombre de la organización"] = rng.choice(ORGS)
            row["Tamaño de la organización"] = rng.choice(SIZES)
        row["Región"] = region
        if region == "Fuera del Perú":
            row["País"] = rng.choice(COUNTRIES)
        row["Género"] = rng.choice(GENDERS)
        row["Edad"] = rng.choice(AGES)
        row["¿Podemos publicar sus comentarios?"] = publish
        if publish == "Sí, con mi nombre":
            row["Nombre para publicar"] = name
        if rng.random() < 0.8:
            row[HEADERS[13]] = rng.choice(FIT)
        if rng.random() < 0.6:
            chosen = rng.sample(STRENGTHEN, rng.randint(1, 3))
            row[HEADERS[14]] = ";".join(chosen)
        for number, _key, text in QUESTIONS_LIKERT:
            if rng.random() < 0.7:
                point = min(5, max(1, leaning + rng.choice([-1, 0, 0, 1])))
                row[_numbered(number, text)] = (
                    "No sé" if rng.random() < 0.05 else AGREEMENT[point - 1]
                )
        if rng.random() < 0.25:
            row["7. ¿Cómo debería contribuir la IA a la acción climática en el Perú?"] = _comment(
                rng
            )
        for number in COMMENT_SECTIONS:
            if rng.random() < 0.22:
                row[f"Comentarios {number}"] = _comment(rng)
                if number == "5.2" and rng.random() < 0.8:
                    row["Tipo de aporte 5.2"] = rng.choice(
                        ["Definición del problema", "Formulación de objetivos de política", "Otro"]
                    )
        if line in PLANTED:
            column, value = PLANTED[line]
            row[column] = value
        out.append(row)
    return out


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    return str(value)


def csv_bytes() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows():
        writer.writerow([_text(row[h]) for h in HEADERS])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Respuestas de formulario 1"
    sheet.append(HEADERS)
    for row in rows():
        sheet.append([row[h] if row[h] != "" else None for h in HEADERS])
    for cell in sheet["A"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "dd/mm/yyyy hh:mm:ss"
    book.properties.created = book.properties.modified = datetime(2021, 1, 31, 12, 0, 0)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    (DATA / "enia-formulario.csv").write_bytes(csv_bytes())
    print(f"{ROWS} rows written to {DATA}")
