"""What every page a journey visits must pass, checked inside the browser that shows it.

``Visit`` is one person's browser (a Playwright context and its tab). After each page
loads, ``Visit.check`` runs axe-core in the page, reads the page's language, adds up what
the browser fetched for it, refuses any request that would leave 127.0.0.1, and takes
screenshots at phone and desktop width. The HTML the server sent is kept; one run of the
Nu HTML Checker over all of it ends the suite (``test_markup.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .tools import AXE

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
#: The issue's budget for a public page: HTML, CSS, JS and fonts, images apart.
PUBLIC_PAGE_BUDGET = 100 * 1024

_IMAGE = re.compile(r"\.(png|jpe?g|gif|webp|avif|svg|ico)(\?|$)", re.IGNORECASE)

#: Every byte the page cost: the document and each resource it loaded (Resource Timing),
#: as sent (gzipped where the app compresses) and once unpacked. Routing in Playwright
#: turns the HTTP cache off, so each page is measured cold.
_TRANSFERS = """() => performance.getEntriesByType("navigation")
  .concat(performance.getEntriesByType("resource"))
  .map(e => ({url: e.name, kind: e.initiatorType,
              bytes: e.transferSize || e.encodedBodySize || 0, unpacked: e.decodedBodySize}))"""

_AXE_RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(
  v => ({id: v.id, impact: v.impact, help: v.help,
         targets: v.nodes.slice(0, 3).map(
           n => n.target.join(" ") + " :: " + n.html.slice(0, 160))})))"""


#: Headings of level 1, and choices asked as one question (radios of one name anywhere; on
#: public pages also checkboxes or selects sharing a name) not inside a fieldset with a legend.
_STRUCTURE = """(publicPage) => {
  const groups = new Map();
  for (const el of document.querySelectorAll("input[type=radio], input[type=checkbox], select")) {
    const key = [...document.forms].indexOf(el.form) + "|" + el.name;
    groups.set(key, (groups.get(key) || []).concat([el]));
  }
  const loose = [...groups.entries()].filter(([key, els]) =>
    (els[0].type === "radio" || (publicPage && els.length > 1)) &&
    !els.every(e => {
      const f = e.closest("fieldset");
      return f && f.querySelector(":scope > legend") && els.every(o => f.contains(o));
    }));
  return {h1: document.querySelectorAll("h1").length, loose: loose.map(([key]) => key)};
}"""


@dataclass
class PageRecord:
    """One page as a journey saw it."""

    journey: str
    name: str
    path: str
    status: int
    public: bool
    bytes: int
    unpacked: int
    html: Path
    screenshots: list[Path] = field(default_factory=list)


class Recorder:
    """Pages of the whole run: their HTML for the checker, and a summary for people."""

    def __init__(self, html_dir: Path, screenshot_dir: Path) -> None:
        self.html_dir = html_dir
        self.screenshot_dir = screenshot_dir
        self.pages: list[PageRecord] = []

    def write_summary(self) -> Path:
        path = self.screenshot_dir / "pages.json"
        rows = [
            {
                "journey": p.journey,
                "page": p.name,
                "path": p.path,
                "status": p.status,
                "public": p.public,
                "bytes": p.bytes,
                "unpacked": p.unpacked,
                "screenshots": [s.name for s in p.screenshots],
            }
            for p in self.pages
        ]
        path.write_text(json.dumps(rows, indent=1))
        return path


def is_public(path: str) -> bool:
    return not path.startswith(("/console", "/auth"))


