"""Block Kit builders: pure functions from service results to Slack views and messages.

Nothing here talks to Slack or the database, so every view can be checked on its own.
Block ids that carry pre-filled values end in ``:<item id>``: Slack keeps what a user typed
in a block across ``views.update`` unless its block id changes, so a new item gets new ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from agenda.pack.readiness import NO_PAPER, Readiness
from agenda.plan.items import ItemView, MeetingPlan
from agenda.plan.papers import Receipt

Block = dict[str, Any]

SUBMIT_CALLBACK = "submit_paper"
ADD_ITEM_CALLBACK = "plan_add_item"
MOVE_ITEM_CALLBACK = "plan_move_item"
WITHDRAW_ITEM_CALLBACK = "plan_withdraw_item"
MESSAGE_BLOCK_LIMIT = 50
KINDS = ("report", "presentation", "verbal", "discussion")

HELP = (
    "*boardclerk* runs your board's papers from Slack.\n"
    "• `/boardclerk submit`: submit a paper (Word or PDF) for an item you write\n"
    "• `/boardclerk plan [BODY]`: the forward plan by meeting (clerks can add, move and withdraw items)\n"
    "• `/boardclerk status [MEETING]`: which papers are in for a meeting, e.g. `hwb:2027-04-01`\n"
    "• `/boardclerk pack MEETING [private]` and `/boardclerk minutes MEETING`: clerks build the "
    "agenda pack and the draft minutes; I send them to you by direct message\n"
    "• `/boardclerk reminders [MEETING]`: clerks see which reminders went to whom and when, "
    "and which could not be delivered\n"
    "• Clerks publish the agenda with *Publish to members* (on the pack I send them, or App "
    "Home): I post the notice with the public pack\n"
    "• `/boardclerk apologies MEETING [reason]`: send your apologies; the notice and App Home "
    "also have *Send apologies* and *Declare an interest* buttons\n"
    "You can also send me a Word or PDF file in a direct message, or use the *Submit a paper* "
    "shortcut."
)


# -- small pieces ----------------------------------------------------------------------------


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _cut(text, 3000)}


def section(text: str, accessory: Block | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text)}


def divider() -> Block:
    return {"type": "divider"}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, 75), "value": value}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    b: Block = {"type": "button", "text": plain(text, 75), "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack's mrkdwn needs only these three escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def when(value: dt.datetime | None, tz: str) -> str:
    if value is None:
        return "no deadline"
    return f"{value.astimezone(ZoneInfo(tz)):%a %-d %b %Y %H:%M}"


def day(value: dt.date | dt.datetime | None, tz: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.astimezone(ZoneInfo(tz)).date()
    return f"{value:%a %-d %b %Y}"


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None = "Submit",
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "close": plain("Cancel" if submit else "Close"),
        "blocks": blocks,
    }
    if submit:
        view["submit"] = plain(submit, 24)
    if metadata is not None:
        view["private_metadata"] = json.dumps(metadata)
    return view


def info_modal(title: str, text: str) -> dict[str, Any]:
    return modal("boardclerk_info", title, [section(text)], submit=None)


def text_input(
    block_id: str,
    action_id: str,
    label: str,
    *,
    initial: str | None = None,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
    max_length: int | None = None,
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if max_length:
        element["max_length"] = max_length
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def static_select(
    action_id: str,
    options: Sequence[dict[str, Any]],
    *,
    initial: str | None = None,
    placeholder: str = "Choose…",
) -> Block:
    element: Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder),
        "options": list(options)[:100],
    }
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def state_values(view: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """The submitted values by action id: ``{action_id: (block_id, value)}``, with value the
    text, the selected option's value, the list of checked values, users or files."""
    out: dict[str, tuple[str, Any]] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for action_id, state in actions.items():
            kind = state.get("type")
            if kind in ("static_select", "external_select"):
                value = (state.get("selected_option") or {}).get("value")
            elif kind == "checkboxes":
                value = [o["value"] for o in state.get("selected_options") or []]
            elif kind == "multi_users_select":
                value = list(state.get("selected_users") or [])
            elif kind == "file_input":
                value = list(state.get("files") or [])
            else:
                value = state.get("value")
            out[action_id] = (block_id, value)
    return out


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}


