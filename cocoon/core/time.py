"""Reading and showing instants: stored in UTC, naive input means the local time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from cocoon.messages import Text, Unreadable

_SHORT_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d):")
_SPACE_BEFORE_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")
#: The years an input time may have. Nothing cocoon keeps happened before 1900 or will after
#: 2100; a year 1 or 9999 is a typing or export error, and Python cannot shift it to UTC.
FIRST_YEAR, LAST_YEAR = 1900, 2100


# Why a time cannot be read: the readers put these reasons in their rejections.
EMPTY_TIME = Text("time_empty", "tom tidpunkt", "empty time")
NOT_ISO_TIME = Text(
    "time_not_iso",
    "{text!r} går inte att läsa som en tidpunkt i ISO 8601",
    "cannot read {text!r} as an ISO 8601 time",
)
BEFORE_YEARS = Text("time_before_years", "{text!r} är före år {year}", "{text!r} is before {year}")
AFTER_YEARS = Text("time_after_years", "{text!r} är efter år {year}", "{text!r} is after {year}")


class TimeError(Unreadable):
    """A time that cannot be read; `message` says why in either language, `str()` in English."""


class OutsideYears(TimeError):
    """A time whose year lies outside FIRST_YEAR–LAST_YEAR."""


def check_year(year: int, text: str) -> None:
    """OutsideYears naming `text` when `year` lies outside the years an input may have."""
    if year < FIRST_YEAR:
        raise OutsideYears(BEFORE_YEARS(text=text, year=FIRST_YEAR))
    if year > LAST_YEAR:
        raise OutsideYears(AFTER_YEARS(text=text, year=LAST_YEAR))


def parse_instant(text: str, tz: tzinfo) -> datetime:
    """ISO 8601 text to an aware UTC instant; without an offset it is wall-clock time in `tz`.

    A wall-clock time that occurs twice (autumn DST night) is read as the first one; one that
    does not occur (spring night) is read with the offset in force before the change.
    Raises TimeError (a ValueError) with a short reason, also for a year before 1900 or after
    2100.
    """
    s = text.strip()
    if not s:
        raise TimeError(EMPTY_TIME())
    s = _SHORT_HOUR.sub(r"\1 0\2:", s)  # the police feed writes '3:12:16'
    s = _SPACE_BEFORE_OFFSET.sub(r"\1", s)
    try:
        parsed = datetime.fromisoformat(s)
    except ValueError:
        raise TimeError(NOT_ISO_TIME(text=text)) from None
    check_year(parsed.year, text)
    return to_utc(parsed, tz)


def to_utc(moment: datetime, tz: tzinfo) -> datetime:
    """An aware UTC datetime; a naive one is taken as wall-clock time in `tz`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz, fold=0)
    return moment.astimezone(UTC)


def local(moment: datetime, tz: tzinfo) -> datetime:
    """The instant as wall-clock time in `tz`, for showing to people."""
    return moment.astimezone(tz)


def add_local_days(moment: datetime, days: int, tz: tzinfo) -> datetime:
    """`days` calendar days later at the same wall-clock time in `tz`, as UTC.

    Police count risk periods in days: a burglary at 12:00 is high-risk until 12:00 fourteen
    days later, also when a DST change falls in between.
    """
    wall = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """Start of a calendar day in `tz`, as UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
