"""Dispatch: every due reminder goes out once, at the right time, whatever happens."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.models import AuditEvent
from agenda.clock import FixedClock
from agenda.outbox.dispatch import LEASE, claim, dispatch_all_due, dispatch_due
from agenda.outbox.notify import MemoryNotifier, Offer, ReminderMessage
from agenda.outbox.tick import run_worker
from agenda.reminders.planning import replan_meeting
from agenda.reminders.tables import Reminder
from tests.support import factories as f

D = dt.date
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _plan(engine, *, gone_clerk: bool = False) -> dict[str, int]:
    with Session(engine) as s, s.begin():
        org = f.organisation(s)
        b = f.body(s, org, lead_officer=("Director of Public Health", "U0LEAD001"))
        m = f.meeting(s, b, D(2027, 4, 1))
        it = f.item(s, m)
        replan_meeting(s, m, now=NOW)
        return {"meeting": m.id, "item": it.id}


def _status(engine) -> list[tuple[str, str, str]]:
    with Session(engine) as s:
        return [
            (r.kind, r.recipient, r.status)
            for r in s.scalars(
                select(Reminder).order_by(Reminder.due_at, Reminder.kind, Reminder.recipient)
            )
        ]


def _at(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, 0, tzinfo=dt.UTC)


def test_reminders_go_out_when_they_fall_due_and_only_once(engine):
    _plan(engine)
    clock = FixedClock(NOW)
    slack = MemoryNotifier()
    assert dispatch_all_due(engine, slack, clock=clock).sent == 0
    clock.set(_at(9, 9, 3))  # 09:00 UTC = 09:00 GMT: not yet 09:30
    assert dispatch_all_due(engine, slack, clock=clock).sent == 0
    clock.set(_at(9, 9, 3) + dt.timedelta(minutes=31))
    assert dispatch_all_due(engine, slack, clock=clock).sent == 1
    assert dispatch_all_due(engine, slack, clock=clock).sent == 0
    ((to, text, _),) = slack.sent
    assert to == "U0AUTH001"
    assert "'Better Care Fund'" in text and "due by 17:00 on Tuesday 16 March" in text


def test_the_notifier_is_handed_a_finished_message_with_what_the_author_may_do(engine):
    ids = _plan(engine)
    clock = FixedClock(_at(9, 9, 3) + dt.timedelta(minutes=31))
    slack = MemoryNotifier()
    assert dispatch_all_due(engine, slack, clock=clock).sent == 1
    (message,) = slack.messages
    assert message.recipient == "U0AUTH001" and message.kind == "author_before"
    assert message.offer is Offer.ASK_EXTENSION and message.subject_id == ids["item"]
    assert "due by 17:00 on Tuesday 16 March" in message.text


def test_a_crash_between_claim_and_send_is_recovered_when_the_lease_runs_out(engine):
    _plan(engine)
    clock = FixedClock(_at(9))
    with Session(engine) as s, s.begin():
        ids = claim(s, "worker-that-dies", clock.now(), lease=dt.timedelta(seconds=60))
    assert len(ids) == 1  # ...and then the worker dies
    slack = MemoryNotifier()
    assert dispatch_all_due(engine, slack, clock=clock).sent == 0  # still leased
    clock.advance(dt.timedelta(seconds=61))
    assert dispatch_all_due(engine, slack, clock=clock).sent == 1
    clock.advance(dt.timedelta(minutes=10))
    assert dispatch_all_due(engine, slack, clock=clock).sent == 0
    assert len(slack.sent) == 1


def test_a_crash_after_sending_is_not_sent_again(engine):
    """The worker sent the message then died before recording it: the notifier's delivery log
    (Slack message metadata in production) stops a second copy."""
    _plan(engine)
    clock = FixedClock(_at(9))
    slack = MemoryNotifier()
    with Session(engine) as s, s.begin():
        (rid,) = claim(s, "worker-that-dies", clock.now())
    slack.send(ReminderMessage(rid, "U0AUTH001", "first copy", "author_due"))
    clock.advance(LEASE + dt.timedelta(seconds=1))
    stats = dispatch_all_due(engine, slack, clock=clock)
    assert stats.sent == 1 and len(slack.sent) == 1
    assert _status(engine)[0][2] == "sent"


def test_after_downtime_only_the_latest_chaser_goes_out(engine):
    _plan(engine)
    slack = MemoryNotifier()
    # The worker was down from 1 March until the morning after papers were due.
    stats = dispatch_all_due(engine, slack, clock=FixedClock(_at(17, 10)))
    author = [(text) for to, text, _ in slack.sent if to == "U0AUTH001"]
    assert len(author) == 1 and "was due" in author[0]  # the chaser, not 4 msgs
    assert [to for to, _, _ in slack.sent] == ["U0CHAIR01", "U0AUTH001"]
    assert stats.superseded == 3
    superseded = [k for k, _, st in _status(engine) if st == "superseded"]
    assert superseded == ["author_before", "author_before", "author_due"]


def test_slack_rate_limit_is_honoured(engine):
    _plan(engine)
    clock = FixedClock(_at(18, 10))  # chaser, digest, escalations all due
    slack = MemoryNotifier()
    slack.rate_limit_next = [30]
    stats = dispatch_due(engine, slack, clock=clock)
    assert stats.rate_limited_for == 30 and stats.sent == 0
    clock.advance(dt.timedelta(seconds=29))
    assert dispatch_all_due(engine, slack, clock=clock).sent == 0  # still waiting
    clock.advance(dt.timedelta(seconds=2))
    assert dispatch_all_due(engine, slack, clock=clock).sent == 4
    with Session(engine) as s:  # waiting for Slack did not use up an attempt
        assert {
            r.attempts for r in s.scalars(select(Reminder).where(Reminder.status == "sent"))
        } == {1}


def test_failures_are_retried_with_back_off_then_given_up_and_the_clerk_told(engine):
    _plan(engine)
    clock = FixedClock(_at(9))
    slack = MemoryNotifier()
    slack.fail_next = [ConnectionError("slack unreachable")] * 5
    waits = []
    for _ in range(5):
        dispatch_all_due(engine, slack, clock=clock)
        with Session(engine) as s:
            r = s.scalar(
                select(Reminder)
                .where(
                    Reminder.recipient == "U0AUTH001", Reminder.status.in_(["pending", "failed"])
                )
                .order_by(Reminder.due_at)
            )
            if r.status == "failed":
                break
            waits.append(r.due_at - clock.now())
            clock.set(r.due_at)
    assert waits == [dt.timedelta(minutes=m) for m in (1, 5, 15, 60)]
    assert r.status == "failed" and "slack unreachable" in r.last_error
    dispatch_all_due(engine, slack, clock=clock)
    ((to, text, _),) = slack.sent
    assert to == "U0CLERK01" and "5 attempts failed" in text and "<@U0AUTH001>" in text


def test_a_recipient_who_left_slack_fails_at_once_and_the_clerk_is_told(engine):
    _plan(engine)
    slack = MemoryNotifier(gone={"U0AUTH001"})
    clock = FixedClock(_at(9))
    stats = dispatch_all_due(engine, slack, clock=clock)
    assert stats.failed == 1
    with Session(engine) as s:
        failed = s.scalar(select(Reminder).where(Reminder.status == "failed"))
        assert "left the workspace" in failed.last_error and failed.attempts == 1
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "reminder.failed"))
    stats = dispatch_all_due(engine, slack, clock=clock)
    ((to, text, _),) = slack.sent
    assert to == "U0CLERK01" and "could not send" in text and "left the workspace" in text


def test_a_reminder_for_a_paper_that_arrived_meanwhile_is_not_sent(engine):
    ids = _plan(engine)
    with Session(engine) as s, s.begin():  # the paper arrives without a re-plan (belt and braces)
        from agenda.board.models import ForwardPlanItem

        f.paper(s, s.get(ForwardPlanItem, ids["item"]))
    slack = MemoryNotifier()
    stats = dispatch_all_due(engine, slack, clock=FixedClock(_at(9)))
    assert stats.cancelled == 1 and slack.sent == []


def test_the_worker_ticks_and_stops(sqlite_engine):
    _plan(sqlite_engine)
    slack = MemoryNotifier()
    stop = threading.Event()
    result: dict = {}
    t = threading.Thread(
        target=lambda: result.update(
            total=run_worker(
                sqlite_engine, slack, clock=FixedClock(_at(9)), stop_event=stop, interval=0.2
            )
        )
    )
    t.start()
    for _ in range(50):
        if slack.sent:
            break
        threading.Event().wait(0.1)
    stop.set()
    t.join(10)
    assert not t.is_alive()
    assert len(slack.sent) == 1 and result["total"].sent == 1


@pytest.mark.parametrize("kind", ["cancelled", "held"])
def test_nothing_is_sent_for_a_meeting_that_is_cancelled_or_over(engine, kind):
    ids = _plan(engine)
    from agenda.board.models import Meeting

    with Session(engine) as s, s.begin():
        m = s.get(Meeting, ids["meeting"])
        m.status = "cancelled" if kind == "cancelled" else m.status
    clock = FixedClock(_at(9) if kind == "cancelled" else _at(2, 10, 4))
    slack = MemoryNotifier()
    dispatch_all_due(engine, slack, clock=clock)
    assert slack.sent == []


def test_a_reminder_that_cannot_be_written_fails_alone_and_the_clerk_is_told(engine):
    ids = _plan(engine)
    with Session(engine) as s, s.begin():  # corrupt one row: its kind is unknown
        bad = s.scalar(
            select(Reminder)
            .where(Reminder.item_id == ids["item"])
            .order_by(Reminder.due_at)
            .limit(1)
        )
        bad.kind = "mystery"
    slack = MemoryNotifier()
    clock = FixedClock(_at(12, 10))  # the broken author reminder and the digest are due
    stats = dispatch_all_due(engine, slack, clock=clock)
    assert (stats.failed, stats.sent) == (1, 1)
    dispatch_all_due(engine, slack, clock=clock)
    assert [to for to, _, _ in slack.sent] == ["U0CHAIR01", "U0CLERK01"]
    assert "could not write the message (ValueError)" in slack.sent[-1][1]


def test_a_reminder_held_back_by_a_rate_limit_does_not_overtake_a_newer_one(engine):
    _plan(engine)
    slack = MemoryNotifier()
    clock = FixedClock(_at(15, 9) + dt.timedelta(minutes=31))  # Mon 15 Mar 09:31
    slack.rate_limit_next = [24 * 3600]  # Slack says: come back tomorrow
    dispatch_all_due(engine, slack, clock=clock)
    clock.set(_at(16, 10))
    dispatch_all_due(engine, slack, clock=clock)
    author = [text for to, text, _ in slack.sent if to == "U0AUTH001"]
    assert len(author) == 1 and "is due today" in author[0]  # not yesterday's reminder
