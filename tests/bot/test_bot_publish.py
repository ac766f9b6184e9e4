"""Publishing the agenda from Slack, over real HTTP against the fake Slack: the clerk's
"Publish to members" button, the meeting notice in the channel or in each member's DMs, and
the notice's "Send apologies" button working end to end. App Home shows members the buttons."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from slack_sdk import WebClient

from agenda.board.lookup import get_meeting
from agenda.board.models import MeetingStatus
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.filestore import sha256_of
from agenda.minutes.service import attendance_summary
from agenda.pack.build import build_pack
from bot.worker import JobRunner
from tests.support.boards import CHAIR, CLERK, PUBLIC_HEALTH
from tests.support.bot_harness import Bot, running_bot, values
from tests.support.fakeslack import BOT_TOKEN, dm_channel, wait_for

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice"),
]

CHANNEL = "C0HWBNOTE"
COUNCILLOR = "U0CLLR002"  # a member who writes no papers
MEMBERS = {CHAIR, COUNCILLOR, "U0OFFI001", PUBLIC_HEALTH, "U0AUTH002"}


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def runner(bot: Bot) -> JobRunner:
    client = WebClient(base_url=bot.fake.base_url, token=BOT_TOKEN)
    return JobRunner(bot.engine, bot.store, lambda _team: client, clock=bot.clock)


def set_channel(bot: Bot, channel: str | None) -> None:
    with bot.session() as s:
        get_meeting(s, bot.meetings[0]).body.channel = channel


def build(bot: Bot, *, private: bool = False) -> str:
    """Build a PDF pack directly; return its sha256."""
    with transaction(bot.engine) as s:
        result = build_pack(
            s,
            bot.store,
            bot.meetings[0],
            private=private,
            formats=("pdf",),
            now=bot.clock.now(),
            actor=Actor.system(),
        )
    return result.outputs["pdf"].sha256


def status(bot: Bot) -> str:
    with bot.session() as s:
        return get_meeting(s, bot.meetings[0]).status


def home_of(bot: Bot, user: str) -> dict:
    mark = len(bot.fake.calls)
    bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    call = wait_for(
        lambda: [c for c in bot.calls_since(mark, "views.publish") if c.body["user_id"] == user]
    )[0]
    return call.body["view"]


def buttons_in(blocks: list[dict]) -> list[tuple[str, str]]:
    return [
        (e["action_id"], e.get("value", ""))
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
    ]


def test_the_public_pack_comes_with_a_publish_button_and_the_private_one_without(bot: Bot) -> None:
    ref = bot.meetings[0]
    bot.ask(CLERK, f"pack {ref} private")
    assert runner(bot).run_once() == 1
    assert not [
        c
        for c in bot.fake.messages(dm_channel(CLERK))
        if "publish_meeting" in json.dumps(c.body.get("blocks") or "")
    ]
    bot.ask(CLERK, f"pack {ref}")
    assert runner(bot).run_once() == 1
    offer = wait_for(
        lambda: [
            c
            for c in bot.fake.messages(dm_channel(CLERK))
            if "publish_meeting" in json.dumps(c.body.get("blocks") or "")
        ]
    )
    blocks = offer[0].body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert ("publish_meeting", ref) in buttons_in(blocks)
    assert "Publish to members" in offer[0].text


def test_publishing_posts_the_public_pack_and_notice_to_the_bodys_channel(bot: Bot) -> None:
    ref = bot.meetings[0]
    set_channel(bot, CHANNEL)
    public = build(bot)
    bot.clock.advance(dt.timedelta(minutes=1))
    private = build(bot, private=True)  # newer than the public pack: still never sent
    bot.slack.click(CLERK, "publish_meeting", ref, channel=dm_channel(CLERK))
    confirm = bot.dm_to(CLERK, "Published")
    assert f"<#{CHANNEL}>" in confirm and "warning" not in confirm
    [upload] = bot.fake.uploaded(CHANNEL)
    assert sha256_of(upload["data"]) == public != private
    assert upload["filename"].endswith("-agenda-pack.pdf")
    assert all(
        "private" not in u["filename"]
        for u in bot.fake.uploaded()
        if u["channel"] != dm_channel(CLERK)
    )
    [notice] = bot.fake.messages(CHANNEL)
    assert notice.body["text"].startswith("The agenda for the Health and Wellbeing Board on ")
    assert "at 2.00 pm, Meeting Room G.01, Ground Floor, City Hall" in notice.body["text"]
    blocks = notice.body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert buttons_in(blocks) == [
        ("minutes_send_apologies", ref),
        ("minutes_declare_interest", ref),
    ]
    assert status(bot) == MeetingStatus.PUBLISHED.value
    assert not any(bot.fake.dm_texts(m) for m in MEMBERS)  # the channel is enough


def test_with_no_channel_each_member_gets_the_notice_by_direct_message(bot: Bot) -> None:
    ref = bot.meetings[0]
    public = build(bot)
    bot.slack.click(CLERK, "publish_meeting", ref, channel=dm_channel(CLERK))
    assert "to 5 members by direct message" in bot.dm_to(CLERK, "Published")
    for member in MEMBERS:
        [upload] = bot.fake.uploaded(dm_channel(member))
        assert sha256_of(upload["data"]) == public
        assert any(
            "is published." in t and "Send apologies" in t for t in bot.fake.dm_texts(member)
        )
    assert not bot.fake.uploaded(dm_channel(CLERK))
    assert bot.fake.channel_texts() == []


def test_only_the_clerk_can_publish_and_others_are_told_by_dm(bot: Bot) -> None:
    set_channel(bot, CHANNEL)
    build(bot)
    bot.slack.click(CHAIR, "publish_meeting", bot.meetings[0], channel=dm_channel(CHAIR))
    assert "Only the clerk" in bot.dm_to(CHAIR, "Only the clerk")
    assert status(bot) == MeetingStatus.SCHEDULED.value
    assert bot.fake.uploaded() == [] and bot.fake.channel_texts() == []


def test_publishing_before_the_pack_is_built_tells_the_clerk_to_build_it(bot: Bot) -> None:
    bot.slack.click(CLERK, "publish_meeting", bot.meetings[0], channel=dm_channel(CLERK))
    assert "/boardclerk pack" in bot.dm_to(CLERK, "Build the agenda pack first")
    assert status(bot) == MeetingStatus.SCHEDULED.value


def test_late_publication_warns_the_clerk(bot: Bot) -> None:
    ref = bot.meetings[0]  # the sample's dates follow the clock: take it before moving it
    build(bot)
    with bot.session() as s:
        starts = get_meeting(s, ref).starts_at
    bot.clock.set(starts - dt.timedelta(days=1))
    bot.slack.click(CLERK, "publish_meeting", ref, channel=dm_channel(CLERK))
    assert "statutory publication date" in bot.dm_to(CLERK, ":warning:")


def test_send_apologies_on_the_notice_records_the_members_apologies(bot: Bot) -> None:
    ref = bot.meetings[0]
    set_channel(bot, CHANNEL)
    build(bot)
    bot.slack.click(CLERK, "publish_meeting", ref, channel=dm_channel(CLERK))
    [notice] = wait_for(lambda: bot.fake.messages(CHANNEL))
    blocks = notice.body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    action, value = buttons_in(blocks)[0]
    mark = len(bot.fake.calls)
    bot.slack.click(COUNCILLOR, action, value, channel=CHANNEL)  # pressed on the notice
    modal = bot.opened_view("minutes_apologies_modal", after=mark)
    answer = bot.slack.submit_view(COUNCILLOR, modal, values(reason="on council business"))
    assert answer.status == 200 and "recorded" in answer.body.decode()
    with bot.session() as s:
        summary = attendance_summary(s, get_meeting(s, ref))
    assert [(a.name, a.reason) for a in summary.apologies] == [
        ("Councillor Adam Clarke", "on council business")
    ]
    assert "you have sent your apologies" in json.dumps(home_of(bot, COUNCILLOR))


def test_app_home_shows_a_member_the_notice_buttons_for_each_meeting(bot: Bot) -> None:
    view = home_of(bot, COUNCILLOR)
    pairs = buttons_in(view["blocks"])
    for ref in bot.meetings:
        assert ("minutes_send_apologies", ref) in pairs and (
            "minutes_declare_interest",
            ref,
        ) in pairs
    text = json.dumps(view)
    assert "home_build_pack" not in text and "you have sent your apologies" not in text
    # The clerk is not a member for apologies: their home has no notice buttons, but a
    # "Publish to members" button per meeting (for a pack built from the command line).
    clerk = home_of(bot, CLERK)
    assert "minutes_send_apologies" not in json.dumps(clerk)
    assert ("publish_meeting", bot.meetings[0]) in buttons_in(clerk["blocks"])
