"""A bundle sent as a zip file (the console's upload), unpacked safely into a folder.

The archive is refused whole, before anything is written to disk, when it is too large,
unpacks to too much, holds too many files, names a path outside its folder (absolute,
``..``, a drive), or holds a link. ``consultation.yaml`` may be at its root or in one
top folder (a zipped bundle folder).
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from .checks import Refused

#: The zip file itself (the request is also bounded by ``MAX_CONTENT_LENGTH``).
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024
#: Everything it unpacks to: the ENIA draft's bundle is about 50 KB.
MAX_UNPACKED_BYTES = 5 * 1024 * 1024
MAX_FILES = 500


class ArchiveRefused(Refused):
    """An archive that is not unpacked; ``message`` in the reader's language."""


def unpack_bundle(data: bytes, target: Path) -> Path:
    """Unpack a zipped bundle into ``target`` (an empty folder); the bundle's folder."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveRefused(
            _l("The zip file is larger than %(n)s KB.", n=MAX_ARCHIVE_BYTES // 1024)
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(_l("This is not a zip file, or it is damaged.")) from exc
    if len(members) > MAX_FILES:
        raise ArchiveRefused(_l("The zip file holds more than %(n)s files.", n=MAX_FILES))
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ArchiveRefused(_too_much())
    paths = [_checked_path(member) for member in members]
    written = 0
    with archive:
        for member, path in zip(members, paths, strict=True):
            if path is None:
                continue
            destination = target.joinpath(*path.parts)
            # OSError: a name used both for a file and for a folder ("x", then "x/y");
            # RuntimeError: a member encrypted with a password.
            try:
                if member.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, destination.open("wb") as out:
                    # Read no more than declared: a header that lies is caught here.
                    while chunk := source.read(64 * 1024):
                        written += len(chunk)
                        if written > MAX_UNPACKED_BYTES:
                            raise ArchiveRefused(_too_much())
                        out.write(chunk)
            except (
                zipfile.BadZipFile,
                OSError,
                ValueError,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                raise ArchiveRefused(_l("This is not a zip file, or it is damaged.")) from exc
    return _bundle_folder(target)


def _too_much():
    return _l("The zip file unpacks to more than %(n)s MB.", n=MAX_UNPACKED_BYTES // 2**20)


def _checked_path(member: zipfile.ZipInfo) -> PurePosixPath | None:
    """The member's path inside the folder; refused if it could leave it or is a link."""
    name = member.filename
    path = PurePosixPath(name)
    unsafe = (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or ".." in path.parts
        or ":" in (path.parts[0] if path.parts else "")
    )
    if unsafe:
        raise ArchiveRefused(
            _l("The zip file names a path outside its folder: %(name)s", name=name[:200])
        )
    mode = member.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ArchiveRefused(_l("The zip file holds a link: %(name)s", name=name[:200]))
    if path.parts and path.parts[0] == "__MACOSX":
        return None  # a Mac's resource forks: not part of the bundle
    return path


def _bundle_folder(target: Path) -> Path:
    """The folder holding ``consultation.yaml``: the root or its one top folder."""
    if (target / "consultation.yaml").is_file():
        return target
    tops = [p for p in target.iterdir() if p.is_dir()]
    if len(tops) == 1 and (tops[0] / "consultation.yaml").is_file():
        return tops[0]
    raise ArchiveRefused(
        _l("The zip file has no consultation.yaml at its root or in one top folder.")
    )
