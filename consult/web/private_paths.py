"""Paths as logs show them: a private link's token replaced, so reading a log opens nothing.

A response's private link (``/c/<slug>/r/<token>``, and its ``/edit`` and ``/withdraw``)
carries the secret that shows, changes and withdraws the response; the database keeps only
its hash. Whoever reads the access log or the error log must not get it there: the access
log (``consult.serving.logs``), the error log lines (``errors.py``) and the development
server's log show such a path as ``/c/<slug>/r/***``. A path written with escapes
(``%72`` for ``r``, ``%2F`` for ``/``) reaches the same view, so it is read unescaped first.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

#: What stands in for the token.
HIDDEN = "***"

_PRIVATE_LINK = re.compile(r"(/c/[^/?#\s\"]+/r/)[^/?#\s\"]+")


def hide_tokens(text: str) -> str:
    """``text`` with the token of every private link in it replaced by ``***``."""
    if "/r/" not in text and "%" not in text:
        return text
    if _PRIVATE_LINK.search(text):
        return _PRIVATE_LINK.sub(r"\g<1>" + HIDDEN, text)
    unescaped = unquote(text)
    if unescaped != text and _PRIVATE_LINK.search(unescaped):
        return _PRIVATE_LINK.sub(r"\g<1>" + HIDDEN, unescaped)
    return text
