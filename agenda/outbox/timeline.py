"""Who is (or was) reminded of what, and when: the clerk's view of a meeting's reminders, for
``boardclerk reminders``, the App Home and the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from agenda.board.lookup import get_meeting
from agenda.board.models import ForwardPlanItem, ItemAuthor, Meeting, Member
from agenda.board.permissions import Actor, require_clerk
from agenda.clock import as_utc
from agenda.documents.words import column_moment
from agenda.reminders.tables import Reminder

KIND_LABEL = {
    "author_before": "reminder to author",
    "author_due": "due today, to author",
    "author_chaser": "chaser to author",
    "escalation": "escalation",
    "chair_digest": "chair's digest",
    "clerk_publication": "publication day, to clerk",
    "clerk_notice": "notice to clerk",
    "notice": "notice",
}


@dataclass(frozen=True)
class TimelineEntry:
    reminder_id: int
    planned_at: dt.datetime  # when it was meant to go
    recipient: str
    recipient_name: str
    kind: str
    status: str
    sent_at: dt.datetime | None
    item_title: str | None
    note: str | None  # why cancelled/superseded, or the last error

    def line(self, tz: ZoneInfo) -> str:
        when = as_utc(self.planned_at).astimezone(tz)
        what = KIND_LABEL.get(self.kind, self.kind)
        about = f" — {self.item_title}" if self.item_title else ""
        why = f" ({self.note})" if self.note else ""
        return (
            f"{column_moment(when)}  {self.status:<10} {what:<26} {self.recipient_name}{about}{why}"
        )


def names_of(session: Session, meeting: Meeting) -> dict[str, str]:
    names: dict[str, str] = {}
    rows = session.execute(
        select(ItemAuthor.slack_id, ItemAuthor.name)
        .join(ForwardPlanItem)
        .where(ForwardPlanItem.body_id == meeting.body_id, ItemAuthor.slack_id.is_not(None))
    )
    for slack_id, name in rows:
        if slack_id and name:
            names[slack_id] = name
    for m in session.scalars(select(Member).where(Member.body_id == meeting.body_id)):
        if m.slack_id:
            names[m.slack_id] = m.name
    return names


def reminder_timeline(
    session: Session, meeting: Meeting, *, statuses: tuple[str, ...] | None = None
) -> list[TimelineEntry]:
    """Every reminder about ``meeting`` and its items, oldest first."""
    item_ids = [i.id for i in meeting.items]
    scope = Reminder.meeting_id == meeting.id
    if item_ids:
        scope = or_(scope, Reminder.item_id.in_(item_ids))
    query = (
        select(Reminder)
        .where(scope)
        .order_by(Reminder.planned_at, Reminder.kind, Reminder.recipient)
    )
    if statuses:
        query = query.where(Reminder.status.in_(statuses))
    names = names_of(session, meeting)
    titles = {i.id: i.title for i in meeting.items}
    out = []
    for r in session.scalars(query):
        if r.item_id is not None and r.item_id not in titles:
            item = session.get(ForwardPlanItem, r.item_id)
            titles[r.item_id] = item.title if item else "?"
        name = names.get(r.recipient)
        out.append(
            TimelineEntry(
                reminder_id=r.id,
                planned_at=r.planned_at,
                recipient=r.recipient,
                recipient_name=f"{name} <@{r.recipient}>" if name else f"<@{r.recipient}>",
                kind=r.kind,
                status=r.status,
                sent_at=r.sent_at,
                item_title=titles.get(r.item_id) if r.item_id else None,
                note=r.note or r.last_error,
            )
        )
    return out


def timeline_for_clerk(session: Session, meeting_ref: str, actor: Actor) -> list[TimelineEntry]:
    """The meeting's reminder timeline, for its body's clerk only."""
    meeting = get_meeting(session, meeting_ref)
    require_clerk(session, meeting.body, actor, "see who was reminded of what")
    return reminder_timeline(session, meeting)
