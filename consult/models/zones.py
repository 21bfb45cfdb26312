"""Time zones: times are stored as naive UTC, and people read them in a named zone.

Each consultation names its zone (``Consultation.time_zone``, an IANA name such as
``America/Santiago``): its pages, downloads and reports show every date and time in it,
and count days in it. Pages tied to no consultation (the audit trail, the users) use
the site's zone, ``BABEL_DEFAULT_TIMEZONE``. A time shown to a person always says which
zone it is in, so nobody has to guess whether a closing time is theirs or Greenwich's.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import format_date, format_time
from flask_babel import gettext as _

#: The zone of a consultation that names none (the ENIA's, Peru's).
DEFAULT_TIME_ZONE = "America/Lima"
#: What a zone's name may hold (IANA names do): it is safe to write into SQL.
_NAME = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")
#: Offsets are looked up from here on: the tz database is reliable since the Unix epoch.
_FIRST_CHANGE = datetime(1970, 1, 1)


def zone_info(name: str) -> ZoneInfo:
    """The zone of an IANA name; ValueError if there is no such zone."""
    try:
        if isinstance(name, str) and _NAME.fullmatch(name) and len(name) <= 64:
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{name!r} is not a time zone (an IANA name, e.g. America/Lima)") from exc
    raise ValueError(f"{name!r} is not a time zone (an IANA name, e.g. America/Lima)")


def in_zone(value: datetime, name: str) -> datetime:
    """A stored time (naive UTC; an aware one is taken as it is) as an aware time in ``name``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone_info(name))


def day_start(day: date, name: str) -> datetime:
    """Midnight at the start of ``day`` in the zone ``name``, as stored (naive UTC).

    Where that instant falls outside the calendar (0001-01-01 east of Greenwich), the
    calendar's end stands in, so a filter on such a day narrows nothing instead of failing.
    """
    try:
        local = datetime.combine(day, time(), tzinfo=zone_info(name))
        return local.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return datetime.min if day.year == 1 else datetime.max


def zone_label(name: str) -> str:
    """How a time names its zone: "hora de America/Lima", "America/Lima time".

    The IANA name, not a country's: it is exact, the same in every language, and it is
    what the consultation's bundle says.
    """
    return _("%(zone)s time", zone=name)


def moment_text(value: datetime, name: str) -> str:
    """A stored time as a person reads it: "26 de enero de 2027, 23:59 (hora de America/Lima)"."""
    local = in_zone(value, name)
    day = format_date(local, "long", rebase=False)
    return f"{day}, {format_time(local, 'HH:mm', rebase=False)} ({zone_label(name)})"


def offset_changes(name: str) -> tuple[tuple[datetime, int], ...]:
    """Each offset from UTC (seconds) the zone has had since 1970, with the stored time
    (naive UTC) it took effect, newest first; the oldest is given from ``datetime.min``.

    Known until two years from now, which is as far as anything stored can reach; SQL
    without a time-zone database (SQLite) shifts times by these (``reports.filters``).
    """
    return _offset_changes(name, datetime.now(UTC).year + 2)


@lru_cache(maxsize=64)
def _offset_changes(name: str, until_year: int) -> tuple[tuple[datetime, int], ...]:
    zone = zone_info(name)

    def offset(moment: datetime) -> int:
        return int(moment.replace(tzinfo=UTC).astimezone(zone).utcoffset().total_seconds())

    changes = [(datetime.min, offset(_FIRST_CHANGE))]
    day, end = _FIRST_CHANGE, datetime(until_year + 1, 1, 1)
    # A zone changes its offset at most once a day: step by days, then find the second.
    while day < end:
        following = day + timedelta(days=1)
        if offset(following) != changes[-1][1]:
            before, after = 0, 86_400
            while after - before > 1:
                middle = (before + after) // 2
                if offset(day + timedelta(seconds=middle)) == changes[-1][1]:
                    before = middle
                else:
                    after = middle
            changed = day + timedelta(seconds=after)
            changes.append((changed, offset(changed)))
        day = following
    return tuple(reversed(changes))
