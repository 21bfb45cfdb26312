"""Load and faults: many people submit at once; nothing acknowledged is lost or doubled.

Starts consult under gunicorn (``consult serve``) on 127.0.0.1 with a temporary instance
folder and database, then for a bounded time drives complete responses from concurrent
clients, each journey in a fresh browser: home page, profile, a few pages of answers and
comments, review, submit, receipt — every GET and POST a browser makes, CSRF tokens and
hidden fields included. Afterwards it stops the server and checks that the database holds
exactly the acknowledged responses: none lost, none duplicated, none partial.

With ``--kill-workers`` it sends SIGKILL to a gunicorn worker several times during the run
(the master starts a new one); requests cut by a kill are errors, never acknowledgements,
and a request that got no answer is sent once more.

    .venv/bin/python benchmarks/load_submit.py                     # SQLite, 30 s, 32 clients
    .venv/bin/python benchmarks/load_submit.py --kill-workers
    .venv/bin/python benchmarks/load_submit.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/consult_load

Exit status: 0 when the check passes, 1 when anything is lost, duplicated or partial (or
nothing was acknowledged at all), 2 when the server could not be started.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from _browser import Browser, HTTPFailure  # noqa: E402
from _integrity import Verdict, check  # noqa: E402
from _journey import KINDS, Figures, client  # noqa: E402

SLUG = "enia-2021"
HOST = "127.0.0.1"


class ServerFailed(Exception):
    """consult serve exited, or did not answer in time."""


class Server:
    """``consult serve`` in its own process group, with its log in the instance folder."""

    def __init__(self, instance: Path, url: str, workers: int, threads: int) -> None:
        self.instance, self.url, self.workers, self.threads = instance, url, workers, threads
        self.port = _free_port()
        self.log = instance / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> None:
        env = {
            **os.environ,
            "CONSULT_INSTANCE_PATH": str(self.instance),
            "CONSULT_DATABASE_URL": self.url,
            # Serve this checkout's code, as the check reads it.
            "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(ROOT)])),
            # Every client comes from 127.0.0.1, and the clients fill forms in no time.
            "CONSULT_RATELIMIT_ENABLED": "false",
            "CONSULT_RESPONSE_MIN_FILL_SECONDS": "0",
        }
        command = [sys.executable, "-c", "from consult.cli import main; main()", "serve"]
        command += ["--host", HOST, "--port", str(self.port)]
        command += ["--workers", str(self.workers), "--threads", str(self.threads)]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=self.instance, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if len(self.worker_pids()) == self.workers and self._answers():
                return
            time.sleep(0.3)
        self.stop()
        raise ServerFailed(f"the server did not start; its log:\n{self.tail()}")

    def _answers(self) -> bool:
        try:
            Browser(HOST, self.port, lambda *_: None, timeout=5).get("probe", f"/c/{SLUG}/")
        except HTTPFailure:
            return False
        return True

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the children of the master (this process's child)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def cpu_seconds(self) -> float:
        """CPU time of gunicorn so far: master, live workers and the workers it reaped."""
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # utime, stime (and for the master cutime, cstime: its killed or exited workers)
            total += sum(int(v) for v in fields[11 : 13 if pid != self.process.pid else 15])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the master); kill the group if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tracebacks(self) -> list[str]:
        """The last line of every traceback in the server log (errors the app raised)."""
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        out, inside = [], False
        for line in lines:
            if line.startswith(("The above exception", "During handling of the above")):
                out[-1:] = []  # a chained traceback: keep only the outermost exception
            elif line.startswith("Traceback"):
                inside = True
            elif inside and line and not line.startswith(" "):
                out.append(line)
                inside = False
        return out

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def killer(server: Server, seconds: float, kills: int, done: threading.Event, log: list) -> None:
    """SIGKILL a random worker ``kills`` times, evenly spread over the run."""
    rng = random.Random()
    started = time.monotonic()
    for number in range(1, kills + 1):
        if done.wait(max(0.0, started + seconds * number / (kills + 1) - time.monotonic())):
            return
        pids = server.worker_pids()
        if pids:
            victim = rng.choice(pids)
            try:
                os.kill(victim, signal.SIGKILL)
                log.append((round(time.monotonic() - started, 1), victim))
            except ProcessLookupError:
                pass


def _prepare_database(url: str | None, instance: Path) -> str:
    """The database URL to serve; a given one must be empty (the run fills it)."""
    if not url:
        return f"sqlite:///{instance / 'consult.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url)
    try:
        tables = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise SystemExit(f"{url}: the database is not empty; give the benchmark its own")
    return url


def _drop_tables(app) -> None:
    from consult.extensions import db

    with app.app_context():
        db.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def _ms(values: list[float], q: int) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0] * 1000:.0f}"
    return f"{quantiles(values, n=100, method='inclusive')[q - 1] * 1000:.0f}"


def report(args, run: Run, verdict: Verdict, tracebacks: list[str]) -> None:
    """Print throughput, latency per request kind, errors and the integrity check."""
    figures, elapsed, kills, load = run.figures, run.elapsed, run.kills, run.load
    journeys = figures.journeys
    outcomes = {o: sum(j.outcome == o for j in journeys) for o in ("acknowledged", "unanswered")}
    outcomes["abandoned"] = sum(j.outcome == "abandoned" for j in journeys)
    print(
        f"\nconsult load benchmark — {args.database_label}, {args.clients} clients, "
        f"{args.workers} workers × {args.threads} threads, {elapsed:.1f} s"
    )
    print(
        f"load average before {load[0]:.2f}, after {load[1]:.2f} ({os.cpu_count()} cores); "
        f"the clients used {figures.client_cpu:.1f} s of CPU"
    )
    per_request = figures.server_cpu / max(figures.requests, 1) * 1000
    per_response = figures.server_cpu / max(outcomes["acknowledged"], 1)
    print(
        f"gunicorn used {figures.server_cpu:.1f} s of CPU: {per_request:.1f} ms per request, "
        f"{per_response:.2f} s per complete response (the database server's not counted)"
    )
    if kills is not None:
        pids = ", ".join(f"{pid} at {at} s" for at, pid in kills)
        print(
            f"workers killed with SIGKILL: {len(kills)} ({pids}); "
            f"alive after the run: {run.workers_after} of {args.workers}"
        )
    print(
        f"journeys: {len(journeys)} started, {outcomes['acknowledged']} acknowledged, "
        f"{outcomes['unanswered']} submit unanswered, {outcomes['abandoned']} abandoned"
    )
    print(
        f"throughput: {outcomes['acknowledged'] / elapsed:.1f} complete responses/s, "
        f"{figures.requests / elapsed:.1f} requests/s ({figures.requests} requests)"
    )
    print(f"\n{'request':<14}{'count':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    for kind in KINDS:
        values = figures.latencies.get(kind, [])
        errors = sum(n for (k, _label), n in figures.errors.items() if k == kind)
        peak = f"{max(values) * 1000:.0f}" if values else "-"
        print(
            f"{kind:<14}{len(values):>8}{_ms(values, 50):>9}{_ms(values, 99):>9}"
            f"{peak:>9}{errors:>8}"
        )
    if figures.errors:
        print("\nerrors:")
        for (kind, label), n in sorted(figures.errors.items()):
            print(f"  {kind:<14} {label}: {n}")
    reasons = Counter(j.failure for j in journeys if j.failure)
    if reasons:
        print("journeys that did not end with a receipt, by reason:")
        for reason, n in reasons.most_common(8):
            print(f"  {n:>5}  {reason}")
    resent = sum(len(j.resent) for j in journeys)
    print(f"requests sent again after no answer: {resent}")
    print(f"tracebacks in the server log: {len(tracebacks)}")
    for line, n in Counter(tracebacks).most_common(5):
        print(f"  {n:>5}  {line[:160]}")
    print("\nintegrity check:")
    print(
        f"  acknowledged {verdict.acknowledged}; submitted in the database "
        f"{verdict.submitted_in_database} (= acknowledged + {verdict.stored_unacknowledged} "
        f"stored whose receipt was never read); drafts left {verdict.drafts_left}"
    )
    replays = ", ".join(f"{k} {n}" for k, n in sorted(verdict.replayed.items())) or "none"
    print(f"  retries whose first send had been committed (the same response came back): {replays}")
    for name in ("lost", "duplicated", "partial", "strangers"):
        items = getattr(verdict, name)
        print(f"  {name}: {len(items)}")
        for item in items[:10]:
            print(f"    {item}")
    print("  RESULT: " + ("OK" if verdict.ok and verdict.acknowledged else "FAILED"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="how long clients start journeys"
    )
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, os.cpu_count() or 1),
        help="gunicorn workers (one per core, at least 2)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument(
        "--kill-workers",
        action="store_true",
        help="SIGKILL a gunicorn worker several times during the run",
    )
    parser.add_argument("--kills", type=int, default=5, help="how many kills (5)")
    parser.add_argument(
        "--double-click",
        type=float,
        default=0.0,
        metavar="P",
        help="send each form twice at once with probability P, as a double click does (0)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="an empty PostgreSQL database (default: a temporary SQLite file)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the instance folder and data")
    parser.add_argument("--seed", type=int, default=2021, help="seed of the clients' choices")
    args = parser.parse_args(argv)
    args.database_label = "PostgreSQL" if args.database_url else "SQLite"

    instance = Path(tempfile.mkdtemp(prefix="consult-load-"))
    try:
        url = _prepare_database(args.database_url, instance)
    except BaseException:
        shutil.rmtree(instance, ignore_errors=True)
        raise
    server = Server(instance, url, args.workers, args.threads)
    from consult import create_app

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "x"})
    try:
        print(f"starting consult serve on {HOST}:{server.port} ({url})", file=sys.stderr)
        try:
            server.start()
        except ServerFailed as exc:
            print(exc, file=sys.stderr)
            return 2
        run = drive(args, server)
        server.stop()
        verdict = check(app, SLUG, run.figures.journeys)
        report(args, run, verdict, server.tracebacks())
    finally:
        server.stop()
        if args.keep:
            print(f"kept {instance} ({url})", file=sys.stderr)
        else:
            if args.database_url:
                _drop_tables(app)
            shutil.rmtree(instance, ignore_errors=True)
    return 0 if verdict.ok and verdict.acknowledged else 1


@dataclass
class Run:
    figures: Figures
    elapsed: float
    load: tuple[float, float]
    kills: list[tuple[float, int]] | None
    workers_after: int


def drive(args, server: Server) -> Run:
    """Run the clients (and the killer) until the deadline and every journey has ended."""
    figures, done = Figures(), threading.Event()
    kills: list | None = [] if args.kill_workers else None
    load_before = os.getloadavg()[0]
    deadline = time.monotonic() + args.seconds
    started, cpu, server_cpu = time.monotonic(), time.process_time(), server.cpu_seconds()
    clients = [
        threading.Thread(
            target=client,
            args=(HOST, server.port, SLUG, figures, deadline, n, args.seed, args.double_click),
            daemon=True,
        )
        for n in range(1, args.clients + 1)
    ]
    for thread in clients:
        thread.start()
    if kills is not None:
        threading.Thread(
            target=killer, args=(server, args.seconds, args.kills, done, kills), daemon=True
        ).start()
    for thread in clients:
        thread.join()
    elapsed = time.monotonic() - started
    figures.client_cpu = time.process_time() - cpu
    figures.server_cpu = server.cpu_seconds() - server_cpu
    done.set()
    return Run(
        figures, elapsed, (load_before, os.getloadavg()[0]), kills, len(server.worker_pids())
    )


if __name__ == "__main__":
    sys.exit(main())
