"""The Block Kit builders keep within Slack's limits and show exempt details only to those
allowed to see them."""

from __future__ import annotations

import datetime as dt
import json

from agenda.plan.items import ItemView, MeetingPlan
from bot.blocks.common import MESSAGE_BLOCK_LIMIT, state_values
from bot.blocks.home import home_view
from bot.blocks.plan import add_item_modal, plan_blocks
from bot.blocks.submit import MeetingChoice, submit_modal

START = dt.datetime(2027, 4, 8, 13, 0, tzinfo=dt.UTC)
REASON = "Paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"


def item(
    n: int, *, exempt: bool = False, reason: str | None = None, title: str | None = None
) -> ItemView:
    return ItemView(
        id=n,
        title=title or f"Item {n} " + "x" * 120,
        kind="report",
        lead="Director",
        authors=("Ruth Tennant", "<@U0AUTH001>"),
        author_slack_ids=("U0AUTH001",),
        exempt=exempt,
        exempt_reason=reason,
        status="planned",
        meeting_ref="hwb:2027-04-08",
        due_at=START - dt.timedelta(days=16),
        paper_version=None,
        paper_on_time=None,
    )


def walk(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def test_a_long_forward_plan_is_capped_at_slacks_message_limit() -> None:
    plans = [
        MeetingPlan(
            f"hwb:2027-0{m}-08",
            "Health and Wellbeing Board",
            START,
            "City Hall",
            "scheduled",
            tuple(item(m * 100 + i) for i in range(30)),
        )
        for m in range(1, 4)
    ]
    blocks = plan_blocks(plans, clerk_of={p.meeting_ref for p in plans}, tz="Europe/London")
    assert len(blocks) == MESSAGE_BLOCK_LIMIT
    assert "and more" in json.dumps(blocks[-1])
    for obj in walk(blocks):
        if obj.get("type") == "plain_text":
            assert len(obj["text"]) <= 150
        if "value" in obj and isinstance(obj["value"], str):
            assert len(obj["value"]) <= 150


def test_the_submit_form_prefills_the_item_and_keeps_option_text_short() -> None:
    choices = [
        MeetingChoice(
            "hwb:2027-04-08",
            "Health and Wellbeing Board, Thu 8 Apr 2027",
            (item(1), item(2, exempt=True, reason=REASON, title="Care Home Contract Award")),
        )
    ]
    view = submit_modal(choices, item_id=2)
    assert len(view["title"]["text"]) <= 24 and len(view["private_metadata"]) <= 3000
    text = json.dumps(view)
    assert REASON in text and "Care Home Contract Award" in text
    exempt = next(b for b in view["blocks"] if b["block_id"].startswith("exempt:"))
    assert exempt["element"]["initial_options"]  # exempt items arrive ticked
    authors = next(b for b in view["blocks"] if b["block_id"].startswith("authors:"))
    assert authors["element"]["initial_value"] == "Ruth Tennant"  # mentions are not names
    for obj in walk(view):
        if "options" in obj:
            assert all(len(o["text"]["text"]) <= 75 for o in obj["options"])


def test_state_values_reads_every_kind_of_input() -> None:
    view = {
        "state": {
            "values": {
                "title:1": {"title": {"type": "plain_text_input", "value": "A"}},
                "item": {
                    "submit_item": {"type": "static_select", "selected_option": {"value": "7"}}
                },
                "exempt:1": {
                    "exempt": {"type": "checkboxes", "selected_options": [{"value": "exempt"}]}
                },
                "authors": {"authors": {"type": "multi_users_select", "selected_users": ["U1"]}},
                "file": {"file": {"type": "file_input", "files": [{"id": "F1"}]}},
            }
        }
    }
    assert state_values(view) == {
        "title": ("title:1", "A"),
        "submit_item": ("item", "7"),
        "exempt": ("exempt:1", ["exempt"]),
        "authors": ("authors", ["U1"]),
        "file": ("file", [{"id": "F1"}]),
    }


def test_forms_never_offer_an_empty_select() -> None:
    assert add_item_modal([])["callback_id"] == "boardclerk_info"
    assert "submit" not in submit_modal([])


def test_home_never_exceeds_a_hundred_blocks() -> None:
    from agenda.pack.readiness import ItemReadiness, Readiness

    readiness = [
        Readiness(
            f"hwb:2027-0{m}-08",
            "Health and Wellbeing Board",
            START,
            None,
            "scheduled",
            START,
            START.date(),
            tuple(ItemReadiness(item(i), "expected") for i in range(5)),
        )
        for m in range(1, 10)
    ] * 5
    from bot.blocks.home import OwnItem

    view = home_view(
        own=[OwnItem(item(i), "expected", "HWB") for i in range(60)],
        clerk=readiness,
        tz="Europe/London",
    )
    assert len(view["blocks"]) <= 100
