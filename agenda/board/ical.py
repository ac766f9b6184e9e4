"""An iCalendar (RFC 5545) feed of a body's meetings and their deadlines, written by hand: the
format is small and a dependency would buy nothing. Clerks subscribe to it in Outlook/Google.

Meetings are timed events (two hours unless the meeting says otherwise, since we only know the
start); the papers-due and publication deadlines are all-day events on their dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from agenda.board.due import DUE_TIME, local_date, meeting_deadlines
from agenda.board.models import Body, Meeting, MeetingStatus
from agenda.clock import as_utc
from agenda.documents.words import clock

MEETING_LENGTH = dt.timedelta(hours=2)
PRODID = "-//boardclerk//boardclerk calendar//EN"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (§3.1), never splitting a UTF-8 character."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value: dt.datetime) -> str:
    return as_utc(value).strftime("%Y%m%dT%H%M%SZ")


def _event(
    uid: str,
    stamp: dt.datetime,
    summary: str,
    *,
    start: dt.datetime | dt.date,
    description: str | None = None,
    location: str | None = None,
    cancelled: bool = False,
) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_utc(stamp)}"]
    if isinstance(start, dt.datetime):
        lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + MEETING_LENGTH)}"]
    else:
        lines += [
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}",
            "TRANSP:TRANSPARENT",
        ]  # a deadline does not make you busy
    lines.append(f"SUMMARY:{escape(summary)}")
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if cancelled:
        lines.append("STATUS:CANCELLED")
    lines.append("END:VEVENT")
    return lines


def meeting_events(meeting: Meeting, stamp: dt.datetime) -> list[str]:
    body = meeting.body
    cancelled = meeting.status == MeetingStatus.CANCELLED.value
    uid = f"{body.key}-{meeting.date.isoformat()}"
    lines = _event(
        f"meeting-{uid}@boardclerk",
        stamp,
        body.name,
        start=meeting.starts_at,
        location=meeting.venue,
        description=meeting.note,
        cancelled=cancelled,
    )
    deadlines = meeting_deadlines(meeting)
    due_day = local_date(deadlines.papers_due, body.organisation.zone)
    lines += _event(
        f"papers-due-{uid}@boardclerk",
        stamp,
        f"Papers due by {clock(DUE_TIME)}: {body.name} {meeting.date:%-d %b %Y}",
        start=due_day,
        cancelled=cancelled,
    )
    lines += _event(
        f"publication-{uid}@boardclerk",
        stamp,
        f"Publish agenda pack: {body.name} {meeting.date:%-d %b %Y}",
        start=deadlines.publication,
        cancelled=cancelled,
        description="; ".join(deadlines.warnings) or None,
    )
    return lines


def body_calendar(
    body: Body, *, now: dt.datetime, meetings: Iterable[Meeting] | None = None
) -> str:
    """The VCALENDAR text (CRLF line endings) for ``body``."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(body.name)}",
    ]
    for meeting in meetings if meetings is not None else body.meetings:
        lines += meeting_events(meeting, now)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
