"""Reminders: the buttons a reminder DM carries, the extension request form and the clerk's
reminder timeline."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from agenda.outbox.notify import Offer, ReminderMessage
from agenda.outbox.timeline import KIND_LABEL, TimelineEntry
from bot import messages
from bot.blocks.common import (
    MESSAGE_BLOCK_LIMIT,
    MODAL_BLOCK_LIMIT,
    Block,
    View,
    button,
    chunked,
    context,
    escape,
    header,
    info_modal,
    modal,
    plain,
    section,
    when,
)

ASK_EXTENSION = "reminder_ask_extension"  # value: item id
APPROVE_EXTENSION = "reminder_extension_approve"  # value: extension request id
DECLINE_EXTENSION = "reminder_extension_decline"  # value: extension request id
PAUSE_CHASING = "reminder_pause_chasing"  # value: item id
RESUME_CHASING = "reminder_resume_chasing"  # value: item id
HOME_REMINDERS = "home_reminders"  # value: meeting ref
EXTENSION_CALLBACK = "reminder_extension_request"
TIMELINE_CALLBACK = "boardclerk_reminders"

STATUS_ICON = {
    "sent": ":white_check_mark:",
    "pending": ":hourglass_flowing_sand:",
    "sending": ":outbox_tray:",
    "failed": ":x:",
    "cancelled": ":heavy_minus_sign:",
    "superseded": ":fast_forward:",
}


def mentionable(text: str) -> str:
    """Escape a plain reminder text for mrkdwn, keeping its ``<@U…>`` mentions working."""
    return re.sub(r"&lt;@([A-Z0-9]+)&gt;", r"<@\1>", escape(text))


def _with_actions(text: str, elements: list[Block]) -> list[Block]:
    return [
        section(mentionable(text)),
        {"type": "actions", "block_id": "reminder", "elements": elements},
    ]


def author_reminder_blocks(text: str, item_id: int) -> list[Block]:
    return _with_actions(text, [button("Ask for an extension", ASK_EXTENSION, str(item_id))])


def extension_request_blocks(text: str, request_id: int) -> list[Block]:
    return _with_actions(
        text,
        [
            button("Approve", APPROVE_EXTENSION, str(request_id), style="primary"),
            button("Decline", DECLINE_EXTENSION, str(request_id), style="danger"),
        ],
    )


def clerk_chasing_blocks(text: str, item_id: int) -> list[Block]:
    return _with_actions(text, [button("Pause chasing", PAUSE_CHASING, str(item_id))])


def reminder_blocks(message: ReminderMessage) -> list[Block] | None:
    """The buttons a reminder carries, by what its recipient may do about it: an author may ask
    for an extension, the clerk or chair decide one, the clerk pause chasing an item."""
    if message.offer is None or message.subject_id is None:
        return None
    if message.offer is Offer.DECIDE_EXTENSION:
        return extension_request_blocks(message.text, message.subject_id)
    if message.offer is Offer.ASK_EXTENSION:
        return author_reminder_blocks(message.text, message.subject_id)
    return clerk_chasing_blocks(message.text, message.subject_id)


def paused_blocks(text: str, item_id: int, *, paused: bool) -> list[Block]:
    toggle = (
        button("Resume chasing", RESUME_CHASING, str(item_id))
        if paused
        else button("Pause chasing", PAUSE_CHASING, str(item_id))
    )
    return [section(text), {"type": "actions", "block_id": "reminder", "elements": [toggle]}]


def decided_blocks(text: str) -> list[Block]:
    """What an answered extension request becomes: the text, no buttons left to press."""
    return [section(text)]


def extension_modal(
    *, item_id: int, title: str, meeting_ref: str, due_at: dt.datetime | None, tz: str
) -> View:
    blocks: list[Block] = [
        section(messages.extension_form_intro(title, meeting_ref, when(due_at, tz))),
        {
            "type": "input",
            "block_id": "until",
            "label": plain("New deadline"),
            "hint": plain("The paper would be due by 17:00 that day, before the meeting."),
            "element": {
                "type": "datepicker",
                "action_id": "until",
                "placeholder": plain("Choose a date"),
            },
        },
        {
            "type": "input",
            "block_id": "reason",
            "optional": True,
            "label": plain("Reason"),
            "element": {
                "type": "plain_text_input",
                "action_id": "reason",
                "multiline": True,
                "max_length": 1000,
            },
        },
    ]
    return modal(
        EXTENSION_CALLBACK, "Ask for an extension", blocks, submit="Ask", metadata={"item": item_id}
    )


def extension_asked_modal(title: str, until: dt.datetime, tz: str) -> View:
    return info_modal("Ask for an extension", messages.extension_asked(title, when(until, tz)))


# -- the clerk's reminder timeline ----------------------------------------------------------


def _entry_line(entry: TimelineEntry, tz: str) -> str:
    at = entry.sent_at if entry.status == "sent" and entry.sent_at else entry.planned_at
    about = f" — {escape(entry.item_title)}" if entry.item_title else ""
    note = f" _({escape(entry.note)})_" if entry.note and entry.status != "sent" else ""
    return (
        f"{STATUS_ICON.get(entry.status, '•')} {when(at, tz)} · *{entry.status}* · "
        f"{KIND_LABEL.get(entry.kind, entry.kind)} → <@{entry.recipient}>{about}{note}"
    )


def timeline_blocks(
    *,
    meeting_ref: str,
    body_name: str,
    starts_at: dt.datetime,
    entries: Sequence[TimelineEntry],
    tz: str,
    limit: int = MESSAGE_BLOCK_LIMIT,
) -> list[Block]:
    """Who was (or will be) reminded of what and when; undelivered ones first, with why."""
    counts = Counter(e.status for e in entries)
    summary = " · ".join(
        f"{counts[s]} {s}"
        for s in ("sent", "failed", "pending", "sending", "superseded", "cancelled")
        if counts[s]
    )
    blocks: list[Block] = [
        header("Reminders"),
        section(
            f"*{escape(body_name)}*, {when(starts_at, tz)} (`{meeting_ref}`)\n"
            f"{summary or messages.NO_REMINDERS_PLANNED}"
        ),
    ]
    failed = [e for e in entries if e.status == "failed"]
    if failed:
        blocks.append(section(messages.NOT_DELIVERED))
        blocks += chunked([_entry_line(e, tz) for e in failed])
    if entries:
        blocks.append(context(messages.ALL_REMINDERS))
        blocks += chunked([_entry_line(e, tz) for e in entries])
    if len(blocks) > limit:
        blocks = blocks[: limit - 1] + [context(messages.timeline_more(meeting_ref))]
    return blocks


def timeline_modal(blocks: list[Block]) -> View:
    return modal(TIMELINE_CALLBACK, "Reminders", blocks[:MODAL_BLOCK_LIMIT], submit=None)
