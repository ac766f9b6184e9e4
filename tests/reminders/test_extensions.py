"""Extensions and pausing: authors ask, the clerk or chair decides, the reminders follow."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.permissions import Actor
from agenda.errors import InvalidInput, PermissionDenied
from agenda.reminders.extensions import (
    decide_extension,
    grant_extension,
    pause_chasing,
    request_extension,
)
from agenda.reminders.planning import replan_meeting
from agenda.reminders.tables import Reminder
from tests.support import factories as f

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
AUTHOR, CLERK, CHAIR = Actor.slack("U0AUTH001"), Actor.slack("U0CLERK01"), Actor.slack("U0CHAIR01")


@pytest.fixture
def item(sqlite_engine):
    s = Session(sqlite_engine)
    b = f.body(s, f.organisation(s))
    m = f.meeting(s, b, dt.date(2027, 4, 1))
    it = f.item(s, m)
    replan_meeting(s, m, now=NOW)
    yield s, it
    s.close()


def _pending(s, **where):
    q = select(Reminder).where(Reminder.status == "pending")
    for k, v in where.items():
        q = q.where(getattr(Reminder, k) == v)
    return list(s.scalars(q.order_by(Reminder.due_at)))


def test_an_approved_extension_moves_the_deadline_and_the_reminders(item):
    s, it = item
    req = request_extension(
        s,
        actor=AUTHOR,
        item_id=it.id,
        until=dt.date(2027, 3, 19),
        reason="waiting for Q4 figures",
        now=NOW,
    )
    asks = _pending(s, kind="clerk_notice")
    assert {r.recipient for r in asks} == {"U0CLERK01", "U0CHAIR01"}
    assert "until 17:00 on Friday 19 March" in asks[0].payload["text"]
    assert asks[0].payload["extension_request"] == req.id
    decide_extension(s, actor=CHAIR, request_id=req.id, approve=True, now=NOW)
    assert it.due_override == dt.datetime(2027, 3, 19, 17, 0, tzinfo=dt.UTC)
    due = _pending(s, kind="author_due")
    assert [r.due_at.date() for r in due] == [dt.date(2027, 3, 19)]
    (told,) = _pending(s, kind="notice")
    assert told.recipient == "U0AUTH001" and "approved" in told.payload["text"]


def test_a_declined_extension_changes_nothing_but_tells_the_author(item):
    s, it = item
    req = request_extension(s, actor=AUTHOR, item_id=it.id, until=dt.date(2027, 3, 19), now=NOW)
    decide_extension(
        s, actor=CLERK, request_id=req.id, approve=False, note="the pack cannot wait", now=NOW
    )
    assert it.due_override is None
    (told,) = _pending(s, kind="notice")
    assert "declined" in told.payload["text"] and "the pack cannot wait" in told.payload["text"]
    with pytest.raises(InvalidInput, match="already been declined"):
        decide_extension(s, actor=CLERK, request_id=req.id, approve=True, now=NOW)


def test_only_authors_ask_and_only_clerk_or_chair_decide(item):
    s, it = item
    with pytest.raises(PermissionDenied, match="Only the authors"):
        request_extension(
            s, actor=Actor.slack("UNOBODY"), item_id=it.id, until=dt.date(2027, 3, 19), now=NOW
        )
    req = request_extension(s, actor=AUTHOR, item_id=it.id, until=dt.date(2027, 3, 19), now=NOW)
    with pytest.raises(PermissionDenied, match="clerk or the chair"):
        decide_extension(s, actor=AUTHOR, request_id=req.id, approve=True, now=NOW)


def test_an_extension_must_be_later_than_the_deadline_and_before_the_meeting(item):
    s, it = item
    with pytest.raises(InvalidInput, match="already due by 17:00 on Tuesday 16 March"):
        request_extension(s, actor=AUTHOR, item_id=it.id, until=dt.date(2027, 3, 10), now=NOW)
    with pytest.raises(InvalidInput, match="before the meeting starts"):
        request_extension(s, actor=AUTHOR, item_id=it.id, until=dt.date(2027, 4, 2), now=NOW)


def test_the_clerk_can_set_a_deadline_directly(item):
    s, it = item
    grant_extension(s, actor=CLERK, item_id=it.id, until=dt.date(2027, 3, 22), now=NOW)
    assert [r.due_at.date() for r in _pending(s, kind="author_chaser")] == [dt.date(2027, 3, 23)]


def test_pausing_stops_the_chasing_and_resuming_restarts_it(item):
    s, it = item
    with pytest.raises(PermissionDenied):
        pause_chasing(s, actor=AUTHOR, item_id=it.id, now=NOW)
    pause_chasing(s, actor=CLERK, item_id=it.id, now=NOW)
    assert _pending(s, item_id=it.id) == []
    assert {r.kind for r in _pending(s)} == {"chair_digest", "clerk_publication"}
    pause_chasing(s, actor=CLERK, item_id=it.id, paused=False, now=NOW)
    assert len(_pending(s, item_id=it.id)) == 5
