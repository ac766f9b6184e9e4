"""Working days across the UK's four holiday calendars and an organisation's closures."""

from __future__ import annotations

import datetime as dt

import pytest

from agenda.deadlines.workdays import WorkCalendar
from agenda.errors import InvalidInput

D = dt.date

# Publication deadlines worked out by hand in research/stack.md §4 (5 clear days; Wales 3).
PUBLISH_BY = [
    (
        D(2026, 3, 12),
        {"ENG": D(2026, 3, 4), "SCT": D(2026, 3, 4), "NIR": D(2026, 3, 4), "WLS": D(2026, 3, 6)},
    ),
    (
        D(2026, 4, 9),
        {"ENG": D(2026, 3, 30), "SCT": D(2026, 3, 31), "NIR": D(2026, 3, 30), "WLS": D(2026, 4, 1)},
    ),
    (
        D(2026, 1, 6),
        {
            "ENG": D(2025, 12, 24),
            "SCT": D(2025, 12, 23),
            "NIR": D(2025, 12, 24),
            "WLS": D(2025, 12, 30),
        },
    ),
    (
        D(2026, 7, 16),
        {"ENG": D(2026, 7, 8), "SCT": D(2026, 7, 8), "NIR": D(2026, 7, 7), "WLS": D(2026, 7, 10)},
    ),
]


@pytest.mark.parametrize(("meeting", "expected"), PUBLISH_BY)
@pytest.mark.parametrize("subdivision", ["ENG", "SCT", "NIR", "WLS"])
def test_publication_deadline_follows_each_nations_holidays(meeting, expected, subdivision):
    cal = WorkCalendar(subdivision=subdivision)
    clear = 3 if subdivision == "WLS" else 5
    assert cal.clear_days_before(meeting, clear) == expected[subdivision]


def test_scotland_works_on_easter_monday_but_england_does_not():
    easter_monday = D(2026, 4, 6)
    assert not WorkCalendar(subdivision="ENG").is_working_day(easter_monday)
    assert WorkCalendar(subdivision="SCT").is_working_day(easter_monday)
    assert "Easter Monday" in WorkCalendar(subdivision="ENG").why_not_working(easter_monday)


def test_closure_days_push_the_christmas_deadline_earlier():
    closures = frozenset({D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31)})
    plain = WorkCalendar(subdivision="ENG")
    closed = WorkCalendar(subdivision="ENG", closures=closures)
    assert plain.clear_days_before(D(2026, 1, 6), 5) == D(2025, 12, 24)
    assert closed.clear_days_before(D(2026, 1, 6), 5) == D(2025, 12, 19)
    assert closed.why_not_working(D(2025, 12, 30)) == "a day the offices are closed"


def test_weekends_are_never_working_days():
    cal = WorkCalendar()
    assert cal.why_not_working(D(2027, 3, 6)) == "a Saturday"
    assert cal.why_not_working(D(2027, 3, 7)) == "a Sunday"
    assert cal.subtract_working_days(D(2027, 3, 8), 1) == D(2027, 3, 5)
    assert cal.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)


def test_report_deadline_example_from_the_research():
    assert WorkCalendar().subtract_working_days(D(2026, 3, 4), 5) == D(2026, 2, 25)


def test_unknown_subdivision_is_refused_with_the_choices():
    with pytest.raises(InvalidInput, match="ENG, WLS, SCT, NIR"):
        WorkCalendar(subdivision="XYZ")
