"""Time the consultation report at national scale: N synthetic responses, then the report.

For each N: build the schema with the real migrations, load the bundled consultation,
fill N submitted responses by bulk inserts (timed apart: the fill is not the target),
then, in a fresh Python process so the fill's memory does not count, time

* a bare ``SELECT question_id, value, COUNT(*) FROM answer GROUP BY question_id, value``,
* ``build_report(consultation)`` (confidential) and ``to_xlsx`` of it when the writer exists,
* ``build_report(consultation, audience="open")`` followed by ``privacy.open_report``,

and read the peak resident memory of that process (``ru_maxrss``: the whole process,
Python, pandas and SQLite's page cache together).

    .venv/bin/python benchmarks/report_scale.py --responses 100000
    .venv/bin/python benchmarks/report_scale.py --responses 100000 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/consult_bench
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUNDLE = "enia-2021"
OPENS = datetime(2021, 6, 1, 5, 0)
CLOSES = OPENS + timedelta(days=60)

# ------------------------------------------------------------------ the synthetic mix

STAKEHOLDERS = {
    "individual": 0.36,
    "academia": 0.20,
    "company": 0.10,
    "civil_society": 0.09,
    "public_sector": 0.08,
    "technical_community": 0.06,
    "business_association": 0.03,
    "trade_union": 0.02,
    "international_org": 0.01,
    "other": 0.05,
}
#: Shift of the likert mean by stakeholder type, so the breakdowns differ.
STANCE = {
    "individual": 0.0,
    "academia": 0.3,
    "company": -0.4,
    "civil_society": -0.2,
    "public_sector": 0.6,
    "technical_community": 0.2,
    "business_association": -0.6,
    "trade_union": -0.5,
    "international_org": 0.4,
    "other": 0.0,
}
REGIONS = {
    "lima_metropolitana": 0.44,
    "arequipa": 0.06,
    "la_libertad": 0.05,
    "callao": 0.04,
    "cusco": 0.04,
    "piura": 0.04,
    "lambayeque": 0.035,
    "junin": 0.03,
    "lima_provincias": 0.025,
    "abroad": 0.03,
    "ica": 0.02,
    "cajamarca": 0.02,
    "puno": 0.02,
    "ancash": 0.02,
    "loreto": 0.015,
    "san_martin": 0.015,
    "tacna": 0.015,
    "ayacucho": 0.01,
    "ucayali": 0.01,
    "huanuco": 0.01,
    "moquegua": 0.008,
    "apurimac": 0.006,
    "amazonas": 0.006,
    "tumbes": 0.006,
    "pasco": 0.004,
    "huancavelica": 0.004,
    "madre_de_dios": 0.004,
}
COUNTRIES = ["ES", "US", "AR", "CL", "MX", "CO", "DE", "GB"]
GENDERS = {"woman": 0.41, "man": 0.5, "non_binary": 0.01, "other": 0.005, "prefer_not": 0.035}
AGES = {"under_18": 0.02, "18_29": 0.3, "30_44": 0.36, "45_59": 0.2, "60_plus": 0.07}
#: Answers to the single choice "how well does the draft fit", in the bundle's option order.
FIT = [0.12, 0.3, 0.35, 0.12, 0.05, 0.06]
SIZES = ["micro", "small", "medium", "large"]
PUBLICATION = {"named": 0.15, "anonymous": 0.45, "private": 0.40}
CONTRIBUTIONS = {"problem_definition": 0.35, "objective_formulation": 0.35, "other": 0.30}
MODERATION = {"pending": 0.67, "published": 0.30, "rejected": 0.03}
REJECTIONS = {
    "spam": 0.4,
    "off_topic": 0.25,
    "duplicate": 0.15,
    "offensive": 0.1,
    "personal_data": 0.1,
}
THEMES = [
    "Ética y derechos",
    "Datos abiertos",
    "Talento",
    "Financiamiento",
    "Regiones",
    "Gobernanza",
    "Sector público",
    "Investigación",
    "Industria",
    "Ambiente",
    "Educación escolar",
    "Infraestructura",
]
#: Probability that a respondent answers each likert question, and the other kinds.
P_LIKERT, P_SINGLE, P_MULTIPLE, P_RANKING = 0.46, 0.85, 0.75, 0.60
#: Expected comments per response, spread over the sections.
COMMENTS_PER_RESPONSE = 2.0
P_TAGGED = 0.2

_SUBJECTS = [
    "la estrategia", "el borrador", "el estado", "la academia", "el gobierno",
    "la sociedad civil", "el sector privado", "la ciudadanía", "el ministerio",
    "la universidad", "cada región", "la política", "el comité", "la secretaría",
    "el país", "la industria",
]  # fmt: skip
_VERBS = [
    "debe fortalecer", "necesita", "propone", "debería incluir", "no considera",
    "olvida", "prioriza", "requiere", "puede mejorar", "tendría que financiar",
    "debe evaluar", "ignora", "promueve", "limita", "impulsa", "garantiza",
]  # fmt: skip
_OBJECTS = [
    "la inteligencia artificial", "los datos abiertos", "la formación docente",
    "el talento digital", "la infraestructura", "la conectividad rural",
    "la protección de datos personales", "la ética algorítmica", "la investigación",
    "la innovación", "las pequeñas empresas", "los pueblos indígenas", "la transparencia",
    "el presupuesto", "las metas", "los plazos", "la gobernanza", "la ciberseguridad",
    "los derechos humanos", "la educación básica", "el empleo", "la salud pública",
    "la agricultura", "el cambio climático", "la cooperación internacional",
    "los laboratorios regionales", "las compras públicas", "los algoritmos",
]  # fmt: skip
_TAILS = [
    "en todas las regiones", "con indicadores claros", "antes de 2026", "de manera urgente",
    "con participación ciudadana", "sin dejar a nadie atrás", "como en otros países",
    "con recursos suficientes", "y mecanismos de seguimiento", "para las mujeres",
    "en el sector público", "con enfoque intercultural", "", "", "",
]  # fmt: skip


def _weights(table: dict[str, float]) -> tuple[list[str], np.ndarray]:
    codes = list(table)
    p = np.array([table[c] for c in codes], dtype=float)
    return codes, p / p.sum()


def _pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    codes, p = _weights(table)
    return np.asarray(codes, dtype=object)[rng.choice(len(codes), size=n, p=p)]


def _sentences(rng: np.random.Generator, count: int = 4000) -> list[str]:
    out = []
    for _ in range(count):
        parts = [
            _SUBJECTS[rng.integers(len(_SUBJECTS))],
            _VERBS[rng.integers(len(_VERBS))],
            _OBJECTS[rng.integers(len(_OBJECTS))],
            _TAILS[rng.integers(len(_TAILS))],
        ]
        text = " ".join(p for p in parts if p)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def _stamp(values: np.ndarray) -> list[str]:
    """datetime64 values as the naive UTC text SQLAlchemy stores (and PostgreSQL parses)."""
    return [s.replace("T", " ") for s in np.datetime_as_string(values, unit="us")]


# ------------------------------------------------------------------ the fill

RESPONSE_COLUMNS = [
    "id", "consultation_id", "reference", "token_hash", "status", "locale", "responding_as",
    "stakeholder_type", "organisation_name", "organisation_size", "region", "country",
    "gender", "age_band", "publication", "display_name", "email", "consent_at",
    "created_at", "updated_at", "submitted_at",
]  # fmt: skip
COMMENT_COLUMNS = [
    "id", "response_id", "section_id", "text", "contribution", "created_at", "updated_at",
    "moderation", "rejection_reason", "redacted_text", "moderated_at",
]  # fmt: skip
#: The frames whose time is the per-question aggregation, compared with the bare GROUP BY.
AGGREGATION = ("likert_results", "choice_results", "ranking_results")
BARE_GROUP_BY = "SELECT question_id, value, COUNT(*) FROM answer GROUP BY question_id, value"


class BulkWriter:
    """Bulk inserts: executemany on SQLite, COPY on PostgreSQL, in one open transaction."""

    def __init__(self, connection: sa.Connection):
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            self.connection.exec_driver_sql(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
            return
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor:
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)


def fill(connection: sa.Connection, consultation_id: int, n: int, seed: int, chunk: int):
    """Insert ``n`` submitted responses with their answers, choices, comments and tags."""
    rng = np.random.default_rng(seed)
    writer = BulkWriter(connection)
    questions = connection.execute(
        sa.text("SELECT id, key, type, options FROM question WHERE consultation_id = :c"),
        {"c": consultation_id},
    ).all()
    sections = [
        r[0]
        for r in connection.execute(
            sa.text("SELECT id FROM section WHERE consultation_id = :c ORDER BY position"),
            {"c": consultation_id},
        )
    ]
    likert = [(qid, key) for qid, key, kind, _ in questions if kind == "likert"]
    single, multiple, ranking = (
        next(
            (qid, json.loads(o) if isinstance(o, str) else o)
            for qid, _, k, o in questions
            if k == kind
        )
        for kind in ("single_choice", "multiple_choice", "ranking")
    )
    theme_ids = []
    for name in THEMES:
        theme_ids.append(
            connection.execute(
                sa.text(
                    "INSERT INTO theme (consultation_id, name, created_at) "
                    "VALUES (:c, :n, :t) RETURNING id"
                ),
                {"c": consultation_id, "n": name, "t": OPENS},
            ).scalar_one()
        )
    pool = _sentences(rng)
    question_mean = rng.uniform(2.8, 4.2, size=len(likert))
    # Priority areas draw more comments than the front matter.
    section_weight = np.array([0.5 if i < 5 else 1.5 for i in range(len(sections))])
    section_p = section_weight / section_weight.sum() * COMMENTS_PER_RESPONSE
    single_codes = [o["code"] for o in single[1]]
    multiple_codes = [o["code"] for o in multiple[1]]
    ranking_codes = [o["code"] for o in ranking[1]]
    ranking_pull = np.log(rng.uniform(0.5, 2.0, size=len(ranking_codes)))
    window = (CLOSES - OPENS).total_seconds()

    answer_id = comment_id = 0
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        ids = np.arange(start + 1, start + size + 1)
        # -- responses
        types = _pick(rng, STAKEHOLDERS, size)
        as_org = np.where(
            types == "individual",
            False,
            rng.random(size) < np.where(types == "academia", 0.3, 0.85),
        )
        regions = _pick(rng, REGIONS, size)
        genders = _pick(rng, GENDERS, size)
        genders[rng.random(size) < 0.05] = None
        ages = _pick(rng, AGES, size)
        ages[rng.random(size) < 0.05] = None
        publication = _pick(rng, PUBLICATION, size)
        # Busy first days and a rush before the close.
        offsets = np.where(
            rng.random(size) < 0.7,
            rng.uniform(0, window, size),
            window - rng.exponential(window / 12, size).clip(0, window - 1),
        )
        submitted = np.datetime64(OPENS) + (offsets * 1e6).astype("timedelta64[us]")
        created = submitted - (rng.exponential(1800, size) * 1e6).astype("timedelta64[us]")
        submitted_s, created_s = _stamp(submitted), _stamp(created)
        responses = []
        for i in range(size):
            rid = int(ids[i])
            org = bool(as_org[i])
            responses.append(
                (
                    rid,
                    consultation_id,
                    f"B{rid:07X}"[:4] + "-" + f"B{rid:07X}"[4:],
                    hashlib.sha256(f"bench-{rid}".encode()).hexdigest(),
                    "submitted",
                    "es" if rid % 10 else "en",
                    "organisation" if org else "individual",
                    types[i],
                    f"Organización {rid % 5000}" if org else None,
                    SIZES[rid % 4] if org else None,
                    regions[i],
                    COUNTRIES[rid % len(COUNTRIES)] if regions[i] == "abroad" else None,
                    genders[i],
                    ages[i],
                    publication[i],
                    f"Persona {rid}" if publication[i] == "named" else None,
                    f"p{rid}@example.org" if rid % 5 < 3 else None,
                    created_s[i],
                    created_s[i],
                    submitted_s[i],
                    submitted_s[i],
                )
            )
        writer.write(
            "response",
            RESPONSE_COLUMNS,
            responses,
        )
        del responses
        shift = np.array([STANCE[t] for t in types.tolist()])
        # -- answers: (response index, question position in `likert` or kind, value)
        answers: list[tuple] = []
        choices: list[tuple] = []
        mask = rng.random((size, len(likert))) < P_LIKERT
        ri, qi = np.nonzero(mask)
        points = np.clip(np.rint(rng.normal(question_mean[qi] + shift[ri], 1.1)), 1, 5).astype(int)
        values = np.where(rng.random(len(ri)) < 0.06, "dk", points.astype(str))
        per_response: dict[int, list] = {}
        for r, q, v in zip(ri.tolist(), qi.tolist(), values.tolist(), strict=True):
            per_response.setdefault(r, []).append((likert[q][0], v, None))
        chosen = np.nonzero(rng.random(size) < P_SINGLE)[0]
        codes = rng.choice(single_codes, size=len(chosen), p=FIT)
        for r, code in zip(chosen.tolist(), codes.tolist(), strict=True):
            per_response.setdefault(r, []).append((single[0], code, None))
        for r in np.nonzero(rng.random(size) < P_MULTIPLE)[0].tolist():
            picked = rng.random(len(multiple_codes)) < 0.35
            if not picked.any():
                picked[rng.integers(len(multiple_codes))] = True
            options = [(c, None) for c, p in zip(multiple_codes, picked, strict=True) if p]
            per_response.setdefault(r, []).append((multiple[0], None, options))
        for r in np.nonzero(rng.random(size) < P_RANKING)[0].tolist():
            order = np.argsort(-(ranking_pull + rng.gumbel(size=len(ranking_codes))))
            depth = int(rng.integers(3, len(ranking_codes) + 1))
            options = [(ranking_codes[k], p + 1) for p, k in enumerate(order[:depth].tolist())]
            per_response.setdefault(r, []).append((ranking[0], None, options))
        for r in sorted(per_response):
            rid = int(ids[r])
            for qid, value, options in per_response[r]:
                answer_id += 1
                answers.append((answer_id, rid, qid, value, submitted_s[r]))
                if options:
                    choices.extend((answer_id, o, p) for o, p in options)
        del per_response
        writer.write("answer", ["id", "response_id", "question_id", "value", "updated_at"], answers)
        writer.write("answer_choice", ["answer_id", "option", "position"], choices)
        del answers, choices
        # -- comments, one per chosen section
        ri, si = np.nonzero(rng.random((size, len(sections))) < section_p)
        count = len(ri)
        moderation = _pick(rng, MODERATION, count)
        reasons = _pick(rng, REJECTIONS, count)
        contributions = _pick(rng, CONTRIBUTIONS, count)
        lengths = rng.integers(1, 5, size=count)
        picks = rng.integers(len(pool), size=(count, 4))
        redacted = rng.random(count) < 0.03
        tagged = rng.random(count) < P_TAGGED
        comments, tags = [], []
        for j, (r, s) in enumerate(zip(ri.tolist(), si.tolist(), strict=True)):
            comment_id += 1
            text = " ".join(pool[k] for k in picks[j, : lengths[j]])
            state = moderation[j]
            rejected = state == "rejected"
            comments.append(
                (
                    comment_id,
                    int(ids[r]),
                    sections[s],
                    text,
                    contributions[j],
                    submitted_s[r],
                    submitted_s[r],
                    state,
                    reasons[j] if rejected else None,
                    "[datos personales retirados] " + text[:80]
                    if state == "published" and redacted[j]
                    else None,
                    submitted_s[r] if state != "pending" else None,
                )
            )
            if tagged[j]:
                first = (comment_id * 7) % len(theme_ids)
                tags.append((comment_id, theme_ids[first]))
                if comment_id % 3 == 0:
                    tags.append((comment_id, theme_ids[(first + 5) % len(theme_ids)]))
        writer.write(
            "comment",
            COMMENT_COLUMNS,
            comments,
        )
        writer.write("comment_theme", ["comment_id", "theme_id"], tags)
        del comments, tags
        connection.commit()
        print(f"  filled {start + size:>9,} responses", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    if not writer.sqlite:
        for table in ("response", "answer", "comment"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        connection.commit()
    return {"answers": answer_id, "comments": comment_id}


# ------------------------------------------------------------------ the two processes


def make_app(url: str, instance: str):
    from consult import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench"})


def prepare(url: str, instance: str, n: int, seed: int, chunk: int) -> dict:
    """Migrate an empty database, load the bundle and fill ``n`` responses; time the fill."""
    from flask_migrate import upgrade

    from consult.content import load_bundle
    from consult.extensions import db
    from consult.models import Consultation

    app = make_app(url, instance)
    with app.app_context():
        if sa.inspect(db.engine).get_table_names():
            raise SystemExit(f"{url}: the database is not empty; give the benchmark its own")
        upgrade()
        load_bundle(BUNDLE, opens=OPENS, closes=CLOSES)
        consultation_id = db.session.scalar(sa.select(Consultation.id).filter_by(slug=BUNDLE))
        db.session.remove()
        started = time.perf_counter()
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
                connection.exec_driver_sql("PRAGMA cache_size=-500000")
            counts = fill(connection, consultation_id, n, seed, chunk)
            if connection.dialect.name == "postgresql":
                # What autovacuum would do shortly after a bulk load.
                connection.commit()
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE"
                )
        counts["fill_s"] = time.perf_counter() - started
        db.engine.dispose()
    return counts


def drop(url: str, instance: str) -> None:
    from consult.extensions import db

    app = make_app(url, instance)
    with app.app_context():
        db.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def _peak_mb() -> float:
    """Peak resident memory of this process, in MiB.

    ``VmHWM`` (Linux) is the high-water mark of this process's own address space. The
    ``ru_maxrss`` of a child starts from its parent's size at fork; the benchmark keeps
    the parent small, so elsewhere ``ru_maxrss`` is a fair stand-in.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str, instance: str) -> dict:
    """Run in a fresh process: time the bare GROUP BY, the reports and the XLSX."""
    from consult.extensions import db
    from consult.models import Consultation, Response
    from consult.models.vocab import ResponseStatus
    from consult.reports import frames, privacy

    try:
        from consult.reports.writers import to_xlsx
    except ImportError:
        to_xlsx = None

    parts: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    for name in (
        "participation",
        "likert_results",
        "choice_results",
        "ranking_results",
        "comment_matrix",
        "theme_matrix",
        "quotes",
        "top_terms",
    ):
        setattr(frames, name, timed(name, getattr(frames, name)))

    app = make_app(url, instance)
    out: dict = {}
    with app.app_context():
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=BUNDLE))
        consultation.sections, consultation.questions  # noqa: B018 - load before timing
        out["submitted"] = db.session.scalar(
            sa.select(sa.func.count()).where(Response.status == ResponseStatus.SUBMITTED)
        )
        out["baseline_mb"] = _peak_mb()

        bare = sa.text(BARE_GROUP_BY)
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            db.session.execute(bare).all()
            runs.append(time.perf_counter() - started)
        out["bare_s"] = min(runs)

        out["load_before"] = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        report = frames.build_report(consultation)
        out["report_s"] = time.perf_counter() - started
        out["report_cpu_s"] = time.process_time() - cpu
        out["parts"] = dict(parts)
        out["counted"] = report.responses
        out["xlsx_s"] = None
        if to_xlsx is not None:
            started = time.perf_counter()
            data = to_xlsx(report)
            out["xlsx_s"] = time.perf_counter() - started
            out["xlsx_mb"] = len(data) / 2**20
        del report

        parts.clear()
        started = time.perf_counter()
        opened = privacy.open_report(
            frames.build_report(consultation, audience="open"), app.config["REPORT_MIN_CELL"]
        )
        out["open_s"] = time.perf_counter() - started
        out["open_parts"] = dict(parts)
        del opened
        out["peak_mb"] = _peak_mb()
        out["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["load_after"] = os.getloadavg()[0]
    return out


def _database_for(url: str | None, n: int) -> tuple[str, str | None]:
    """The URL to fill and, for a temporary SQLite file, its folder."""
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url, None
    folder = tempfile.mkdtemp(prefix=f"consult-bench-{n}-")
    return f"sqlite:///{Path(folder) / 'bench.db'}", folder


def _responses(values: list[str]) -> list[int]:
    out = []
    for value in values:
        out.extend(int(v.replace("_", "")) for v in value.split(",") if v.strip())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--responses",
        action="append",
        metavar="N",
        help="responses to fill; repeat or give a comma list (default 100000,1000000)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="an empty database to fill (default: a temporary SQLite file per N); "
        "PostgreSQL as postgresql+psycopg://user@host/name",
    )
    parser.add_argument("--keep", action="store_true", help="keep the filled database")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--chunk", type=int, default=50_000, help="responses per insert batch")
    parser.add_argument(
        "--no-fill",
        action="store_true",
        help="measure a database filled before with --keep (give it with --database)",
    )
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    # The two child modes: each step runs in its own process, so the fill's memory is
    # not in the measured peak.
    if args.fill is not None or args.measure:
        instance = tempfile.mkdtemp(prefix="consult-bench-i-")
        try:
            if args.measure:
                result = measure(args.database, instance)
            else:
                result = prepare(args.database, instance, args.fill, args.seed, args.chunk)
        finally:
            shutil.rmtree(instance, ignore_errors=True)
        print(json.dumps(result))
        return 0

    if args.no_fill and not args.database:
        parser.error("--no-fill measures an existing database: give --database")
    sizes = _responses(args.responses or ["100000,1000000"])
    if args.no_fill:
        sizes = sizes[:1]  # the database says how many responses it holds
    if args.database and args.keep and len(sizes) > 1:
        parser.error("--keep with --database keeps one filled database: give one N")
    rows = []
    for n in sizes:
        url, folder = _database_for(args.database, n)
        try:
            if args.no_fill:
                filled = {"fill_s": None}
            else:
                print(f"N={n:,}: filling {url}", file=sys.stderr)
                filled = _child(
                    url, "--fill", str(n), "--seed", str(args.seed), "--chunk", str(args.chunk)
                )
                print(f"  fill {filled['fill_s']:.1f} s; measuring", file=sys.stderr)
            result = _child(url, "--measure")
            rows.append({"n": result["submitted"] if args.no_fill else n, **filled, **result})
            print(json.dumps(rows[-1], indent=1), file=sys.stderr)
        finally:
            if args.keep or args.no_fill:
                print(f"  kept {url}", file=sys.stderr)
            elif folder:
                shutil.rmtree(folder, ignore_errors=True)
            elif args.database:
                instance = tempfile.mkdtemp(prefix="consult-bench-i-")
                drop(url, instance)
                shutil.rmtree(instance, ignore_errors=True)
    print_table(rows)
    return 0


