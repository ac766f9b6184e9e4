"""Reminder planning: who is reminded, when, and how the plan follows changes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.reminders.planning import replan_item, replan_meeting
from agenda.reminders.tables import Reminder
from tests.support import factories as f

D = dt.date
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)  # Monday 1 March 2027
MEETING = D(2027, 4, 1)  # due Tue 16 Mar, publish Mon 22 Mar


def _rows(s: Session, **where) -> list[Reminder]:
    q = select(Reminder).order_by(Reminder.due_at, Reminder.kind, Reminder.recipient)
    for k, v in where.items():
        q = q.where(getattr(Reminder, k) == v)
    return list(s.scalars(q))


def _timeline(s: Session, status: str = "pending") -> list[tuple[str, str, str]]:
    return [
        (r.kind, r.recipient, r.due_at.astimezone(f.LONDON).strftime("%a %d %b %H:%M"))
        for r in _rows(s, status=status)
    ]


def _board(s: Session, **body_kw):
    org = f.organisation(s)
    b = f.body(s, org, lead_officer=("Director of Public Health", "U0LEAD001"), **body_kw)
    m = f.meeting(s, b, MEETING)
    return b, m


def test_authors_chair_and_clerk_get_reminders_at_half_past_nine_on_working_days(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        f.item(s, m, authors=("U0AUTH001", "U0AUTH002"))
        f.item(s, m, title="Verbal update", kind="verbal")
        replan_meeting(s, m, now=NOW)
        assert _timeline(s) == [
            ("author_before", "U0AUTH001", "Tue 09 Mar 09:30"),  # 5 working days before due
            ("author_before", "U0AUTH002", "Tue 09 Mar 09:30"),
            ("chair_digest", "U0CHAIR01", "Fri 12 Mar 09:30"),  # 2 working days before due
            ("author_before", "U0AUTH001", "Mon 15 Mar 09:30"),
            ("author_before", "U0AUTH002", "Mon 15 Mar 09:30"),
            ("author_due", "U0AUTH001", "Tue 16 Mar 09:30"),
            ("author_due", "U0AUTH002", "Tue 16 Mar 09:30"),
            ("author_chaser", "U0AUTH001", "Wed 17 Mar 09:30"),
            ("author_chaser", "U0AUTH002", "Wed 17 Mar 09:30"),
            ("escalation", "U0CLERK01", "Thu 18 Mar 09:30"),  # clerk and lead officer
            ("escalation", "U0LEAD001", "Thu 18 Mar 09:30"),
            ("chair_digest", "U0CHAIR01", "Mon 22 Mar 09:30"),  # publication day
            ("clerk_publication", "U0CLERK01", "Mon 22 Mar 09:30"),
        ]


def test_replanning_twice_changes_nothing(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        f.item(s, m)
        first = replan_meeting(s, m, now=NOW)
        again = replan_meeting(s, m, now=NOW + dt.timedelta(days=2))
        assert first.added == 9 and (again.added, again.updated, again.cancelled) == (0, 0, 0)


def test_an_author_who_has_submitted_is_not_chased(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        it = f.item(s, m)
        replan_meeting(s, m, now=NOW)
        f.paper(s, it, at=NOW)
        result = replan_item(s, it, now=NOW)
        assert result.cancelled == 6
        assert [r.kind for r in _rows(s, item_id=it.id, status="pending")] == []
        assert {r.note for r in _rows(s, item_id=it.id)} == {"paper received"}
        assert {r.kind for r in _rows(s, status="pending")} == {"chair_digest", "clerk_publication"}


def test_moving_a_meeting_replans_to_the_new_dates(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        f.item(s, m)
        replan_meeting(s, m, now=NOW)
        m.date = D(2027, 4, 15)
        result = replan_meeting(s, m, now=NOW)
        assert result.cancelled == 9 and result.added == 9
        due = [r for r in _rows(s, status="pending") if r.kind == "author_due"]
        assert [r.due_at.date() for r in due] == [D(2027, 4, 1)]  # 10 working days before 15 Apr


def test_cancelling_a_meeting_cancels_its_reminders(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        f.item(s, m)
        replan_meeting(s, m, now=NOW)
        m.status = "cancelled"
        replan_meeting(s, m, now=NOW)
        assert _rows(s, status="pending") == []
        assert {r.note for r in _rows(s)} == {"meeting cancelled"}


def test_withdrawing_or_deferring_an_item_stops_its_chasers(sqlite_engine):
    with Session(sqlite_engine) as s:
        b, m = _board(s)
        withdrawn = f.item(s, m, title="A")
        deferred = f.item(s, m, title="B")
        replan_meeting(s, m, now=NOW)
        withdrawn.status = "withdrawn"
        replan_item(s, withdrawn, now=NOW)
        later = f.meeting(s, b, D(2027, 6, 10))
        deferred.meeting = later
        replan_item(s, deferred, now=NOW)
        assert {r.note for r in _rows(s, item_id=withdrawn.id)} == {"item withdrawn"}
        pending = _rows(s, item_id=deferred.id, status="pending")
        assert pending and all(r.meeting_id == later.id for r in pending)
        assert all(r.due_at.date() > D(2027, 5, 1) for r in pending)


def test_an_extension_moves_the_author_reminders(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        it = f.item(s, m)
        replan_meeting(s, m, now=NOW)
        it.due_override = dt.datetime(2027, 3, 19, 17, 0, tzinfo=dt.UTC)  # Friday 19 March
        replan_item(s, it, now=NOW)
        kinds = [(r.kind, r.due_at.date()) for r in _rows(s, item_id=it.id, status="pending")]
        assert ("author_due", D(2027, 3, 19)) in kinds
        assert ("author_chaser", D(2027, 3, 22)) in kinds
        assert ("author_due", D(2027, 3, 16)) not in kinds


def test_paused_chasing_leaves_the_chair_digest(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        it = f.item(s, m)
        replan_meeting(s, m, now=NOW)
        it.chasing_paused = True
        replan_item(s, it, now=NOW)
        assert _rows(s, item_id=it.id, status="pending") == []
        it.chasing_paused = False
        result = replan_item(s, it, now=NOW)
        assert result.updated == 6  # the same rows come back, not new ones


def test_a_meeting_added_late_plans_what_it_still_can_and_says_so(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        f.item(s, m)
        late = dt.datetime(2027, 3, 17, 8, 0, tzinfo=dt.UTC)  # the day after papers were due
        result = replan_meeting(s, m, now=late)
        assert result.skipped_past == 4  # two before due, on due, the first digest
        assert any(
            "were not planned because their day has already passed" in msg
            for msg in result.messages
        )
        assert _timeline(s) == [
            ("author_chaser", "U0AUTH001", "Wed 17 Mar 09:30"),
            ("escalation", "U0CLERK01", "Thu 18 Mar 09:30"),
            ("escalation", "U0LEAD001", "Thu 18 Mar 09:30"),
            ("chair_digest", "U0CHAIR01", "Mon 22 Mar 09:30"),
            ("clerk_publication", "U0CLERK01", "Mon 22 Mar 09:30"),
        ]


def test_authors_not_on_slack_are_named_to_the_clerk(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(s)
        it = f.item(s, m, authors=())
        from agenda.board.models import ItemAuthor

        it.authors.append(ItemAuthor(name="Jo Bloggs", email="jo@example.org"))
        result = replan_meeting(s, m, now=NOW)
        assert any("Jo Bloggs not on Slack" in msg for msg in result.messages)


def test_custom_rules_from_the_body_are_used(sqlite_engine):
    with Session(sqlite_engine) as s:
        _, m = _board(
            s,
            deadlines={
                "remind_authors": ["on due"],
                "remind_chair": "on publication",
                "escalate": [],
            },
        )
        f.item(s, m)
        replan_meeting(s, m, now=NOW)
        kinds = sorted({r.kind for r in _rows(s, status="pending")})
        assert kinds == ["author_due", "chair_digest", "clerk_publication", "escalation"]


def test_a_meeting_on_a_bank_holiday_is_reported_when_planned(sqlite_engine):
    with Session(sqlite_engine) as s:
        b = f.body(s, f.organisation(s))
        m = f.meeting(s, b, D(2027, 5, 31))  # Spring bank holiday
        f.item(s, m)
        result = replan_meeting(s, m, now=NOW)
        assert any("public holiday (Spring Bank Holiday)" in msg for msg in result.messages)
        assert result.added > 0


def _plan_of_two_meetings(s: Session) -> tuple[list, object]:
    b, m = _board(s)
    later = f.meeting(s, b, D(2027, 5, 6))
    f.item(s, m, authors=("U0AUTH001",))
    moved = f.item(s, m, title="Winter Plan", authors=("U0AUTH002",))
    f.item(s, later, title="Annual Report", authors=("U0AUTH003",))
    return [m, later], moved


def test_planning_a_year_of_meetings_at_once_plans_what_planning_each_would(sqlite_engine):
    from agenda.reminders.planning import replan_meetings

    with Session(sqlite_engine) as s:
        meetings, _ = _plan_of_two_meetings(s)
        for m in meetings:
            replan_meeting(s, m, now=NOW)
        one_by_one = _timeline(s)
        s.rollback()
    with Session(sqlite_engine) as s:
        meetings, moved = _plan_of_two_meetings(s)
        results = replan_meetings(s, meetings, now=NOW)
        assert _timeline(s) == one_by_one
        # Each meeting: 2 chair digests and the clerk's publication day; each item: 4 reminders
        # to its author and 2 escalations.
        assert [r.added for r in results] == [3 + 2 * 6, 3 + 6]
        # An item moved to the other meeting is re-planned there when both are re-planned.
        moved.meeting = meetings[1]
        replan_meetings(s, meetings, now=NOW)
        chasers = _rows(s, item_id=moved.id, status="pending", kind="author_due")
        assert [r.meeting_id for r in chasers] == [meetings[1].id]
