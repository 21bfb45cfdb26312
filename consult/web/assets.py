"""Static files under fingerprinted names, so that browsers keep them for a year.

``url_for("static", filename="css/consult.css")`` gives ``/static/css/consult.<digest>.css``,
the digest being that of the file's bytes: a changed file gets a new address, so a copy
kept by a browser or a proxy is never stale. Such an address is served with a one-year,
immutable Cache-Control. The plain name, or an old digest after an upgrade, still gets
the current file, but marked to be revalidated (no-cache) rather than kept.

Two files live at the site's root because browsers and crawlers ask for them there:
``/favicon.ico`` (pages name the fingerprinted icons; this is for clients that ask
anyway) and ``/robots.txt``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from stat import S_ISREG

from flask import Flask, Response, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

#: A year: the longest lifetime caches commonly honour.
LONG_LIVED = 365 * 24 * 3600
#: A day, for files whose address never changes (/favicon.ico, /robots.txt).
A_DAY = 24 * 3600
#: Crawlers may read the consultations, their sections and results; not the coordinators'
#: console, the sign-in, a respondent's own pages, or the private links to a response.
ROBOTS_TXT = """\
User-agent: *
Allow: /
Disallow: /console/
Disallow: /auth/
Disallow: /c/*/r/
Disallow: /c/*/profile
Disallow: /c/*/review
Disallow: /c/*/receipt
"""
_FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")


class Fingerprints:
    """Digests of the files of one folder, recomputed when a file changes on disk."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = str(folder)
        self._known: dict[str, tuple[tuple[int, int], str]] = {}

    def digest(self, filename: str) -> str | None:
        """The first 12 hex digits of the file's SHA-256, or None if there is no such file."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = Path(path).stat()
        except (OSError, ValueError):  # no such file, a name too long, a NUL in the name
            return None
        if not S_ISREG(stat.st_mode):
            return None  # a folder (/static/css/) is no file to serve
        version = (stat.st_mtime_ns, stat.st_size)
        known = self._known.get(filename)
        if known is not None and known[0] == version:
            return known[1]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        self._known[filename] = (version, digest)
        return digest

    def name(self, filename: str) -> str:
        """``css/consult.css`` → ``css/consult.<digest>.css`` (unchanged if unknown)."""
        stem, dot, suffix = filename.rpartition(".")
        digest = self.digest(filename)
        if not dot or "/" in suffix or digest is None:
            return filename
        return f"{stem}.{digest}.{suffix}"

    def serve(self, filename: str) -> Response:
        """The file behind a fingerprinted or plain name, with the matching lifetime."""
        match = _FINGERPRINTED.match(filename)
        if match is not None:
            plain = match["stem"] + match["suffix"]
            current = self.digest(plain)
            if current == match["digest"]:
                response = send_from_directory(self.folder, plain, max_age=LONG_LIVED)
                response.cache_control.immutable = True
                return response
            if current is not None:
                return send_from_directory(self.folder, plain)
        if self.digest(filename) is None:
            raise NotFound()
        return send_from_directory(self.folder, filename)


def init_app(app: Flask) -> None:
    """Build static URLs with fingerprints, and serve them with long lifetimes."""
    if app.static_folder is None:
        return
    fingerprints = Fingerprints(app.static_folder)

    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprints.name(values["filename"])

    app.url_defaults(fingerprint)
    app.view_functions["static"] = fingerprints.serve
    app.extensions["consult.assets"] = fingerprints

    def favicon() -> Response:
        """The icon, for browsers that ask the site's root rather than the page's link."""
        return send_from_directory(app.static_folder, "favicon.ico", max_age=A_DAY)

    def robots() -> Response:
        """What crawlers may read."""
        response = app.response_class(ROBOTS_TXT, mimetype="text/plain")
        response.cache_control.public = True
        response.cache_control.max_age = A_DAY
        return response

    app.add_url_rule("/favicon.ico", "favicon", favicon, methods=["GET"])
    app.add_url_rule("/robots.txt", "robots", robots, methods=["GET"])