# -- submitting a paper ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingChoice:
    """An upcoming meeting and the items on it the user may submit for."""

    ref: str
    label: str
    items: tuple[ItemView, ...]


def meeting_label(body_name: str, starts_at: dt.datetime, tz: str) -> str:
    return f"{body_name}, {day(starts_at, tz)}"


def submit_modal(
    choices: Sequence[MeetingChoice],
    *,
    meeting_ref: str | None = None,
    item_id: int | None = None,
    file: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The submission form: meeting, item, pre-filled details, the file."""
    if not choices:
        return info_modal(
            "Submit a paper",
            "You are not named as an author on any item of an upcoming meeting, so "
            "there is nothing for you to submit. If you are writing a paper, ask "
            "the clerk to name you on the item.",
        )
    meeting = next((c for c in choices if c.ref == meeting_ref), choices[0])
    item = next(
        (i for i in meeting.items if i.id == item_id), meeting.items[0] if meeting.items else None
    )
    blocks: list[Block] = [
        {
            "type": "actions",
            "block_id": "meeting_pick",
            "elements": [
                static_select(
                    "submit_meeting",
                    [option(c.label, c.ref) for c in choices],
                    initial=meeting.ref,
                    placeholder="Meeting",
                )
            ],
        }
    ]
    if item is None:
        blocks.append(section("You have no items on this meeting. Choose another meeting."))
        return modal(
            SUBMIT_CALLBACK,
            "Submit a paper",
            blocks,
            submit=None,
            metadata={"meeting": meeting.ref, "file": file},
        )
    blocks.append(
        {
            "type": "input",
            "block_id": "item",
            "dispatch_action": True,
            "label": plain("Agenda item"),
            "element": static_select(
                "submit_item",
                [option(i.title, str(i.id)) for i in meeting.items],
                initial=str(item.id),
                placeholder="Item",
            ),
        }
    )
    names = [a for a in item.authors if not a.startswith("<@")]
    k = f":{item.id}"
    blocks += [
        text_input("title" + k, "title", "Title of the paper", initial=item.title, max_length=300),
        text_input("presenter" + k, "presenter", "Presented by", initial=item.lead, optional=True),
        text_input(
            "authors" + k, "authors", "Report author(s)", initial=", ".join(names), optional=True
        ),
        text_input("summary" + k, "summary", "Executive summary", multiline=True, optional=True),
        text_input(
            "recommendations" + k,
            "recommendations",
            "Recommendations",
            multiline=True,
            optional=True,
            hint="One recommendation per line; they seed the draft minutes.",
        ),
    ]
    exempt_box: Block = {
        "type": "checkboxes",
        "action_id": "exempt",
        "options": [option("Exempt: Part B, not for publication", "exempt")],
    }
    if item.exempt:
        exempt_box["initial_options"] = exempt_box["options"]
    blocks += [
        {
            "type": "input",
            "block_id": "exempt" + k,
            "optional": True,
            "label": plain("Exempt information"),
            "element": exempt_box,
        },
        text_input(
            "exempt_reason" + k,
            "exempt_reason",
            "Reason it is exempt",
            initial=item.exempt_reason,
            optional=True,
            hint="e.g. Paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972",
        ),
    ]
    if file:
        blocks.append(
            section(
                f":page_facing_up: File: *{escape(file.get('name') or 'your file')}*",
                block_id="file_chosen",
            )
        )
    else:
        blocks.append(
            {
                "type": "input",
                "block_id": "file",
                "label": plain("The paper (Word or PDF)"),
                "element": {
                    "type": "file_input",
                    "action_id": "file",
                    "filetypes": ["docx", "pdf"],
                    "max_files": 1,
                },
            }
        )
    return modal(
        SUBMIT_CALLBACK,
        "Submit a paper",
        blocks,
        metadata={"meeting": meeting.ref, "item": item.id, "file": file},
    )


def receipt_text(receipt: Receipt, tz: str) -> str:
    state = "on time :white_check_mark:" if receipt.on_time else "*late* :warning:"
    lines = [
        f"Thank you. I have received your paper for *{escape(receipt.item_title)}* "
        f"({escape(receipt.body_name)}, `{receipt.meeting_ref}`).",
        f"• Version {receipt.version}: {escape(receipt.file_name)}",
        f"• Deadline: {when(receipt.due_at, tz)}; received {when(receipt.submitted_at, tz)}, {state}",
    ]
    if receipt.exempt:
        lines.append("• Exempt (Part B): it will appear only in the private pack.")
    if not receipt.on_time:
        lines.append("The clerk has been told it came in after the deadline.")
    return "\n".join(lines)


def late_flag_text(receipt: Receipt, submitted_by: str, tz: str) -> str:
    return (
        f":warning: Late paper for `{receipt.meeting_ref}`: *{escape(receipt.item_title)}* "
        f"version {receipt.version} from <@{submitted_by}> arrived {when(receipt.submitted_at, tz)}; "
        f"it was due {when(receipt.due_at, tz)}."
    )


def rejection_text(
    problem: str, *, file_name: str | None, item_title: str | None, current_version: int | None
) -> str:
    what = f"*{escape(file_name)}*" if file_name else "your file"
    for_item = f" for *{escape(item_title)}*" if item_title else ""
    kept = f" Version {current_version} is still the current paper." if current_version else ""
    return f":x: I could not accept {what}{for_item}: {escape(problem)}\nNothing was stored.{kept}"


def file_offer(file: dict[str, Any]) -> tuple[str, list[Block]]:
    name = escape(file.get("name") or "this file")
    text = f"Do you want to submit *{name}* as a paper?"
    return text, [
        section(
            text,
            accessory=button("Submit as a paper", "submit_file", str(file["id"]), style="primary"),
        )
    ]


# -- the forward plan ------------------------------------------------------------------------


def _item_line(item: ItemView, tz: str) -> str:
    bits = [f"*{escape(item.title)}* ({item.kind})"]
    if item.lead:
        bits.append(f"lead: {escape(item.lead)}")
    if item.authors:
        bits.append("author: " + ", ".join(item.authors))
    if item.exempt:
        bits.append("exempt" + (f" ({escape(item.exempt_reason)})" if item.exempt_reason else ""))
    if item.paper_version:
        bits.append(f"paper v{item.paper_version}" + ("" if item.paper_on_time else ", late"))
    elif item.kind == "report":
        bits.append(f"due {when(item.due_at, tz)}")
    return f"`#{item.id}` " + " · ".join(bits)


def plan_blocks(plans: Sequence[MeetingPlan], *, clerk_of: set[str], tz: str) -> list[Block]:
    """The forward plan by meeting. Meetings whose body the viewer clerks get buttons to add
    an item, and each item an overflow menu to move or withdraw it."""
    if not plans:
        return [section("There are no upcoming meetings on the forward plan.")]
    blocks: list[Block] = [header("Forward plan")]
    for plan in plans:
        clerk = plan.meeting_ref in clerk_of
        title = f"*{escape(plan.body_name)}*, {when(plan.starts_at, tz)} (`{plan.meeting_ref}`)"
        if plan.status == "cancelled":
            title += " · *cancelled*"
        add = button("Add item", "plan_add_item", plan.meeting_ref) if clerk else None
        blocks += [divider(), section(title, accessory=add)]
        if not plan.items:
            blocks.append(context("Nothing planned yet."))
        for item in plan.items:
            menu = None
            if clerk:
                menu = {
                    "type": "overflow",
                    "action_id": "plan_item_menu",
                    "options": [
                        option("Move to another meeting", f"move:{item.id}"),
                        option("Withdraw", f"withdraw:{item.id}"),
                    ],
                }
            blocks.append(section(_item_line(item, tz), accessory=menu))
    return _capped(blocks, "Use `/boardclerk plan BODY` to see one body's plan.")


def _capped(blocks: list[Block], more: str, limit: int = MESSAGE_BLOCK_LIMIT) -> list[Block]:
    if len(blocks) <= limit:
        return blocks
    return blocks[: limit - 1] + [context(f"…and more. {more}")]


def add_item_modal(
    meetings: Sequence[tuple[str, str]], *, meeting_ref: str | None = None
) -> dict[str, Any]:
    """The clerk's form for a new forward plan item. ``meetings``: (ref, label)."""
    if not meetings:  # Slack refuses a select with no options
        return info_modal(
            "Add an item",
            "There is no upcoming meeting of a body you clerk to "
            "add an item to. Add the meeting to the configuration first.",
        )
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": "meeting",
            "label": plain("Meeting"),
            "element": static_select(
                "meeting", [option(label, ref) for ref, label in meetings], initial=meeting_ref
            ),
        },
        text_input("title", "title", "Title", max_length=300),
        {
            "type": "input",
            "block_id": "kind",
            "label": plain("Kind"),
            "element": static_select(
                "kind", [option(k.capitalize(), k) for k in KINDS], initial="report"
            ),
        },
        text_input(
            "lead",
            "lead",
            "Lead officer",
            optional=True,
            hint="As the agenda names them, e.g. Director of Public Health",
        ),
        {
            "type": "input",
            "block_id": "authors",
            "optional": True,
            "label": plain("Authors"),
            "element": {
                "type": "multi_users_select",
                "action_id": "authors",
                "placeholder": plain("People who write the paper"),
            },
        },
        {
            "type": "input",
            "block_id": "exempt",
            "optional": True,
            "label": plain("Exempt information"),
            "element": {
                "type": "checkboxes",
                "action_id": "exempt",
                "options": [option("Exempt: Part B, not for publication", "exempt")],
            },
        },
        text_input("exempt_reason", "exempt_reason", "Reason it is exempt", optional=True),
    ]
    return modal(ADD_ITEM_CALLBACK, "Add an item", blocks, submit="Add")


