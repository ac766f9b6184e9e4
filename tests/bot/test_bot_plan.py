"""Clerks keep the forward plan from Slack; authors hear when they are named or moved;
everyone can see a meeting's readiness."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from agenda.board.models import ForwardPlanItem, ItemAuthor
from tests.support.boards import ASC_DIRECTOR, CCG, CLERK, PUBLIC_HEALTH, STRANGER
from tests.support.bot_harness import Bot, running_bot, values

CONTRACT = "Care Home Contract Award"
EXEMPT_REASON = "Paragraph 3 of Part 1 of Schedule 12A"


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def overflow(bot: Bot, user: str, value: str) -> None:
    bot.slack.interact(
        {
            "type": "block_actions",
            "user": {"id": user},
            "container": {"type": "message", "message_ts": "1.1", "is_ephemeral": True},
            "channel": {"id": "C0GENERAL"},
            "actions": [
                {
                    "type": "overflow",
                    "action_id": "plan_item_menu",
                    "block_id": "b",
                    "selected_option": {"value": value},
                }
            ],
        }
    )


def test_the_plan_lists_meetings_and_items_and_gives_the_clerk_buttons(bot: Bot) -> None:
    text = bot.ask(CLERK, "plan")
    for ref in bot.meetings:
        assert ref in text
    assert "Better Care Fund Plan" in text and "Suicide Prevention Strategy" in text
    assert "plan_add_item" in text and "plan_item_menu" in text
    assert EXEMPT_REASON in text  # the clerk may see exempt details


def test_an_author_sees_the_plan_without_clerk_buttons_or_exempt_details(bot: Bot) -> None:
    text = bot.ask(PUBLIC_HEALTH, "plan")
    assert "Better Care Fund Plan" in text
    assert "plan_add_item" not in text and "plan_item_menu" not in text
    assert EXEMPT_REASON not in text


def test_an_unknown_body_is_named_in_the_reply(bot: Bot) -> None:
    text = bot.ask(CLERK, "plan xyz")
    assert "no body called 'xyz'" in text and "hwb" in text


def test_the_clerk_adds_an_item_and_its_authors_are_told(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    bot.slack.click(CLERK, "plan_add_item", bot.meetings[0], channel="C0GENERAL")
    view = bot.opened_view("plan_add_item", after=mark)
    state = values(
        meeting=("select", bot.meetings[0]),
        title="Director of Public Health Annual Report",
        kind=("select", "report"),
        lead="Director of Public Health",
        authors=[PUBLIC_HEALTH, CCG],
        exempt=[],
        exempt_reason="",
    )
    resp = bot.slack.submit_view(CLERK, view, state)
    assert resp.status == 200 and not resp.body
    for author in (PUBLIC_HEALTH, CCG):
        message = bot.dm_to(author, "named as an author")
        assert "Director of Public Health Annual Report" in message and bot.meetings[0] in message
    with bot.session() as s:
        item = s.scalar(
            select(ForwardPlanItem).where(
                ForwardPlanItem.title == "Director of Public Health Annual Report"
            )
        )
        assert {a.slack_id for a in item.authors} == {PUBLIC_HEALTH, CCG}


def test_an_exempt_item_without_a_reason_is_refused_inline(bot: Bot) -> None:
    bot.slack.click(CLERK, "plan_add_item", bot.meetings[0], channel="C0GENERAL")
    view = bot.opened_view("plan_add_item")
    state = values(
        meeting=("select", bot.meetings[0]),
        title="Land Sale",
        kind=("select", "report"),
        exempt=["exempt"],
        exempt_reason="",
    )
    errors = bot.slack.submit_view(CLERK, view, state).json()["errors"]
    assert "needs the reason" in errors["exempt_reason"]


def test_someone_who_is_not_the_clerk_cannot_add_items(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    bot.slack.click(PUBLIC_HEALTH, "plan_add_item", bot.meetings[0], channel="C0GENERAL")
    refusal = bot.opened_view(after=mark)
    assert "Only the clerk" in str(refusal) and refusal["callback_id"] != "plan_add_item"
    # A forged submission of the clerk's form is refused by the service too.
    state = values(
        meeting=("select", bot.meetings[0]), title="Sneaky item", kind=("select", "report")
    )
    from bot.blocks.plan import add_item_modal

    forged = add_item_modal([(bot.meetings[0], bot.meetings[0])])
    errors = bot.slack.submit_view(PUBLIC_HEALTH, forged, state).json()["errors"]
    assert "Only the clerk" in errors["meeting"]
    with bot.session() as s:
        assert (
            s.scalar(select(ForwardPlanItem).where(ForwardPlanItem.title == "Sneaky item")) is None
        )


def test_moving_an_item_tells_its_authors_the_new_meeting(bot: Bot) -> None:
    item_id = bot.item_id("Winter Plan")
    mark = len(bot.fake.calls)
    overflow(bot, CLERK, f"move:{item_id}")
    view = bot.opened_view("plan_move_item", after=mark)
    assert bot.meetings[0] not in json.dumps(view["blocks"][1])  # not offered its own meeting
    resp = bot.slack.submit_view(
        CLERK, view, values(meeting=("select", bot.meetings[1]), reason="Awaiting NHS guidance")
    )
    assert resp.status == 200 and not resp.body
    message = bot.dm_to(CCG, "has moved")
    assert bot.meetings[0] in message and bot.meetings[1] in message
    assert "Awaiting NHS guidance" in message
    with bot.session() as s:
        assert s.get(ForwardPlanItem, item_id).meeting.ref == bot.meetings[1]


def test_withdrawing_an_item_tells_its_authors(bot: Bot) -> None:
    item_id = bot.item_id("Pharmaceutical Needs Assessment")
    mark = len(bot.fake.calls)
    overflow(bot, CLERK, f"withdraw:{item_id}")
    view = bot.opened_view("plan_withdraw_item", after=mark)
    bot.slack.submit_view(CLERK, view, values(reason="Covered by the strategy"))
    assert "withdrawn" in bot.dm_to(PUBLIC_HEALTH, "withdrawn")
    with bot.session() as s:
        assert s.get(ForwardPlanItem, item_id).status == "withdrawn"


def test_an_author_cannot_move_an_item(bot: Bot) -> None:
    item_id = bot.item_id("Winter Plan")
    mark = len(bot.fake.calls)
    overflow(bot, CCG, f"move:{item_id}")
    assert "Only the clerk" in str(bot.opened_view(after=mark))
    from agenda.plan.items import item_view
    from bot.blocks.plan import move_item_modal

    with bot.session() as s:
        view = move_item_modal(
            item_view(s, s.get(ForwardPlanItem, item_id)), [(r, r) for r in bot.meetings]
        )
    errors = bot.slack.submit_view(CCG, view, values(meeting=("select", bot.meetings[1]))).json()
    assert "Only the clerk" in str(errors["errors"])
    with bot.session() as s:
        assert s.get(ForwardPlanItem, item_id).meeting.ref == bot.meetings[0]


def test_status_shows_each_item_of_the_meeting(bot: Bot) -> None:
    text = bot.ask(PUBLIC_HEALTH, f"status {bot.meetings[0]}")
    assert "0 of 5 papers received" in text or "papers received" in text
    for title in ("Better Care Fund Plan", "Winter Plan", "Peer Challenge Review Feedback"):
        assert title in text
    assert "expected" in text and "no paper needed" in text
    assert EXEMPT_REASON not in text


def test_status_without_a_meeting_uses_the_users_next_meeting(bot: Bot) -> None:
    assert bot.meetings[0] in bot.ask(CCG, "status")
    assert "no upcoming meetings" in bot.ask(STRANGER, "status")


def test_status_of_an_unknown_meeting_lists_the_real_ones(bot: Bot) -> None:
    text = bot.ask(CLERK, "status hwb:2027-01-01")
    assert "no meeting on" in text and bot.meetings[0] in text


def test_exempt_details_are_never_posted_to_a_channel(bot: Bot) -> None:
    assert EXEMPT_REASON not in bot.ask(CCG, "plan")
    bot.ask(CLERK, "plan")
    bot.ask(ASC_DIRECTOR, f"status {bot.meetings[0]}")
    overflow(bot, CLERK, f"move:{bot.item_id(CONTRACT)}")
    view = bot.opened_view("plan_move_item")
    bot.slack.submit_view(CLERK, view, values(meeting=("select", bot.meetings[1])))
    assert "has moved" in bot.dm_to(ASC_DIRECTOR, "has moved")
    time.sleep(0.2)
    posted = bot.fake.calls_to("chat.postMessage") + bot.fake.calls_to("chat.postEphemeral")
    assert posted and all(str(c.body["channel"]).startswith("D") for c in posted)
    with bot.session() as s:
        assert s.scalars(
            select(ItemAuthor.slack_id)
            .join(ForwardPlanItem)
            .where(ForwardPlanItem.title == CONTRACT)
        ).all() == [ASC_DIRECTOR]
