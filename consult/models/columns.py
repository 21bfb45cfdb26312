"""Column helpers shared by the model families."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import get_locale


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every timestamp is stored in."""
    return datetime.now(UTC).replace(tzinfo=None)


def vocab(enum_cls: type, name: str) -> sa.Enum:
    """Store a vocabulary as its short codes in a VARCHAR, guarded by a named CHECK."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


def current_language() -> str:
    """The two-letter language of the request, Spanish outside one."""
    locale = get_locale()
    return locale.language if locale is not None else "es"


class Bilingual:
    """Mixin: ``obj.t("title")`` reads ``title_en`` or ``title_es`` by the request's language.

    A language without its own column (or with it empty) reads the Spanish text.
    """

    def t(self, field: str) -> str:
        language = current_language()
        if language != "es":
            value = getattr(self, f"{field}_{language}", None)
            if value:
                return value
        return getattr(self, f"{field}_es")
