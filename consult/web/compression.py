"""gzip for pages and other text, so a phone on a weak connection downloads a fraction.

``consult serve`` answers browsers directly (gunicorn, no proxy in front), so the app
compresses what it sends: HTML, CSS, JSON and SVG of at least ``MIN_SIZE`` bytes, to a
client that accepts gzip. A report's tables repeat the same markup row after row, so a
200 KB results page travels as about 7 KB. Files sent as they are (downloads, static
files) and streamed responses are left alone.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

#: Below this, gzip's own header and the time spent are not worth it.
MIN_SIZE = 1024
#: A page made for one person is compressed on every request: level 3 takes half the CPU
#: of level 6 for about 8 % more bytes. A page kept for many is compressed once, harder.
PER_REQUEST_LEVEL = 3
KEPT_LEVEL = 9
COMPRESSIBLE = frozenset(
    {"text/html", "text/css", "text/plain", "application/json", "image/svg+xml"}
)


def _accepts_gzip() -> bool:
    return any(
        part.split(";")[0].strip() == "gzip"
        and part.replace(" ", "").split(";q=")[-1] not in ("0", "0.0", "0.00", "0.000")
        for part in request.headers.get("Accept-Encoding", "").split(",")
    )


def compress(response: Response, level: int = PER_REQUEST_LEVEL) -> Response:
    """gzip the response body when it is text, large enough, and the client accepts it."""
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or request.method == "HEAD"
    ):
        return response
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip():
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=level, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
