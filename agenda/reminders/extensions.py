"""Extensions and pausing: an author asks for more time, the clerk or chair decides; the clerk
can stop the chasing of one item. Each change re-plans the item's reminders in the same
transaction. The bot puts buttons on these; the services check who may do what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board import audit
from agenda.board.due import DUE_TIME, item_due_at
from agenda.board.lookup import get_item, in_id_range
from agenda.board.models import ForwardPlanItem, ItemStatus, Member, Role
from agenda.board.permissions import Actor, is_author, is_chair, is_clerk, require_clerk
from agenda.clock import as_utc
from agenda.documents.words import clock_on_day
from agenda.errors import DeadlinePassed, InvalidInput, NotFound, PermissionDenied
from agenda.reminders.planning import PlanResult, body_clerks, queue_notice, replan_item
from agenda.reminders.tables import ExtensionRequest, ExtensionStatus, ReminderKind


def _tz(item: ForwardPlanItem) -> ZoneInfo:
    return item.body.organisation.zone


def _as_due(item: ForwardPlanItem, until: dt.date | dt.datetime) -> dt.datetime:
    """A date means 17:00 local that day, as every deadline does."""
    if isinstance(until, dt.datetime):
        if until.tzinfo is None:
            raise InvalidInput("The new deadline needs a timezone.")
        return as_utc(until)
    return dt.datetime.combine(until, DUE_TIME, tzinfo=_tz(item)).astimezone(dt.UTC)


def _open_item(item: ForwardPlanItem, now: dt.datetime) -> None:
    meeting = item.meeting
    if item.status != ItemStatus.PLANNED.value or meeting is None:
        raise InvalidInput(f"'{item.title}' is not planned for a meeting, so it has no deadline.")
    closed = DeadlinePassed(
        f"The meeting {meeting.ref} is cancelled or over; its deadlines can no longer change."
    )
    meeting.require_open(now, cancelled=closed, over=closed)


def _local(value: dt.datetime, item: ForwardPlanItem) -> str:
    return clock_on_day(as_utc(value).astimezone(_tz(item)))


def _deciders(session: Session, item: ForwardPlanItem) -> list[str]:
    chairs = session.scalars(
        select(Member.slack_id).where(
            Member.body_id == item.body_id,
            Member.role.in_([Role.CHAIR.value]),
            Member.active.is_(True),
            Member.slack_id.is_not(None),
        )
    )
    return list(dict.fromkeys([*body_clerks(session, item.body_id), *chairs]))


def request_extension(
    session: Session,
    *,
    actor: Actor,
    item_id: int | str,
    until: dt.date | dt.datetime,
    reason: str | None = None,
    now: dt.datetime,
) -> ExtensionRequest:
    """An author (or the clerk on their behalf) asks for the item's paper to be due later.
    The clerk and the chair are told; a newer request replaces a pending one."""
    item = get_item(session, item_id)
    if not (is_author(item, actor) or is_clerk(session, item.body, actor)):
        raise PermissionDenied(
            f"Only the authors of '{item.title}' can ask for an extension.",
            hint=f"ask the clerk of the {item.body.name}",
        )
    _open_item(item, now)
    new_due = _as_due(item, until)
    current = item_due_at(item)
    assert current is not None and item.meeting is not None
    if new_due <= current:
        raise InvalidInput(
            f"'{item.title}' is already due by {_local(current, item)}; "
            "an extension must be later than that."
        )
    if new_due >= item.meeting.starts_at:
        raise InvalidInput(
            f"An extension must end before the meeting starts "
            f"({_local(item.meeting.starts_at, item)})."
        )
    for old in session.scalars(
        select(ExtensionRequest).where(
            ExtensionRequest.item_id == item.id,
            ExtensionRequest.status == ExtensionStatus.PENDING.value,
        )
    ):
        old.status = ExtensionStatus.WITHDRAWN.value
    request = ExtensionRequest(
        item_id=item.id,
        requested_by=actor.id,
        until=new_due,
        reason=(reason or "").strip() or None,
        status=ExtensionStatus.PENDING.value,
        created_at=now,
    )
    session.add(request)
    session.flush()
    who = f"<@{actor.slack_id}>" if actor.slack_id else actor.id
    text = (
        f"{who} asks for an extension for '{item.title}' ({item.meeting.ref}) until "
        f"{_local(new_due, item)}; it is due by {_local(current, item)}."
        + (f" Reason: {request.reason}" if request.reason else "")
    )
    for person in _deciders(session, item):
        queue_notice(
            session,
            recipient=person,
            text=text,
            key=f"ext:{request.id}:{person}",
            body_id=item.body_id,
            now=now,
            meeting_id=item.meeting_id,
            item_id=item.id,
            extension_request=request.id,
        )
    audit.record(
        session,
        actor=actor,
        action="extension.requested",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
        until=new_due.isoformat(),
        reason=request.reason,
    )
    return request


def decide_extension(
    session: Session,
    *,
    actor: Actor,
    request_id: int,
    approve: bool,
    note: str | None = None,
    now: dt.datetime,
) -> ExtensionRequest:
    """The clerk or chair approves (the item's deadline moves and its reminders follow) or
    declines. The requester is told either way."""
    request = session.get(ExtensionRequest, request_id) if in_id_range(request_id) else None
    if request is None:
        raise NotFound(f"There is no extension request {request_id}.")
    item = session.get(ForwardPlanItem, request.item_id)
    assert item is not None
    if not (is_clerk(session, item.body, actor) or is_chair(session, item.body, actor)):
        raise PermissionDenied(
            f"Only the clerk or the chair of the {item.body.name} can decide extensions."
        )
    if request.status != ExtensionStatus.PENDING.value:
        raise InvalidInput(f"This request has already been {request.status}.")
    _open_item(item, now)
    request.status = (ExtensionStatus.APPROVED if approve else ExtensionStatus.DECLINED).value
    request.decided_by, request.decided_at = actor.id, now
    request.decision_note = (note or "").strip() or None
    if approve:
        item.due_override = request.until
        replan_item(session, item, now=now)
        text = (
            f"Your extension for '{item.title}' is approved: it is now due by "
            f"{_local(request.until, item)}."
        )
    else:
        due = item_due_at(item)
        assert due is not None
        text = (
            f"Your extension for '{item.title}' was declined; it is still due by "
            f"{_local(due, item)}."
        )
    if request.decision_note:
        text += f" Note: {request.decision_note}"
    if request.requested_by and not request.requested_by.startswith(("cli:", "system")):
        queue_notice(
            session,
            recipient=request.requested_by,
            text=text,
            key=f"ext-decided:{request.id}",
            body_id=item.body_id,
            now=now,
            kind=ReminderKind.NOTICE,
            meeting_id=item.meeting_id,
            item_id=item.id,
        )
    audit.record(
        session,
        actor=actor,
        action=f"extension.{request.status}",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
        request=request.id,
        until=request.until.isoformat(),
    )
    return request


def grant_extension(
    session: Session,
    *,
    actor: Actor,
    item_id: int | str,
    until: dt.date | dt.datetime,
    now: dt.datetime,
) -> PlanResult:
    """The clerk sets an item's own deadline directly (no request needed)."""
    item = get_item(session, item_id)
    require_clerk(session, item.body, actor, "change an item's deadline")
    _open_item(item, now)
    item.due_override = _as_due(item, until)
    audit.record(
        session,
        actor=actor,
        action="extension.granted",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
        until=item.due_override.isoformat(),
    )
    return replan_item(session, item, now=now)


def pause_chasing(
    session: Session, *, actor: Actor, item_id: int | str, paused: bool = True, now: dt.datetime
) -> PlanResult:
    """Stop (or, with ``paused=False``, restart) reminders to an item's authors and the
    escalations about it. The chair's digest still counts it."""
    item = get_item(session, item_id)
    require_clerk(session, item.body, actor, "pause reminders")
    item.chasing_paused = paused
    audit.record(
        session,
        actor=actor,
        action="reminders.paused" if paused else "reminders.resumed",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
    )
    return replan_item(session, item, now=now)


@dataclass(frozen=True)
class ExtensionForm:
    """What the person asking for an extension is shown."""

    item_id: int
    title: str
    meeting_ref: str
    due_at: dt.datetime | None


def extension_form(session: Session, *, actor: Actor, item_id: int | str) -> ExtensionForm:
    """The item an extension would be for; only its authors (and the clerk) may ask."""
    item = get_item(session, item_id)
    if not (is_author(item, actor) or is_clerk(session, item.body, actor)):
        raise InvalidInput(
            f"You are not named as an author of '{item.title}', so "
            "you cannot ask for an extension for it."
        )
    return ExtensionForm(
        item_id=item.id,
        title=item.title,
        meeting_ref=item.meeting.ref if item.meeting else "",
        due_at=item_due_at(item),
    )
