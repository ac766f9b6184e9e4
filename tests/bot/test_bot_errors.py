"""How failures reach people: a refusal by the rules is the ':x:' reply, wherever the request
came from; a fault of ours is a short reference the clerk can quote, with the traceback in the
log under that reference, once, and the bot's token nowhere in it."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from bot.blocks.plan import ADD_ITEM
from bot.blocks.publish import PUBLISH_ACTION
from bot.blocks.submit import HOME_SUBMIT
from tests.support.boards import CCG, meeting_refs
from tests.support.bot_harness import Bot, running_bot
from tests.support.fakeslack import BOT_TOKEN

STRANGER = "U0STRANGER"
MEETING = meeting_refs(dt.date(2027, 3, 1))[0]  # the sample board's next meeting
REF = re.compile(r"Something went wrong \(ref ([A-Z0-9]{6})\)")


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def modal_text(view: dict) -> str:  # type: ignore[type-arg]
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b.get("text"))


def test_a_refused_button_is_answered_with_the_reason_by_direct_message(bot: Bot) -> None:
    assert bot.slack.click(STRANGER, PUBLISH_ACTION, MEETING).status == 200
    assert bot.dm_to(STRANGER, ":x: ").startswith(":x: Only the clerk of the")


def test_a_refused_modal_is_answered_with_a_modal_giving_the_reason(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    assert bot.slack.click(STRANGER, ADD_ITEM, MEETING).status == 200
    text = modal_text(bot.opened_view("boardclerk_info", after=mark))
    assert text.startswith(":x: Only the clerk of the")


def test_a_refused_command_is_answered_only_to_the_person(bot: Bot) -> None:
    reply = bot.ask(CCG, "status hwb:2000-01-01")
    assert ":x: The Health and Wellbeing Board has no meeting on 1 January 2000" in reply


def test_a_fault_is_answered_with_a_reference_logged_once_with_its_traceback(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    mark = len(bot.fake.calls)
    # A button whose value is not what the app put there: int() fails, not a rule.
    assert bot.slack.click(CCG, HOME_SUBMIT, "not-a-number").status == 200
    text = modal_text(bot.opened_view("boardclerk_info", after=mark))
    found = REF.search(text)
    assert found and text.startswith(":x: Something went wrong"), text
    ref = found.group(1)
    logged = [r for r in caplog.records if ref in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].levelno == logging.ERROR and logged[0].exc_info is not None
    assert logged[0].exc_info[0] is ValueError
    assert "not-a-number" in caplog.text  # the traceback is there...
    assert BOT_TOKEN not in caplog.text  # ...and the token is not


def test_a_listener_is_a_plain_function_that_can_be_called_directly() -> None:
    from bot.listeners.commands import answer

    acked: list[dict[str, str]] = []
    answer(ack=lambda **reply: acked.append(reply), command={"text": "frobnicate"})  # type: ignore[arg-type]
    assert acked[0]["text"].startswith("I don't know `frobnicate`.")