def _child(url: str, *args: str) -> dict:
    """Run one step of the benchmark in a fresh Python process; return its JSON line."""
    child = subprocess.run(
        [sys.executable, __file__, "--database", url, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if child.returncode:
        sys.stderr.write(child.stderr)
        raise SystemExit(f"benchmark step {args[0]} failed ({child.returncode})")
    sys.stderr.write(child.stderr)
    return json.loads(child.stdout.strip().splitlines()[-1])


def print_table(rows: list[dict]) -> None:
    """The figures, one line per N."""
    head = (
        f"{'N':>10} {'fill s':>7} {'report s':>8} {'open s':>7} {'xlsx s':>7} "
        f"{'total s':>7} {'peak MB':>7} {'bare GB s':>9} {'agg s':>6} {'ratio':>5}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        aggregation = sum(r["parts"][k] for k in AGGREGATION)
        xlsx = r["xlsx_s"]
        fill = f"{r['fill_s']:.1f}" if r["fill_s"] is not None else "-"
        print(
            f"{r['n']:>10,} {fill:>7} {r['report_s']:>8.1f} {r['open_s']:>7.1f} "
            f"{(f'{xlsx:.1f}' if xlsx is not None else 'n/a'):>7} "
            f"{r['report_s'] + (xlsx or 0):>7.1f} {r['peak_mb']:>7.0f} "
            f"{r['bare_s']:>9.2f} {aggregation:>6.2f} {aggregation / r['bare_s']:>5.2f}"
        )
    print()
    print("report s: build_report(consultation), confidential; open s: build_report(...,")
    print("audience='open') + privacy.open_report; xlsx s: to_xlsx of the confidential report")
    print("('n/a' while consult.reports.writers.to_xlsx does not exist); total s = report +")
    print("xlsx; peak MB: peak resident memory (VmHWM) of the measuring process, a fresh")
    print("process per N; bare GB s: SELECT question_id, value, COUNT(*) FROM answer GROUP BY")
    print("question_id, value (best of two); agg s: likert_results + choice_results +")
    print("ranking_results inside the confidential report; ratio = agg s / bare GB s.")
    for r in rows:
        parts = ", ".join(f"{k} {v:.1f}" for k, v in r["parts"].items())
        print(
            f"N={r['n']:,}: counted {r['counted']:,}; report cpu {r['report_cpu_s']:.1f} s; "
            f"load {r['load_before']:.1f}->{r['load_after']:.1f}; parts (s): {parts}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
