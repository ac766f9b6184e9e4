"""App Home, the pack and minutes builds queued from Slack, and the worker that delivers them."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil

import docx
import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.demo.papers import make_report_docx, sample_reports
from agenda.jobs.tables import Job
from agenda.plan.papers import submit_paper
from bot.worker import JobRunner
from tests.support.boards import CLERK, PUBLIC_HEALTH
from tests.support.bot_harness import Bot, running_bot
from tests.support.fakeslack import BOT_TOKEN, dm_channel, wait_for

EXEMPT_REASON = "Paragraph 3 of Part 1 of Schedule 12A"


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def home_of(bot: Bot, user: str) -> dict:
    mark = len(bot.fake.calls)
    bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    call = wait_for(
        lambda: [c for c in bot.calls_since(mark, "views.publish") if c.body["user_id"] == user]
    )[0]
    return call.body["view"]


def runner(bot: Bot) -> JobRunner:
    client = WebClient(base_url=bot.fake.base_url, token=BOT_TOKEN)
    return JobRunner(bot.engine, bot.store, lambda _team: client, clock=bot.clock)


def jobs_of(bot: Bot) -> list[Job]:
    with bot.session() as s:
        return list(s.scalars(select(Job).order_by(Job.id)))


def test_app_home_shows_an_author_their_items_with_deadlines(bot: Bot) -> None:
    view = home_of(bot, PUBLIC_HEALTH)
    text = json.dumps(view)
    assert view["type"] == "home"
    assert (
        "Joint Health and Wellbeing Strategy Refresh" in text
        and "Suicide Prevention Strategy" in text
    )
    assert "Winter Plan" not in text
    assert "Due " in text and "expected" in text
    assert "home_build_pack" not in text


def test_app_home_shows_the_clerk_each_meetings_readiness_and_build_buttons(bot: Bot) -> None:
    with transaction(bot.engine) as s:
        item = bot.item_id("Winter Plan")
        data = make_report_docx(
            sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1)[0],
            "council-appendix",
            pages=1,
        )
        submit_paper(
            s,
            bot.store,
            actor=Actor.slack("U0AUTH002"),
            item_id=item,
            file_name="winter.docx",
            data=data,
            now=bot.clock.now(),
        )
    text = json.dumps(home_of(bot, CLERK))
    for ref in bot.meetings:
        assert ref in text
    assert "1 of 5 papers received" in text
    for action in (
        "home_open_plan",
        "home_build_pack",
        "home_build_private_pack",
        "home_build_minutes",
    ):
        assert action in text


def test_the_home_plan_button_opens_the_forward_plan(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    bot.slack.click(CLERK, "home_open_plan", bot.meetings[0])
    view = bot.opened_view("boardclerk_plan", after=mark)
    assert "Better Care Fund Plan" in json.dumps(view) and "plan_add_item" in json.dumps(view)


def test_a_pack_build_from_home_is_queued_and_the_clerk_told(bot: Bot) -> None:
    bot.slack.click(CLERK, "home_build_pack", bot.meetings[0])
    assert "Building the agenda pack" in bot.dm_to(CLERK, "Building")
    [job] = jobs_of(bot)
    assert job.kind == "build_pack" and job.payload["meeting"] == bot.meetings[0]
    assert job.status == "queued" and job.payload["private"] is False


def test_only_the_clerk_can_build_the_pack(bot: Bot) -> None:
    bot.slack.click(PUBLIC_HEALTH, "home_build_pack", bot.meetings[0])
    assert "Only the clerk" in bot.dm_to(PUBLIC_HEALTH, "Only the clerk")
    text = bot.ask(PUBLIC_HEALTH, f"minutes {bot.meetings[0]}")
    assert "Only the clerk" in text
    assert jobs_of(bot) == []


def test_the_pack_command_queues_a_private_pack_job(bot: Bot) -> None:
    text = bot.ask(CLERK, f"pack {bot.meetings[0]} private")
    assert "private (Part B) agenda pack" in text
    [job] = jobs_of(bot)
    assert job.payload == {
        "meeting": bot.meetings[0],
        "private": True,
        "user": CLERK,
        "team_id": "T0TEST",
    }


def test_the_worker_builds_the_minutes_and_sends_them_to_the_clerk_by_dm(bot: Bot) -> None:
    bot.ask(CLERK, f"minutes {bot.meetings[0]}")
    assert runner(bot).run_once() == 1
    [upload] = wait_for(lambda: bot.fake.uploaded())
    assert upload["channel"] == dm_channel(CLERK)
    assert upload["filename"].endswith(".docx")
    document = docx.Document(io.BytesIO(upload["data"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "HEALTH AND WELLBEING BOARD" in text and "better care fund plan" in text.lower()
    assert jobs_of(bot)[0].status == "done"


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_the_worker_sends_the_private_pack_only_by_direct_message(bot: Bot) -> None:
    bot.ask(CLERK, f"pack {bot.meetings[0]} private")
    assert runner(bot).run_once() == 1
    uploads = bot.fake.uploaded()
    assert {u["channel"] for u in uploads} == {dm_channel(CLERK)}
    assert {u["filename"].rsplit(".", 1)[1] for u in uploads} == {"pdf", "docx"}
    assert "exempt information" in uploads[0]["initial_comment"]
    assert bot.fake.channel_texts() == []
    assert jobs_of(bot)[0].status == "done"


def test_a_job_the_service_refuses_fails_once_and_the_clerk_is_told_why(bot: Bot) -> None:
    from agenda.jobs import queue as jobs

    with transaction(bot.engine) as s:
        jobs.enqueue(
            s, "build_minutes", {"meeting": "hwb:2030-01-01", "user": CLERK}, now=bot.clock.now()
        )
    runner(bot).run_once()
    assert "no meeting on" in bot.dm_to(CLERK, ":x:")
    [job] = jobs_of(bot)
    assert job.status == "failed" and job.attempts == 1
