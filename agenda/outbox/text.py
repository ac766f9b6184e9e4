"""The words of each reminder, written when it is sent (so a digest counts the papers in at that
moment, and an author is told the deadline in force then). Returns None when the reminder is no
longer worth sending (the paper arrived, the meeting was cancelled or has happened)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.due import item_due_at, meeting_deadlines
from agenda.board.models import ForwardPlanItem, Meeting, Paper
from agenda.clock import as_utc
from agenda.documents.words import clock_on_day, day_month
from agenda.pack.readiness import EXPECTED, LATE, readiness_of
from agenda.reminders.tables import Reminder, ReminderKind
from agenda.reminders.wanted import why_unwanted


def _when(value: dt.datetime, tz: ZoneInfo) -> str:
    return clock_on_day(as_utc(value).astimezone(tz))


def stale_reason(
    session: Session, r: Reminder, today: dt.date, *, items_with_papers: set[int] | None = None
) -> str | None:
    """Why this reminder should no longer go out, or None (the shared check of
    :mod:`agenda.reminders.wanted`). ``items_with_papers`` (for a batch) saves a query per
    reminder."""
    if ReminderKind(r.kind).is_notice:
        return None
    meeting = session.get(Meeting, r.meeting_id) if r.meeting_id else None
    item = session.get(ForwardPlanItem, r.item_id) if r.item_id is not None else None
    if item is None or items_with_papers is not None:
        has_paper = item is not None and item.id in (items_with_papers or set())
    else:
        has_paper = (
            session.scalar(select(Paper.id).where(Paper.item_id == item.id).limit(1)) is not None
        )
    return why_unwanted(
        meeting, item, about_item=r.item_id is not None, has_paper=has_paper, today=today
    )


def render(session: Session, r: Reminder, *, now: dt.datetime) -> str | None:
    """The message for reminder ``r``; None if it should not be sent (see :func:`stale_reason`)."""
    return compose(session, r, now=now)[0]


def compose(
    session: Session, r: Reminder, *, now: dt.datetime, items_with_papers: set[int] | None = None
) -> tuple[str | None, str | None]:
    """(message, None), or (None, why it is no longer worth sending)."""
    kind = ReminderKind(r.kind)
    if kind.is_notice:
        return str(r.payload.get("text", "")), None
    meeting = session.get(Meeting, r.meeting_id) if r.meeting_id else None
    if meeting is None:
        return None, "meeting no longer exists"
    tz = meeting.body.organisation.zone
    reason = stale_reason(
        session, r, as_utc(now).astimezone(tz).date(), items_with_papers=items_with_papers
    )
    if reason:
        return None, reason
    return _text(session, r, kind, meeting, tz, now), None


def _text(
    session: Session,
    r: Reminder,
    kind: ReminderKind,
    meeting: Meeting,
    tz: ZoneInfo,
    now: dt.datetime,
) -> str:
    what = f"the {meeting.body.name} on {day_month(meeting.date)}"
    if r.item_id is not None:
        item = session.get(ForwardPlanItem, r.item_id)
        assert item is not None
        due = item_due_at(item)
        assert due is not None
        title = f"'{item.title}'"
        if kind is ReminderKind.AUTHOR_BEFORE:
            return (
                f"Reminder: your paper {title} for {what} is due by {_when(due, tz)}. "
                "Send me the file here when it is ready."
            )
        if kind is ReminderKind.AUTHOR_DUE:
            return (
                f"Your paper {title} for {what} is due today, by {_when(due, tz)}. "
                "Send me the file here, or ask the clerk for an extension."
            )
        if kind is ReminderKind.AUTHOR_CHASER:
            return (
                f"Your paper {title} for {what} was due by {_when(due, tz)} and has not "
                "arrived. Please send it as soon as you can, or ask for an extension."
            )
        authors = ", ".join(a.label for a in item.authors) or "no author named"
        return (
            f"The paper {title} for {what} (lead: {item.lead or 'not named'}; "
            f"author: {authors}) was due by {_when(due, tz)} and has not arrived."
        )
    return _meeting_text(session, kind, meeting, what, now)


def _meeting_text(
    session: Session, kind: ReminderKind, meeting: Meeting, what: str, now: dt.datetime
) -> str:

    readiness = readiness_of(session, meeting, now=now)
    deadlines = meeting_deadlines(meeting)
    missing = [i.item.title for i in readiness.items if i.state in (EXPECTED, LATE)]
    missing_text = f" Still to come: {'; '.join(missing)}." if missing else ""
    if kind is ReminderKind.CHAIR_DIGEST:
        return (
            f"Readiness of {what}: {readiness.headline()}. Papers are due by "
            f"{_when(deadlines.papers_due, meeting.body.organisation.zone)}; the pack "
            f"must be published by {day_month(deadlines.publication)}.{missing_text}"
        )
    return (
        f"Today is the last day to publish the agenda pack for {what}. "
        f"{readiness.headline()}.{missing_text} Build it with: boardclerk pack {meeting.ref}"
    )