def move_item_modal(item: ItemView, meetings: Sequence[tuple[str, str]]) -> dict[str, Any]:
    others = [(ref, label) for ref, label in meetings if ref != item.meeting_ref]
    if not others:
        return info_modal(
            "Move an item", f"There is no other upcoming meeting to move *{escape(item.title)}* to."
        )
    blocks: list[Block] = [
        section(f"Move *{escape(item.title)}* from `{item.meeting_ref}` to:"),
        {
            "type": "input",
            "block_id": "meeting",
            "label": plain("New meeting"),
            "element": static_select("meeting", [option(label, ref) for ref, label in others]),
        },
        text_input("reason", "reason", "Reason", optional=True, hint="Told to the authors"),
    ]
    return modal(
        MOVE_ITEM_CALLBACK, "Move an item", blocks, submit="Move", metadata={"item": item.id}
    )


def withdraw_item_modal(item: ItemView) -> dict[str, Any]:
    blocks: list[Block] = [
        section(
            f"Withdraw *{escape(item.title)}* from `{item.meeting_ref}`? It is kept, marked "
            "withdrawn, with any papers."
        ),
        text_input("reason", "reason", "Reason", optional=True, hint="Told to the authors"),
    ]
    return modal(
        WITHDRAW_ITEM_CALLBACK,
        "Withdraw an item",
        blocks,
        submit="Withdraw",
        metadata={"item": item.id},
    )


