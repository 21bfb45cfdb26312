"""Which passwords an account may have: NIST SP 800-63B's rules, and nothing more.

A password needs at least 12 characters, cannot be only spaces, and cannot be one that
attackers try early: common or breached passwords, words and names, repeats ("aaaa…"),
sequences ("1234…"), keyboard rows, dates (zxcvbn's frequency lists and patterns, shipped
with the package: nothing is fetched), nor one built from the account's email or the
site's name. There are no composition rules (a digit, a capital, a symbol): they make
passwords harder to remember, not to guess. A few unrelated words pass easily.

zxcvbn estimates how many guesses a password would take once its known parts are taken
into account; it must be at least 10^10 (zxcvbn's score 4), since a stolen scrypt hash
can be attacked offline without the sign-in throttle. The refusal says why, in the
person's language (both, on the command line).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
#: Long enough for any passphrase; bounds the work of checking one (zxcvbn grows fast).
MAX_LENGTH = 128
#: zxcvbn's scores: 4 is at least 10^10 guesses.
MIN_SCORE = 4
#: The site's own names, the first words anyone would try on it.
SITE_NAMES = ("consult", "consulta")

BLANK = _l("A password cannot be only spaces.")
CONTEXT = _l(
    "This password is built from the email address or the name of the site or of its"
    " consultations, which anyone trying to get in would guess first."
)
COMMON = _l("This password is on the lists of common passwords that attackers try first.")
REPEAT = _l("This password repeats characters or words (like “aaaa” or “abcabc”).")
SEQUENCE = _l("This password is a sequence (like “abcd” or “1234”).")
KEYBOARD = _l("This password follows keys next to each other (like “qwerty”).")
DATE = _l("This password is mostly a date or a year.")
GUESSABLE = _l("This password is made of common words, names or patterns that are quick to guess.")
ADVICE = _l("A few unrelated words, or a longer phrase, make a good password.")

#: zxcvbn keeps the words of the current check in a module-wide dictionary.
_ZXCVBN = threading.Lock()
_WORD_SEPARATORS = re.compile(r"[\W_]+")


def context_words(email: str, names: Iterable[str] = ()) -> list[str]:
    """The words a password must not be built from: the email's parts and the names."""
    email = email.strip().casefold()
    local, _, domain = email.partition("@")
    words = {email, local, domain, *SITE_NAMES}
    for text in (local, domain, *names):
        folded = text.strip().casefold()
        words.add(folded)
        words.update(part for part in _WORD_SEPARATORS.split(folded) if len(part) >= 4)
    return sorted((word for word in words if len(word) >= 3), key=len, reverse=True)


def password_problem(password: str, email: str, names: Iterable[str] = ()):
    """Why ``password`` may not be used (a lazily translated message), or None.

    ``names``: the site's consultations and organisers, which count like its name.
    """
    if not password.strip():
        return BLANK
    if len(password) < MIN_LENGTH:
        return _l("A password needs at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("A password can have at most %(count)d characters.", count=MAX_LENGTH)
    words = context_words(email, names)
    weakness = _weakness(password, words)
    if weakness is None:
        rest = _without(password, words)
        if rest != password.casefold() and _weakness(rest, []) is not None:
            return CONTEXT  # strong only thanks to the email or the site's name
    return weakness


def _without(password: str, words: list[str]) -> str:
    """The password with every context word taken out (longest first)."""
    pattern = "|".join(re.escape(word) for word in words)
    return re.sub(pattern, "", password.casefold()) if pattern else password


def _weakness(password: str, words: list[str]):
    """Why zxcvbn finds ``password`` quick to guess, or None if it does not."""
    from zxcvbn import zxcvbn  # its lists take a moment to load: only when needed

    if not password:
        return GUESSABLE
    with _ZXCVBN:
        result = zxcvbn(password, user_inputs=words, max_length=MAX_LENGTH)
    if result["score"] >= MIN_SCORE:
        return None
    return _reason(result["sequence"])


def _reason(sequence: list[dict]):
    """The clearest reason among the parts zxcvbn found, the most telling first."""
    found = {(m["pattern"], m.get("dictionary_name")) for m in sequence}
    for part, reason in (
        (("dictionary", "user_inputs"), CONTEXT),
        (("dictionary", "passwords"), COMMON),
        (("repeat", None), REPEAT),
        (("sequence", None), SEQUENCE),
        (("spatial", None), KEYBOARD),
        (("date", None), DATE),
        (("regex", None), DATE),  # recent years
    ):
        if part in found:
            return reason
    return GUESSABLE


def in_both_languages(*messages) -> str:
    """Lazily translated messages in every language of the site, for the command line."""
    texts = []
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            texts.append(" ".join(str(message) for message in messages))
    return " / ".join(dict.fromkeys(texts))
