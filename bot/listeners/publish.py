"""Publishing the agenda from Slack, and the meeting notice members act on.

The worker DMs the clerk the public pack with a "Publish to members" button
(:func:`bot.blocks.publish.publish_offer_blocks`, value = meeting ref). Pressing it runs
``agenda.pack.publication.publish_meeting`` and posts the meeting notice: the public PDF pack and
the "Send apologies" / "Declare an interest" buttons, in the body's channel, or to each member
by direct message when the body has no channel. The private pack is never posted here.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.board.permissions import Actor
from agenda.pack.publication import PublishedNotice, publish_meeting
from bot import errors, messages
from bot.blocks.publish import PUBLISH_ACTION, notice_blocks
from bot.deps import deps_of
from bot.listeners.common import just_ack, slow
from bot.slack import dm, dm_channel

log = logging.getLogger(__name__)


def _post_notice(client: WebClient, channel: str, notice: PublishedNotice) -> None:
    """The public pack, then the notice with its buttons (a file upload carries no buttons)."""
    client.files_upload_v2(
        channel=channel,
        file=str(notice.pack_path),
        filename=notice.pack_file_name,
        title=notice.pack_file_name,
    )
    client.chat_postMessage(
        channel=channel, text=notice.notice_text(), blocks=notice_blocks(notice)
    )


def post_notice(client: WebClient, notice: PublishedNotice) -> list[str]:
    """Post the notice where it goes; return what could not be delivered (for the clerk)."""
    if notice.channel:
        try:
            _post_notice(client, notice.channel, notice)
        except SlackApiError as err:
            return [messages.channel_unreachable(notice.channel, err.response.get("error"))]
        return []
    problems = []
    for member in notice.member_slack_ids:
        try:
            _post_notice(client, dm_channel(client, member), notice)
        except SlackApiError as err:
            log.warning("could not send the notice to %s: %s", member, err.response.get("error"))
            problems.append(messages.member_unreachable(member, err.response.get("error")))
    return problems


@slow
@errors.by_dm
def publish(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps = deps_of(context)
    user = body["user"]["id"]
    with deps.session() as session:
        notice = publish_meeting(
            session,
            deps.store,
            actor=Actor.slack(user),
            meeting_ref=action["value"],
            now=deps.now(),
        )
    dm(client, user, messages.published(notice, post_notice(client, notice)))


def register(app: App) -> None:
    app.action(PUBLISH_ACTION)(ack=just_ack, lazy=[publish])