def named_author_text(item: ItemView, tz: str) -> str:
    return (
        f"You have been named as an author of *{escape(item.title)}* for `{item.meeting_ref}`. "
        f"The paper is due {when(item.due_at, tz)}. Send it with `/boardclerk submit` or by "
        "sending me the file here."
    )


def moved_text(item: ItemView, from_ref: str | None, reason: str | None, tz: str) -> str:
    why = f" Reason: {escape(reason)}." if reason else ""
    return (
        f"*{escape(item.title)}* has moved from `{from_ref or 'no meeting'}` to "
        f"`{item.meeting_ref}`.{why} The paper is now due {when(item.due_at, tz)}."
    )


def withdrawn_text(item: ItemView, reason: str | None) -> str:
    why = f" Reason: {escape(reason)}." if reason else ""
    return (
        f"*{escape(item.title)}* has been withdrawn from `{item.meeting_ref}`.{why} "
        "No paper is needed for it now."
    )


# -- readiness and App Home ------------------------------------------------------------------

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
        exempt = " · exempt" if item.exempt else ""
        lines.append(
            f"{STATE_ICON.get(entry.state, '•')} `#{item.id}` {escape(item.title)}: "
            f"{entry.state}{got}{exempt}"
        )
    return lines


def status_blocks(readiness: Readiness, tz: str) -> list[Block]:
    head = (
        f"*{escape(readiness.body_name)}*, {when(readiness.starts_at, tz)} "
        f"(`{readiness.meeting_ref}`)\n{readiness.headline()}. Papers due "
        f"{when(readiness.papers_due, tz)}; publication {day(readiness.publication, tz)}."
    )
    blocks: list[Block] = [section(head)]
    lines = readiness_lines(readiness, tz) or ["Nothing planned yet."]
    # One section holds 3000 characters; chunk long agendas.
    chunk: list[str] = []
    for line in lines:
        if sum(len(s) + 1 for s in chunk) + len(line) > 2800:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    blocks.append(section("\n".join(chunk)))
    return _capped(blocks, "")


