"""Is an uploaded file a PDF we may keep? Pure checks on bytes: no Flask, no database.

Uploaded files come from anyone, so the order is cheapest and safest first: the size,
the signature (``%PDF-``), then pypdf opens it within limits much tighter than its own
defaults (a small file whose streams inflate to gigabytes, a page tree of millions, is
refused, never expanded), refuses encryption, and walks the object graph for scripts
(``/JS``, ``/JavaScript`` actions and name trees, wherever ``/OpenAction`` or ``/AA``
hide them). Only then is the text taken out, from a bounded number of pages, up to a
bounded length, within a time budget: a paper too long to extract whole is still kept.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
from dataclasses import dataclass
from enum import StrEnum

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

#: What a PDF starts with (ISO 32000: the header on the first line).
SIGNATURE = b"%PDF-"
#: The most any one stream may inflate to (pypdf's default is 75 MB). A text-heavy page's
#: content stream is tens of KB; a scanned page's image a few MB.
MAX_STREAM_BYTES = 16 * 1024 * 1024
#: Text is taken from at most this many pages …
MAX_TEXT_PAGES = 300
#: … up to this many characters (what search and the insight features need) …
MAX_TEXT_CHARS = 200_000
#: … within this many seconds; the rest of the text is left out, the paper kept.
TEXT_SECONDS = 5.0
#: Objects (dictionaries, arrays, references) visited looking for scripts; a PDF with
#: more is refused as too complex to check.
MAX_OBJECTS = 200_000
#: Every compressed stream is inflated once while checking (a bomb is found here, not in
#: a coordinator's PDF viewer); all of them together may not pass this many bytes.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
#: Filters that expand data; image codecs (DCT, JPX, JBIG2, CCITT) are left encoded.
_INFLATING = frozenset(
    {"/FlateDecode", "/Fl", "/LZWDecode", "/LZW", "/RunLengthDecode", "/RL", "/BrotliDecode"}
)
#: pypdf's limits while checking: far below its defaults, above any honest paper.
LIMITS = {
    "maximum_declared_stream_length": MAX_STREAM_BYTES,
    "array_based_stream_maximum_output_length": MAX_STREAM_BYTES,
    "zlib_maximum_output_length": MAX_STREAM_BYTES,
    "zlib_maximum_recovery_input_length": 1_000_000,
    "lzw_maximum_output_length": MAX_STREAM_BYTES,
    "run_length_maximum_output_length": MAX_STREAM_BYTES,
    "jbig2_maximum_output_length": MAX_STREAM_BYTES,
    "brotli_maximum_output_length": MAX_STREAM_BYTES,
    "image_maximum_buffer_size": MAX_STREAM_BYTES,
    "stream_decoding_work_maximum_length": 4 * MAX_STREAM_BYTES,
    "page_tree_maximum_entries": 20_000,
    "page_tree_maximum_page_entries": 100_000,
    "jbig2dec_binary": None,
}
#: Keys that carry JavaScript wherever they appear (an action, a names tree).
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript"})
#: Control characters a database text column refuses (NUL) or that mean nothing as text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refusal(StrEnum):
    """Why a file is not kept; each has its message where the person sees it."""

    TOO_LARGE = "too_large"
    NOT_PDF = "not_pdf"
    ENCRYPTED = "encrypted"
    SCRIPTS = "scripts"
    TOO_COMPLEX = "too_complex"
    UNREADABLE = "unreadable"
    #: Not a check of the file: the response holds as many papers as it may.
    TOO_MANY = "too_many"


class PaperRefused(Exception):
    """The file is refused for ``reason``; nothing was stored."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class CheckedPdf:
    """What the checks learnt of an accepted file."""

    size: int
    #: SHA-256 of the bytes, hex.
    sha256: str
    pages: int
    #: The text pypdf took out (bounded; "" for a scan without text).
    text: str


def check_pdf(data: bytes, *, max_bytes: int) -> CheckedPdf:
    """Check ``data`` as an uploaded position paper; raise ``PaperRefused`` if it is not one."""
    if len(data) > max_bytes:
        raise PaperRefused(Refusal.TOO_LARGE)
    if not data.startswith(SIGNATURE):
        raise PaperRefused(Refusal.NOT_PDF)
    # pypdf logs every oddity of a damaged file as a warning: our refusal says enough.
    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR
    try:
        with apply_configuration(**LIMITS):
            pages, text = _read(data)
    except PaperRefused:
        raise
    except (LimitReachedError, RecursionError, MemoryError) as error:
        raise PaperRefused(Refusal.TOO_COMPLEX) from error
    except Exception as error:  # pypdf raises many kinds on a malformed file
        raise PaperRefused(Refusal.UNREADABLE) from error
    finally:
        quiet.level = level
    return CheckedPdf(len(data), hashlib.sha256(data).hexdigest(), pages, text)


def _read(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise PaperRefused(Refusal.ENCRYPTED)
    if scan(reader.trailer):
        raise PaperRefused(Refusal.SCRIPTS)
    pages = len(reader.pages)
    if pages == 0:
        raise PaperRefused(Refusal.UNREADABLE)
    return pages, extract_text(reader)


def scan(root: DictionaryObject) -> bool:
    """Whether any object reachable from ``root`` carries JavaScript.

    On the way every stream that expands (Flate, LZW, run length) is inflated within
    pypdf's limits and ``MAX_INFLATED_BYTES`` in all: a decompression bomb, anywhere in
    the file, raises ``PaperRefused(TOO_COMPLEX)``, as do more than ``MAX_OBJECTS``.
    """
    seen: set[tuple[int, int]] = set()
    pending: list[object] = [root]
    visited = inflated = 0
    while pending:
        item = pending.pop()
        visited += 1
        if visited > MAX_OBJECTS:
            raise PaperRefused(Refusal.TOO_COMPLEX)
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in _SCRIPT_KEYS:
                    return True
                if key == "/S" and value == NameObject("/JavaScript"):
                    return True
                if key != "/Parent":  # the page tree upwards: already on the way
                    pending.append(value)
            if isinstance(item, StreamObject) and _inflates(item):
                inflated += len(item.get_data())
                if inflated > MAX_INFLATED_BYTES:
                    raise PaperRefused(Refusal.TOO_COMPLEX)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _inflates(stream: StreamObject) -> bool:
    filters = stream.get("/Filter")
    if isinstance(filters, IndirectObject):
        filters = filters.get_object()
    names = filters if isinstance(filters, ArrayObject) else [filters]
    return any(str(name) in _INFLATING for name in names if name is not None)


def extract_text(reader: PdfReader) -> str:
    """The text of the first pages, bounded in pages, characters and time."""
    parts: list[str] = []
    length = 0
    deadline = time.monotonic() + TEXT_SECONDS
    for number, page in enumerate(reader.pages):
        if number >= MAX_TEXT_PAGES or length >= MAX_TEXT_CHARS or time.monotonic() > deadline:
            break
        try:
            text = page.extract_text() or ""
        except LimitReachedError:
            raise
        except Exception:  # one page pypdf cannot read: its text is left out
            continue
        text = _CONTROL.sub(" ", text).strip()
        if text:
            parts.append(text)
            length += len(text) + 2
    return "\n\n".join(parts)[:MAX_TEXT_CHARS]
