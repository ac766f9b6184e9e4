"""Who is (or was) reminded of what, and when: the clerk's view of a meeting's reminders, for
``boardclerk reminders``, the App Home and the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from agenda.clock import as_utc
from agenda.models import ForwardPlanItem, ItemAuthor, Meeting, Member
from agenda.reminder_store import Reminder, ReminderStatus
from agenda.reminder_text import render

KIND_LABEL = {
    "author_before": "reminder to author", "author_due": "due today, to author",
    "author_chaser": "chaser to author", "escalation": "escalation",
    "chair_digest": "chair's digest", "clerk_publication": "publication day, to clerk",
    "clerk_notice": "notice to clerk", "notice": "notice",
}


@dataclass(frozen=True)
class TimelineEntry:
    reminder_id: int
    planned_at: dt.datetime    # when it was meant to go
    recipient: str
    recipient_name: str
    kind: str
    status: str
    sent_at: dt.datetime | None
    item_title: str | None
    note: str | None           # why cancelled/superseded, or the last error

    def line(self, tz: ZoneInfo) -> str:
        when = as_utc(self.planned_at).astimezone(tz)
        what = KIND_LABEL.get(self.kind, self.kind)
        about = f" — {self.item_title}" if self.item_title else ""
        why = f" ({self.note})" if self.note else ""
        return (f"{when:%a %d %b %H:%M}  {self.status:<10} {what:<26} "
                f"{self.recipient_name}{about}{why}")


def _names(session: Session, meeting: Meeting) -> dict[str, str]:
    names: dict[str, str] = {}
    rows = session.execute(select(ItemAuthor.slack_id, ItemAuthor.name)
                           .join(ForwardPlanItem).where(ForwardPlanItem.body_id == meeting.body_id,
                                                        ItemAuthor.slack_id.is_not(None)))
    for slack_id, name in rows:
        if name:
            names[slack_id] = name
    for m in session.scalars(select(Member).where(Member.body_id == meeting.body_id)):
        if m.slack_id:
            names[m.slack_id] = m.name
    return names


def reminder_timeline(session: Session, meeting: Meeting, *,
                      statuses: tuple[str, ...] | None = None) -> list[TimelineEntry]:
    """Every reminder about ``meeting`` and its items, oldest first."""
    item_ids = [i.id for i in meeting.items]
    scope = Reminder.meeting_id == meeting.id
    if item_ids:
        scope = or_(scope, Reminder.item_id.in_(item_ids))
    query = select(Reminder).where(scope).order_by(Reminder.planned_at, Reminder.kind,
                                                   Reminder.recipient)
    if statuses:
        query = query.where(Reminder.status.in_(statuses))
    names = _names(session, meeting)
    titles = {i.id: i.title for i in meeting.items}
    out = []
    for r in session.scalars(query):
        if r.item_id is not None and r.item_id not in titles:
            item = session.get(ForwardPlanItem, r.item_id)
            titles[r.item_id] = item.title if item else "?"
        name = names.get(r.recipient)
        out.append(TimelineEntry(
            reminder_id=r.id, planned_at=r.planned_at, recipient=r.recipient,
            recipient_name=f"{name} <@{r.recipient}>" if name else f"<@{r.recipient}>",
            kind=r.kind, status=r.status, sent_at=r.sent_at,
            item_title=titles.get(r.item_id) if r.item_id else None,
            note=r.note or r.last_error))
    return out


def demo_reminder_timeline(session: Session, meeting: Meeting, *, now: dt.datetime,
                           out: Callable[[str], None] | TextIO) -> int:
    """Print the reminders still to go out between ``now`` and the meeting, each with the
    message it would carry on its day (papers not in by then count as outstanding). Changes
    nothing. Returns how many were printed."""
    echo = out if callable(out) else (lambda text: print(text, file=out))  # type: ignore[misc]
    tz = ZoneInfo(meeting.body.organisation.timezone or "Europe/London")
    rows = session.scalars(
        select(Reminder).where(Reminder.id.in_(
            [e.reminder_id for e in reminder_timeline(session, meeting,
                                                      statuses=(ReminderStatus.PENDING.value,))]),
            Reminder.due_at < meeting.starts_at)
        .order_by(Reminder.planned_at, Reminder.kind, Reminder.recipient))
    rows = list(rows)
    names = _names(session, meeting)
    now = as_utc(now)
    # What is already due goes out at the next tick, but only the latest per person and
    # subject: the dispatcher drops the older ones it overtakes (see dispatch.supersede_stale).
    latest_due: dict[str, dt.datetime] = {}
    for r in rows:
        if r.supersede_key and as_utc(r.planned_at) <= now:
            latest_due[r.supersede_key] = max(latest_due.get(r.supersede_key, r.planned_at),
                                              r.planned_at)
    count = 0
    echo(f"Reminders to go out before {meeting.ref} (it is now "
         f"{now.astimezone(tz):%a %d %b %H:%M}):")
    for r in rows:
        who = names.get(r.recipient, r.recipient)
        head = (f"  {as_utc(r.planned_at).astimezone(tz):%a %d %b %H:%M}  → {who} "
                f"({KIND_LABEL.get(r.kind, r.kind)})")
        if r.supersede_key and as_utc(r.planned_at) < latest_due.get(r.supersede_key,
                                                                     r.planned_at):
            echo(f"{head}: overdue and overtaken by a later one, so not sent")
            continue
        text = render(session, r, now=max(as_utc(r.due_at), now))
        if text is None:
            continue
        late = "  [overdue: goes at the next tick]" if as_utc(r.due_at) <= now else ""
        echo(head + late)
        echo(f"      {text}")
        count += 1
    if not count:
        echo("  (none)")
    return count


def demo_reminders(engine: Engine, meeting_ref: str, *, now: dt.datetime,
                   echo: Callable[[str], None]) -> int:
    """The demo's reminders step: the reminder timeline of the sample meeting."""
    from agenda.lookup import get_meeting

    with Session(engine) as session:
        echo("")
        return demo_reminder_timeline(session, get_meeting(session, meeting_ref), now=now,
                                      out=echo)
