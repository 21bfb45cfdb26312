"""What a person is told when a file is refused: what is wrong and what to do."""

from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from .checking import Refusal


def refusal_message(reason: Refusal, *, max_bytes: int, max_files: int) -> str:
    """The refusal's message in the request's language."""
    if reason is Refusal.TOO_LARGE:
        return _(
            "This file is larger than %(mb)s MB. Please make it smaller (for example, save"
            " it with images at a lower quality) and upload it again.",
            mb=megabytes(max_bytes),
        )
    if reason is Refusal.NOT_PDF:
        return _("This file is not a PDF. Please save your document as PDF and upload that file.")
    if reason is Refusal.ENCRYPTED:
        return _(
            "This PDF is protected by a password. Please save a copy without a password"
            " and upload that copy."
        )
    if reason is Refusal.SCRIPTS:
        return _(
            "This PDF contains scripts, which are not accepted. Please save a copy without"
            " them (for example, with “Print to PDF”) and upload that copy."
        )
    if reason is Refusal.TOO_COMPLEX:
        return _(
            "This PDF holds more compressed data than can be checked safely. Please save a"
            " simpler copy (for example, with “Print to PDF”) and upload that copy."
        )
    if reason is Refusal.TOO_MANY:
        return ngettext(
            "A response may have at most %(num)d position paper. Remove it to attach another one.",
            "A response may have at most %(num)d position papers. Remove one to attach"
            " another one.",
            max_files,
        )
    return _(
        "This PDF could not be read. It may be damaged: please save it again as PDF and"
        " upload the new copy."
    )


def megabytes(size: int) -> str:
    """A size limit in MB as people write it in their language: 5, or 2,5."""
    return format_decimal(size / (1024 * 1024), format="#,##0.#")