@dataclass(frozen=True)
class OwnItem:
    item: ItemView
    state: str
    body_name: str


def publish_button(meeting_ref: str) -> Block:
    """ "Publish to members" (handled in bot.listeners.publish), with Slack's confirm dialog:
    the notice goes to every member and cannot be taken back."""
    b = button("Publish to members", "publish_meeting", meeting_ref)
    b["confirm"] = {
        "title": plain("Publish the agenda?", 100),
        "text": mrkdwn(
            f"The latest public agenda pack of `{meeting_ref}` goes to "
            "every member with the meeting notice."
        ),
        "confirm": plain("Publish", 30),
        "deny": plain("Not yet", 30),
    }
    return b


@dataclass(frozen=True)
class MemberMeeting:
    """An upcoming meeting of a body the viewer sits on, for the notice buttons on App Home."""

    ref: str
    body_name: str
    starts_at: dt.datetime
    venue: str | None
    published: bool
    apologies_sent: bool


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
        notes = ["agenda published" if m.published else "agenda not yet published"]
        if m.apologies_sent:
            notes.append(":wave: you have sent your apologies")
        blocks += [
            context(" · ".join(notes)),
            {"type": "actions", "block_id": f"member:{m.ref}", "elements": buttons(m.ref)},
        ]
    return blocks


def home_view(
    *,
    own: Iterable[OwnItem],
    clerk: Sequence[Readiness],
    tz: str,
    member: Sequence[MemberMeeting] = (),
    notice_buttons: Callable[[str], list[Block]] | None = None,
) -> dict[str, Any]:
    blocks: list[Block] = [header("Your papers")]
    own = list(own)
    if not own:
        blocks.append(context("You are not named as an author on any upcoming item."))
    for entry in own:
        item = entry.item
        blocks.append(
            section(
                f"{STATE_ICON.get(entry.state, '•')} *{escape(item.title)}* ({escape(entry.body_name)}, "
                f"`{item.meeting_ref}`)\nDue {when(item.due_at, tz)} · {entry.state}"
                + (f" · version {item.paper_version}" if item.paper_version else ""),
                accessory=button("Submit", "home_submit", str(item.id))
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
                "elements": [
                    button("Forward plan", "home_open_plan", readiness.meeting_ref),
                    button("Build pack", "home_build_pack", readiness.meeting_ref, style="primary"),
                    button("Build private pack", "home_build_private_pack", readiness.meeting_ref),
                    button("Build minutes", "home_build_minutes", readiness.meeting_ref),
                    button("Reminders", "home_reminders", readiness.meeting_ref),
                    publish_button(readiness.meeting_ref),
                ],
            }
        )
    return {"type": "home", "blocks": blocks[:100]}
