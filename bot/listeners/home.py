"""App Home: everyone's own items and deadlines; for members, each upcoming meeting with the
notice's "Send apologies" / "Declare an interest" buttons; for clerks, each upcoming meeting's
readiness with buttons to open the plan and queue the pack and minutes builds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from agenda.board.models import MeetingStatus, Role
from agenda.board.permissions import Actor, is_author
from agenda.errors import BoardclerkError
from agenda.minutes.service import attendance_summary
from agenda.pack.readiness import readiness_of, upcoming_meetings
from agenda.plan.items import item_view
from bot.deps import Deps
from bot.listeners.common import clerk_meetings, org_tz, queue_build, slow
from bot.listeners.minutes import meeting_notice_buttons
from bot.slack import dm
from bot.views import MemberMeeting, OwnItem, home_view

BUILD_BUTTONS = {
    "home_build_pack": ("pack", False),
    "home_build_private_pack": ("pack", True),
    "home_build_minutes": ("minutes", False),
}


def home_for(deps: Deps, user: str) -> dict[str, Any]:
    actor = Actor.slack(user)
    now = deps.now()
    with deps.read() as session:
        tz = org_tz(session)
        own = []
        for meeting in upcoming_meetings(session, now=now, slack_id=user):
            mine = [i for i in meeting.items if is_author(i, actor)]
            if not mine:
                continue
            states = {
                r.item.id: r.state
                for r in readiness_of(session, meeting, now=now, viewer=actor).items
            }
            own += [
                OwnItem(item_view(session, i, actor), states.get(i.id, i.status), meeting.body.name)
                for i in mine
                if i.id in states
            ]
        clerk = [
            readiness_of(session, m, now=now, viewer=actor)
            for m in clerk_meetings(session, user, now)
        ]
        member = member_meetings(session, user, now)
        return home_view(
            own=own, clerk=clerk, tz=tz, member=member, notice_buttons=meeting_notice_buttons
        )


def member_meetings(session: Session, user: str, now: dt.datetime) -> list[MemberMeeting]:
    """Upcoming meetings of the bodies ``user`` sits on (not as clerk), and whether they have
    already sent apologies for each."""
    out = []
    for meeting in upcoming_meetings(session, now=now, slack_id=user):
        me = next(
            (
                m
                for m in meeting.body.members
                if m.slack_id == user and m.active and m.role != Role.CLERK.value
            ),
            None,
        )
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


def register(app: App, deps: Deps) -> None:
    @slow
    def publish(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home_for(deps, event["user"]))

    app.event("app_home_opened")(publish)

    def ack_build(ack: Ack) -> None:
        ack()

    @slow
    def build(
        body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        user = body["user"]["id"]
        what, private = BUILD_BUTTONS[action["action_id"]]
        try:
            text = queue_build(
                deps, what, action["value"], user=user, private=private, team_id=context.team_id
            )
        except BoardclerkError as err:
            text = f":x: {err}"
        dm(client, user, text)

    for action_id in BUILD_BUTTONS:
        app.action(action_id)(ack=ack_build, lazy=[build])
