"""Publishing the agenda from Slack, and the meeting notice members act on.

The worker DMs the clerk the public pack with a "Publish to members" button
(:func:`publish_offer_blocks`, value = meeting ref). Pressing it runs
``agenda.pack.publication.publish_meeting`` and posts the meeting notice: the public PDF pack and
the "Send apologies" / "Declare an interest" buttons, in the body's channel, or to each member
by direct message when the body has no channel. The private pack is never posted here.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.board.permissions import Actor
from agenda.errors import BoardclerkError
from agenda.pack.publication import PublishedNotice, publish_meeting
from bot.deps import Deps
from bot.listeners.common import slow
from bot.listeners.minutes import meeting_notice_buttons
from bot.slack import dm, dm_channel
from bot.views import Block, context, escape, publish_button, section

log = logging.getLogger(__name__)

PUBLISH_ACTION = "publish_meeting"  # the button: bot.views.publish_button


def publish_offer_text(meeting_ref: str) -> str:
    return (
        f"When the pack for `{meeting_ref}` is right, publish it: I will post the agenda "
        "notice with the public pack to the board's members."
    )


def publish_offer_blocks(meeting_ref: str) -> list[Block]:
    return [
        section(publish_offer_text(meeting_ref)),
        {
            "type": "actions",
            "block_id": f"publish:{meeting_ref}",
            "elements": [publish_button(meeting_ref)],
        },
    ]


def notice_blocks(notice: PublishedNotice) -> list[Block]:
    return [
        section(f":calendar: {escape(notice.notice_text())}"),
        context(
            f"`{notice.meeting_ref}` · The agenda pack is attached. Can't come? "
            "Send your apologies. An interest in an item? Declare it before the meeting."
        ),
        {
            "type": "actions",
            "block_id": f"notice:{notice.meeting_ref}",
            "elements": meeting_notice_buttons(notice.meeting_ref),
        },
    ]


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
            return [
                f"the channel <#{notice.channel}> ({err.response.get('error')}: is the app "
                "invited to it?)"
            ]
        return []
    problems = []
    for member in notice.member_slack_ids:
        try:
            _post_notice(client, dm_channel(client, member), notice)
        except SlackApiError as err:
            log.warning("could not send the notice to %s: %s", member, err.response.get("error"))
            problems.append(f"<@{member}> ({err.response.get('error')})")
    return problems


def confirmation(notice: PublishedNotice, problems: list[str]) -> str:
    where = (
        f"in <#{notice.channel}>"
        if notice.channel
        else f"to {len(notice.member_slack_ids)} members by direct message"
    )
    lines = [
        f":white_check_mark: {'Published again' if notice.republished else 'Published'}: "
        f"{escape(notice.notice_text())} I posted the notice with "
        f"{escape(notice.pack_file_name)} {where}."
    ]
    if problems:
        lines.append(
            ":x: I could not deliver it to "
            + "; ".join(problems)
            + ". Fix that and press *Publish to members* again."
        )
    for warning in (notice.late_warning(), notice.stale_warning()):
        if warning:
            lines.append(f":warning: {escape(warning)}")
    return "\n".join(lines)


def register(app: App, deps: Deps) -> None:
    def ack_publish(ack: Ack) -> None:
        ack()

    @slow
    def publish(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        try:
            with deps.session() as session:
                notice = publish_meeting(
                    session,
                    deps.store,
                    actor=Actor.slack(user),
                    meeting_ref=action["value"],
                    now=deps.now(),
                )
        except BoardclerkError as err:
            dm(client, user, f":x: {err}")
            return
        dm(client, user, confirmation(notice, post_notice(client, notice)))

    app.action(PUBLISH_ACTION)(ack=ack_publish, lazy=[publish])
