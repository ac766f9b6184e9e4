"""Reminder planning (issue 4). The services call :func:`replan_item` and
:func:`replan_meeting` in the same transaction as the change that makes reminders stale: an
item added, moved, deferred or withdrawn; a paper received; an extension granted; chasing paused;
a meeting added, moved or cancelled.

What is planned, each at 09:30 local time on a working day:
- each author of an expected paper that has not arrived: before it is due, on the day and after
  it (the body's ``remind_authors`` rules), then an escalation to the lead officer and the clerk;
- the chair: a readiness digest before the deadline and on publication day;
- the clerk: a notice on the day the pack must be published.

Planning compares what *should* exist with the rows that do: new rows are added, rows no longer
wanted are cancelled (never deleted, so the clerk sees the history), rows already sent stay.
Reminders whose day has already gone (a meeting added late) are skipped and reported in
:class:`PlanResult.messages`, which callers should show the clerk. Chasing stops once the meeting
is no longer ``scheduled`` (published, held, cancelled) and when the clerk pauses an item.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, insert, or_, select
from sqlalchemy.orm import Session

from agenda.board.due import (
    as_rule_list,
    item_due_at,
    local_date,
    meeting_deadlines,
    rule_day,
    rules_of,
)
from agenda.board.models import (
    ForwardPlanItem,
    ItemKind,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Member,
    Paper,
    Role,
)
from agenda.clock import UTC, as_utc
from agenda.deadlines.rules import Rule, parse_rule
from agenda.deadlines.workdays import calendar_for
from agenda.reminders.tables import KIND_GROUP, Reminder, ReminderKind, ReminderStatus
from agenda.reminders.wanted import why_unwanted

SEND_TIME = dt.time(9, 30)  # a sensible local hour: after people arrive, before meetings start
LIVE = (ReminderStatus.PENDING.value,)
NOTICE_KINDS = (ReminderKind.CLERK_NOTICE.value, ReminderKind.NOTICE.value)


@dataclass(frozen=True)
class Planned:
    """A reminder that should exist."""

    key: str
    kind: ReminderKind
    recipient: str
    day: dt.date
    due_at: dt.datetime
    body_id: int
    meeting_id: int | None
    item_id: int | None
    payload: dict[str, Any]
    past: bool = False  # its day has gone: keep a row that exists, but do not add one

    @property
    def supersede_key(self) -> str:
        scope = f"i{self.item_id}" if self.item_id else f"m{self.meeting_id}"
        return f"{self.recipient}|{KIND_GROUP[self.kind]}|{scope}"


@dataclass
class PlanResult:
    """What a re-plan did; ``messages`` are for the clerk (e.g. reminders skipped because the
    meeting was added after their day)."""

    added: int = 0
    updated: int = 0
    cancelled: int = 0
    skipped_past: int = 0
    messages: list[str] = field(default_factory=list)

    def merge(self, other: PlanResult) -> None:
        self.added += other.added
        self.updated += other.updated
        self.cancelled += other.cancelled
        self.skipped_past += other.skipped_past
        self.messages.extend(other.messages)


def send_at(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """09:30 local on ``day``, as aware UTC."""
    return dt.datetime.combine(day, SEND_TIME, tzinfo=tz).astimezone(UTC)


class _Planner:
    """Works out the wanted reminders for one meeting's context (timezone, calendar, rules)."""

    def __init__(self, meeting: Meeting, now: dt.datetime) -> None:
        self.meeting = meeting
        body = meeting.body
        self.body = body
        org = body.organisation
        self.tz = org.zone
        self.calendar = calendar_for(org)
        self.now = as_utc(now)
        self.today = self.now.astimezone(self.tz).date()
        self.rules = rules_of(body.deadlines)
        self.deadlines = meeting_deadlines(meeting)
        self.due_day = local_date(self.deadlines.papers_due, self.tz)

    def _people(self, role: str) -> list[str]:
        return [m.slack_id for m in self.body.members if m.active and m.role == role and m.slack_id]

    def lead_officer(self, item: ForwardPlanItem) -> str | None:
        """The Slack id of the body member the item's ``lead`` names (by title or name)."""
        lead = (item.lead or "").strip().lower()
        if not lead:
            return None
        for m in self.body.members:
            if m.active and m.slack_id and lead in ((m.title or "").lower(), m.name.lower()):
                return m.slack_id
        return None

    def _day(self, rule: Rule, default_anchor: str, due_day: dt.date) -> dt.date:
        return rule_day(
            rule,
            default_anchor=default_anchor,  # type: ignore[arg-type]
            meeting_day=self.meeting.date,
            due_day=due_day,
            publication=self.deadlines.publication,
            calendar=self.calendar,
        )

    def make(
        self,
        kind: ReminderKind,
        recipient: str,
        day: dt.date,
        tag: str,
        *,
        item: ForwardPlanItem | None = None,
        **payload: Any,
    ) -> Planned:
        """A reminder at 09:30 local on ``day``; one planned today after 09:30 is due at once."""
        scope = f"i{item.id}:m{self.meeting.id}" if item else f"m{self.meeting.id}"
        key = f"{scope}:{kind.value}:{tag}:{day.isoformat()}:{recipient}"
        return Planned(
            key=key,
            kind=kind,
            recipient=recipient,
            day=day,
            due_at=send_at(day, self.tz),
            body_id=self.body.id,
            meeting_id=self.meeting.id,
            item_id=item.id if item else None,
            payload={"rule": tag, **payload},
            past=day < self.today,
        )

    def for_meeting(self) -> list[Planned]:
        if self.meeting.status != MeetingStatus.SCHEDULED.value:
            return []
        out: list[Planned] = []
        for text in as_rule_list(self.rules["remind_chair"]):
            rule = parse_rule(text)
            day = self._day(rule, "due", self.due_day)
            if day >= self.meeting.date:
                continue
            out.extend(
                self.make(ReminderKind.CHAIR_DIGEST, chair, day, rule.tag)
                for chair in self._people(Role.CHAIR.value)
            )
        for clerk in self._people(Role.CLERK.value):
            out.append(
                self.make(
                    ReminderKind.CLERK_PUBLICATION, clerk, self.deadlines.publication, "publication"
                )
            )
        return out

    def for_item(self, item: ForwardPlanItem, has_paper: bool) -> tuple[list[Planned], list[str]]:
        notes: list[str] = []
        if (
            item.status != ItemStatus.PLANNED.value
            or item.meeting_id != self.meeting.id
            or self.meeting.status != MeetingStatus.SCHEDULED.value
            or not ItemKind(item.kind).expects_paper
            or has_paper
            or item.chasing_paused
        ):
            return [], notes
        due = item_due_at(item)
        assert due is not None
        due_day = local_date(due, self.tz)
        out: list[Planned] = []
        authors = [a.slack_id for a in item.authors if a.slack_id]
        missing = [a.label for a in item.authors if not a.slack_id]
        if missing:
            notes.append(f"'{item.title}': {', '.join(missing)} not on Slack, so not chased.")
        for text in as_rule_list(self.rules["remind_authors"]):
            rule = parse_rule(text)
            day = self._day(rule, "due", due_day)
            if day >= self.meeting.date:
                continue
            kind = (
                ReminderKind.AUTHOR_BEFORE
                if day < due_day
                else ReminderKind.AUTHOR_DUE
                if day == due_day
                else ReminderKind.AUTHOR_CHASER
            )
            out.extend(self.make(kind, a, day, rule.tag, item=item) for a in authors)
        # The lead officer and the clerk; not an author (they have just had the chaser).
        to = [
            r
            for r in [self.lead_officer(item), *self._people(Role.CLERK.value)]
            if r and r not in authors
        ]
        for text in as_rule_list(self.rules["escalate"]):
            rule = parse_rule(text)
            day = self._day(rule, "due", due_day)
            if day < self.meeting.date:
                out.extend(
                    self.make(ReminderKind.ESCALATION, r, day, rule.tag, item=item)
                    for r in dict.fromkeys(to)
                )
        return out, notes


