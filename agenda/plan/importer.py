"""Loading the configuration into the database, idempotently.

Running an import twice changes nothing the second time: every row is matched by its natural
key (organisation name, body id, member name, meeting date, item key) and written only when a
value differs. Nothing is deleted: members who left are marked inactive, meetings dropped from
the file are left as they are (they may carry papers), and an item the clerk has moved in
boardclerk since the last import stays where the clerk put it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board import audit
from agenda.board.config import BoardConfig, BodyConfig, ItemConfig, PersonConfig, load_config
from agenda.board.due import meeting_deadlines
from agenda.board.models import (
    Body,
    ForwardPlanItem,
    ItemAuthor,
    ItemMove,
    Meeting,
    Member,
    Organisation,
)
from agenda.board.permissions import Actor
from agenda.kinds import MeetingStatus
from agenda.reminders import planning as reminders

IMPORTER = "config-import"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # differences left alone on purpose
    warnings: list[str] = field(default_factory=list)  # e.g. a meeting on a bank holiday

    def warn(self, messages: list[str]) -> None:
        """Add messages for the clerk, once each (several items may report the same thing)."""
        self.warnings.extend(m for m in messages if m not in self.warnings)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.changed:
            return "Nothing to change: the database already matches the configuration."
        parts = []
        if self.created:
            parts.append(f"{len(self.created)} added")
        if self.updated:
            parts.append(f"{len(self.updated)} updated")
        return "Imported: " + ", ".join(parts) + "."


def import_config_file(
    session: Session, path: str | Path, *, now: dt.datetime, actor: Actor | None = None
) -> ImportReport:
    return import_config(session, load_config(path), now=now, actor=actor)


def _set(obj: Any, values: dict[str, Any]) -> list[str]:
    """Assign the values that differ; return the names of those that did."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def import_config(
    session: Session, config: BoardConfig, *, now: dt.datetime, actor: Actor | None = None
) -> ImportReport:
    """Load a validated configuration. The caller's transaction commits or rolls back all of it."""
    actor = actor or Actor.system()
    report = ImportReport()
    org = session.scalar(select(Organisation).where(Organisation.name == config.organisation))
    org_values = {
        "timezone": config.timezone,
        "holiday_country": config.holiday_country,
        "holiday_subdivision": config.holiday_subdivision,
        "closure_days": [d.isoformat() for d in config.closure_days],
        "language": config.language,
    }
    if config.slack_team:
        org_values["slack_team_id"] = config.slack_team
    if org is None:
        org = Organisation(name=config.organisation, created_at=now, **org_values)
        session.add(org)
        session.flush()
        report.created.append(f"organisation {org.name}")
    elif _set(org, org_values):
        report.updated.append(f"organisation {org.name}")

    tz = ZoneInfo(config.timezone)
    bodies: dict[str, Body] = {}
    for body_config in config.bodies:
        bodies[body_config.id] = _import_body(session, org, body_config, tz, now, report)
    for item_config in config.forward_plan:
        _import_item(session, bodies[item_config.body], item_config, now, actor, report)

    if report.changed:
        audit.record(
            session,
            actor=actor,
            action="config.import",
            at=now,
            organisation_id=org.id,
            subject=config.path,
            created=report.created,
            updated=report.updated,
        )
    return report


def _import_body(
    session: Session,
    org: Organisation,
    bc: BodyConfig,
    tz: ZoneInfo,
    now: dt.datetime,
    report: ImportReport,
) -> Body:
    body = session.scalar(select(Body).where(Body.organisation_id == org.id, Body.key == bc.id))
    values: dict[str, Any] = {
        "name": bc.name,
        "style": bc.style,
        "channel": bc.channel,
        "deadlines": bc.deadlines,
        "accessibility": bc.accessibility,
        "active": True,
    }
    if body is None:
        body = Body(organisation=org, key=bc.id, next_minute_number=bc.next_minute_number, **values)
        session.add(body)
        session.flush()
        report.created.append(f"body {bc.id}")
    else:
        changed = _set(body, values)
        # The minute number is set once from the file; after that the minutes loop advances it.
        if body.next_minute_number is None and bc.next_minute_number is not None:
            body.next_minute_number = bc.next_minute_number
            changed.append("next_minute_number")
        if changed:
            report.updated.append(f"body {bc.id} ({', '.join(changed)})")

    people: list[PersonConfig] = ([bc.clerk] if bc.clerk else []) + list(bc.members)
    existing = {m.name: m for m in session.scalars(select(Member).where(Member.body_id == body.id))}
    for position, person in enumerate(people):
        values = {
            "title": person.title,
            "group": person.group,
            "role": person.role,
            "slack_id": person.slack,
            "email": person.email,
            "position": position,
            "active": True,
        }
        member = existing.pop(person.name, None)
        if member is None:
            session.add(Member(body_id=body.id, name=person.name, **values))
            report.created.append(f"member {person.name} of {bc.id}")
        elif changed := _set(member, values):
            report.updated.append(f"member {person.name} of {bc.id} ({', '.join(changed)})")
    for gone in existing.values():
        if gone.active:
            gone.active = False
            report.updated.append(f"member {gone.name} of {bc.id} (left)")

    for mc in bc.meetings:
        starts_at = dt.datetime.combine(mc.date, mc.time, tzinfo=tz).astimezone(dt.UTC)
        meeting = session.scalar(
            select(Meeting).where(Meeting.body_id == body.id, Meeting.date == mc.date)
        )
        values = {"starts_at": starts_at, "venue": mc.venue, "note": mc.note}
        if meeting is None:
            meeting = Meeting(body_id=body.id, date=mc.date, status=mc.status, **values)
            session.add(meeting)
            session.flush()
            report.created.append(f"meeting {bc.id}:{mc.date}")
            report.warn(_meeting_warnings(meeting, now))
            report.warn(
                _about(meeting, reminders.replan_meeting(session, meeting, now=now).messages)
            )
            continue
        changed = _set(meeting, values)
        if mc.status == "cancelled" and meeting.status != "cancelled":
            meeting.status = "cancelled"
            changed.append("status")
        if changed:
            report.updated.append(f"meeting {bc.id}:{mc.date} ({', '.join(changed)})")
            report.warn(_meeting_warnings(meeting, now))
            report.warn(
                _about(meeting, reminders.replan_meeting(session, meeting, now=now).messages)
            )
    return body


