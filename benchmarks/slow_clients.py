"""Slow and idle clients against ``consult serve``: does everyone else still get served?

``slowhttptest`` (Debian package) opens ``--connections`` connections that send their
request a few bytes every ``--interval`` seconds and never finish: in ``body`` mode a
``POST /c/enia-2021/profile`` announcing ``Content-Length: 100000`` (R-U-Dead-Yet), in
``header`` mode a ``GET`` whose headers never end (Slowloris). Meanwhile a probe, like a
new visitor each time, asks for the consultation's home page every ``--probe-every``
seconds on a fresh connection and records how long the answer took; any status but 200,
a reset or no answer within 10 s counts as an error (and with the time it took in the
latencies). The probe runs from the moment every slow connection is open to the end.

The server is ``consult serve`` with its defaults, on a free port of 127.0.0.1 and a
temporary instance folder (its own SQLite database). The code served is the one Python
imports first, so ``PYTHONPATH=/path/to/an/old/checkout`` measures that checkout.

    python benchmarks/slow_clients.py                   # body, then header, 500 connections
    python benchmarks/slow_clients.py --mode body --seconds 60

It prints, per mode, what slowhttptest saw (connections open at most, closed by the
server) and the probe's p50, p99 and maximum latency and its errors, with the load
average. The target: p99 under 1 s and no error.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
HOME = "/c/enia-2021/"
PROFILE = "/c/enia-2021/profile"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str, timeout: float) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        reply = connection.getresponse()
        reply.read()
        return reply.status
    finally:
        connection.close()


def start_server(instance: Path, port: int, extra: list[str]) -> subprocess.Popen:
    env = {**os.environ, "CONSULT_INSTANCE_PATH": str(instance)}
    command = [sys.executable, "-c", "from consult.cli import main; main()", "serve"]
    command += ["--port", str(port), *extra]
    log = open(instance / "server.log", "wb")  # noqa: SIM115 - the server keeps it
    process = subprocess.Popen(
        command, env=env, cwd=instance, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: see {instance / 'server.log'}")
        try:
            if get(port, HOME, 5) == 200:
                return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer within 120 s")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def probe(port: int, every: float, stop: threading.Event, out: list, errors: list) -> None:
    """One new visitor every ``every`` seconds, each on its own thread and connection.

    ``out`` gets every visit's duration, answered or not (a visit that failed counts with
    the time it took to fail, 10 s for no answer); ``errors`` what went wrong.
    """

    def visit() -> None:
        started = time.perf_counter()
        try:
            status = get(port, HOME, 10)
        except OSError as exc:
            errors.append(type(exc).__name__)
            status = None
        out.append(time.perf_counter() - started)
        if status not in (200, None):
            errors.append(f"HTTP {status}")

    visitors = []
    while not stop.wait(every):
        visitor = threading.Thread(target=visit, daemon=True)
        visitor.start()
        visitors.append(visitor)
    for visitor in visitors:
        visitor.join(15)


def attack(mode: str, port: int, args, workdir: Path) -> subprocess.Popen:
    prefix = workdir / f"slowhttptest-{mode}"
    command = ["slowhttptest", "-c", str(args.connections), "-r", str(args.rate)]
    command += ["-i", str(args.interval), "-l", str(args.seconds), "-p", "3", "-g"]
    command += ["-o", str(prefix)]
    if mode == "body":
        command += ["-B", "-t", "POST", "-s", "100000", "-x", "10"]
        command += ["-u", f"http://{HOST}:{port}{PROFILE}"]
    else:
        command += ["-H", "-t", "GET", "-x", "24", "-u", f"http://{HOST}:{port}{HOME}"]
    print("  $ " + " ".join(command), flush=True)
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def slowhttptest_figures(workdir: Path, mode: str) -> dict:
    """Most connections open at once, and closed by the server, from slowhttptest's CSV."""
    path = workdir / f"slowhttptest-{mode}.csv"
    if not path.exists():
        return {}
    # Seconds,Closed,Pending,Connected,Service Available (0 when its probe got no answer)
    rows = [
        {k.strip().lower(): int(v) for k, v in row.items()} for row in csv.DictReader(path.open())
    ]
    if not rows:
        return {}
    return {
        "connected_max": max(r["connected"] for r in rows),
        "closed_end": rows[-1]["closed"],
        "unavailable_s": sum(r["service available"] == 0 for r in rows),
    }


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run_mode(mode: str, args, workdir: Path) -> dict:
    instance = workdir / f"instance-{mode}"
    instance.mkdir()
    port = free_port()
    server = start_server(instance, port, args.serve_args)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        tester = attack(mode, port, args, workdir)
        ramp = args.connections / args.rate + 2  # every slow connection opened
        time.sleep(ramp)
        stop = threading.Event()
        prober = threading.Thread(
            target=probe, args=(port, args.probe_every, stop, latencies, errors)
        )
        prober.start()
        time.sleep(max(1.0, args.seconds - ramp))
        stop.set()
        prober.join()
        tester.wait(30)
        if tester.poll() is None:
            tester.kill()
    finally:
        stop_server(server)
    log = (instance / "server.log").read_text(errors="replace")
    return {
        "mode": mode,
        "probes": len(latencies),
        "p50_ms": 1000 * quantile(latencies, 0.5),
        "p99_ms": 1000 * quantile(latencies, 0.99),
        "max_ms": 1000 * max(latencies, default=float("nan")),
        "errors": errors,
        "tracebacks": log.count("Traceback"),
        **slowhttptest_figures(workdir, mode),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["body", "header", "both"], default="both")
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--rate", type=int, default=200, help="slow connections opened a second")
    parser.add_argument("--interval", type=int, default=10, help="seconds between their bytes")
    parser.add_argument("--seconds", type=int, default=40, help="how long slowhttptest runs")
    parser.add_argument("--probe-every", type=float, default=0.05, help="seconds between probes")
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs, CSV)")
    parser.add_argument("serve_args", nargs="*", help="more arguments for consult serve (after --)")
    args = parser.parse_args(argv)
    if shutil.which("slowhttptest") is None:
        raise SystemExit("slowhttptest is not installed (Debian: apt-get install slowhttptest)")
    workdir = Path(tempfile.mkdtemp(prefix="consult-slow-"))
    modes = ["body", "header"] if args.mode == "both" else [args.mode]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")
    failed = False
    try:
        for mode in modes:
            result = run_mode(mode, args, workdir)
            ok = result["p99_ms"] < 1000 and not result["errors"]
            failed |= not ok
            errors = ", ".join(sorted(set(result["errors"]))) or "none"
            print(
                f"{mode:6s} {args.connections} slow connections: at most"
                f" {result.get('connected_max', '?')} open, {result.get('closed_end', '?')}"
                f" closed by the server, slowhttptest's probe unanswered for"
                f" {result.get('unavailable_s', '?')} s\n"
                f"       home page, {result['probes']} visitors: p50 {result['p50_ms']:.0f} ms,"
                f" p99 {result['p99_ms']:.0f} ms, max {result['max_ms']:.0f} ms;"
                f" errors: {len(result['errors'])} ({errors});"
                f" tracebacks in the server log: {result['tracebacks']}"
                f" -> {'MET' if ok else 'NOT MET'} (p99 < 1 s, no error)",
                flush=True,
            )
    finally:
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
