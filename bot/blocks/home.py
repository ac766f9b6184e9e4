"""App Home and a meeting's readiness: everyone's own items, the member's meetings with the
notice's buttons, and for clerks each meeting's readiness with its buttons."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from agenda.pack.overview import MemberMeeting, OwnItem
from agenda.pack.readiness import NO_PAPER, Readiness
from bot import messages
from bot.blocks.common import (
    Block,
    View,
    button,
    capped,
    chunked,
    context,
    day,
    divider,
    escape,
    header,
    section,
    when,
)
from bot.blocks.plan import OPEN_PLAN
from bot.blocks.publish import publish_button
from bot.blocks.reminders import HOME_REMINDERS
from bot.blocks.submit import HOME_SUBMIT

__all__ = ["MemberMeeting", "OwnItem", "home_view", "status_blocks"]

BUILD_BUTTONS = {  # action id: (what, private)
    "home_build_pack": ("pack", False),
    "home_build_private_pack": ("pack", True),
    "home_build_minutes": ("minutes", False),
}

STATE_ICON = {
    "received": ":white_check_mark:",
    "received late": ":ballot_box_with_check:",
    "expected": ":hourglass_flowing_sand:",
    "late": ":red_circle:",
    NO_PAPER: ":speech_balloon:",
}


def readiness_lines(readiness: Readiness, tz: str) -> list[str]:
    lines = []
    for entry in readiness.items:
        item = entry.item
        got = f" v{item.paper_version}" if item.paper_version else ""
        exempt = (
            " · exempt" if item.exempt else " · exempt requested" if item.exempt_requested else ""
        )
        a11y = f" · {item.paper_accessibility}" if item.paper_accessibility else ""
        lines.append(
            f"{STATE_ICON.get(entry.state, '•')} `#{item.id}` {escape(item.title)}: "
            f"{entry.state}{got}{exempt}{a11y}"
        )
    return lines


def status_blocks(readiness: Readiness, tz: str) -> list[Block]:
    head = (
        f"*{escape(readiness.body_name)}*, {when(readiness.starts_at, tz)} "
        f"(`{readiness.meeting_ref}`)\n{readiness.headline()}. Papers due "
        f"{when(readiness.papers_due, tz)}; publication {day(readiness.publication, tz)}."
    )
    lines = readiness_lines(readiness, tz) or [messages.NOTHING_PLANNED]
    return capped([section(head), *chunked(lines)], "")


def member_meeting_blocks(
    meetings: Sequence[MemberMeeting], tz: str, buttons: Callable[[str], list[Block]]
) -> list[Block]:
    """Each meeting with the notice's buttons ("Send apologies", "Declare an interest")."""
    if not meetings:
        return []
    blocks: list[Block] = [header("Your meetings")]
    for m in meetings:
        bits = [f"*{escape(m.body_name)}*, {when(m.starts_at, tz)} (`{m.ref}`)"]
        if m.venue:
            bits.append(escape(m.venue))
        blocks.append(section("\n".join(bits)))
        notes = [messages.AGENDA_PUBLISHED if m.published else messages.AGENDA_NOT_PUBLISHED]
        if m.apologies_sent:
            notes.append(messages.APOLOGIES_SENT)
        blocks += [
            context(" · ".join(notes)),
            {"type": "actions", "block_id": f"member:{m.ref}", "elements": buttons(m.ref)},
        ]
    return blocks


def _clerk_buttons(meeting_ref: str) -> list[Block]:
    return [
        button("Forward plan", OPEN_PLAN, meeting_ref),
        button("Build pack", "home_build_pack", meeting_ref, style="primary"),
        button("Build private pack", "home_build_private_pack", meeting_ref),
        button("Build minutes", "home_build_minutes", meeting_ref),
        button("Reminders", HOME_REMINDERS, meeting_ref),
        publish_button(meeting_ref),
    ]


def home_view(
    *,
    own: Iterable[OwnItem],
    clerk: Sequence[Readiness],
    tz: str,
    member: Sequence[MemberMeeting] = (),
    notice_buttons: Callable[[str], list[Block]] | None = None,
) -> View:
    blocks: list[Block] = [header("Your papers")]
    own = list(own)
    if not own:
        blocks.append(context(messages.NOT_AN_AUTHOR))
    for entry in own:
        item = entry.item
        blocks.append(
            section(
                f"{STATE_ICON.get(entry.state, '•')} *{escape(item.title)}* ({escape(entry.body_name)}, "
                f"`{item.meeting_ref}`)\nDue {when(item.due_at, tz)} · {entry.state}"
                + (f" · version {item.paper_version}" if item.paper_version else ""),
                accessory=button("Submit", HOME_SUBMIT, str(item.id))
                if entry.state not in (NO_PAPER,)
                else None,
            )
        )
    if notice_buttons is not None:  # before the clerk's meetings: the view holds 100 blocks
        blocks += member_meeting_blocks(member, tz, notice_buttons)
    for readiness in clerk:
        blocks += [
            divider(),
            section(
                f"*{escape(readiness.body_name)}*, {when(readiness.starts_at, tz)} "
                f"(`{readiness.meeting_ref}`)\n{readiness.headline()}. Papers due "
                f"{when(readiness.papers_due, tz)}."
            ),
        ]
        lines = readiness_lines(readiness, tz)
        if lines:
            blocks.append(context("\n".join(lines)[:2900]))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"clerk:{readiness.meeting_ref}",
                "elements": _clerk_buttons(readiness.meeting_ref),
            }
        )
    return {"type": "home", "blocks": blocks[:100]}
