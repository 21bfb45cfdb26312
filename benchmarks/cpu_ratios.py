"""The in-process half of ``http_bench.py``: consult's CPU per request beside the bare stack.

Both apps are called through their WSGI interface with prepared environ dicts, as a
server would call them, in turns: rounds of consult's requests and the reference's, each
side's CPU time per request the median of its rounds (see ``benchmarks/README.md``).
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import http_load
from reference_app import create_reference_app
from stack_floor import create_floor_app, save_bodies
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder

from consult import create_app
from consult.extensions import db

SLUG = "enia-2021"
SECTION = f"/c/{SLUG}/s/5-3"
#: The switches that let one address send many forms quickly (see consult/config.py).
BENCH_CONFIG = {"RATELIMIT_ENABLED": False, "RESPONSE_MIN_FILL_SECONDS": 0}
SECRET = "http-bench-secret-key-0123456789abcdef"


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
        headers = {"Accept-Encoding": http_load.ACCEPT_ENCODING}  # as a browser sends
        if cookie:
            headers["Cookie"] = cookie
        builder = EnvironBuilder(
            path=path,
            method=method,
            data=data,
            content_type="application/x-www-form-urlencoded" if data is not None else None,
            headers=headers,
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


def _multi(pairs: list[tuple[str, str]]) -> MultiDict:
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
    general = read_case(app, None, f"/c/{SLUG}/general")
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
        ("whole-draft questions page (reader)", *general),
        ("section page (with a draft)", *with_draft),
        ("review page (draft)", *review),
        ("save a section (4 answers, comment)", saves, None, "302"),
        ("start a response (profile)", starts, None, "302"),
        ("submit", submits, None, "302"),
    ]


def floor_case(workdir: Path) -> tuple[str, Callable[[int], list], None, str, Wsgi]:
    """The stack's own save (``stack_floor.py``), measured like consult's, against the same
    bare insert: the best ratio any app on this stack could reach."""
    floor = create_floor_app(str(workdir / "floor.db"), SECRET)
    bodies, cookie = save_bodies(floor.test_client())
    prepared = [Wsgi.prepare("POST", "/save", body, cookie) for body in bodies]

    def saves(n: int) -> list:
        return [prepared[i % 2] for i in range(n)]

    return "floor: the stack alone saving a page", saves, None, "302", Wsgi(floor)


def measure_ratios(workdir: Path, url: str, rounds: int, requests: int) -> list[dict]:
    """Alternate consult and the reference, round by round; CPU µs per request, medians."""
    app = bench_app(workdir, url)
    consult = Wsgi(app)
    table = [(*case, consult) for case in cases(app)] + [floor_case(workdir)]
    pages = {f"p{i}": body for i, (_n, _m, body, _s, _a) in enumerate(table) if body is not None}
    reference = Wsgi(create_reference_app(pages, str(workdir / "reference-inprocess.db")))
    results = []
    for index, (name, make, body, status, measured) in enumerate(table):
        if body is not None:
            ref_request, expected_ref = Wsgi.prepare("GET", f"/page/p{index}"), "200"
        else:  # the reference inserts one row from the same form data
            ref_request, expected_ref = Wsgi.prepare("POST", "/write", make(1)[0][1]), "302"
        mine, theirs = [], []
        for round_number in range(rounds):
            batch = make(requests)
            sides = [("consult", measured, batch, status), ("ref", reference, None, expected_ref)]
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
