"""How the API answers: JSON bytes with validators, conditional requests and CORS.

- The body is UTF-8 JSON, keys in the order the serialisers write them (``serialise``),
  so the same data gives the same bytes.
- ``ETag`` is strong, a digest of the bytes sent (gzipped when the client accepts it,
  which ``web.compression`` makes deterministic), so each encoding has its own.
  ``Last-Modified`` is the latest change of the data shown. A request whose
  ``If-None-Match`` holds the tag (or, without it, whose ``If-Modified-Since`` is not
  older) gets ``304 Not Modified`` with no body (werkzeug's ``make_conditional``).
- Everything the API shows is the same for everyone, so a reply may be kept by shared
  caches for ``API_CACHE_SECONDS`` (``Cache-Control: public``), then revalidated. No view
  of the API reads the session or the signed-in user: the replies carry no cookie and no
  ``Vary: Cookie``.
- CORS: any origin may read (``Access-Control-Allow-Origin: *``, never with credentials),
  with the validators and rate-limit headers exposed; a preflight (OPTIONS) is answered
  for GET.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, request

from ..web.compression import compress
from ..web.security import without_session

MEDIA_TYPE = "application/json"
#: Headers a script of another origin may read.
EXPOSED = (
    "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining,"
    " X-RateLimit-Reset, Link, X-Request-ID"
)
#: The page for people, in the reader's language (kept in their session).
DOCS_PAGE = "api.show_docs"
#: Seconds a browser may keep the answer to a preflight.
PREFLIGHT_MAX_AGE = 86400


def as_bytes(data: Any) -> bytes:
    """The JSON text of ``data``: UTF-8, compact, keys in their written order."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def http_moment(value: datetime | None) -> datetime | None:
    """A stored time (naive UTC) as HTTP dates have it: aware, whole seconds."""
    if value is None:
        return None
    return value.replace(tzinfo=value.tzinfo or UTC, microsecond=0)


def json_reply(data: Any, *, last_modified: datetime | None) -> Response:
    """``data`` as a cacheable JSON reply with its validators; 304 when the client has it."""
    return bytes_reply(as_bytes(data), MEDIA_TYPE, last_modified=last_modified)


def bytes_reply(body: bytes, mimetype: str, *, last_modified: datetime | None) -> Response:
    """A reply of ready bytes, compressed if accepted, with ETag and Last-Modified."""
    reply = current_app.response_class(body, mimetype=mimetype)
    compress(reply)
    reply.set_etag(hashlib.sha256(reply.get_data()).hexdigest()[:40])
    moment = http_moment(last_modified)
    if moment is not None:
        # A time in the future (a clock ahead) would make every later copy "unmodified".
        reply.last_modified = min(moment, datetime.now(UTC).replace(microsecond=0))
    reply.cache_control.public = True
    reply.cache_control.max_age = int(current_app.config["API_CACHE_SECONDS"])
    return reply.make_conditional(request)


def add_cors(reply: Response) -> Response:
    """Any origin may read what the API answers, without credentials."""
    if request.endpoint != DOCS_PAGE:
        without_session()
    headers = reply.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        headers["Cache-Control"] = "no-store"
    return reply
