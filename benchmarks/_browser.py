"""A small browser for the load benchmark: cookies, redirects, forms, timed requests.

Every request opens its own connection (``Connection: close``), so a failure always means
the server did not answer *that* request, never a keep-alive connection the server had
closed in the meantime. Forms are read with the standard library's ``html.parser`` and
posted back the way a browser builds a form data set: every hidden input, the values the
page shows, then what the respondent typed or chose.
"""

from __future__ import annotations

import html
import http.client
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

#: Failures where the server gave no (complete) answer: a killed worker, a reset, a timeout.
CUT = (OSError, http.client.HTTPException)


@dataclass
class Control:
    """One form control: an input, a select or a textarea."""

    tag: str
    type: str
    name: str
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Form:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    def names(self) -> list[str]:
        """Control names in page order, each once."""
        return list(dict.fromkeys(c.name for c in self.controls))

    def controls_named(self, name: str) -> list[Control]:
        return [c for c in self.controls if c.name == name]

    def defaults(self) -> list[tuple[str, str]]:
        """The form data set a browser sends if the person changes nothing."""
        pairs = []
        for control in self.controls:
            if control.tag == "select":
                chosen = [v for v, selected in control.options if selected]
                if chosen or control.options:
                    pairs.append((control.name, (chosen or [control.options[0][0]])[0]))
            elif control.type in ("radio", "checkbox"):
                if control.checked:
                    pairs.append((control.name, control.value or "on"))
            elif control.type not in ("submit", "button", "image", "reset", "file"):
                pairs.append((control.name, control.value))
        return pairs

    def fill(self, values: dict[str, list[str]]) -> list[tuple[str, str]]:
        """The defaults with the controls named in ``values`` replaced by those values."""
        pairs = [(n, v) for n, v in self.defaults() if n not in values]
        for name, chosen in values.items():
            pairs.extend((name, v) for v in chosen)
        return pairs


class PageParser(HTMLParser):
    """Collect a page's forms, its links and the text of its ``.reference`` element."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.forms: list[Form] = []
        self._form: Form | None = None
        self.links: list[str] = []
        self.reference: str | None = None
        self._select: Control | None = None
        self._textarea: Control | None = None
        self._in_reference = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.base, a.get("action") or self.base)
            self._form = Form(action, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self.links.append(urljoin(self.base, a["href"]))
        elif "reference" in a.get("class", "").split():
            self._in_reference = True
        form = self._form
        if form is None or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            form.controls.append(Control(tag, kind, a["name"], a.get("value", ""), "checked" in a))
        elif tag == "select":
            self._select = Control(tag, "select", a["name"])
            form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = Control(tag, "textarea", a["name"])
            form.controls.append(self._textarea)
        elif tag == "button":
            form.controls.append(Control(tag, "submit", a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._in_reference:
            self.reference = (self.reference or "") + data.strip()
            self._in_reference = False


@dataclass
class Page:
    url: str
    status: int
    body: str
    _parsed: PageParser | None = None

    def _parse(self) -> PageParser:
        if self._parsed is None:
            self._parsed = PageParser(self.url)
            self._parsed.feed(self.body)
            self._parsed.close()
        return self._parsed

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def form(self, action_path: str | None = None) -> Form | None:
        """The page's first POST form, or the one posting to ``action_path``."""
        for form in self._parse().forms:
            if form.method == "post" and (
                action_path is None or urlsplit(form.action).path == action_path
            ):
                return form
        return None

    def links(self) -> list[str]:
        return self._parse().links

    def reference(self) -> str | None:
        return self._parse().reference


class HTTPFailure(Exception):
    """The server answered with an unexpected status, or not at all (``status`` None)."""

    def __init__(self, kind: str, status: int | None, detail: str = "") -> None:
        super().__init__(f"{kind}: {status or 'no answer'} {detail}".strip())
        self.kind, self.status, self.detail = kind, status, detail


class Browser:
    """One person's browser: its own cookie jar; every request timed and classified."""

    def __init__(self, host: str, port: int, record, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.record = record  # record(kind, seconds): called for every answered request
        self.cookies: dict[str, str] = {}
        self.origin = f"http://{host}:{port}"

    def _send(self, method: str, url: str, body: bytes | None) -> tuple[int, dict, bytes]:
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        headers = {"Connection": "close", "User-Agent": "consult-load-benchmark"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            set_cookies = response.headers.get_all("Set-Cookie") or []
            location = response.headers.get("Location")
        finally:
            connection.close()
        for header in set_cookies:
            self._store_cookie(header)
        return response.status, {"location": location}, data

    def _store_cookie(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
            if expired or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def request(
        self, kind: str, method: str, url: str, data: list[tuple[str, str]] | None = None
    ) -> tuple[int, str | None, bytes]:
        """One timed request, no redirect followed; a failure is recorded and raised."""
        body = urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            status, headers, payload = self._send(method, urljoin(self.origin, url), body)
        except CUT as exc:
            raise HTTPFailure(kind, None, type(exc).__name__) from exc
        self.record(kind, time.perf_counter() - started)
        return status, headers["location"], payload

    def get(self, kind: str, url: str, expect: int = 200) -> Page:
        status, _location, payload = self.request(kind, "GET", url)
        if status != expect:
            raise HTTPFailure(kind, status, _messages(payload.decode("utf-8", "replace")))
        return Page(urljoin(self.origin, url), status, payload.decode("utf-8", "replace"))

    def post(self, kind: str, url: str, data: list[tuple[str, str]]) -> str:
        """POST a form; return where the server redirects (every successful POST does)."""
        status, location, payload = self.request(kind, "POST", url, data)
        if status not in (302, 303) or not location:
            raise HTTPFailure(kind, status, _messages(payload.decode("utf-8", "replace")))
        return urljoin(self.origin, location)


_MESSAGE = re.compile(r'class="(?:field-error|error-summary)[^"]*"[^>]*>(.*?)</(?:p|div)>', re.S)


def _messages(body: str) -> str:
    """The error messages a refused form shows (for the report), or the page's title."""
    found = [re.sub(r"<[^>]+>|\\s+", " ", m).strip() for m in _MESSAGE.findall(body)]
    if not found:
        found = re.findall(r"<title>(.*?)</title>", body, re.S)[:1]
    return html.unescape(" | ".join(found))[:300]
