"""Text as the analyses compare it: case, accents, spacing and punctuation set aside.

Two comments that differ only in "Inteligencia Artificial" against "inteligencia
artificial," are the same text to a reader, so they must be the same text to the copy
finder and the theme finder too. Both normalise here, once, the same way.
"""

from __future__ import annotations

import re
import unicodedata

#: A run of letters or digits (after accents are stripped); everything else separates words.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Unicode's blocks of combining marks (accents, tildes, diaereses and their kin).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def strip_accents(text: str) -> str:
    """Drop combining marks: "información" → "informacion", "ñ" → "n"."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """The words of a text, case-folded and without accents or punctuation."""
    return _WORD.findall(strip_accents(text.casefold()))


def normalise(text: str) -> str:
    """The text as one line of its words separated by single spaces (see ``words``)."""
    return " ".join(words(text))
