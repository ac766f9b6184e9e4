"""Reminders in Slack: their buttons (ask for an extension, approve or decline it, pause
chasing), the clerk's view of who was reminded of what, and no duplicate after a worker dies
mid-send. The reminder worker sends through the real SlackNotifier to the fake Slack."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from agenda.board.due import item_due_at
from agenda.board.models import ForwardPlanItem
from agenda.outbox.dispatch import LEASE, claim, dispatch_all_due
from agenda.outbox.notify import ReminderMessage
from agenda.reminders.tables import ExtensionRequest, Reminder
from bot.blocks.reminders import (
    APPROVE_EXTENSION,
    ASK_EXTENSION,
    DECLINE_EXTENSION,
    EXTENSION_CALLBACK,
    HOME_REMINDERS,
    PAUSE_CHASING,
    RESUME_CHASING,
)
from bot.notifier import SlackNotifier
from tests.support.boards import ASC_DIRECTOR, CCG, CHAIR, CLERK, PUBLIC_HEALTH, meeting_refs
from tests.support.bot_harness import Bot, running_bot
from tests.support.fakeslack import BOT_TOKEN, Call, dm_channel, wait_for

WINTER_PLAN = "Winter Plan"  # CCG's paper, due Tue 23 Mar 17:00
FIRST_REMINDERS = dt.datetime(2027, 3, 16, 9, 31, tzinfo=dt.UTC)
MEETING = meeting_refs(dt.date(2027, 3, 1))[0]  # the sample board's next meeting, 8 April


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def deliver(bot: Bot) -> None:
    """One tick of the reminder worker, sending through Slack."""
    notifier = SlackNotifier(WebClient(base_url=bot.fake.base_url, token=BOT_TOKEN))
    dispatch_all_due(bot.engine, notifier, clock=bot.clock)


def buttons(call: Call) -> dict[str, str]:
    """action id → value of the buttons on a message."""
    return {
        e["action_id"]: e["value"]
        for block in call.body.get("blocks") or []
        if block.get("type") == "actions"
        for e in block["elements"]
    }


def dm_with_button(bot: Bot, user: str, action_id: str, value: str | None = None) -> Call:
    def find() -> Call | None:
        return next(
            (
                c
                for c in reversed(bot.fake.messages(dm_channel(user)))
                if action_id in buttons(c) and value in (None, buttons(c)[action_id])
            ),
            None,
        )

    return wait_for(find)


def press(bot: Bot, user: str, action_id: str, value: str) -> None:
    assert bot.slack.click(user, action_id, value, channel=dm_channel(user)).status == 200


def extension_form(date: str, reason: str = "") -> dict[str, Any]:
    return {
        "until": {"until": {"type": "datepicker", "selected_date": date}},
        "reason": {"reason": {"type": "plain_text_input", "value": reason}},
    }


def ask_for_extension(
    bot: Bot, date: str = "2027-03-30", reason: str = "Awaiting NHS winter guidance"
) -> Any:
    bot.clock.set(FIRST_REMINDERS)
    deliver(bot)
    reminder = dm_with_button(bot, CCG, ASK_EXTENSION)
    assert "Winter Plan" in reminder.text
    assert buttons(reminder)[ASK_EXTENSION] == str(bot.item_id(WINTER_PLAN))
    mark = len(bot.fake.calls)
    press(bot, CCG, ASK_EXTENSION, buttons(reminder)[ASK_EXTENSION])
    view = bot.opened_view(EXTENSION_CALLBACK, after=mark)
    return bot.slack.submit_view(CCG, view, extension_form(date, reason)).json()


def pending_request(bot: Bot) -> ExtensionRequest:
    with bot.session() as s:
        return s.scalars(select(ExtensionRequest).order_by(ExtensionRequest.id.desc())).first()


def due_of(bot: Bot, title: str) -> dt.datetime:
    with bot.session() as s:
        item = s.get(ForwardPlanItem, bot.item_id(title))
        return item_due_at(item)


def pending_reminders(bot: Bot, title: str) -> list[Reminder]:
    with bot.session() as s:
        return list(
            s.scalars(
                select(Reminder)
                .where(Reminder.item_id == bot.item_id(title), Reminder.status == "pending")
                .order_by(Reminder.planned_at)
            )
        )


# -- extensions -------------------------------------------------------------------------------


def test_an_approved_extension_moves_the_deadline_and_the_reminders_and_tells_the_author(
    bot: Bot,
) -> None:
    answer = ask_for_extension(bot)
    assert answer["response_action"] == "update" and "I have asked" in str(answer["view"])
    deliver(bot)
    request = pending_request(bot)
    for decider in (CLERK, CHAIR):
        message = dm_with_button(bot, decider, APPROVE_EXTENSION)
        assert "Awaiting NHS winter guidance" in message.text and f"<@{CCG}>" in message.text
        assert buttons(message) == {
            APPROVE_EXTENSION: str(request.id),
            DECLINE_EXTENSION: str(request.id),
        }
    before = due_of(bot, WINTER_PLAN)

    press(bot, CLERK, APPROVE_EXTENSION, str(request.id))
    wait_for(lambda: pending_request(bot).status == "approved")
    after = due_of(bot, WINTER_PLAN)
    assert before.date() == dt.date(2027, 3, 23)
    assert after == dt.datetime(2027, 3, 30, 16, 0, tzinfo=dt.UTC)  # 17:00 BST
    due_day = [r for r in pending_reminders(bot, WINTER_PLAN) if r.kind == "author_due"]
    assert [r.planned_at.date() for r in due_day] == [dt.date(2027, 3, 30)]
    # The clerk's request message loses its buttons.
    update = wait_for(lambda: bot.fake.calls_to("chat.update"))[-1]
    assert "approved" in update.text and not buttons(update)

    deliver(bot)
    told = bot.dm_to(CCG, "approved")
    assert "Winter Plan" in told and "30 March" in told


def test_a_declined_extension_leaves_the_deadline_and_tells_the_author(bot: Bot) -> None:
    ask_for_extension(bot)
    request = pending_request(bot)
    press(bot, CHAIR, DECLINE_EXTENSION, str(request.id))
    wait_for(lambda: pending_request(bot).status == "declined")
    assert due_of(bot, WINTER_PLAN).date() == dt.date(2027, 3, 23)
    deliver(bot)
    assert "still due by" in bot.dm_to(CCG, "declined")


def test_someone_who_is_neither_clerk_nor_chair_cannot_approve(bot: Bot) -> None:
    ask_for_extension(bot)
    request = pending_request(bot)
    press(bot, PUBLIC_HEALTH, APPROVE_EXTENSION, str(request.id))
    refusal = bot.dm_to(PUBLIC_HEALTH, "Only the clerk or the chair")
    assert refusal.startswith(":x:")
    assert pending_request(bot).status == "pending"
    assert due_of(bot, WINTER_PLAN).date() == dt.date(2027, 3, 23)


def test_an_extension_that_is_not_later_than_the_deadline_is_refused_on_the_form(bot: Bot) -> None:
    answer = ask_for_extension(bot, date="2027-03-19")
    assert answer["response_action"] == "errors"
    assert "must be later" in answer["errors"]["until"]
    with bot.session() as s:
        assert s.scalars(select(ExtensionRequest)).first() is None


def test_someone_not_named_on_the_item_is_not_offered_the_form(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    press(bot, PUBLIC_HEALTH, ASK_EXTENSION, str(bot.item_id(WINTER_PLAN)))
    view = bot.opened_view(after=mark)
    assert view["callback_id"] != EXTENSION_CALLBACK and "not named as an author" in str(view)


# -- pausing chasing --------------------------------------------------------------------------


def test_an_escalation_offers_the_clerk_to_pause_chasing(bot: Bot) -> None:
    with bot.session() as s:
        escalation = s.scalars(
            select(Reminder).where(
                Reminder.item_id == bot.item_id(WINTER_PLAN),
                Reminder.kind == "escalation",
                Reminder.recipient == CLERK,
            )
        ).one()
        bot.clock.set(escalation.planned_at + dt.timedelta(minutes=1))
    deliver(bot)
    message = dm_with_button(bot, CLERK, PAUSE_CHASING, str(bot.item_id(WINTER_PLAN)))
    assert "has not arrived" in message.text and WINTER_PLAN in message.text
    # The author's own chaser offers an extension, not a pause: that is the clerk's call.
    chasers = bot.fake.messages(dm_channel(CCG))
    assert chasers and all(set(buttons(c)) == {ASK_EXTENSION} for c in chasers)


def test_pausing_chasing_stops_the_items_reminders_until_resumed(bot: Bot) -> None:
    """The author has left Slack: the clerk is told, and stops the chasing from that notice."""
    _asc_director_has_left(bot)
    contract = bot.item_id("Care Home Contract Award")
    bot.clock.set(FIRST_REMINDERS)
    deliver(bot)  # the reminder fails...
    deliver(bot)  # ...and the clerk is told
    notice = dm_with_button(bot, CLERK, PAUSE_CHASING, str(contract))
    assert "could not send" in notice.text and f"<@{ASC_DIRECTOR}>" in notice.text
    assert pending_reminders(bot, "Care Home Contract Award")

    press(bot, CLERK, PAUSE_CHASING, str(contract))
    paused = dm_with_button(bot, CLERK, RESUME_CHASING, str(contract))
    assert "Chasing paused" in paused.text
    assert pending_reminders(bot, "Care Home Contract Award") == []
    bot.clock.set(dt.datetime(2027, 3, 26, 10, 0, tzinfo=dt.UTC))  # past due and escalation
    mark = len(bot.fake.calls)
    deliver(bot)
    sent = [
        c.body["metadata"]["event_payload"]["reminder_id"]
        for c in bot.fake.calls[mark:]
        if c.method == "chat.postMessage"
    ]
    with bot.session() as s:
        assert sent  # others are still reminded, not about this item
        assert [s.get(Reminder, rid).item_id for rid in sent].count(contract) == 0
        assert s.get(ForwardPlanItem, contract).chasing_paused is True
    press(bot, CLERK, RESUME_CHASING, str(contract))
    bot.dm_to(CLERK, "Chasing resumed")
    with bot.session() as s:
        assert s.get(ForwardPlanItem, contract).chasing_paused is False


def test_only_the_clerk_can_pause_chasing(bot: Bot) -> None:
    press(bot, CHAIR, PAUSE_CHASING, str(bot.item_id(WINTER_PLAN)))
    assert "Only the clerk" in bot.dm_to(CHAIR, "Only the clerk")
    with bot.session() as s:
        assert s.get(ForwardPlanItem, bot.item_id(WINTER_PLAN)).chasing_paused is False


# -- the clerk's timeline -----------------------------------------------------------------------


def _asc_director_has_left(bot: Bot) -> None:
    def open_dm(call: Call) -> dict[str, Any]:
        user = str(call.body.get("users"))
        if user == ASC_DIRECTOR:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": dm_channel(user)}}

    bot.fake.override("conversations.open", open_dm)


def test_the_clerk_sees_who_was_reminded_when_and_what_failed(bot: Bot) -> None:
    _asc_director_has_left(bot)
    bot.clock.set(FIRST_REMINDERS)
    deliver(bot)
    text = bot.ask(CLERK, f"reminders {MEETING}")
    assert "Not delivered" in text and "user_not_found" in text
    assert f"<@{ASC_DIRECTOR}>" in text and "Care Home Contract Award" in text
    assert f"<@{CCG}>" in text and "sent" in text and "pending" in text
    assert "reminder to author" in text and "escalation" in text
    assert "Tue 16 Mar 2027 09:31" in text  # when it was sent, local time
    # Without a meeting: the clerk's next one.
    assert MEETING in bot.ask(CLERK, "reminders")


@pytest.mark.parametrize("who", [PUBLIC_HEALTH, CHAIR])
def test_only_the_clerk_sees_the_reminder_timeline(bot: Bot, who: str) -> None:
    text = bot.ask(who, f"reminders {MEETING}")
    assert "Only the clerk" in text and "<@" not in text
    assert "Only a body's clerk" in bot.ask(who, "reminders")


def test_the_home_reminders_button_shows_the_timeline_in_a_modal(bot: Bot) -> None:
    _asc_director_has_left(bot)
    bot.clock.set(FIRST_REMINDERS)
    deliver(bot)
    bot.slack.event({"type": "app_home_opened", "user": CLERK, "tab": "home"})
    home = wait_for(lambda: bot.fake.calls_to("views.publish"))[-1]
    assert HOME_REMINDERS in str(home.body["view"])
    mark = len(bot.fake.calls)
    bot.slack.click(
        CLERK, HOME_REMINDERS, MEETING, view={"type": "home", "id": "VHOME", "blocks": []}
    )
    modal = bot.opened_view("boardclerk_reminders", after=mark)
    assert "user_not_found" in str(modal) and f"<@{CCG}>" in str(modal)
    mark = len(bot.fake.calls)
    bot.slack.click(PUBLIC_HEALTH, HOME_REMINDERS, MEETING)
    assert "Only the clerk" in str(bot.opened_view(after=mark))


def test_help_names_the_reminders_command(bot: Bot) -> None:
    assert "/boardclerk reminders" in bot.ask(CLERK, "help")


# -- exactly once, even when a worker dies mid-send ---------------------------------------------


def sent_with_id(bot: Bot, reminder_id: int) -> list[Call]:
    return [
        c
        for c in bot.fake.messages()
        if (c.body.get("metadata") or {}).get("event_payload", {}).get("reminder_id") == reminder_id
    ]


@pytest.fixture
def any_db_bot(engine, clock, data_dir):  # type: ignore[no-untyped-def]
    """The bot on SQLite and, when configured, PostgreSQL (the claim differs between them)."""
    with running_bot(engine, clock, data_dir) as b:
        yield b


def test_a_reminder_posted_by_a_worker_that_died_is_not_sent_again(any_db_bot: Bot) -> None:
    bot = any_db_bot
    bot.clock.set(FIRST_REMINDERS)
    with bot.session() as s:  # a worker claims two reminders...
        posted, lost = claim(s, "worker-that-dies", bot.clock.now(), batch=2)
        recipient = s.get(Reminder, posted).recipient
    notifier = SlackNotifier(WebClient(base_url=bot.fake.base_url, token=BOT_TOKEN))
    notifier.send(ReminderMessage(posted, recipient, "Reminder: your paper is due.", "author_due"))
    # ...posts the first, and dies before recording it or sending the second.
    bot.clock.advance(LEASE + dt.timedelta(seconds=1))
    deliver(bot)
    assert len(sent_with_id(bot, posted)) == 1
    assert len(sent_with_id(bot, lost)) == 1  # the unsent one is not lost
    assert bot.fake.calls_to("conversations.history")
    with bot.session() as s:
        assert s.get(Reminder, posted).status == "sent" and s.get(Reminder, lost).status == "sent"


def test_when_slack_will_not_show_the_history_the_reminder_is_resent_not_lost(bot: Bot) -> None:
    notifier = SlackNotifier(WebClient(base_url=bot.fake.base_url, token=BOT_TOKEN))
    notifier.send(ReminderMessage(7, CCG, "Reminder: your paper is due.", "author_due"))
    assert notifier.was_delivered(7, CCG) and not notifier.was_delivered(8, CCG)
    bot.fake.respond("conversations.history", error="missing_scope")
    assert notifier.was_delivered(7, CCG) is False
