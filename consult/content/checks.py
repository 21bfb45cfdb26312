"""Reading and checking bundle files: YAML, bilingual texts, keys, codes.

Every bundle error is a ``ContentError`` whose message says the file, the place and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import yaml
from flask_babel import force_locale

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANGS = ("es", "en")


class ContentError(Exception):
    """A bundle that cannot be loaded; the message says where and why."""


class Refused(ContentError):
    """A refusal told to a person: ``message`` in the reader's language (a lazy string);
    ``str()`` in English, for the command line and the logs."""

    def __init__(self, message) -> None:
        self.message = message
        super().__init__()

    def __str__(self) -> str:
        with force_locale("en"):
            return str(self.message)


class _BundleLoader(yaml.SafeLoader):
    """Safe YAML where only true/false are booleans and numbers stay text.

    PyYAML follows YAML 1.1, which reads yes/no/on/off as booleans: the option
    ``{code: yes, ...}`` shown in docs/content-bundles.md would become ``True``. And a
    section number written ``5.10`` would become the float 5.1; a bundle holds no
    quantities, so every number is kept as the text written.
    """


_NOT_IMPLICIT = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_BundleLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NOT_IMPLICIT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BundleLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_BundleLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top")
    return data


def text(where: str, value: Any, *, max_len: int | None = None, multiline=False) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: text required")
    value = value.strip() if not multiline else value.strip("\n")
    if max_len and len(value) > max_len:
        raise ContentError(f"{where}: longer than {max_len} characters")
    return value


#: While a consultation in preparation is read: where a text lacks a language (see
#: ``allowing_gaps``); None otherwise, and every text needs every language.
_gaps: ContextVar[list[str] | None] = ContextVar("bundle_gaps", default=None)


@contextmanager
def allowing_gaps() -> Iterator[list[str]]:
    """Within it, a text written in one language but not the other is read with the other
    empty, and the place is added to the list yielded (a consultation in preparation is
    translated as it is written, and may be exported half done)."""
    gaps: list[str] = []
    token = _gaps.set(gaps)
    try:
        yield gaps
    finally:
        _gaps.reset(token)


def bilingual(where: str, value: Any, *, max_len=None, multiline=False, optional=False):
    if value is None and optional:
        return dict.fromkeys(LANGS, "")
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected {{es: ..., en: ...}}")
    gaps = _gaps.get()
    written = [lang for lang in LANGS if isinstance(value.get(lang), str) and value[lang].strip()]
    if gaps is not None and written and len(written) < len(LANGS):
        gaps += [f"{where}.{lang}" for lang in LANGS if lang not in written]
        return {
            lang: text(f"{where}.{lang}", value[lang], max_len=max_len, multiline=multiline)
            if lang in written
            else ""
            for lang in LANGS
        }
    return {
        lang: text(f"{where}.{lang}", value.get(lang), max_len=max_len, multiline=multiline)
        for lang in LANGS
    }


def key(where: str, value: Any, pattern=KEY) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ContentError(f"{where}: {value!r} is not a valid key (lowercase letters, digits, -)")
    return value


def assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set only the attributes that differ; tell whether anything did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
