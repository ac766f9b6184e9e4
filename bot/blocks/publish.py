"""Publishing the agenda: the clerk's "Publish to members" offer and the meeting notice."""

from __future__ import annotations

from agenda.pack.publication import PublishedNotice
from agenda.public.links import meeting_url
from bot import messages
from bot.blocks.common import Block, actions, button, context, escape, mrkdwn, plain, section
from bot.blocks.minutes import meeting_notice_buttons

PUBLISH_ACTION = "publish_meeting"  # value: meeting ref


def publish_button(meeting_ref: str) -> Block:
    """ "Publish to members" (handled in bot.listeners.publish), with Slack's confirm dialog:
    the notice goes to every member and cannot be taken back."""
    b = button("Publish to members", PUBLISH_ACTION, meeting_ref)
    b["confirm"] = {
        "title": plain("Publish the agenda?", 100),
        "text": mrkdwn(messages.publish_confirm(meeting_ref)),
        "confirm": plain("Publish", 30),
        "deny": plain("Not yet", 30),
    }
    return b


def publish_offer_blocks(meeting_ref: str) -> list[Block]:
    return [
        section(messages.publish_offer_text(meeting_ref)),
        actions(f"publish:{meeting_ref}", [publish_button(meeting_ref)]),
    ]


def notice_blocks(notice: PublishedNotice) -> list[Block]:
    blocks = [
        section(f":calendar: {escape(notice.notice_text())}"),
        context(messages.notice_footer(notice.meeting_ref)),
    ]
    if url := meeting_url(notice.meeting_ref):
        blocks.append(context(messages.notice_public_page(url)))
    blocks.append(
        actions(f"notice:{notice.meeting_ref}", meeting_notice_buttons(notice.meeting_ref))
    )
    return blocks
