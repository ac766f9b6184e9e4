"""The clerk's views: `boardclerk reminders`, `boardclerk calendar`, the demo's timeline."""

from __future__ import annotations

import datetime as dt
import io

from click.testing import CliRunner
from sqlalchemy.orm import Session

from agenda.board.ical import body_calendar, fold
from agenda.cli.main import main
from agenda.clock import FixedClock
from agenda.demo.steps import demo_reminder_timeline
from agenda.outbox.dispatch import dispatch_all_due
from agenda.outbox.notify import MemoryNotifier
from agenda.outbox.timeline import reminder_timeline
from agenda.reminders.planning import replan_meeting
from tests.support import factories as f

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _setup(engine, *, gone: bool = False) -> None:
    with Session(engine) as s, s.begin():
        b = f.body(s, f.organisation(s), lead_officer=("Director of Public Health", "U0LEAD001"))
        m = f.meeting(s, b, dt.date(2027, 4, 1))
        f.item(s, m, title="Better Care Fund")
        m2 = f.meeting(s, b, dt.date(2027, 5, 3))  # a bank holiday
        m2.venue = "Room 1; City Hall, Leicester"
        replan_meeting(s, m, now=NOW)


def test_the_clerk_sees_who_was_reminded_when_and_what_failed(sqlite_engine):
    _setup(sqlite_engine)
    dispatch_all_due(
        sqlite_engine,
        MemoryNotifier(gone={"U0AUTH001"}),
        clock=FixedClock(dt.datetime(2027, 3, 12, 10, 0, tzinfo=dt.UTC)),
    )
    result = CliRunner().invoke(
        main, ["--database-url", str(sqlite_engine.url), "reminders", "hwb:2027-04-01"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "hwb:2027-04-01: papers due Tue 16 Mar 17:00, publish by Mon 22 Mar"
    assert any(
        line.startswith("Tue 09 Mar 09:30  failed")
        and "<@U0AUTH001>" in line
        and "left the workspace" in line
        for line in lines
    )
    assert any(
        line.startswith("Fri 12 Mar 09:30  sent")
        and "chair's digest" in line
        and "Chair hwb <@U0CHAIR01>" in line
        for line in lines
    )
    assert any("notice to clerk" in line and "Clerk hwb" in line for line in lines)


def test_unknown_meeting_is_a_plain_message(sqlite_engine):
    _setup(sqlite_engine)
    result = CliRunner().invoke(
        main, ["--database-url", str(sqlite_engine.url), "reminders", "hwb:2027-04-02"]
    )
    assert result.exit_code == 1 and "no meeting on 2 April 2027" in result.output


def test_calendar_has_each_meeting_and_its_deadlines(sqlite_engine, tmp_path):
    _setup(sqlite_engine)
    out = tmp_path / "hwb.ics"
    result = CliRunner().invoke(
        main, ["--database-url", str(sqlite_engine.url), "calendar", "hwb", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    raw = out.read_bytes().decode("utf-8")
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and raw.endswith(
        "END:VCALENDAR\r\n"
    )
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    text = raw.replace("\r\n ", "")  # unfold
    assert text.count("BEGIN:VEVENT") == 6
    assert "DTSTART:20270401T083000Z" in text  # 09:30 BST
    assert "DTSTART;VALUE=DATE:20270316" in text and "SUMMARY:Papers due by 17:00" in text
    assert "DTSTART;VALUE=DATE:20270322" in text
    assert "LOCATION:Room 1\\; City Hall\\, Leicester" in text
    assert "public holiday (May Day)" in text  # the warning travels with the event


def test_long_lines_fold_without_splitting_characters():
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_demo_timeline_prints_the_messages_to_come_and_changes_nothing(sqlite_engine):
    _setup(sqlite_engine)
    buf = io.StringIO()
    with Session(sqlite_engine) as s:
        from agenda.board.lookup import get_meeting

        m = get_meeting(s, "hwb:2027-04-01")
        before = [(e.reminder_id, e.status) for e in reminder_timeline(s, m)]
        count = demo_reminder_timeline(s, m, now=NOW, out=buf)
        assert [(e.reminder_id, e.status) for e in reminder_timeline(s, m)] == before
    text = buf.getvalue()
    assert count == 9
    assert "Tue 09 Mar 09:30  → U0AUTH001 (reminder to author)" in text
    assert "was due by 17:00 on Tuesday 16 March and has not arrived" in text
    assert "0 of 1 papers received, 1 outstanding, 1 late" in text  # publication-day digest


def test_calendar_names_the_body(sqlite_engine):
    _setup(sqlite_engine)
    with Session(sqlite_engine) as s:
        from agenda.board.lookup import get_body

        ics = body_calendar(get_body(s, "hwb"), now=NOW)
    assert "X-WR-CALNAME:Health and Wellbeing Board\r\n" in ics
