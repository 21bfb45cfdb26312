"""The load half of ``http_bench.py``: servers under gunicorn, wrk, and complete responses.

A complete response is every request a person's browser makes for one: the consultation's
home page and its stylesheet, the profile form and its answer, two sections (each shown,
then saved with four answers and a comment), the review page, the submission and the
receipt. Each simulated person uses a fresh cookie jar over a kept-alive connection, reads
the forms the server sent (every hidden input goes back, as a browser sends it) and
checks every answer: anything but the expected status is an error. Like a browser, it
accepts gzip.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
#: What browsers send: pages travel gzipped (``consult/web/compression.py``).
ACCEPT_ENCODING = "gzip, deflate, br"

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_INPUT = re.compile(r"<input\b([^>]*)>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def hidden_fields(html: str, action: str | None = None) -> list[tuple[str, str]]:
    """The hidden inputs of the page's POST form (the one posting to ``action`` if given)."""
    for attributes, inner in _FORM.findall(html):
        attrs = dict(_ATTR.findall(attributes))
        if attrs.get("method", "get").lower() != "post":
            continue
        if action is not None and not attrs.get("action", "").endswith(action):
            continue
        fields = []
        for tag in _INPUT.findall(inner):
            input_attrs = dict(_ATTR.findall(tag))
            if input_attrs.get("type") == "hidden" and "name" in input_attrs:
                value = input_attrs.get("value", "").replace("&amp;", "&")
                fields.append((input_attrs["name"], value))
        return fields
    raise LookupError(f"no POST form{' for ' + action if action else ''} on the page")


PROFILE = {
    "responding_as": "individual",
    "stakeholder_type": "individual",
    "publication": "anonymous",
    "consent": "y",
}
REGIONS = ("lima_metropolitana", "cusco", "arequipa", "piura", "loreto", "puno")


