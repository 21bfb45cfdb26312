"""How close consult's public pages and writes come to the bare stack, on this machine.

Two measurements, on a fresh database holding the bundled draft strategy (two of its
sections given four questions each, see ``bench_bundle``) and ``--fill`` synthetic
submitted responses (a third of their comments published):

1. **Efficiency ratios**, in this process, through each app's WSGI interface: consult
   against the reference app of ``reference_app.py`` (bare Flask), request for request.
   Reads: the reference returns the very bytes consult served for the same page. Writes:
   the reference parses the same form and inserts one row into SQLite in WAL mode. The
   two apps take turns in rounds of ``--requests`` requests; each side's CPU time per
   request (``time.process_time``) is the median of ``--rounds`` rounds, and the ratio is
   reference ÷ consult (1.0: no cost beyond Flask's; 0.25: four times the CPU).
2. **Throughput and latency** over HTTP on 127.0.0.1: ``consult serve`` (gunicorn, its
   default workers and threads) and the reference app under the same gunicorn settings,
   loaded by ``wrk`` with ``--connections`` connections; then complete responses (see
   ``http_load``) from as many simulated people, checked against the database afterwards.

The machine is shared: throughput swings from run to run, the ratios much less. The load
average is printed before and after. The in-process half is ``cpu_ratios.py``, the HTTP
half ``http_load.py``.

    .venv/bin/python benchmarks/http_bench.py                 # everything (about 3 minutes)
    .venv/bin/python benchmarks/http_bench.py --no-http       # the ratios only
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import http_load  # noqa: E402
from cpu_ratios import BENCH_CONFIG, SECRET, SECTION, SLUG, bench_app, measure_ratios  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from report_scale import fill  # noqa: E402

from consult.content import load_bundle  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.models import Consultation, Response  # noqa: E402

EXTRA_QUESTIONS = [
    {
        "key": "lead",
        "type": "single_choice",
        "prompt": {"es": "¿Quién debería liderar esta área?", "en": "Who should lead this area?"},
        "options": [
            {"code": "state", "es": "El Estado", "en": "The State"},
            {"code": "academia", "es": "La academia", "en": "Academia"},
            {"code": "business", "es": "Las empresas", "en": "Business"},
        ],
    },
    {
        "key": "needs",
        "type": "multiple_choice",
        "prompt": {"es": "¿Qué necesita esta área?", "en": "What does this area need?"},
        "options": [
            {"code": "funding", "es": "Financiamiento", "en": "Funding"},
            {"code": "data", "es": "Datos", "en": "Data"},
            {"code": "talent", "es": "Talento", "en": "Talent"},
        ],
    },
]


def bench_bundle(workdir: Path) -> Path:
    """The bundled draft, with sections 5.3 and 5.4 given four questions each."""
    target = workdir / "bundle"
    shutil.copytree(ROOT / "consult" / "content" / SLUG, target)
    for path in (target / "sections").glob("*.yaml"):
        section = yaml.safe_load(path.read_text(encoding="utf-8"))
        if section["key"] in ("5-3", "5-4"):
            for extra in EXTRA_QUESTIONS:
                section["questions"].append({**extra, "key": f"q-{section['key']}-{extra['key']}"})
            path.write_text(yaml.safe_dump(section, allow_unicode=True), encoding="utf-8")
    return target


def prepare(workdir: Path, url: str, responses: int) -> None:
    """Migrate an empty database, load the bench bundle, fill ``responses`` responses."""
    app = bench_app(workdir, url)
    with app.app_context():
        upgrade()
        load_bundle(str(bench_bundle(workdir)), window_days=60)
        consultation_id = db.session.scalar(sa.select(Consultation.id).filter_by(slug=SLUG))
        db.session.remove()
        if responses:
            with db.engine.begin() as connection:
                fill(connection, consultation_id, responses, seed=7, chunk=50_000)
        db.engine.dispose()


# ---------------------------------------------------------------- over HTTP


def submitted(workdir: Path, url: str) -> int:
    app = bench_app(workdir, url)
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(Response).filter_by(status="submitted")
        )
        db.engine.dispose()
    return count


def measure_http(workdir: Path, url: str, seconds: int, connections: int) -> list[dict]:
    """wrk on three pages, then complete responses, on consult; the reference alongside."""
    from consult.cli import default_threads, default_workers

    env = {
        "CONSULT_DATABASE_URL": url,
        "CONSULT_INSTANCE_PATH": str(workdir / "instance"),
        "CONSULT_SECRET_KEY": SECRET,
        **{f"CONSULT_{name}": json.dumps(value) for name, value in BENCH_CONFIG.items()},
    }
    runs: list[dict] = []
    server = http_load.start_consult(workdir, env, http_load.free_port())
    try:
        person = http_load.Browser(server.port)
        http_load.complete_response(person, http_load.random.Random(0), 0)
        # Back to the draft: the review page a person sees before submitting.
        person.fresh()
        base = server.base + f"/c/{SLUG}"
        page = person.get(f"/c/{SLUG}/profile")
        profile = http_load.hidden_fields(page) + [*http_load.PROFILE.items(), ("region", "puno")]
        person.post(f"/c/{SLUG}/profile", profile)
        page = person.get(SECTION)
        person.post(SECTION, http_load.hidden_fields(page) + http_load.section_answers("5-3", 1))
        section_bytes = http_load.http.client.HTTPConnection("127.0.0.1", server.port)
        gzipped = {"Accept-Encoding": http_load.ACCEPT_ENCODING}
        section_bytes.request("GET", SECTION, headers=gzipped)
        (workdir / "pages").mkdir(exist_ok=True)
        (workdir / "pages" / "section.html").write_bytes(section_bytes.getresponse().read())
        for name, target, cookie in (
            ("home page (reader)", f"{base}/", None),
            ("section page (reader)", server.base + SECTION, None),
            ("review page (draft)", f"{base}/review", person.cookie),
        ):
            cpu = server.cpu_seconds()
            figures = http_load.wrk(target, seconds, connections, cookie)
            figures["server_cpu_us"] = (server.cpu_seconds() - cpu) / figures["requests"] * 1e6
            runs.append({"case": name, **figures})
            print(f"  {name}: {runs[-1]['rps']:.0f} requests/s", file=sys.stderr)
        before, cpu = submitted(workdir, url), server.cpu_seconds()
        load = http_load.run_complete_responses(server.port, connections, seconds * 2)
        spent = server.cpu_seconds() - cpu
        load["server_cpu_ms"] = spent / max(1, load["completed"]) * 1e3
        load["server_cpu_us"] = spent / max(1, load["requests"]) * 1e6
        stored = submitted(workdir, url) - before
        if stored != load["completed"]:
            load["errors"] += abs(stored - load["completed"])
            load["first_errors"].append(f"{stored} stored for {load['completed']} receipts")
        runs.append({"case": "complete responses", **load})
        print(f"  complete responses: {load['per_second']:.1f}/s", file=sys.stderr)
    finally:
        server.stop()

    reference = http_load.start_reference(
        workdir, http_load.free_port(), default_workers(), default_threads()
    )
    try:
        for name, path, body in (
            ("reference: the section page's bytes", "/page/section", None),
            ("reference: insert one row", "/write", "name=bench&comment=" + "x" * 300),
        ):
            cpu = reference.cpu_seconds()
            figures = http_load.wrk(reference.base + path, seconds, connections, body=body)
            figures["server_cpu_us"] = (reference.cpu_seconds() - cpu) / figures["requests"] * 1e6
            runs.append({"case": name, **figures})
    finally:
        reference.stop()
    return runs


# ---------------------------------------------------------------- the table

TARGETS = {
    "section page (reader)": 0.35,
    "save a section (4 answers, comment)": 0.25,
    "start a response (profile)": 0.25,
    "submit": 0.25,
}


def print_table(ratios: list[dict], runs: list[dict], connections: int) -> None:
    if ratios:
        print(
            f"\n{'CPU per request (in process)':<42} {'consult µs':>10} {'bare µs':>8} "
            f"{'ratio':>6}  target"
        )
        for row in ratios:
            target = TARGETS.get(row["case"])
            verdict = ""
            if target is not None:
                verdict = f"≥ {target:.2f} {'met' if row['ratio'] >= target else 'NOT MET'}"
            print(
                f"{row['case']:<42} {row['consult_us']:>10.0f} {row['reference_us']:>8.0f} "
                f"{row['ratio']:>6.3f}  {verdict}"
            )
    if runs:
        print(
            f"\n{f'over HTTP, {connections} connections':<42} {'req/s':>8} {'p50 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6} {'server CPU µs/req':>18}"
        )
        for run in runs:
            print(
                f"{run['case']:<42} {run['rps']:>8.0f} {run['p50_us'] / 1000:>7.1f} "
                f"{run['p99_us'] / 1000:>7.1f} {run['errors']:>6} {run['server_cpu_us']:>18.0f}"
            )
            if run["case"] == "complete responses":
                verdict = "met" if run["per_second"] >= 100 and not run["errors"] else "NOT MET"
                print(
                    f"{'  = complete responses per second':<42} {run['per_second']:>8.1f}"
                    f"   (target ≥ 100 with no error: {verdict}; server CPU "
                    f"{run['server_cpu_ms']:.0f} ms each; client CPU "
                    f"{run['client_cpu_s']:.1f} s of {run['seconds']:.0f} s)"
                )
                for error in run["first_errors"]:
                    print(f"    {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per case (5)")
    parser.add_argument("--requests", type=int, default=300, help="requests per round (300)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk seconds per page (10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--fill", type=int, default=5000, help="responses filled first (5000)")
    parser.add_argument("--database", help="an EMPTY database URL instead of a SQLite file")
    parser.add_argument("--no-http", action="store_true", help="only the in-process ratios")
    parser.add_argument("--no-ratios", action="store_true", help="only the HTTP runs")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="consult-http-bench-"))
    url = args.database or f"sqlite:///{workdir / 'consult.db'}"
    print(f"load average before: {os.getloadavg()}  ({os.cpu_count()} cores)", file=sys.stderr)
    try:
        prepare(workdir, url, args.fill)
        ratios = [] if args.no_ratios else measure_ratios(workdir, url, args.rounds, args.requests)
        runs = [] if args.no_http else measure_http(workdir, url, args.seconds, args.connections)
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({"ratios": ratios, "http": runs}, default=str), file=sys.stderr)
    print_table(ratios, runs, args.connections)
    load = os.getloadavg()
    print(
        f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} cores); database {url.split(':')[0]}, {args.fill} responses"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
