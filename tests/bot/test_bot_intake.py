"""Nothing acknowledged is lost, nothing is done twice (issue 13): durable intake, replayed
requests, Slack failing or rate-limiting the receipt."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from agenda.board.models import Paper
from agenda.jobs import queue as jobs
from agenda.jobs.tables import Job, JobStatus
from bot.intake import SUBMIT_PAPER, record_submission
from bot.slack import web_client
from bot.worker import JobRunner
from tests.bot.test_bot_submit import STRATEGY, open_submit, submit
from tests.support.boards import CLERK, PUBLIC_HEALTH
from tests.support.bot_harness import Bot, running_bot, submit_values
from tests.support.fakeslack import BOT_TOKEN, post_signed, wait_for


@pytest.fixture
def bot(sqlite_engine, clock, data_dir) -> Iterator[Bot]:  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


@pytest.fixture(scope="module")
def docx() -> bytes:
    from tests.plan.test_papers import a_docx

    return a_docx(3)


def _replay(bot: Bot, payload: dict[str, object]) -> list[int]:
    """Send one signed interaction twice, byte for byte (an attacker's or a proxy's replay)."""
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    stamp = time.time()
    return [
        post_signed(bot.slack.url, body, "application/x-www-form-urlencoded", ts=stamp).status
        for _ in range(2)
    ]


def test_a_replayed_view_submission_is_answered_but_stores_one_paper(bot: Bot, docx: bytes) -> None:
    view = open_submit(bot, PUBLIC_HEALTH)
    item = str(bot.item_id(STRATEGY))
    file = bot.fake.add_file(docx, "strategy.docx", user=PUBLIC_HEALTH)
    state = submit_values(view, item=("select", item), title=STRATEGY, file=[file])
    payload = {
        "type": "view_submission",
        "team": {"id": bot.slack.team_id},
        "user": {"id": PUBLIC_HEALTH, "team_id": bot.slack.team_id},
        "view": {**view, "team_id": bot.slack.team_id, "state": {"values": state}},
    }
    assert _replay(bot, payload) == [200, 200]
    bot.dm_to(PUBLIC_HEALTH, "Version 1")
    time.sleep(0.5)
    assert [p.version for p in bot.papers(STRATEGY)] == [1]


def test_a_replayed_pack_command_queues_one_build(bot: Bot) -> None:
    form = {
        "team_id": bot.slack.team_id,
        "channel_id": "C0GENERAL",
        "user_id": CLERK,
        "command": "/boardclerk",
        "text": f"pack {bot.meetings[0]}",
        "response_url": f"{bot.fake.root}hooks/commands/1",
        "trigger_id": "trig.replayed",
    }
    body, stamp = urllib.parse.urlencode(form), time.time()
    for _ in range(2):
        resp = post_signed(bot.slack.url, body, "application/x-www-form-urlencoded", ts=stamp)
        assert resp.status == 200
    time.sleep(0.5)
    with bot.session() as s:
        assert s.scalar(select(func.count()).select_from(Job)) == 1


def test_a_500_on_the_receipt_is_retried_and_the_author_told(bot: Bot, docx: bytes) -> None:
    bot.fake.respond("chat.postMessage", status=500)
    submit(bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx")
    assert "Version 1" in bot.dm_to(PUBLIC_HEALTH, "Version 1", timeout=10)


def test_a_short_429_on_the_receipt_is_waited_out(bot: Bot, docx: bytes) -> None:
    bot.fake.respond("chat.postMessage", status=429, retry_after=1)
    submit(bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx")
    assert "Version 1" in bot.dm_to(PUBLIC_HEALTH, "Version 1", timeout=10)


def test_a_receipt_slack_keeps_refusing_goes_to_the_outbox_not_lost(bot: Bot, docx: bytes) -> None:
    bot.fake.respond("chat.postMessage", status=500, times=3)  # the call and both retries
    submit(bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx")
    from agenda.reminders.tables import Reminder

    def queued() -> list[str]:
        with bot.session() as s:
            return [
                r.payload["text"]
                for r in s.scalars(select(Reminder).where(Reminder.recipient == PUBLIC_HEALTH))
                if r.kind == "notice"
            ]

    assert "Version 1" in wait_for(queued, timeout=15)[0]


def test_a_submission_acknowledged_by_a_process_that_died_is_stored_by_a_worker(
    bot: Bot, docx: bytes
) -> None:
    """The web process recorded the submission, acknowledged Slack, and was killed before
    the slow part: a worker takes the record over when its lease runs out."""
    file = bot.fake.add_file(docx, "strategy.docx", user=PUBLIC_HEALTH)
    job_id = record_submission(
        bot.engine,
        user=PUBLIC_HEALTH,
        team_id=None,
        form={"item_id": str(bot.item_id(STRATEGY)), "file": file, "title": STRATEGY},
        key="view-of-a-dead-process",
        now=bot.clock.now(),
        owner="web-that-was-killed",
    )
    assert job_id is not None
    client = web_client(bot.fake.base_url, BOT_TOKEN)
    runner = JobRunner(bot.engine, bot.store, lambda _t: client, clock=bot.clock)
    assert runner.run_once() == 0  # still leased to the dead process
    bot.clock.advance(jobs.DEFAULT_LEASE + dt.timedelta(seconds=1))
    assert runner.run_once() == 1
    assert "Version 1" in bot.dm_to(PUBLIC_HEALTH, "Version 1")
    (paper,) = bot.papers(STRATEGY)
    assert paper.version == 1
    with bot.session() as s:
        job = s.get(Job, job_id)
        assert job is not None and job.status == JobStatus.DONE.value
        assert job.kind == SUBMIT_PAPER and job.result == {"paper_id": paper.id}
    assert runner.run_once() == 0  # done once, never again
    with bot.session() as s:
        assert s.scalar(select(func.count()).select_from(Paper)) == 1


def test_every_text_input_of_the_submit_modal_carries_its_columns_limit(bot: Bot) -> None:
    view = open_submit(bot, PUBLIC_HEALTH)
    inputs = {
        b["element"]["action_id"]: b["element"]
        for b in view["blocks"]
        if b.get("type") == "input" and b["element"]["type"] == "plain_text_input"
    }
    assert inputs["title"]["max_length"] == 300 and inputs["presenter"]["max_length"] == 300
    assert all(0 < e["max_length"] <= 3000 for e in inputs.values())


def test_a_modal_slack_will_not_open_in_time_gets_busy_try_again(bot: Bot) -> None:
    """Issue 13: a 429 on views.open with Retry-After 4 s (longer than a trigger lives) left
    the author with nothing. Now the modal is opened first, and if it cannot be, they hear."""
    bot.fake.respond("views.open", status=429, retry_after=4)
    mark = len(bot.fake.calls)
    assert bot.slack.command(PUBLIC_HEALTH, "submit").status == 200
    replies = wait_for(lambda: bot.calls_since(mark, "response_url"))
    assert "try again" in replies[0].body["text"]
    assert replies[0].body.get("response_type") == "ephemeral"
    assert len(bot.calls_since(mark, "views.open")) == 1  # not retried past the trigger


def test_the_modal_opens_before_the_form_is_built(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    bot.slack.command(PUBLIC_HEALTH, "submit")
    view = bot.opened_view("submit_paper", after=mark)
    (opened,) = bot.calls_since(mark, "views.open")
    assert "Loading" in opened.text
    assert view["id"] == bot.calls_since(mark, "views.update")[-1].body["view_id"]


def test_the_worker_rides_out_a_429_and_a_500_from_slack(bot: Bot, docx: bytes) -> None:
    """The worker's client is the web's configuration: a short 429 is waited out as Slack
    asks and a 500 is retried, so the author still gets the receipt."""
    from bot.settings import Settings
    from bot.worker import clients

    settings = Settings(signing_secret="s", bot_token=BOT_TOKEN, api_url=bot.fake.base_url)
    runner = JobRunner(bot.engine, bot.store, clients(settings, bot.engine), clock=bot.clock)
    file = bot.fake.add_file(docx, "strategy.docx", user=PUBLIC_HEALTH)
    record_submission(
        bot.engine,
        user=PUBLIC_HEALTH,
        team_id=None,
        form={"item_id": str(bot.item_id(STRATEGY)), "file": file, "title": STRATEGY},
        key="left-to-the-worker",
        now=bot.clock.now(),
        owner="web-that-was-killed",
    )
    bot.clock.advance(jobs.DEFAULT_LEASE + dt.timedelta(seconds=1))
    bot.fake.respond("conversations.open", status=429, retry_after=1)
    bot.fake.respond("chat.postMessage", status=500)
    mark = len(bot.fake.calls)
    assert runner.run_once() == 1
    assert "Version 1" in bot.dm_to(PUBLIC_HEALTH, "Version 1")
    assert len(bot.calls_since(mark, "conversations.open")) >= 2  # the 429, then the retry
    assert len(bot.calls_since(mark, "chat.postMessage")) == 2  # the 500, then the retry
