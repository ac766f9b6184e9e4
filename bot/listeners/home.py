"""App Home: everyone's own items and deadlines; for members, each upcoming meeting with the
notice's "Send apologies" / "Declare an interest" buttons; for clerks, each upcoming meeting's
readiness with buttons to open the plan and queue the pack and minutes builds."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from agenda.pack.overview import clerk_readiness, member_meetings, organisation_tz, own_items
from bot import errors
from bot.blocks.common import View
from bot.blocks.home import BUILD_BUTTONS, home_view
from bot.blocks.minutes import meeting_notice_buttons
from bot.deps import Deps, deps_of
from bot.listeners.commands import queue_build
from bot.listeners.common import just_ack, slow
from bot.slack import dm


def home_for(deps: Deps, user: str) -> View:
    now = deps.now()
    with deps.read() as session:
        return home_view(
            own=own_items(session, user, now),
            clerk=clerk_readiness(session, user, now),
            tz=organisation_tz(session),
            member=member_meetings(session, user, now),
            notice_buttons=meeting_notice_buttons,
        )


@slow
def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    client.views_publish(user_id=event["user"], view=home_for(deps_of(context), event["user"]))


@slow
@errors.by_dm
def build(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    user = body["user"]["id"]
    what, private = BUILD_BUTTONS[action["action_id"]]
    text = queue_build(
        deps_of(context), what, action["value"], user=user, private=private, team_id=context.team_id
    )
    dm(client, user, text)


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)
    for action_id in BUILD_BUTTONS:
        app.action(action_id)(ack=just_ack, lazy=[build])
