"""Fill the bundled draft's consultation with the evaluation corpus, to try the insight pages.

The acceptance of the insight analyses runs ``consult insight`` on a consultation holding
what the evaluation measures: comments on ten known topics (``corpus.labelled_comments``),
each mostly on the section its topic belongs to, campaign letters copied with small edits,
agreement answers from three planted opinion groups, and a skewed stakeholder and regional
mix with whole regions absent. Responses are written through the ORM, as the response flow
leaves them (submitted, comments awaiting moderation or published).

    python benchmarks/insight/fill.py --database sqlite:////tmp/insight/consult.db
    python benchmarks/insight/fill.py --responses 3000 --database postgresql+psycopg://...

A new database is created and the bundled draft loaded first (as ``consult init`` does);
a consultation that already has responses is refused.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

from corpus import labelled_comments  # noqa: E402

#: Where each topic's comments mostly go (the priority area it is about).
TOPIC_SECTION = {
    "formacion": "5-3",
    "datos_abiertos": "5-10",
    "privacidad": "5-2",
    "etica": "5-2",
    "conectividad": "5-5",
    "investigacion": "5-9",
    "gobierno_digital": "5-8",
    "empleo": "5-6",
    "salud": "5-4",
    "empresas": "5-1",
}
STAKEHOLDERS = {
    "individual": 40, "academia": 20, "company": 10, "civil_society": 9, "public_sector": 8,
    "technical_community": 6, "business_association": 3, "trade_union": 2, "other": 2,
}  # fmt: skip
#: Lima answers most; Madre de Dios, Tumbes, Pasco and Huancavelica not at all.
REGIONS = {
    "lima_metropolitana": 45, "arequipa": 8, "la_libertad": 6, "cusco": 5, "piura": 5,
    "lambayeque": 4, "junin": 4, "callao": 3, "puno": 3, "cajamarca": 2, "ica": 2,
    "loreto": 2, "ancash": 2, "san_martin": 1, "ayacucho": 1, "tacna": 1, "ucayali": 1,
    "huanuco": 1, "moquegua": 1, "apurimac": 1, "amazonas": 1, "lima_provincias": 1,
}  # fmt: skip
GENDERS = {"man": 58, "woman": 38, None: 4}
#: Three planted opinion groups: the mean agreement (1–5) each gives a section's question.
GROUPS = {
    "entusiastas": {"default": 4.5},
    "escepticos": {"default": 1.7},
    "regionalistas": {"default": 3.0, "5-3": 4.6, "5-5": 4.8, "5-2": 1.5, "5-10": 1.6},
}
GROUP_MIX = {
    "entusiastas": {"company": 3, "technical_community": 3, "academia": 2},
    "escepticos": {"civil_society": 3, "trade_union": 4, "individual": 1},
    "regionalistas": {"public_sector": 2, "individual": 2, "academia": 1},
}
#: Campaign letters: (section, text, copies).
CAMPAIGNS = [
    (
        "5-3",
        "Como docentes de la red de escuelas rurales pedimos que la estrategia incluya un "
        "programa nacional de formación en inteligencia artificial para profesores de "
        "colegios públicos, con materiales en quechua y aimara y horas reconocidas en la "
        "carrera magisterial.",
        120,
    ),
    (
        "5-2",
        "Exigimos que ningún sistema de reconocimiento facial se use en espacios públicos sin "
        "una ley aprobada por el Congreso, una evaluación de impacto publicada y un registro "
        "abierto de los algoritmos que usa el Estado.",
        60,
    ),
    (
        "5-5",
        "Pedimos que la Red Dorsal de Fibra Óptica llegue a todas las capitales de provincia "
        "antes de 2026 y que los centros de datos públicos se instalen también en regiones.",
        25,
    ),
]
SIGNATURES = ["Atentamente,", "Firma:", "Saludos,", "—"]
NAMES = ["María", "José", "Rosa", "Luis", "Carmen", "Jorge", "Ana", "Pedro", "Julia", "Raúl"]


def _pick(rng: random.Random, table: dict) -> object:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _edit(letter: str, rng: random.Random) -> str:
    """A copy as people send them: a typo, a sentence of their own, a signature."""
    words = letter.split()
    if rng.random() < 0.4:
        i = rng.randrange(len(words))
        if len(words[i]) > 4:
            j = rng.randrange(1, len(words[i]) - 1)
            words[i] = words[i][:j] + words[i][j + 1 :]
    text = " ".join(words)
    if rng.random() < 0.3:
        text = text.lower() if rng.random() < 0.5 else text.upper()
    if rng.random() < 0.4:
        text += " " + rng.choice(
            ["Es muy importante para mi comunidad.", "Lo vivo todos los días.", "Gracias."]
        )
    if rng.random() < 0.5:
        text += f" {rng.choice(SIGNATURES)} {rng.choice(NAMES)}"
    return text


def fill(consultation, count: int, seed: int) -> dict[str, int]:
    from consult.extensions import db
    from consult.models import Answer, Comment, Response
    from consult.models.columns import utcnow
    from consult.models.response import hash_token, new_reference
    from consult.models.vocab import ModerationState, QuestionType, ResponseStatus

    rng = random.Random(seed)
    sections = {s.key: s for s in consultation.sections}
    likert = {
        q.section.key: q
        for q in consultation.questions
        if q.type is QuestionType.LIKERT and q.section is not None
    }
    comments = labelled_comments(int(count * 1.3), seed)
    letters = [(section, letter, i) for section, letter, copies in CAMPAIGNS for i in range(copies)]
    rng.shuffle(letters)
    start = utcnow() - timedelta(days=20)
    written = {"responses": 0, "comments": 0, "campaign_copies": 0, "answers": 0}
    for n in range(count):
        group = rng.choice(list(GROUPS))
        stakeholder = (
            _pick(rng, GROUP_MIX[group]) if rng.random() < 0.6 else _pick(rng, STAKEHOLDERS)
        )
        individual = stakeholder == "individual"
        moment = start + timedelta(minutes=n * 20 + rng.randrange(20))
        response = Response(
            consultation_id=consultation.id,
            reference=new_reference(),
            token_hash=hash_token(secrets.token_urlsafe(24)),
            status=ResponseStatus.SUBMITTED,
            responding_as="individual" if individual else "organisation",
            stakeholder_type=stakeholder,
            organisation_name=None if individual else f"Organización {n % 97}",
            organisation_size=None if individual else rng.choice(["micro", "small", "medium"]),
            region=_pick(rng, REGIONS),
            gender=_pick(rng, GENDERS),
            publication=rng.choice(["anonymous", "anonymous", "private", "named"]),
            display_name=None,
            consent_at=moment - timedelta(minutes=5),
            created_at=moment - timedelta(minutes=5),
            submitted_at=moment,
            address_hash=hashlib.sha256(f"address-{rng.randrange(count)}".encode()).hexdigest(),
        )
        if response.publication == "named":
            response.display_name = f"{rng.choice(NAMES)} {n}"
        db.session.add(response)
        profile = GROUPS[group]
        for key, question in likert.items():
            if rng.random() < 0.25:
                continue  # not every respondent answers every section
            mean = profile.get(key, profile["default"])
            point = min(5, max(1, round(rng.gauss(mean, 0.8))))
            response.answers.append(Answer(question_id=question.id, value=str(point)))
            written["answers"] += 1
        texts: list[tuple[str, str]] = []
        if letters and rng.random() < 0.15:
            section, letter, _ = letters.pop()
            texts.append((section, _edit(letter, rng)))
            written["campaign_copies"] += 1
        for _ in range(rng.choice([1, 1, 1, 2])):
            if not comments:
                break
            text, topic = comments.pop()
            key = (
                TOPIC_SECTION[topic]
                if rng.random() < 0.8
                else rng.choice(list(TOPIC_SECTION.values()))
            )
            if key not in {k for k, _ in texts}:
                texts.append((key, text))
        for key, text in texts:
            published = rng.random() < 0.3
            response.comments.append(
                Comment(
                    section_id=sections[key].id,
                    text=text,
                    contribution=(consultation.contributions or [{"code": None}])[0]["code"],
                    moderation=ModerationState.PUBLISHED if published else ModerationState.PENDING,
                    moderated_at=moment if published else None,
                    created_at=moment - timedelta(minutes=1),
                )
            )
            written["comments"] += 1
        written["responses"] += 1
        if n % 200 == 199:
            db.session.commit()
    db.session.commit()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: the app's own)")
    parser.add_argument("--responses", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from consult import create_app
    from consult.cli import initialise
    from consult.extensions import db
    from consult.models import Consultation, Response

    config = {"DATABASE_URL": args.database} if args.database else None  # None: as `consult`
    app = create_app(config)
    with app.app_context():
        initialise()
        consultation = db.session.scalar(
            sa.select(Consultation).filter_by(slug=app.config["DEFAULT_BUNDLE"])
        )
        has = db.session.scalar(
            sa.select(sa.func.count()).where(Response.consultation_id == consultation.id)
        )
        if has:
            raise SystemExit(f"{consultation.slug} already has {has} responses: use a new database")
        written = fill(consultation, args.responses, args.seed)
        slug = consultation.slug
    print(", ".join(f"{name}: {value:,}" for name, value in written.items()))
    print(f"Now: consult insight --consultation {slug}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
