"""The forward plan: the plan by meeting, and the clerk's forms to add, move and withdraw
items."""

from __future__ import annotations

from collections.abc import Sequence

from agenda.board.fit import LIMITS
from agenda.kinds import ItemKind
from agenda.plan.items import ItemView, MeetingPlan
from bot import messages
from bot.blocks.common import (
    Block,
    View,
    button,
    capped,
    context,
    divider,
    escape,
    header,
    info_modal,
    modal,
    option,
    plain,
    section,
    static_select,
    text_input,
    when,
)

ADD_ITEM_CALLBACK = "plan_add_item"
MOVE_ITEM_CALLBACK = "plan_move_item"
WITHDRAW_ITEM_CALLBACK = "plan_withdraw_item"
ADD_ITEM = "plan_add_item"  # the button on a meeting; value: meeting ref
ITEM_MENU = "plan_item_menu"  # the overflow on an item; value: "move:<id>" or "withdraw:<id>"
OPEN_PLAN = "home_open_plan"  # App Home's button; value: meeting ref
PLAN_CALLBACK = "boardclerk_plan"
KINDS = tuple(k.value for k in ItemKind)


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
        return [section(messages.NO_PLANNED_MEETINGS)]
    blocks: list[Block] = [header("Forward plan")]
    for plan in plans:
        clerk = plan.meeting_ref in clerk_of
        title = f"*{escape(plan.body_name)}*, {when(plan.starts_at, tz)} (`{plan.meeting_ref}`)"
        if plan.status == "cancelled":
            title += " · *cancelled*"
        add = button("Add item", ADD_ITEM, plan.meeting_ref) if clerk else None
        blocks += [divider(), section(title, accessory=add)]
        if not plan.items:
            blocks.append(context(messages.NOTHING_PLANNED))
        for item in plan.items:
            menu = None
            if clerk:
                menu = {
                    "type": "overflow",
                    "action_id": ITEM_MENU,
                    "options": [
                        option("Move to another meeting", f"move:{item.id}"),
                        option("Withdraw", f"withdraw:{item.id}"),
                    ],
                }
            blocks.append(section(_item_line(item, tz), accessory=menu))
    return capped(blocks, messages.PLAN_MORE)


def plan_modal(blocks: list[Block]) -> View:
    """App Home's "Forward plan": the plan in a modal (which holds 100 blocks)."""
    return modal(PLAN_CALLBACK, "Forward plan", blocks[:100], submit=None)


def add_item_modal(meetings: Sequence[tuple[str, str]], *, meeting_ref: str | None = None) -> View:
    """The clerk's form for a new forward plan item. ``meetings``: (ref, label)."""
    if not meetings:  # Slack refuses a select with no options
        return info_modal("Add an item", messages.NO_MEETING_TO_ADD_TO)
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": "meeting",
            "label": plain("Meeting"),
            "element": static_select(
                "meeting", [option(label, ref) for ref, label in meetings], initial=meeting_ref
            ),
        },
        text_input("title", "title", "Title", max_length=LIMITS["item.title"]),
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
            max_length=LIMITS["item.lead"],
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


def move_item_modal(item: ItemView, meetings: Sequence[tuple[str, str]]) -> View:
    others = [(ref, label) for ref, label in meetings if ref != item.meeting_ref]
    if not others:
        return info_modal("Move an item", messages.no_meeting_to_move_to(item.title))
    blocks: list[Block] = [
        section(messages.move_question(item.title, item.meeting_ref)),
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


def withdraw_item_modal(item: ItemView) -> View:
    blocks: list[Block] = [
        section(messages.withdraw_question(item.title, item.meeting_ref)),
        text_input("reason", "reason", "Reason", optional=True, hint="Told to the authors"),
    ]
    return modal(
        WITHDRAW_ITEM_CALLBACK,
        "Withdraw an item",
        blocks,
        submit="Withdraw",
        metadata={"item": item.id},
    )