def _reconcile(
    session: Session,
    rows: Iterable[Reminder],
    wanted: list[Planned],
    now: dt.datetime,
    why_cancelled: Callable[[], str],
    inserts: list[dict[str, Any]],
) -> PlanResult:
    """Cancel unwanted pending rows, revive or move wanted ones, and queue new ones on
    ``inserts`` (written in one statement by the caller: far faster than ORM objects)."""
    result = PlanResult()
    existing = {r.dedupe_key: r for r in rows}
    wanted_keys = {p.key for p in wanted}
    for key, stale in existing.items():
        if key not in wanted_keys and stale.status in LIVE:
            stale.status = ReminderStatus.CANCELLED.value
            stale.note = why_cancelled()
            stale.updated_at = now
            result.cancelled += 1
    for p in wanted:
        row = existing.get(p.key)
        if row is None and p.past:
            result.skipped_past += 1  # its day went by before it was planned: not sent
            continue
        if row is None:
            inserts.append(
                dict(
                    dedupe_key=p.key,
                    kind=p.kind.value,
                    recipient=p.recipient,
                    supersede_key=p.supersede_key,
                    body_id=p.body_id,
                    meeting_id=p.meeting_id,
                    item_id=p.item_id,
                    planned_at=p.due_at,
                    due_at=p.due_at,
                    status=ReminderStatus.PENDING.value,
                    attempts=0,
                    payload=p.payload,
                    created_at=now,
                    updated_at=now,
                )
            )
            result.added += 1
        elif not p.past and _needs_update(row, p):
            # Revive a cancelled row (the item came back) or keep a pending one on time.
            row.status = ReminderStatus.PENDING.value
            row.planned_at = row.due_at = p.due_at
            row.note = None
            row.updated_at = now
            result.updated += 1
    return result


