"""WTForms' own messages ("Not a valid choice" …) in the request's language, read once.

Flask-WTF looks for them on ``request.wtforms_translations`` and, when that is missing,
parses WTForms' catalog from disk again on every request that builds a form: about a
tenth of the time of starting a response. The app's request class carries a lazy stand-in
instead, which picks the catalog for the current language when a message is needed and
keeps one per language for the life of the process.
"""

from __future__ import annotations

from functools import lru_cache

from babel import support
from flask import Request as FlaskRequest
from flask_babel import get_locale
from wtforms.i18n import messages_path

from .body_limits import BodyLimit
from .request_body import GuardedBody


@lru_cache(maxsize=8)
def _catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _current() -> support.Translations:
    return _catalog(str(get_locale()))


class FormMessages:
    """What Flask-WTF expects of a translations object, for the current language."""

    def ugettext(self, string: str) -> str:
        return _current().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _current().ungettext(singular, plural, n)


class Request(BodyLimit, GuardedBody, FlaskRequest):
    """Flask's request, with WTForms' messages found without a per-request load.

    It also reads forms through ``request_body.GuardedStream``: a body the server cannot
    read (broken chunks) is a 400, not a 500; and bounds a body by its path
    (``body_limits.BodyLimit``: larger only where a route takes a file).
    """

    wtforms_translations = FormMessages()
