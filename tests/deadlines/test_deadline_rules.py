"""Deadline rules as clerks write them, and the deadlines of a meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from agenda.board.due import item_due_at, meeting_deadlines, validate_deadlines, validate_rule
from agenda.deadlines.rules import apply_rule, parse_rule
from agenda.deadlines.workdays import WorkCalendar
from agenda.errors import InvalidInput
from tests.support import factories as f

D = dt.date
SUBDIVISIONS = st.sampled_from(["ENG", "WLS", "SCT", "NIR"])
DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2032, 12, 31))
CLOSURES = st.frozensets(st.dates(min_value=D(2024, 1, 1), max_value=D(2032, 12, 31)), max_size=20)


@pytest.mark.parametrize(
    "text",
    [
        "10 working days before",
        "5 clear days before",
        "on due",
        "1 working day after due",
        "3 days before",
        "2 working days before due",
        "on publication",
        "Five working days before the meeting",
        "1 working-day after the deadline",
    ],
)
def test_the_forms_clerks_write_are_accepted(text):
    validate_rule(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("soon", "does not say how many days"),
        ("5 clear days after", "clear days only count back"),
        ("0 days before", "use 'on"),
        ("3 weeks before", "does not say"),
        ("2 working days before lunch", "'lunch' is not something"),
        ("", "empty"),
        ("400 days before", "more than a year"),
    ],
)
def test_an_unreadable_rule_says_why_and_lists_the_accepted_forms(text, why):
    with pytest.raises(InvalidInput) as err:
        validate_rule(text)
    assert why in str(err.value)
    assert '"N working days before"' in str(err.value) and '"on due"' in str(err.value)


def test_publication_cannot_be_counted_from_the_papers_deadline():
    with pytest.raises(InvalidInput, match="only be relative to meeting"):
        validate_rule("2 working days after due", key="publication")
    with pytest.raises(InvalidInput, match="not a deadline setting"):
        validate_deadlines({"papers_due": "10 working days before", "agenda_due": "on due"})
    with pytest.raises(InvalidInput, match="Cannot read"):
        validate_deadlines({"remind_authors": ["on due", "whenever"]})
    validate_deadlines({"remind_chair": "on publication", "escalate": ["3 working days after due"]})


@settings(max_examples=300, deadline=None)
@given(day=DAYS, n=st.integers(1, 30), sub=SUBDIVISIONS, closures=CLOSURES)
def test_working_days_before_is_a_working_day_strictly_before(day, n, sub, closures):
    cal = WorkCalendar(subdivision=sub, closures=closures)
    result = apply_rule(parse_rule(f"{n} working days before"), day, cal)
    assert result < day
    assert cal.is_working_day(result)
    assert cal.working_days_between(result, day) == n - 1


@settings(max_examples=200, deadline=None)
@given(day=DAYS, n=st.integers(1, 20), sub=SUBDIVISIONS, closures=CLOSURES)
def test_more_days_before_never_gives_a_later_date(day, n, sub, closures):
    cal = WorkCalendar(subdivision=sub, closures=closures)
    for unit in ("working days", "clear days", "days"):
        sooner = apply_rule(parse_rule(f"{n} {unit} before"), day, cal)
        earlier = apply_rule(parse_rule(f"{n + 1} {unit} before"), day, cal)
        assert earlier <= sooner
        assert cal.is_working_day(sooner) and cal.is_working_day(earlier)


@settings(max_examples=300, deadline=None)
@given(day=DAYS, n=st.integers(1, 10), sub=SUBDIVISIONS, closures=CLOSURES)
def test_clear_days_leave_n_whole_working_days_between_publication_and_meeting(
    day, n, sub, closures
):
    cal = WorkCalendar(subdivision=sub, closures=closures)
    published = apply_rule(parse_rule(f"{n} clear days before"), day, cal)
    assert published < day
    assert cal.is_working_day(published)
    assert cal.working_days_between(published, day) >= n
    # ...and it is the latest such day: the next working day would leave too few.
    later = cal.add_working_days(published, 1)
    assert later >= day or cal.working_days_between(later, day) < n


@settings(max_examples=200, deadline=None)
@given(day=DAYS, n=st.integers(1, 30), sub=SUBDIVISIONS, closures=CLOSURES)
def test_after_rules_land_on_a_working_day_strictly_after(day, n, sub, closures):
    cal = WorkCalendar(subdivision=sub, closures=closures)
    for unit in ("working days", "days"):
        result = apply_rule(parse_rule(f"{n} {unit} after due"), day, cal)
        assert result > day and cal.is_working_day(result)


# --- the deadlines of a meeting --------------------------------------------------------


def test_meeting_deadlines_use_the_default_rules(sqlite_engine):
    with Session(sqlite_engine) as s:
        org = f.organisation(s)
        b = f.body(s, org)
        m = f.meeting(s, b, D(2027, 4, 1))  # Thursday after Easter 2027
        dl = meeting_deadlines(m)
        # Clear days 31, 30, 25, 24, 23 March (Good Friday 26 and Easter Monday 29 don't count).
        assert dl.publication == D(2027, 3, 22)
        # Ten working days back: 31, 30, 25, 24, 23, 22, 19, 18, 17, 16 March; 17:00 GMT.
        assert dl.papers_due == dt.datetime(2027, 3, 16, 17, 0, tzinfo=dt.UTC)
        assert dl.warnings == ()


def test_papers_are_due_at_five_pm_local_time_in_summer(sqlite_engine):
    with Session(sqlite_engine) as s:
        b = f.body(
            s, f.organisation(s), deadlines={"papers_due": "3 working days before publication"}
        )
        m = f.meeting(s, b, D(2027, 7, 15))
        dl = meeting_deadlines(m)
        assert dl.publication == D(2027, 7, 7)
        assert dl.papers_due == dt.datetime(2027, 7, 2, 16, 0, tzinfo=dt.UTC)  # 17:00 BST


def test_a_meeting_on_a_bank_holiday_is_flagged(sqlite_engine):
    with Session(sqlite_engine) as s:
        b = f.body(s, f.organisation(s))
        m = f.meeting(s, b, D(2027, 5, 3))  # Early May bank holiday
        dl = meeting_deadlines(m)
        assert any("public holiday (May Day)" in w for w in dl.warnings)


def test_papers_due_after_publication_is_flagged(sqlite_engine):
    with Session(sqlite_engine) as s:
        b = f.body(s, f.organisation(s), deadlines={"papers_due": "1 working day before"})
        dl = meeting_deadlines(f.meeting(s, b, D(2027, 4, 1)))
        assert any("after the pack must be published" in w for w in dl.warnings)


def test_an_extension_overrides_the_meetings_deadline(sqlite_engine):
    with Session(sqlite_engine) as s:
        b = f.body(s, f.organisation(s))
        m = f.meeting(s, b, D(2027, 4, 1))
        it = f.item(s, m)
        assert item_due_at(it) == meeting_deadlines(m).papers_due
        it.due_override = dt.datetime(2027, 3, 22, 12, 0, tzinfo=dt.UTC)
        assert item_due_at(it) == dt.datetime(2027, 3, 22, 12, 0, tzinfo=dt.UTC)
        unplanned = f.item(s, None, body_=b, title="Someday")
        assert item_due_at(unplanned) is None
