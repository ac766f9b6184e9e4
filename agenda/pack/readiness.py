"""A meeting's readiness: which papers are expected, which are in, which are late."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.due import item_due_at, meeting_deadlines
from agenda.board.lookup import get_meeting, with_plan
from agenda.board.models import Body, ItemKind, Meeting, MeetingStatus
from agenda.board.permissions import Actor, Clerking, clerking
from agenda.documents.words import long_moment, short_date, short_moment
from agenda.minutes.service import AttendanceSummary, attendance_summary
from agenda.plan.items import ItemView, item_view

# The states of one item, in the words the clerk reads.
RECEIVED = "received"
RECEIVED_LATE = "received late"
EXPECTED = "expected"
LATE = "late"
NO_PAPER = "no paper needed"


@dataclass(frozen=True)
class ItemReadiness:
    item: ItemView
    state: str


@dataclass(frozen=True)
class Readiness:
    meeting_ref: str
    body_name: str
    starts_at: dt.datetime
    venue: str | None
    status: str
    papers_due: dt.datetime | None
    publication: dt.date | None
    items: tuple[ItemReadiness, ...]
    attendance: AttendanceSummary | None = None  # apologies and declarations sent ahead

    def count(self, *states: str) -> int:
        return sum(1 for i in self.items if i.state in states)

    @property
    def expected(self) -> int:
        return sum(1 for i in self.items if i.state != NO_PAPER)

    @property
    def received(self) -> int:
        return self.count(RECEIVED, RECEIVED_LATE)

    @property
    def late(self) -> int:
        return self.count(LATE, RECEIVED_LATE)

    @property
    def outstanding(self) -> int:
        return self.count(EXPECTED, LATE)

    def headline(self) -> str:
        return (
            f"{self.received} of {self.expected} papers received, {self.outstanding} "
            f"outstanding, {self.late} late"
        )


def _state(item_due: dt.datetime | None, view: ItemView, now: dt.datetime) -> str:
    if view.paper_version is not None:
        return RECEIVED if view.paper_on_time else RECEIVED_LATE
    if view.kind != ItemKind.REPORT.value:
        return NO_PAPER
    if item_due is not None and now > item_due:
        return LATE
    return EXPECTED


def readiness_of(
    session: Session,
    meeting: Meeting,
    *,
    now: dt.datetime,
    viewer: Actor | None = None,
    clerks: Clerking | None = None,
) -> Readiness:
    """The meeting's readiness as ``viewer`` may see it; for a meeting loaded without
    :func:`~agenda.board.lookup.with_plan`, each item costs its own queries."""
    if viewer is not None and clerks is None:
        clerks = clerking(session, viewer)
    items = []
    for item in meeting.planned_items():
        view = item_view(session, item, viewer, clerks=clerks)
        items.append(ItemReadiness(item=view, state=_state(item_due_at(item), view, now)))
    deadlines = meeting_deadlines(meeting)
    return Readiness(
        meeting_ref=meeting.ref,
        body_name=meeting.body.name,
        starts_at=meeting.starts_at,
        venue=meeting.venue,
        status=meeting.status,
        papers_due=deadlines.papers_due,
        publication=deadlines.publication,
        items=tuple(items),
        attendance=attendance_summary(session, meeting),
    )


def meeting_readiness(
    session: Session, meeting_ref: str, *, now: dt.datetime, viewer: Actor | None = None
) -> Readiness:
    meeting = get_meeting(session, meeting_ref, with_items=True)
    return readiness_of(session, meeting, now=now, viewer=viewer)


def upcoming_meetings(
    session: Session, *, now: dt.datetime, body_key: str | None = None, slack_id: str | None = None
) -> list[Meeting]:
    """Scheduled or published meetings from now on; for a Slack user, those of their bodies
    (as member, clerk, or author of an item)."""
    query = (
        select(Meeting)
        .join(Body)
        .options(*with_plan())
        .where(
            Meeting.starts_at > now,
            Meeting.status.in_([MeetingStatus.SCHEDULED.value, MeetingStatus.PUBLISHED.value]),
        )
        .order_by(Meeting.starts_at)
    )
    if body_key:
        query = query.where(Body.key == body_key)
    meetings = list(session.scalars(query))
    if slack_id is None:
        return meetings
    return [m for m in meetings if _involved(m, slack_id)]


def _involved(meeting: Meeting, slack_id: str) -> bool:
    if any(p.slack_id == slack_id and p.active for p in meeting.body.members):
        return True
    return any(a.slack_id == slack_id for i in meeting.items for a in i.authors)


def render_readiness(ready: Readiness, tz: ZoneInfo) -> str:
    """Readiness as lines of plain text, for the terminal and the demo."""
    lines = [
        f"{ready.body_name}, {long_moment(ready.starts_at.astimezone(tz))}"
        f" ({ready.meeting_ref}, {ready.status})"
    ]
    if ready.papers_due and ready.publication:
        lines.append(
            f"Papers due {short_moment(ready.papers_due.astimezone(tz))}; "
            f"pack to be published by {short_date(ready.publication)}"
        )
    lines.append(ready.headline())
    for row in ready.items:
        item = row.item
        version = f" v{item.paper_version}" if item.paper_version else ""
        exempt = (
            " [EXEMPT]" if item.exempt else " [EXEMPT REQUESTED]" if item.exempt_requested else ""
        )
        lines.append(f"  #{item.id:<4} {row.state + version:<18} {item.title}{exempt}")
        if item.paper_accessibility:
            lines.append(f"        {item.paper_accessibility}")
    if ready.attendance is not None:
        for apology in ready.attendance.apologies:
            reason = f" ({apology.reason})" if apology.reason else ""
            lines.append(f"  Apologies: {apology.name}{reason}")
        for decl in ready.attendance.declarations:
            lines.append(
                f"  Declaration: {decl.name}, {decl.item_title or 'general'}: "
                f"{decl.interest} ({decl.kind})"
            )
    return "\n".join(lines)
