"""A person's upcoming meetings as they see them from Slack: the items they may submit for,
the meetings they clerk or sit on, and where their own papers stand. Plain values out, so the
Slack adapter never reads the tables itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.lookup import get_item, get_meeting
from agenda.board.models import Meeting, Organisation
from agenda.board.permissions import Actor, clerking, is_author, require_can_submit, require_clerk
from agenda.clock import DEFAULT_TIMEZONE
from agenda.kinds import MeetingStatus
from agenda.minutes.service import agenda_items_of, attendance_summary
from agenda.pack.readiness import Readiness, readiness_of, upcoming_meetings
from agenda.plan.items import ItemView, item_view


@dataclass(frozen=True)
class MeetingSummary:
    ref: str
    body_key: str
    body_name: str
    starts_at: dt.datetime
    date: dt.date  # local, as in the ref


@dataclass(frozen=True)
class SubmitChoice:
    """An upcoming meeting and the items on it the person may submit for."""

    meeting: MeetingSummary
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class OwnItem:
    """An item the person writes, with its readiness state."""

    item: ItemView
    state: str
    body_name: str


@dataclass(frozen=True)
class MemberMeeting:
    """An upcoming meeting of a body the person sits on, for the notice buttons on App Home."""

    ref: str
    body_name: str
    starts_at: dt.datetime
    venue: str | None
    published: bool
    apologies_sent: bool


def organisation_tz(session: Session) -> str:
    """The organisation's time zone, for showing deadlines as people read them."""
    name = session.scalar(select(Organisation.timezone).order_by(Organisation.id))
    return name or DEFAULT_TIMEZONE


def _upcoming(meeting: Meeting) -> MeetingSummary:
    # also for meetings that are not upcoming: the summary is the same
    return MeetingSummary(
        meeting.ref, meeting.body.key, meeting.body.name, meeting.starts_at, meeting.date
    )


def my_meetings(session: Session, slack_id: str, now: dt.datetime) -> list[MeetingSummary]:
    """Upcoming meetings of the bodies the person is on (as member, clerk or author)."""
    return [_upcoming(m) for m in upcoming_meetings(session, now=now, slack_id=slack_id)]


def _clerked(
    session: Session, slack_id: str, now: dt.datetime, body_id: int | None
) -> list[Meeting]:
    clerks = clerking(session, Actor.slack(slack_id))
    return [
        m
        for m in upcoming_meetings(session, now=now, slack_id=slack_id)
        if clerks.of(m.body_id) and (body_id is None or m.body_id == body_id)
    ]


def clerk_meetings(
    session: Session,
    slack_id: str,
    now: dt.datetime,
    *,
    like_meeting: str | None = None,
    like_item: int | str | None = None,
) -> list[MeetingSummary]:
    """Upcoming meetings of the bodies the person clerks; with ``like_meeting`` or
    ``like_item``, only those of that meeting's (or item's) body."""
    body_id = None
    if like_meeting is not None:
        body_id = get_meeting(session, like_meeting).body_id
    elif like_item is not None:
        body_id = get_item(session, like_item).body_id
    return [_upcoming(m) for m in _clerked(session, slack_id, now, body_id)]


def meeting_summary(session: Session, meeting_ref: str) -> MeetingSummary:
    return _upcoming(get_meeting(session, meeting_ref))


def agenda_titles(session: Session, meeting_ref: str) -> list[tuple[int, str]]:
    """The id and title of each item on the meeting's agenda, in order."""
    return [(i.id, i.title) for i in agenda_items_of(session, get_meeting(session, meeting_ref))]


def item_as_seen(session: Session, item_id: int | str, slack_id: str) -> ItemView:
    """The item as the person may see it (exempt details only for those allowed)."""
    return item_view(session, get_item(session, item_id), Actor.slack(slack_id))


def submit_choices(session: Session, slack_id: str, now: dt.datetime) -> list[SubmitChoice]:
    """Upcoming meetings of the person's bodies with the items they may submit for: items they
    are named on, or every planned item of a body they clerk."""
    actor = Actor.slack(slack_id)
    clerks = clerking(session, actor)
    choices = []
    for meeting in upcoming_meetings(session, now=now, slack_id=slack_id):
        clerk = clerks.of(meeting.body_id)
        items = tuple(
            item_view(session, i, actor, clerks=clerks)
            for i in meeting.planned_items()
            if clerk or is_author(i, actor)
        )
        if items:
            choices.append(SubmitChoice(_upcoming(meeting), items))
    return choices


def own_items(session: Session, slack_id: str, now: dt.datetime) -> list[OwnItem]:
    """The items the person writes on upcoming meetings, each with its readiness state."""
    actor = Actor.slack(slack_id)
    clerks = clerking(session, actor)
    own = []
    for meeting in upcoming_meetings(session, now=now, slack_id=slack_id):
        mine = [i for i in meeting.items if is_author(i, actor)]
        if not mine:
            continue
        ready = readiness_of(session, meeting, now=now, viewer=actor, clerks=clerks)
        views = {r.item.id: r for r in ready.items}
        own += [
            OwnItem(views[i.id].item, views[i.id].state, meeting.body.name)
            for i in mine
            if i.id in views
        ]
    return own


def clerk_readiness(session: Session, slack_id: str, now: dt.datetime) -> list[Readiness]:
    """The readiness of each upcoming meeting the person clerks."""
    actor = Actor.slack(slack_id)
    clerks = clerking(session, actor)
    return [
        readiness_of(session, m, now=now, viewer=actor, clerks=clerks)
        for m in _clerked(session, slack_id, now, None)
    ]


def member_meetings(session: Session, slack_id: str, now: dt.datetime) -> list[MemberMeeting]:
    """Upcoming meetings of the bodies the person sits on (not as clerk), and whether they
    have already sent apologies for each."""
    out = []
    for meeting in upcoming_meetings(session, now=now, slack_id=slack_id):
        me = next((m for m in meeting.body.sitting_members if m.slack_id == slack_id), None)
        if me is None:
            continue
        sent = any(a.name == me.name for a in attendance_summary(session, meeting).apologies)
        out.append(
            MemberMeeting(
                meeting.ref,
                meeting.body.name,
                meeting.starts_at,
                meeting.venue,
                meeting.status == MeetingStatus.PUBLISHED.value,
                sent,
            )
        )
    return out


def check_clerk_of_meeting(session: Session, slack_id: str, meeting_ref: str, doing: str) -> None:
    """Refuse (PermissionDenied, NotFound) unless the person clerks the meeting's body."""
    meeting = get_meeting(session, meeting_ref)
    require_clerk(session, meeting.body, Actor.slack(slack_id), doing)


def check_clerk_of_item(
    session: Session, slack_id: str, item_id: int | str, doing: str
) -> ItemView:
    """The item, as its body's clerk sees it; refused unless the person is that clerk."""
    item = get_item(session, item_id)
    actor = Actor.slack(slack_id)
    require_clerk(session, item.body, actor, doing)
    return item_view(session, item, actor)


def check_can_submit(session: Session, slack_id: str, item_id: int | str) -> bool:
    """Refuse unless the person may submit a paper for the item; True if the item already
    carries the reason it is exempt (so a paper marked exempt needs none of its own)."""
    item = get_item(session, item_id)
    require_can_submit(session, item, Actor.slack(slack_id))
    return bool(item.exempt and item.exempt_reason)