def _about(meeting: Meeting, messages: list[str]) -> list[str]:
    return [m if meeting.ref in m else f"{meeting.ref}: {m}" for m in messages]


def _meeting_warnings(meeting: Meeting, now: dt.datetime) -> list[str]:
    """A meeting added so late that its papers were due before today. (A meeting on a bank
    holiday, and reminders skipped, come from the reminder planner's messages.)"""
    if meeting.status == MeetingStatus.CANCELLED.value or meeting.is_over(now):
        return []
    due = meeting_deadlines(meeting).papers_due
    if due >= now:
        return []
    return [
        f"Papers for {meeting.ref} were due {due:%-d %B %Y}, before today: reminders "
        "that can still go out are planned."
    ]


def _import_item(
    session: Session,
    body: Body,
    ic: ItemConfig,
    now: dt.datetime,
    actor: Actor,
    report: ImportReport,
) -> None:
    meeting = session.scalar(
        select(Meeting).where(Meeting.body_id == body.id, Meeting.date == ic.meeting)
    )
    assert meeting is not None  # the config validator checked the meeting is in the file
    item = session.scalar(
        select(ForwardPlanItem).where(
            ForwardPlanItem.body_id == body.id, ForwardPlanItem.config_key == ic.key
        )
    )
    values = {
        "title": ic.title,
        "kind": ic.kind,
        "lead": ic.lead,
        "exempt": ic.exempt,
        "exempt_reason": ic.exempt_reason,
    }
    label = f"item '{ic.title}' ({body.key})"
    if item is None:
        position = len([i for i in meeting.items if i.status != "withdrawn"]) + 1
        item = ForwardPlanItem(
            body_id=body.id,
            meeting_id=meeting.id,
            config_key=ic.key,
            position=position,
            created_at=now,
            **values,
        )
        item.authors = [
            ItemAuthor(slack_id=a.slack, name=a.name, email=a.email) for a in ic.authors
        ]
        session.add(item)
        session.flush()
        session.add(
            ItemMove(
                item_id=item.id, action="planned", to_meeting_id=meeting.id, actor=IMPORTER, at=now
            )
        )
        report.created.append(label)
        # Item-level planner notes repeat the meeting's ("reminders skipped: too late"), which
        # the report already carries once per meeting.
        reminders.replan_item(session, item, now=now)
        return
    changed = _set(item, values)
    wanted = [(a.slack, a.name, a.email) for a in ic.authors]
    if [(a.slack_id, a.name, a.email) for a in item.authors] != wanted:
        item.authors = [ItemAuthor(slack_id=s, name=n, email=e) for s, n, e in wanted]
        changed.append("authors")
    if item.meeting_id != meeting.id:
        last = item.moves[-1] if item.moves else None
        if last is not None and last.actor != IMPORTER:
            report.kept.append(f"{label} stays where {last.actor} moved it")
        else:
            session.add(
                ItemMove(
                    item_id=item.id,
                    action="moved",
                    from_meeting_id=item.meeting_id,
                    to_meeting_id=meeting.id,
                    actor=IMPORTER,
                    at=now,
                    reason="changed in the configuration file",
                )
            )
            item.meeting_id = meeting.id
            changed.append("meeting")
    if changed:
        report.updated.append(f"{label} ({', '.join(changed)})")
        reminders.replan_item(session, item, now=now)