def _needs_update(row: Reminder, p: Planned) -> bool:
    if row.status == ReminderStatus.CANCELLED.value:
        return True
    # Compare the planned time: due_at may have moved on for a retry, which is not a change.
    return row.status == ReminderStatus.PENDING.value and as_utc(row.planned_at) != p.due_at


def _reason(item: ForwardPlanItem | None, meeting: Meeting | None, has_paper: bool = False) -> str:
    """Why planning cancels a row: the shared check, or else its timing changed."""
    why = why_unwanted(
        meeting if meeting is not None else (item.meeting if item is not None else None),
        item,
        about_item=item is not None,
        has_paper=has_paper,
    )
    if why:
        return why
    if meeting is not None and meeting.status == MeetingStatus.PUBLISHED.value:
        return "agenda published without it"
    return "deadline or meeting changed"


def _items_with_papers(session: Session, item_ids: list[int]) -> set[int]:
    if not item_ids:
        return set()
    return set(session.scalars(select(Paper.item_id).where(Paper.item_id.in_(item_ids)).distinct()))


def _skipped_message(meeting: Meeting, count: int) -> str:
    return (
        f"{count} reminder(s) for {meeting.ref} were not planned because their day has "
        "already passed (the meeting was added or moved late); the rest are planned."
    )


def _insert(session: Session, inserts: list[dict[str, Any]]) -> None:
    """All the new rows of a re-plan in one executemany: psycopg pipelines it (one round trip).
    Measured against one multi-row ``INSERT ... VALUES`` (insertmanyvalues): that was 1.5x
    slower per meeting, psycopg re-parsing each long statement's thousands of placeholders."""
    if inserts:
        session.execute(insert(Reminder), inserts)


def _replan_item_rows(
    session: Session,
    item: ForwardPlanItem,
    rows: list[Reminder],
    has_paper: bool,
    planner: _Planner,
    inserts: list[dict[str, Any]],
) -> PlanResult:
    wanted, notes = planner.for_item(item, has_paper)
    result = _reconcile(
        session, rows, wanted, planner.now, lambda: _reason(item, item.meeting, has_paper), inserts
    )
    result.messages.extend(notes)
    return result


