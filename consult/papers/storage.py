"""Where position papers' bytes live: outside the database and the web root.

``PaperStore`` is all the rest of consult asks of a store, so an object store (S3 and
the like) can stand in for ``LocalPaperStore`` later. Keys are random (``new_key``),
never the uploaded file's name, and a store accepts no other shape of key.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

#: A key as ``new_key`` makes it: what a store accepts, so no key can name a path.
_KEY = re.compile(r"[0-9a-f]{32}")
#: Where an app may set a store of its own (tests, an object store).
EXTENSION = "consult.paper_store"


def new_key() -> str:
    """A fresh random storage key (128 bits, hex)."""
    return secrets.token_hex(16)


class PaperStore(Protocol):
    """Bytes kept under a key."""

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (complete or not at all)."""

    def open(self, key: str) -> BinaryIO:
        """The bytes kept under ``key``, to read; ``FileNotFoundError`` if there are none."""

    def delete(self, key: str) -> None:
        """Forget ``key``; nothing happens if it is not there."""

    def exists(self, key: str) -> bool: ...


class LocalPaperStore:
    """Files in one folder of the local disk, readable by this user only."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError("not a paper storage key")
        return self.root / f"{key}.pdf"

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written beside, then renamed: a reader never finds half a file.
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def paper_store(app: Flask | None = None) -> PaperStore:
    """The app's store: one set in ``app.extensions``, else the local folder
    (``PAPER_STORAGE_DIR``, by default the instance folder's ``papers/``)."""
    app = app or current_app
    store = app.extensions.get(EXTENSION)
    if store is None:
        folder = app.config.get("PAPER_STORAGE_DIR") or os.path.join(app.instance_path, "papers")
        store = app.extensions[EXTENSION] = LocalPaperStore(Path(folder))
    return store
