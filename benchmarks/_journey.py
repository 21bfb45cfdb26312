"""One respondent's complete journey through the public flow, and the figures of many.

A journey is what a person does in a fresh browser: open the consultation, fill the
profile, answer a few pages (questions and a comment), review, submit and read the
receipt. It remembers exactly what it sent, so the integrity check can compare the
database with it afterwards.

A request the server never answered (a worker killed under it, a reset) is counted as an
error and sent once more, as a person would press the button again; the second send
must be safe. Any other unexpected answer ends the journey.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from _browser import Browser, Form, HTTPFailure, Page

#: Words of the synthetic answers and comments (accents on purpose).
# fmt: off
WORDS = [
    "datos", "abiertos", "ética", "algoritmos", "regiones", "universidades", "talento",
    "inversión", "conectividad", "interoperabilidad", "ciudadanía", "transparencia", "señal",
    "pequeñas", "empresas", "agricultura", "salud", "educación", "formación", "docentes",
    "laboratorios", "nube", "soberanía", "privacidad", "sesgo", "evaluación", "impacto",
    "ambiental", "Amazonía", "Cusco", "Arequipa", "Piura", "quechua", "aimara", "inclusión",
    "género", "brecha", "digital", "financiamiento", "investigación",
]
# fmt: on

#: Request kinds, in the order of a journey; the figures are printed in this order.
KINDS = (
    "GET home",
    "GET profile",
    "POST profile",
    "GET page",
    "POST page",
    "GET review",
    "POST submit",
    "GET receipt",
)


@dataclass
class Sent:
    """What one journey sent, and what the server said at the end."""

    name: str
    email: str
    profile: dict[str, str] = field(default_factory=dict)
    #: Answer field name → the values posted (a ranking: one position per item, in order).
    answers: dict[str, list[str]] = field(default_factory=dict)
    #: Section key → (comment text, contribution).
    comments: dict[str, tuple[str, str]] = field(default_factory=dict)
    reference: str | None = None
    #: acknowledged | unanswered (submit sent, no receipt read) | abandoned | unfinished
    outcome: str = "unfinished"
    failure: str | None = None
    #: (request kind, wall-clock time) of every request sent again after no answer.
    resent: list[tuple[str, float]] = field(default_factory=list)


class Figures:
    """Latencies per request kind, errors, journeys: shared by every client thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[tuple[str, str]] = Counter()
        self.journeys: list[Sent] = []
        self.client_cpu = self.server_cpu = 0.0

    def record(self, kind: str, seconds: float) -> None:
        with self._lock:
            self.latencies[kind].append(seconds)

    def error(self, failure: HTTPFailure) -> None:
        label = f"HTTP {failure.status}" if failure.status else f"no answer ({failure.detail})"
        with self._lock:
            self.errors[(failure.kind, label)] += 1

    def finished(self, sent: Sent) -> None:
        with self._lock:
            self.journeys.append(sent)

    @property
    def requests(self) -> int:
        """Requests sent: answered ones plus those that got no answer."""
        answered = sum(len(v) for v in self.latencies.values())
        return answered + sum(n for (_k, label), n in self.errors.items() if "no answer" in label)


def _text(rng: random.Random, tag: str, words: tuple[int, int]) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(*words)))
    return f"[{tag}] {body[0].upper()}{body[1:]}."


