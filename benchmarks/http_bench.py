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
average is printed before and after.

    .venv/bin/python benchmarks/http_bench.py                 # everything (about 3 minutes)
    .venv/bin/python benchmarks/http_bench.py --no-http       # the ratios only
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import http_load  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from reference_app import create_reference_app  # noqa: E402
from report_scale import fill  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from consult import create_app  # noqa: E402
from consult.content import load_bundle  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.models import Consultation, Response  # noqa: E402

SLUG = "enia-2021"
SECTION = f"/c/{SLUG}/s/5-3"
#: The switches that let one address send many forms quickly (see consult/config.py).
BENCH_CONFIG = {"RATELIMIT_ENABLED": False, "RESPONSE_MIN_FILL_SECONDS": 0}
SECRET = "http-bench-secret-key-0123456789abcdef"

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


def bench_app(workdir: Path, url: str):
    return create_app(
        {
            "INSTANCE_PATH": str(workdir / "instance"),
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET,
            **BENCH_CONFIG,
        }
    )


# ---------------------------------------------------------------- in-process requests


class Wsgi:
    """Call a WSGI app the way a server does, with prepared environ dicts."""

    def __init__(self, app) -> None:
        self.app = app

    @staticmethod
    def prepare(method: str, path: str, data: bytes | None = None, cookie: str | None = None):
        """An environ for one request (a form body when ``data`` is given)."""
        builder = EnvironBuilder(
            path=path,
            method=method,
            data=data,
            content_type="application/x-www-form-urlencoded" if data is not None else None,
            headers={"Cookie": cookie} if cookie else {},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        return builder.get_environ(), data or b""

    def __call__(self, prepared) -> tuple[str, bytes]:
        environ, data = prepared
        environ = dict(environ)
        environ["wsgi.input"] = io.BytesIO(data)
        status: list[str] = []
        chunks = self.app(environ, lambda s, _h, _e=None: status.append(s))
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return status[0], body


class Person:
    """A browser session against the in-process app, for setting up drafts (untimed)."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    @property
    def cookie(self) -> str:
        return f"session={self.client.get_cookie('session').value}"

    def start(self, region: str = "cusco") -> None:
        page = self.client.get(f"/c/{SLUG}/profile").get_data(as_text=True)
        body = http_load.hidden_fields(page) + [*http_load.PROFILE.items(), ("region", region)]
        reply = self.client.post(f"/c/{SLUG}/profile", data=_multi(body))
        assert reply.status_code == 302, reply.get_data(as_text=True)[:500]

    def save(self, key: str, variant: int) -> None:
        path = f"/c/{SLUG}/s/{key}"
        page = self.client.get(path).get_data(as_text=True)
        body = http_load.hidden_fields(page) + http_load.section_answers(key, variant)
        reply = self.client.post(path, data=_multi(body + [("go", "next")]))
        assert reply.status_code == 302, reply.get_data(as_text=True)[:500]

    def form(self, path: str, action: str | None = None) -> list[tuple[str, str]]:
        return http_load.hidden_fields(self.client.get(path).get_data(as_text=True), action)


def encode(pairs: list[tuple[str, str]]) -> bytes:
    return http_load.urlencode(pairs).encode()


def _multi(pairs: list[tuple[str, str]]):
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


# ---------------------------------------------------------------- the cases


def read_case(app, cookie: str | None, path: str):
    """A GET: consult's request, and the bytes it answered (served back by the reference)."""
    prepared = Wsgi.prepare("GET", path, cookie=cookie)
    status, body = Wsgi(app)(prepared)
    assert status.startswith("200"), (path, status)

    def consult(n: int) -> list:
        return [prepared] * n

    return consult, body, "200"


def cases(app) -> list[tuple[str, Callable[[int], list], bytes | None, str]]:
    """(name, make n consult requests, bytes the reference serves or None for a write, status)."""
    reader = read_case(app, None, SECTION)
    home = read_case(app, None, f"/c/{SLUG}/")
    drafter = Person(app)
    drafter.start()
    drafter.save("5-3", 0)
    with_draft = read_case(app, drafter.cookie, SECTION)
    review = read_case(app, drafter.cookie, f"/c/{SLUG}/review")
    hidden = drafter.form(SECTION)

    def saves(n: int) -> list:
        """Saves of section 5.3 that change its answers and comment every time."""
        variants = [
            Wsgi.prepare(
                "POST",
                SECTION,
                encode(hidden + http_load.section_answers("5-3", v) + [("go", "next")]),
                drafter.cookie,
            )
            for v in (1, 2)
        ]
        return [variants[i % 2] for i in range(n)]

    def starts(n: int) -> list:
        """Profile forms of n new people (each shown its form first, untimed)."""
        prepared = []
        for i in range(n):
            person = Person(app)
            body = person.form(f"/c/{SLUG}/profile") + [
                *http_load.PROFILE.items(),
                ("region", http_load.REGIONS[i % len(http_load.REGIONS)]),
            ]
            # The form's page set the session cookie the browser sends back.
            prepared.append(Wsgi.prepare("POST", f"/c/{SLUG}/profile", encode(body), person.cookie))
        return prepared

    def submits(n: int) -> list:
        """Submissions of n drafts (each started and given answers first, untimed)."""
        prepared = []
        for i in range(n):
            person = Person(app)
            person.start()
            person.save("5-3", i)
            body = person.form(f"/c/{SLUG}/review", "/submit")
            prepared.append(Wsgi.prepare("POST", f"/c/{SLUG}/submit", encode(body), person.cookie))
        return prepared

    return [
        ("home page (reader)", *home),
        ("section page (reader)", *reader),
        ("section page (with a draft)", *with_draft),
        ("review page (draft)", *review),
        ("save a section (4 answers, comment)", saves, None, "302"),
        ("start a response (profile)", starts, None, "302"),
        ("submit", submits, None, "302"),
    ]


def measure_ratios(workdir: Path, url: str, rounds: int, requests: int) -> list[dict]:
    """Alternate consult and the reference, round by round; CPU µs per request, medians."""
    app = bench_app(workdir, url)
    consult = Wsgi(app)
    table = cases(app)
    pages = {f"p{i}": body for i, (_n, _m, body, _s) in enumerate(table) if body is not None}
    reference = Wsgi(create_reference_app(pages, str(workdir / "reference-inprocess.db")))
    results = []
    for index, (name, make, body, status) in enumerate(table):
        if body is not None:
            ref_request, expected_ref = Wsgi.prepare("GET", f"/page/p{index}"), "200"
        else:  # the reference inserts one row from the same form data
            ref_request, expected_ref = Wsgi.prepare("POST", "/write", make(1)[0][1]), "302"
        mine, theirs = [], []
        for round_number in range(rounds):
            batch = make(requests)
            sides = [("consult", consult, batch, status), ("ref", reference, None, expected_ref)]
            if round_number % 2:
                sides.reverse()
            for side, call, prepared, expect in sides:
                prepared = prepared or [ref_request] * requests
                gc.collect()
                started = time.process_time()
                for one in prepared:
                    got, _body = call(one)
                    if not got.startswith(expect):
                        raise RuntimeError(f"{name} ({side}): {got}, expected {expect}")
                cpu = (time.process_time() - started) / len(prepared) * 1e6
                (mine if side == "consult" else theirs).append(cpu)
        consult_us, ref_us = statistics.median(mine), statistics.median(theirs)
        results.append(
            {
                "case": name,
                "consult_us": consult_us,
                "reference_us": ref_us,
                "ratio": ref_us / consult_us,
                "rounds_consult_us": [round(x) for x in mine],
                "rounds_reference_us": [round(x) for x in theirs],
            }
        )
        print(f"  {name}: {consult_us:.0f} µs vs {ref_us:.0f} µs", file=sys.stderr)
    with app.app_context():
        db.engine.dispose()
    return results


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
        section_bytes.request("GET", SECTION)
        (workdir / "pages").mkdir(exist_ok=True)
        (workdir / "pages" / "section.html").write_bytes(section_bytes.getresponse().read())
        for name, target, cookie in (
            ("home page (reader)", f"{base}/", None),
            ("section page (reader)", server.base + SECTION, None),
            ("review page (draft)", f"{base}/review", person.cookie),
        ):
            runs.append({"case": name, **http_load.wrk(target, seconds, connections, cookie)})
            print(f"  {name}: {runs[-1]['rps']:.0f} requests/s", file=sys.stderr)
        before, cpu = submitted(workdir, url), server.cpu_seconds()
        load = http_load.run_complete_responses(server.port, connections, seconds * 2)
        load["server_cpu_ms"] = (server.cpu_seconds() - cpu) / max(1, load["completed"]) * 1e3
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
            figures = http_load.wrk(reference.base + path, seconds, connections, body=body)
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
                f"{row['ratio']:>6.2f}  {verdict}"
            )
    if runs:
        print(
            f"\n{f'over HTTP, {connections} connections':<42} {'req/s':>8} {'p50 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6}"
        )
        for run in runs:
            print(
                f"{run['case']:<42} {run['rps']:>8.0f} {run['p50_us'] / 1000:>7.1f} "
                f"{run['p99_us'] / 1000:>7.1f} {run['errors']:>6}"
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
