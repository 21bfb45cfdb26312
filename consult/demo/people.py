"""Who responds to the demo, when and how: profile, publication, channel and time.

Pure functions of a seeded ``random.Random``. The mix follows what real consultations on
digital policy see: many citizens and academics, few public bodies; Lima far ahead of
its share of the census (Peru's 2017 census, ``insight/data``), a few regions with nobody;
gender and age often left unanswered; most responses online, some typed in from paper
forms collected at regional workshops. Names and addresses are invented: display names
are a first name and an initial, emails are at example.org or .invalid.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..models.zones import zone_info
from .shape import Shape

CENSUS = Path(__file__).resolve().parent.parent / "insight" / "data" / "peru-population-2017.csv"

#: Share of each stakeholder type among the submitted responses (unknown codes: "other").
STAKEHOLDER_MIX = {
    "individual": 0.40,
    "academia": 0.22,
    "company": 0.10,
    "civil_society": 0.09,
    "technical_community": 0.07,
    "public_sector": 0.04,
    "business_association": 0.03,
    "trade_union": 0.02,
    "international_org": 0.01,
    "other": 0.02,
}
#: How much more often Lima Metropolitana responds than its census share says (online
#: consultations of a ministry in Lima draw Lima first).
LIMA_PULL = 2.6
#: Regions nobody from answered: the report shows them empty, the representation page missing.
EMPTY_REGIONS = ("huancavelica", "madre_de_dios", "pasco", "amazonas")
#: Share of respondents abroad (region "abroad"), and the countries they write from.
ABROAD_SHARE = 0.02
COUNTRIES = ("CL", "ES", "US", "AR", "MX", "CO", "DE")
GENDER_MIX = {"woman": 0.40, "man": 0.45, "non_binary": 0.01, "other": 0.005, "prefer_not": 0.03}
AGE_MIX = {
    "under_18": 0.01,
    "18_29": 0.24,
    "30_44": 0.34,
    "45_59": 0.19,
    "60_plus": 0.06,
    "prefer_not": 0.03,
}
PUBLICATION_MIX = {"named": 0.30, "anonymous": 0.45, "private": 0.25}
#: Share typed in from paper (higher outside Lima, where workshops collected forms).
PAPER_LIMA, PAPER_ELSEWHERE = 0.03, 0.16

FIRST_NAMES = (
    "Rosa", "Carlos", "Lucía", "Jorge", "Milagros", "Luis", "Carmen", "José", "Ana", "Miguel",
    "Patricia", "Juan", "Sofía", "Diego", "Gabriela", "Renzo", "Flor", "César", "Valeria",
    "Hugo", "Elena", "Raúl", "Pilar", "Óscar", "Daniela", "Víctor", "Ximena", "Iván",
)  # fmt: skip
_PLACES = (
    "Altamira", "Río Claro", "Villa Esperanza", "Los Cedros", "Puerto Nuevo", "Tres Lagunas",
    "San Demetrio", "Valle Alto", "Cerro Verde Chico", "Las Palmeras",
)  # fmt: skip
#: Invented organisation names per stakeholder type ({place} is an invented town).
_ORGANISATIONS = {
    "academia": (
        "Universidad de {place}", "Instituto Superior de {place}",
        "Grupo de Investigación en Datos de {place}", "Facultad de Ingeniería de {place}",
    ),
    "company": (
        "Analítica {place} S.A.C.", "Soluciones Digitales {place}", "Agrodatos {place} E.I.R.L.",
        "Startup Algoritmo {place}",
    ),
    "business_association": ("Cámara de Comercio de {place}", "Gremio Tecnológico de {place}"),
    "civil_society": (
        "Asociación Ciudadanía Digital {place}", "Colectivo Derechos en Red {place}",
        "Fundación Mujeres y Tecnología {place}",
    ),
    "trade_union": ("Sindicato de Trabajadores de {place}",),
    "technical_community": ("Comunidad Python {place}", "Club de Datos Abiertos {place}"),
    "public_sector": ("Municipalidad de {place}", "Gobierno Regional de {place} (oficina TI)"),
    "international_org": ("Red Internacional de Gobierno Abierto ({place})",),
    "other": ("Colegio Profesional de {place}",),
}  # fmt: skip


@dataclass
class Person:
    """One respondent's profile and how and when they responded."""

    stakeholder_type: str
    responding_as: str | None
    organisation_name: str | None
    organisation_size: str | None
    region: str | None
    country: str | None
    gender: str | None
    age_band: str | None
    publication: str
    display_name: str | None
    email: str | None
    channel: str
    locale: str
    #: When it was sent (naive UTC); started a few minutes earlier.
    submitted_at: datetime
    started_at: datetime


def _pick(rng: random.Random, mix: dict[str, float], known: tuple[str, ...]) -> str | None:
    """One code of ``mix`` the list knows; the rest of the probability: unanswered."""
    roll, total = rng.random(), 0.0
    for code, share in mix.items():
        total += share
        if roll < total:
            return code if code in known else None
    return None


def region_weights(regions: tuple[str, ...]) -> dict[str, float]:
    """Each region's chance: its census share, Lima pulled up, a few regions empty."""
    census: dict[str, float] = {}
    with CENSUS.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            census[row["region"]] = float(row["population_2017"])
    weights = {r: census.get(r, 0.0) for r in regions if r not in EMPTY_REGIONS}
    if "lima_metropolitana" in weights:
        weights["lima_metropolitana"] *= LIMA_PULL
    total = sum(weights.values()) or 1.0
    return {r: w / total * (1 - ABROAD_SHARE) for r, w in weights.items() if w}


