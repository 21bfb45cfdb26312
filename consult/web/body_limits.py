"""How large a request body each path may send: ``MAX_CONTENT_LENGTH``, but more where a
route takes a file (the position-paper upload).

One function decides, for Flask (the app's request class: ``BodyLimit``) and for
``consult serve`` (``serving/bridge.py`` refuses a larger body from its headers, unread;
``serving/worker.py`` lets tornado read up to the largest limit). So every route but the
upload keeps the small limit whichever server runs the app.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import current_app

#: Room beyond a file's own limit for the form's other fields and the multipart framing.
FORM_ALLOWANCE = 64 * 1024
#: Paths that take a file, with the setting that bounds the file.
_UPLOADS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/c/[^/]+/papers/?"), "PAPER_MAX_BYTES"),
)


def body_limit(config: Mapping[str, Any], path: str) -> int | None:
    """The largest body a request to ``path`` may send (None: no limit)."""
    limit = config.get("MAX_CONTENT_LENGTH")
    for pattern, setting in _UPLOADS:
        if limit is not None and pattern.fullmatch(path):
            return max(limit, int(config[setting]) + FORM_ALLOWANCE)
    return limit


def largest_body_limit(config: Mapping[str, Any]) -> int | None:
    """The largest body any path may send: what a server must be ready to read."""
    limit = config.get("MAX_CONTENT_LENGTH")
    if limit is None:
        return None
    return max([limit, *(int(config[s]) + FORM_ALLOWANCE for _p, s in _UPLOADS)])


class BodyLimit:
    """Mixin for the app's request class: ``max_content_length`` by path."""

    _max_content_length: int | None

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return None
        return body_limit(current_app.config, self.path)  # type: ignore[attr-defined]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