class Journey:
    """Drive one complete response from a fresh browser; fill ``sent`` as it goes."""

    def __init__(
        self,
        browser: Browser,
        figures: Figures,
        slug: str,
        sent: Sent,
        rng: random.Random,
        double_click: float = 0.0,
    ) -> None:
        self.browser, self.figures, self.slug, self.sent = browser, figures, slug, sent
        self.rng, self.double_click = rng, double_click

    def _twice(self, call, *args):
        """Call once; if the server gave no answer, count the error and call once more."""
        try:
            return call(*args)
        except HTTPFailure as failure:
            if failure.status is not None:
                raise
            self.figures.error(failure)
            self.sent.resent.append((failure.kind, time.time()))
            return call(*args)

    def get(self, kind: str, url: str) -> Page:
        return self._twice(self.browser.get, kind, url)

    def post(self, kind: str, url: str, data: list[tuple[str, str]]) -> str:
        if self.double_click and self.rng.random() < self.double_click:
            return self._twice(self._double_post, kind, url, data)
        return self._twice(self.browser.post, kind, url, data)

    def _double_post(self, kind: str, url: str, data: list[tuple[str, str]]) -> str:
        """A double click: the same form sent twice in quick succession.

        The browser shows the answer to the second send, so the journey goes on with it;
        the first is a shadow with the same cookies whose answer nobody sees.
        """
        shadow = Browser(self.browser.host, self.browser.port, self.figures.record)
        shadow.cookies = dict(self.browser.cookies)

        def first_click() -> None:
            try:
                shadow.post(kind, url, data)
            except HTTPFailure as failure:
                failure.kind = f"{kind} (1st of a double click)"
                self.figures.error(failure)

        thread = threading.Thread(target=first_click)
        thread.start()
        time.sleep(self.rng.uniform(0.0, 0.1))
        try:
            return self.browser.post(kind, url, data)
        finally:
            thread.join()

    def run(self) -> Sent:
        try:
            self._run()
        except HTTPFailure as failure:
            self.figures.error(failure)
            if failure.kind in ("POST submit", "GET receipt"):
                self.sent.outcome = "unanswered"
            else:
                self.sent.outcome = "abandoned"
            self.sent.failure = str(failure)
        self.figures.finished(self.sent)
        return self.sent

    def _run(self) -> None:
        base = f"/c/{self.slug}"
        home = self.get("GET home", f"{base}/")
        pages = sorted(
            {u for u in home.links() if urlsplit(u).path.startswith(f"{base}/s/")}
            | {u for u in home.links() if urlsplit(u).path == f"{base}/general"}
        )
        profile = self.get("GET profile", f"{base}/profile")
        form = _need(profile.form(), "GET profile")
        where = self.post("POST profile", form.action, form.fill(self._profile(form)))
        current = self.get("GET page", where)
        chosen = self.rng.sample(pages, self.rng.randint(2, 4))
        if self.rng.random() < 0.3:
            chosen.append(chosen[0])  # goes back to the first page and changes its answers
        for number, url in enumerate(chosen):
            if urlsplit(url).path != current.path:
                current = self.get("GET page", url)
            form = _need(current.form(), "GET page")
            last = number == len(chosen) - 1
            values = self._answers(form, current.path, must_comment=last and not self._any())
            data = form.fill({**values, "go": ["review" if last else "next"]})
            where = self.post("POST page", form.action, data)
            current = self.get("GET review" if last else "GET page", where)
        form = _need(current.form(f"{base}/submit"), "GET review")
        where = self.post("POST submit", form.action, form.fill({}))
        receipt = self.get("GET receipt", where)
        reference = receipt.reference()
        if not reference:
            raise HTTPFailure("GET receipt", receipt.status, "no reference code on the page")
        self.sent.reference = reference
        self.sent.outcome = "acknowledged"

    def _any(self) -> bool:
        return bool(self.sent.answers or self.sent.comments)

    def _profile(self, form: Form) -> dict[str, list[str]]:
        rng = self.rng

        def pick(name: str, leave_out: tuple[str, ...] = ("",)) -> str:
            values = [c.value for c in form.controls_named(name)]
            for control in form.controls_named(name):
                values.extend(v for v, _selected in control.options)
            return rng.choice([v for v in values if v not in leave_out])

        profile = {
            "responding_as": "individual",
            "stakeholder_type": pick("stakeholder_type"),
            "region": pick("region", ("", "abroad")),
            "gender": pick("gender") if rng.random() < 0.7 else "",
            "age_band": pick("age_band") if rng.random() < 0.7 else "",
            "publication": pick("publication"),
            "email": self.sent.email,
        }
        if profile["publication"] == "named":
            profile["display_name"] = self.sent.name
        self.sent.profile = {k: v for k, v in profile.items() if v}
        return {**{k: [v] for k, v in profile.items() if v}, "consent": ["y"]}

    def _answers(self, form: Form, path: str, must_comment: bool) -> dict[str, list[str]]:
        """Answer every question on the page; comment on most pages."""
        rng, values = self.rng, {}
        for name in form.names():
            controls = form.controls_named(name)
            first = controls[0]
            if not name.startswith("q_"):
                continue
            if first.type == "radio":
                values[name] = [rng.choice(controls).value]
            elif first.type == "checkbox":
                picked = set(rng.sample(range(len(controls)), rng.randint(1, len(controls))))
                values[name] = [c.value for i, c in enumerate(controls) if i in picked]
            elif first.tag == "select":  # a ranking: one select per item
                order = rng.sample(range(len(controls)), rng.randint(1, len(controls)))
                positions = [""] * len(controls)
                for position, index in enumerate(order, start=1):
                    positions[index] = str(position)
                values[name] = positions
            else:
                limit = (8, 30) if first.tag == "input" else (20, 90)
                values[name] = [_text(rng, self.sent.name, limit)]
        self.sent.answers.update(values)
        key = path.rsplit("/s/", 1)[1] if "/s/" in path else None
        if key and form.controls_named("comment") and (must_comment or rng.random() < 0.7):
            text = _text(rng, self.sent.name, (25, 120))
            contribution = rng.choice(form.controls_named("contribution")).value
            values["comment"], values["contribution"] = [text], [contribution]
            self.sent.comments[key] = (text, contribution)
        return values


def _need(form: Form | None, kind: str) -> Form:
    if form is None:
        raise HTTPFailure(kind, 200, "the page has no form to post")
    return form


def client(
    host: str,
    port: int,
    slug: str,
    figures: Figures,
    deadline: float,
    number: int,
    seed: int,
    double_click: float = 0.0,
) -> None:
    """One client: journeys one after another, each in a fresh browser, until the deadline."""
    rng = random.Random(seed * 1000 + number)
    count = 0
    while time.monotonic() < deadline:
        count += 1
        name = f"c{number:03d}-j{count:04d}"
        sent = Sent(name=name, email=f"{name}@example.org")
        browser = Browser(host, port, figures.record)
        Journey(browser, figures, slug, sent, rng, double_click).run()