def stakeholder_types(rng: random.Random, shape: Shape, count: int) -> list[str]:
    """``count`` stakeholder types in the mix's shares (rounded, then shuffled)."""
    known = [c for c in STAKEHOLDER_MIX if c in shape.stakeholder_types]
    fallback = shape.stakeholder_types[-1]
    chosen: list[str] = []
    for code in known:
        chosen += [code] * round(STAKEHOLDER_MIX[code] * count)
    chosen = chosen[:count] + [fallback] * max(0, count - len(chosen))
    rng.shuffle(chosen)
    return chosen


def _organisation(rng: random.Random, kind: str) -> str:
    return rng.choice(_ORGANISATIONS.get(kind, _ORGANISATIONS["other"])).format(
        place=rng.choice(_PLACES)
    )


def person(
    rng: random.Random,
    shape: Shape,
    regions: dict[str, float],
    kind: str,
    number: int,
    moment: datetime,
) -> Person:
    """Respondent ``number``, of stakeholder type ``kind``, sending at ``moment``;
    ``regions`` are ``region_weights``."""
    only = shape.only.get(kind)
    responding_as = only or ("organisation" if rng.random() < 0.75 else "individual")
    if "responding_as" not in shape.asks:
        responding_as = None
    organisation = responding_as == "organisation"
    abroad = sorted(shape.abroad)
    if abroad and rng.random() < ABROAD_SHARE:
        region, country = abroad[0], rng.choice(COUNTRIES)
    else:
        region = rng.choices(list(regions), list(regions.values()))[0] if regions else None
        country = None
    publication = _pick(rng, PUBLICATION_MIX, ("named", "anonymous", "private")) or "private"
    name = _organisation(rng, kind) if organisation else None
    display = None
    if publication == "named":
        display = name or f"{rng.choice(FIRST_NAMES)} {rng.choice('ABCDEFGHIJLMNPQRSTV')}."
    paper = rng.random() < (PAPER_LIMA if region == "lima_metropolitana" else PAPER_ELSEWHERE)
    email = None
    if not paper and rng.random() < 0.8:
        email = (
            f"persona-{number:05d}@example.org"
            if rng.random() < 0.7
            else (f"demo{number:05d}@correo.invalid")
        )
    return Person(
        stakeholder_type=kind,
        responding_as=responding_as,
        organisation_name=name,
        organisation_size=rng.choice(shape.sizes) if organisation and shape.sizes else None,
        region=region,
        country=country,
        gender=None if organisation else _pick(rng, GENDER_MIX, shape.genders),
        age_band=None if organisation else _pick(rng, AGE_MIX, shape.age_bands),
        publication=publication,
        display_name=display,
        email=email,
        channel="paper" if paper else "online",
        locale="en" if region in shape.abroad and rng.random() < 0.4 else "es",
        submitted_at=moment,
        started_at=moment - timedelta(minutes=rng.randint(4, 55)),
    )


# ---------------------------------------------------------------- when


#: Share of a day's responses in each local hour: quiet at night, a morning and an
#: evening peak (people answer at work and after dinner).
HOURLY = (
    1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2.5, 4, 6, 7, 7, 6, 5, 5.5, 6, 6, 5.5, 5, 6, 7, 6.5, 4, 2
)  # fmt: skip


def _day_weight(day: int, days: int, weekday: int) -> float:
    """The launch, its decay, a mention in the press in the middle, quieter weekends."""
    launch = 6.0 * 0.8**day
    press = 4.0 if abs(day - days // 2) <= 1 else 0.0
    weekend = 0.45 if weekday >= 5 else 1.0
    return (1.0 + launch + press) * weekend


def moments(rng: random.Random, shape: Shape, count: int, now: datetime) -> list[datetime]:
    """``count`` sending times between the opening and ``now`` (naive UTC), sorted, on a
    realistic daily curve in the consultation's time zone."""
    zone = zone_info(shape.time_zone)
    end = min(now, shape.closes)
    start_local = shape.opens.replace(tzinfo=UTC).astimezone(zone)
    days = max(1, (end - shape.opens).days + 1)
    weights = [
        _day_weight(d, days, (start_local + timedelta(days=d)).weekday()) for d in range(days)
    ]
    if end <= shape.opens:
        raise ValueError("the consultation opens after this moment: no time to respond in")
    found: list[datetime] = []
    # Times drawn on the curve fall outside the window only on its first and last day;
    # a window of minutes would reject most, so after enough tries the rest are drawn
    # evenly within it.
    for _try in range(50 * count):
        if len(found) == count:
            return sorted(found)
        day = rng.choices(range(days), weights)[0]
        hour = rng.choices(range(24), HOURLY)[0]
        local = (start_local + timedelta(days=day)).replace(
            hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0
        )
        moment = local.astimezone(UTC).replace(tzinfo=None)
        if shape.opens <= moment < end:
            found.append(moment)
    span = (end - shape.opens).total_seconds()
    while len(found) < count:
        found.append(shape.opens + timedelta(seconds=int(rng.random() * span)))
    return sorted(found)