def replan_item(session: Session, item: ForwardPlanItem, *, now: dt.datetime) -> PlanResult:
    """Re-plan the reminders of one item (added, moved, withdrawn, paper received, extended,
    chasing paused). Call in the transaction that made the change."""
    session.flush()
    rows = list(
        session.scalars(
            select(Reminder).where(Reminder.item_id == item.id, Reminder.kind.not_in(NOTICE_KINDS))
        )
    )
    if item.meeting is None:
        return _reconcile(session, rows, [], as_utc(now), lambda: _reason(item, None), [])
    has_paper = bool(_items_with_papers(session, [item.id]))
    inserts: list[dict[str, Any]] = []
    result = _replan_item_rows(session, item, rows, has_paper, _Planner(item.meeting, now), inserts)
    _insert(session, inserts)
    if result.skipped_past:
        result.messages.append(_skipped_message(item.meeting, result.skipped_past))
    return result


def replan_meeting(session: Session, meeting: Meeting, *, now: dt.datetime) -> PlanResult:
    """Re-plan every reminder of a meeting and its items (added, moved, cancelled)."""
    return replan_meetings(session, [meeting], now=now)[0]


def replan_meetings(
    session: Session, meetings: list[Meeting], *, now: dt.datetime
) -> list[PlanResult]:
    """Re-plan several meetings at once (an import, a body's year of meetings): one query for
    their reminders, one for which items have papers and one INSERT for the new rows, whatever
    the number of meetings and items. One result per meeting, in order."""
    session.flush()
    if not meetings:
        return []
    item_ids = [i.id for m in meetings for i in m.items]
    scope: ColumnElement[bool] = Reminder.meeting_id.in_([m.id for m in meetings])
    if item_ids:
        scope = or_(scope, Reminder.item_id.in_(item_ids))
    rows = session.scalars(select(Reminder).where(scope, Reminder.kind.not_in(NOTICE_KINDS)))
    of_meeting: dict[int | None, list[Reminder]] = defaultdict(list)
    of_item: dict[int, list[Reminder]] = defaultdict(list)
    for r in rows:
        if r.item_id is None:
            of_meeting[r.meeting_id].append(r)
        else:
            of_item[r.item_id].append(r)
    with_papers = _items_with_papers(session, item_ids)
    inserts: list[dict[str, Any]] = []
    results = []
    for meeting in meetings:
        planner = _Planner(meeting, now)
        result = _reconcile(
            session,
            of_meeting.pop(meeting.id, []),
            planner.for_meeting(),
            planner.now,
            partial(_reason, None, meeting),
            inserts,
        )
        for item in meeting.items:
            result.merge(
                _replan_item_rows(
                    session,
                    item,
                    of_item.pop(item.id, []),
                    item.id in with_papers,
                    planner,
                    inserts,
                )
            )
        if result.skipped_past:
            result.messages.append(_skipped_message(meeting, result.skipped_past))
        result.messages.extend(planner.deadlines.warnings)  # e.g. a meeting on a bank holiday
        results.append(result)
    _insert(session, inserts)
    # Rows of items that have since left these meetings: re-plan those items where they are now.
    for item_id in list(of_item):
        other = session.get(ForwardPlanItem, item_id)
        if other is not None:
            results[0].merge(replan_item(session, other, now=now))
    return results


def body_clerks(session: Session, body_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Member.slack_id).where(
                Member.body_id == body_id,
                Member.role == Role.CLERK.value,
                Member.active.is_(True),
                Member.slack_id.is_not(None),
            )
        )
    )


def queue_notice(
    session: Session,
    *,
    recipient: str,
    text: str,
    key: str,
    body_id: int,
    now: dt.datetime,
    kind: ReminderKind = ReminderKind.CLERK_NOTICE,
    meeting_id: int | None = None,
    item_id: int | None = None,
    **payload: Any,
) -> Reminder | None:
    """A one-off message sent by the next worker tick (deduplicated on ``key``)."""
    if session.scalar(select(Reminder.id).where(Reminder.dedupe_key == key)) is not None:
        return None
    row = Reminder(
        dedupe_key=key,
        kind=kind.value,
        recipient=recipient,
        supersede_key=None,
        body_id=body_id,
        meeting_id=meeting_id,
        item_id=item_id,
        planned_at=as_utc(now),
        due_at=as_utc(now),
        status=ReminderStatus.PENDING.value,
        attempts=0,
        payload={"text": text, **payload},
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    return row