class Visit:
    """One person's browser for one journey: a context, its tab, and the checks."""

    def __init__(
        self,
        browser,
        base_url: str,
        recorder: Recorder,
        journey: str,
        *,
        viewport: dict[str, int] = DESKTOP,
        javascript: bool = True,
        screenshots: bool = True,
    ) -> None:
        self.browser = browser
        self.base_url = base_url
        self.host = urlsplit(base_url).hostname
        self.recorder = recorder
        self.journey = journey
        self.viewport = viewport
        self.javascript = javascript
        self.screenshots = screenshots
        self.context = browser.new_context(
            base_url=base_url, viewport=viewport, java_script_enabled=javascript
        )
        self.context.route("**/*", self._route)
        if javascript:
            # Through the DevTools protocol, before the page's own code: the page's
            # Content-Security-Policy does not govern it and stays in force for the page.
            self.context.add_init_script(path=str(AXE))
        self.left_site: list[str] = []
        self.count = 0
        self._twin = None
        self.page = self.new_tab()

    # -- the browser -------------------------------------------------------------------

    def new_tab(self):
        """Open a tab (closing the current one): a person who left and comes back."""
        if getattr(self, "page", None) is not None:
            self.page.close()
        page = self.context.new_page()
        self._document = None
        self._errors: list[str] = []
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._errors.append(f"script error: {error}"))
        self.page = page
        return page

    def _route(self, route) -> None:
        """Let requests to the site through; stop and remember any other."""
        if urlsplit(route.request.url).hostname == self.host:
            route.continue_()
        else:
            self.left_site.append(route.request.url)
            route.abort()

    def _on_response(self, response) -> None:
        if response.request.resource_type == "document" and response.frame == self.page.main_frame:
            self._document = response

    def _on_console(self, message) -> None:
        if message.type == "error":
            self._errors.append(f"{message.text} ({message.location.get('url', '')})")

    def goto(self, path: str):
        """Type an address into the browser."""
        self.page.goto(path)
        return self.page

    def close(self) -> None:
        self.context.close()
        if self._twin is not None:
            self._twin.context.close()

    # -- the checks --------------------------------------------------------------------

    def check(self, name: str, *, lang: str, status: int = 200) -> PageRecord:
        """Check the page now shown; fail with what is wrong."""
        page = self.page
        page.wait_for_load_state("load")
        document = self._document
        assert document is not None, f"{name}: no page was loaded"
        path = urlsplit(page.url).path
        where = f"{self.journey} / {name} ({path})"
        assert document.status == status, f"{where}: HTTP {document.status}, expected {status}"
        html = document.body()
        self.count += 1
        stem = f"{self.journey}-{self.count:02d}-{name}"
        html_file = self.recorder.html_dir / f"{stem}.html"
        html_file.write_bytes(html)

        assert page.evaluate("document.documentElement.lang") == lang, f"{where}: wrong lang"
        violations = self._axe(html)
        assert violations == [], f"{where}: axe-core found\n" + json.dumps(violations, indent=1)
        public = is_public(path)
        structure = page.evaluate(_STRUCTURE, public)
        assert structure["h1"] == 1, f"{where}: {structure['h1']} h1 headings"
        assert structure["loose"] == [], f"{where}: choices without fieldset/legend {structure}"

        transfers = [t for t in page.evaluate(_TRANSFERS) if not self._is_image(t)]
        total = sum(t["bytes"] for t in transfers)
        unpacked = sum(t["unpacked"] for t in transfers)
        if public:
            assert total <= PUBLIC_PAGE_BUDGET, f"{where}: {total} bytes: {transfers}"
        assert self.left_site == [], f"{where}: requests leaving the site: {self.left_site}"
        errors = [e for e in self._errors if not self._expected_status_error(e, status)]
        assert errors == [], f"{where}: browser console errors: {errors}"
        self._errors.clear()

        record = PageRecord(self.journey, name, path, status, public, total, unpacked, html_file)
        if self.screenshots:
            record.screenshots = self._at_both_widths(stem, where)
        self.recorder.pages.append(record)
        return record

    @staticmethod
    def _is_image(transfer: dict[str, Any]) -> bool:
        return transfer["kind"] in ("img", "image") or bool(_IMAGE.search(transfer["url"]))

    def _expected_status_error(self, error: str, status: int) -> bool:
        """Chromium logs a page answered 422 (a form with errors) as a failed load."""
        return status >= 400 and f"status of {status}" in error

    def _axe(self, html: bytes) -> list[dict[str, Any]]:
        """axe-core's violations, every rule it runs by default, every impact level.

        The context adds it to every page it opens, through the DevTools protocol. A page
        shown with JavaScript off cannot run it: the same HTML is then loaded, at the
        same address and size, in a twin tab that can.
        """
        page = self.page if self.javascript else self._twin_showing(html)
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(AXE.read_text())
        return page.evaluate(_AXE_RUN)

    def _twin_showing(self, html: bytes):
        if self._twin is None:
            self._twin = Visit(
                self.browser,
                self.base_url,
                self.recorder,
                self.journey + "-twin",
                viewport=self.viewport,
                screenshots=False,
            )
        twin = self._twin.page
        url = self.page.url
        html_type = "text/html; charset=utf-8"
        twin.route(url, lambda route: route.fulfill(body=html, content_type=html_type))
        try:
            twin.goto(url)
        finally:
            twin.unroute(url)
        return twin

    def _at_both_widths(self, stem: str, where: str) -> list[Path]:
        """Screenshots of the full page at phone and desktop width, this journey's first.

        At phone width the page must fit: nothing may make the whole page scroll sideways
        (a wide table scrolls inside its own box).
        """
        folder = self.recorder.screenshot_dir / self.journey
        folder.mkdir(parents=True, exist_ok=True)
        shots = []
        for size in (self.viewport, DESKTOP if self.viewport == PHONE else PHONE):
            if size != self.viewport:
                self.page.set_viewport_size(size)
            if size == PHONE:
                width = self.page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], f"{where}: {width} px wide on a phone"
            shot = folder / f"{stem}-{size['width']}.png"
            self.page.screenshot(path=shot, full_page=True)
            shots.append(shot)
        self.page.set_viewport_size(self.viewport)
        return shots
