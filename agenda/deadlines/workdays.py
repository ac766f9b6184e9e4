"""Working days: weekdays that are neither public holidays nor the organisation's closure days.

Public holidays come from the ``holidays`` package (GB subdivisions ENG, WLS, SCT, NIR), which
differ from one another (Scotland has 2 January and St Andrew's Day but no Easter Monday;
Northern Ireland has St Patrick's Day and the Boyne). Closure days are whatever the organisation
lists (e.g. the days between Christmas and New Year). Saturdays and Sundays never count: the
"weekends and bank holidays excluded" reading of "clear days" is the cautious one (research §4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import holidays

from agenda.errors import InvalidInput

SUBDIVISIONS = ("ENG", "WLS", "SCT", "NIR")
ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=512)
def _holidays(country: str, subdivision: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, years=year)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days an organisation's offices work. Hashable, so callers may cache on it."""

    country: str = "GB"
    subdivision: str | None = "ENG"
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.country == "GB" and self.subdivision not in (None, *SUBDIVISIONS):
            raise InvalidInput(
                f"'{self.subdivision}' is not a part of the UK the holiday calendar knows.",
                hint="use one of ENG, WLS, SCT, NIR",
            )

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday on ``day`` (e.g. "Easter Monday"), or None."""
        return _holidays(self.country, self.subdivision, day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return _is_working_day(self, day)

    def why_not_working(self, day: dt.date) -> str | None:
        """A reason a person would understand ("a Saturday", "Good Friday"), or None."""
        if day.weekday() == 5:
            return "a Saturday"
        if day.weekday() == 6:
            return "a Sunday"
        name = self.holiday_name(day)
        if name:
            return f"a public holiday ({name})"
        if day in self.closures:
            return "a day the offices are closed"
        return None

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def subtract_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly before ``day`` (``n`` ≥ 0; 0 gives ``day``)."""
        while n > 0:
            day -= ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after ``day`` (``n`` ≥ 0; 0 gives ``day``)."""
        while n > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def clear_days_before(self, meeting: dt.date, n: int) -> dt.date:
        """The latest working day on which something may be published so that ``n`` whole
        working days lie between it and the meeting. Neither the day of publication nor the day
        of the meeting is a clear day (R v Swansea CC ex p Elitestone)."""
        last_clear = self.subtract_working_days(meeting, n)
        return self.previous_working_day(last_clear - ONE_DAY)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days strictly between ``start`` and ``end``."""
        count, day = 0, start + ONE_DAY
        while day < end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count


@lru_cache(maxsize=65536)
def _is_working_day(calendar: WorkCalendar, day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    return day not in calendar.closures and calendar.holiday_name(day) is None


def _closure_dates(values: Iterable[Any]) -> frozenset[dt.date]:
    days = set()
    for value in values or ():
        if isinstance(value, dt.date):
            days.add(value)
        else:
            try:
                days.add(dt.date.fromisoformat(str(value)))
            except ValueError:
                raise InvalidInput(
                    f"Closure day '{value}' is not a date.", hint="write it as YYYY-MM-DD"
                ) from None
    return frozenset(days)


@lru_cache(maxsize=256)
def _calendar(country: str, subdivision: str | None, closures: tuple[str, ...]) -> WorkCalendar:
    return WorkCalendar(
        country=country or "GB", subdivision=subdivision, closures=_closure_dates(closures)
    )


def calendar_for(organisation: Any) -> WorkCalendar:
    """The working-day calendar of an :class:`agenda.board.models.Organisation`."""
    closures = tuple(sorted(str(v) for v in (organisation.closure_days or ())))
    return _calendar(
        organisation.holiday_country or "GB", organisation.holiday_subdivision, closures
    )
