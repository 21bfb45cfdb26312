"""Importing a zipped bundle in the console: keep the upload until it is confirmed, then
load it in one transaction with its audit entry.

The upload is kept under the instance folder with a random name for ``KEEP_FOR``; the
confirmation names it by that token only (32 hexadecimal digits), never by a path. The
load is ``write_bundle``'s, so a reload keeps every response attached as
``consult load-consultation`` does, and refuses what it refuses.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..content.archives import unpack_bundle
from ..content.bundles import LoadReport, read_bundle, write_bundle
from ..content.checks import ContentError, Refused
from ..content.compare import Comparison, compare_bundle
from ..content.versions import keep_current_in_step
from ..extensions import db
from ..models import Consultation, User
from ..responding.changes import note_public_change
from ..reviewing import audit

#: How long an upload waits for its confirmation, in seconds.
KEEP_FOR = 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder(name: str = "bundle-imports") -> Path:
    folder = Path(current_app.instance_path) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(data: bytes, *, folder: str = "bundle-imports", suffix: str = ".zip") -> str:
    """Keep an uploaded zip until it is confirmed; its token. Expired ones are removed.

    ``folder`` and ``suffix`` keep other uploads apart (``importing``: responses' files)."""
    kept = _folder(folder)
    now = time.time()
    for old in kept.glob(f"*{suffix}"):
        if now - old.stat().st_mtime > KEEP_FOR:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (kept / f"{token}{suffix}").write_bytes(data)
    return token


def kept_upload(
    token: str, *, folder: str = "bundle-imports", suffix: str = ".zip"
) -> bytes | None:
    """The upload kept under ``token``; None if the token is not one, unknown or expired."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    path = _folder(folder) / f"{token}{suffix}"
    try:
        if time.time() - path.stat().st_mtime > KEEP_FOR:
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()
    except OSError:
        return None


def discard_upload(token: str, *, folder: str = "bundle-imports", suffix: str = ".zip") -> None:
    if isinstance(token, str) and _TOKEN.match(token):
        (_folder(folder) / f"{token}{suffix}").unlink(missing_ok=True)


@dataclass
class Imported:
    slug: str
    report: LoadReport
    consultation_id: int


def read_zip(data: bytes) -> dict:
    """The zipped bundle, read and checked. Raises ``ArchiveRefused`` or ``ContentError``
    (its message naming the bundle's files, not the folder they were unpacked into)."""
    with tempfile.TemporaryDirectory(prefix="consult-import-") as folder:
        root = unpack_bundle(data, Path(folder))
        try:
            return read_bundle(root)
        except Refused:
            raise
        except ContentError as error:
            text = str(error).replace(f"{root}/", "").replace(str(root), "")
            raise ContentError(text.replace(f"{folder}/", "")) from error


def compare_zip(data: bytes) -> Comparison:
    """What loading this zipped bundle would change; nothing is written."""
    return compare_bundle(read_zip(data))


def import_zip(data: bytes, actor: User) -> Imported:
    """Load a zipped bundle: a new consultation or an update of the one with its slug, in
    one transaction with one audit entry (``consultation.import``)."""
    bundle = read_zip(data)
    existed = (
        db.session.scalar(sa.select(Consultation.id).filter_by(slug=bundle["slug"])) is not None
    )
    try:
        report = write_bundle(bundle, window_days=current_app.config["DEFAULT_WINDOW_DAYS"])
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=report.slug))
        keep_current_in_step(consultation)
        audit.record(
            actor,
            "consultation.import",
            "consultation",
            consultation.id,
            before={"slug": report.slug, "existed": existed},
            after={
                "created": report.created,
                "updated": report.updated,
                "deleted": report.deleted,
            },
        )
        note_public_change(db.session)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return Imported(report.slug, report, consultation.id)
