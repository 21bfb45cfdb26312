"""Reading an export back: its files, its CSVs as records, frictionless' verdict."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import frictionless


def read_zip(data: bytes) -> dict[str, bytes]:
    """The zip's files by name, without the folder they sit in."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename.split("/", 1)[1]: archive.read(info) for info in archive.infolist()}


def records(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8"), newline="")))


def errors(descriptor: Path) -> list[list]:
    """frictionless' errors for a package (empty when valid)."""
    report = frictionless.validate(str(descriptor))
    return report.flatten(["type", "note", "resourceName", "rowNumber", "fieldName"])
