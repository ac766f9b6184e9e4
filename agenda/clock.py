"""Time. Everything is timezone-aware; tests control the clock through :class:`Clock`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


class Clock:
    """The source of 'now'. Services take a clock so tests can move time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)


class FixedClock(Clock):
    """A clock that stands still until moved. Used by tests, the demo and benchmarks."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> dt.datetime:
        return self._at

    def set(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def advance(self, delta: dt.timedelta) -> None:
        self._at = self._at + delta


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """Normalise an aware datetime to UTC. SQLite hands back naive UTC values; accept those."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


DEFAULT_TIMEZONE = "Europe/London"


def zone(name: str | None) -> ZoneInfo:
    """The time zone called ``name`` (IANA); an organisation that names none is in London."""
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return as_utc(value).astimezone(tz)