def section_answers(key: str, variant: int) -> list[tuple[str, str]]:
    """Four answers and a comment for section ``key`` (5-3 or 5-4 of the bench bundle)."""
    stem = "q_q_" + key.replace("-", "_")
    return [
        (f"{stem}_agree", str(1 + variant % 5)),
        (f"{stem}_change", f"Más formación docente en regiones ({variant % 7})."),
        (f"{stem}_lead", ("state", "academia", "business")[variant % 3]),
        (f"{stem}_needs", "funding"),
        (f"{stem}_needs", ("data", "talent")[variant % 2]),
        ("comment", f"La meta necesita plazos y presupuesto; comentario número {variant}."),
        ("contribution", "problem_definition"),
    ]


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path)
                if connection.getresponse().status < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s: see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server: its master and its workers (Linux /proc)."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_consult(workdir: Path, env: dict[str, str], port: int) -> Server:
    """``consult serve`` with its defaults (workers and threads from the core count)."""
    script = Path(sys.executable).with_name("consult")
    log = workdir / "consult-serve.log"
    process = subprocess.Popen(
        [str(script), "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=workdir,
    )
    server = Server("consult", port, process, log)
    server.wait_ready("/c/enia-2021/")
    return server


def start_reference(workdir: Path, port: int, workers: int, threads: int) -> Server:
    """The reference app under gunicorn, with the same worker class, workers and threads."""
    log = workdir / "reference.log"
    env = {
        **os.environ,
        "REFERENCE_PAGES": str(workdir / "pages"),
        "REFERENCE_DATABASE": str(workdir / "reference.db"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            str(HERE),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--access-logfile",
            "-",
            "reference_app:from_environment()",
        ],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server("reference", port, process, log)
    server.wait_ready("/page/section")
    return server


def wrk(
    url: str, seconds: int, connections: int, cookie: str | None = None, body: str | None = None
) -> dict:
    """Run wrk against one URL (a POST of ``body`` if given); its figures (latencies in µs)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        str(HERE / "wrk_summary.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    env = {**os.environ, "WRK_BODY": body} if body else None
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True, env=env)
    out = done.stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


# ---------------------------------------------------------------- complete responses


class Unexpected(Exception):
    """The server answered something a browser would not have been given."""


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    completed: int = 0
    errors: list[str] = field(default_factory=list)


class Browser:
    """One person's browser: a cookie jar over one kept-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.latencies: list[float] = []

    def fresh(self) -> None:
        """A new person: the connection stays, the cookies go."""
        self.cookie = ""

    def request(self, method: str, path: str, body: list[tuple[str, str]] | None = None):
        headers = {"Accept-Encoding": ACCEPT_ENCODING}
        if self.cookie:
            headers["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            reply = self.connection.getresponse()
            payload = reply.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        self.latencies.append(time.perf_counter() - started)
        for header in reply.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                self.cookie = header.split(";", 1)[0]
        if reply.headers.get("Content-Encoding") == "gzip":
            payload = gzip.decompress(payload)
        return reply.status, reply.headers, payload.decode()

    def get(self, path: str) -> str:
        status, _headers, html = self.request("GET", path)
        if status != 200:
            raise Unexpected(f"GET {path}: {status}")
        return html

    def post(self, path: str, body: list[tuple[str, str]]) -> str:
        status, headers, html = self.request("POST", path, body)
        if status != 302:
            raise Unexpected(f"POST {path}: {status} {html[:200]!r}")
        return urlsplit(headers["Location"]).path


def complete_response(browser: Browser, rng: random.Random, number: int) -> None:
    """Every request of one complete response, from a fresh browser."""
    browser.fresh()
    base = "/c/enia-2021"
    home = browser.get(f"{base}/")
    stylesheet = _STYLESHEET.search(home)
    if stylesheet is None or browser.request("GET", stylesheet.group(1))[0] != 200:
        raise Unexpected("no stylesheet")
    first, second = f"{base}/s/5-3", f"{base}/s/5-4"
    page = browser.get(f"{base}/profile?next={first}")
    profile = [*PROFILE.items(), ("region", rng.choice(REGIONS))]
    where = browser.post(f"{base}/profile?next={first}", hidden_fields(page) + profile)
    if where != first:
        raise Unexpected(f"profile sent to {where}")
    for key, path, go in (("5-3", first, "next"), ("5-4", second, "review")):
        page = browser.get(path)
        body = hidden_fields(page) + section_answers(key, number) + [("go", go)]
        where = browser.post(path, body)
    if where != f"{base}/review":
        raise Unexpected(f"last section sent to {where}")
    page = browser.get(where)
    where = browser.post(f"{base}/submit", hidden_fields(page, "/submit"))
    receipt = browser.get(where)
    if "reference" not in receipt:
        raise Unexpected("no reference on the receipt")


def run_complete_responses(port: int, clients: int, seconds: float) -> dict:
    """``clients`` people responding over and over for ``seconds``; figures of the run."""
    figures = Figures()
    lock = threading.Lock()
    stop = threading.Event()

    def person(index: int) -> None:
        browser = Browser(port)
        rng = random.Random(index)
        number = index
        while not stop.is_set():
            try:
                complete_response(browser, rng, number)
                with lock:
                    figures.completed += 1
            except (Unexpected, OSError, http.client.HTTPException, LookupError) as exc:
                with lock:
                    figures.errors.append(f"{type(exc).__name__}: {exc}")
            number += clients
        with lock:
            figures.latencies.extend(browser.latencies)

    cpu = time.process_time()
    started = time.perf_counter()
    threads = [threading.Thread(target=person, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(figures.latencies)
    return {
        "completed": figures.completed,
        "per_second": figures.completed / elapsed,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_us": latencies[len(latencies) // 2] * 1e6 if latencies else 0,
        "p99_us": latencies[int(len(latencies) * 0.99)] * 1e6 if latencies else 0,
        "errors": len(figures.errors),
        "first_errors": figures.errors[:5],
        "client_cpu_s": time.process_time() - cpu,
        "seconds": elapsed,
    }
