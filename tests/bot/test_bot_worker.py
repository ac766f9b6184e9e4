"""The job queue, reminders delivered as Slack DMs, and the multi-workspace (OAuth) install."""

from __future__ import annotations

import datetime as dt
import http.client
import threading
import urllib.parse
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from werkzeug.serving import make_server

from agenda.db.engine import transaction
from agenda.filestore import LocalFileStore
from agenda.jobs import queue as jobs
from agenda.jobs.tables import Job
from agenda.outbox.dispatch import dispatch_all_due
from agenda.outbox.notify import RateLimited, RecipientGone, ReminderMessage
from agenda.reminders.tables import Reminder
from bot.app import create_app
from bot.notifier import SlackNotifier
from bot.settings import Settings
from tests.support.boards import load_sample_board
from tests.support.fakeslack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    SlackSide,
    dm_channel,
    wait_for,
)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack().start()
    yield f
    f.stop()


@pytest.fixture
def notifier(fake: FakeSlack) -> SlackNotifier:
    return SlackNotifier(WebClient(base_url=fake.base_url, token=BOT_TOKEN))


# -- the job queue (SQLite and PostgreSQL) ---------------------------------------------------


def test_concurrent_workers_never_take_the_same_job(engine, clock) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        for n in range(30):
            jobs.enqueue(s, "build_pack", {"n": n}, now=clock.now())
    taken: list[int] = []
    lock = threading.Lock()

    def work(owner: str) -> None:
        while claimed := jobs.claim(engine, owner, now=clock.now(), batch=3):
            with lock:
                taken.extend(j.payload["n"] for j in claimed)
            for j in claimed:
                assert jobs.complete(engine, j.id, owner, now=clock.now())

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == list(range(30))


def test_a_dead_workers_job_is_taken_again_once_its_lease_runs_out(engine, clock) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        jobs.enqueue(s, "build_minutes", {}, now=clock.now())
    [first] = jobs.claim(engine, "dead", now=clock.now(), lease=dt.timedelta(minutes=1))
    assert jobs.claim(engine, "other", now=clock.now()) == []
    later = clock.now() + dt.timedelta(minutes=2)
    [again] = jobs.claim(engine, "other", now=later)
    assert again.id == first.id and again.attempts == 2
    assert not jobs.complete(engine, first.id, "dead", now=later)  # fenced out
    assert jobs.complete(engine, again.id, "other", now=later)


def test_a_failing_job_is_retried_then_given_up(engine, clock) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        jobs.enqueue(s, "build_pack", {}, now=clock.now())
    now = clock.now()
    for _ in range(jobs.MAX_ATTEMPTS):
        [job] = jobs.claim(engine, "w", now=now)
        jobs.fail(engine, job.id, "w", now=now, error="boom", retry=True)
        now += jobs.RETRY_DELAY
    assert jobs.claim(engine, "w", now=now + dt.timedelta(days=1)) == []
    with transaction(engine) as s:
        assert s.scalar(select(Job.error)) == "boom"


def test_a_delivery_id_is_accepted_once(engine, clock) -> None:  # type: ignore[no-untyped-def]
    assert jobs.first_delivery(engine, "Ev1", now=clock.now())
    assert not jobs.first_delivery(engine, "Ev1", now=clock.now())
    assert jobs.prune_deliveries(engine, before=clock.now() + dt.timedelta(seconds=1)) == 1
    assert jobs.first_delivery(engine, "Ev1", now=clock.now())


# -- reminders as Slack DMs ------------------------------------------------------------------


def test_a_reminder_is_sent_as_a_direct_message_with_its_id(
    fake: FakeSlack, notifier: SlackNotifier
) -> None:
    notifier.send(ReminderMessage(42, "U0AUTH001", "Your paper is due on Monday.", "author_due"))
    [call] = fake.messages(dm_channel("U0AUTH001"))
    assert call.text == "Your paper is due on Monday."
    assert call.body["metadata"]["event_payload"] == {"reminder_id": 42}


def test_slack_rate_limiting_becomes_rate_limited_with_its_wait(
    fake: FakeSlack, notifier: SlackNotifier
) -> None:
    fake.respond("chat.postMessage", status=429, retry_after=17)
    with pytest.raises(RateLimited) as err:
        notifier.send(ReminderMessage(1, "U0AUTH001", "hello", "author_due"))
    assert err.value.retry_after == 17


@pytest.mark.parametrize("error", ["user_not_found", "account_inactive", "cannot_dm_bot"])
def test_someone_who_left_becomes_recipient_gone(
    fake: FakeSlack, notifier: SlackNotifier, error: str
) -> None:
    fake.respond("conversations.open", error=error)
    with pytest.raises(RecipientGone):
        notifier.send(ReminderMessage(1, "U0GONE", "hello", "author_due"))


def test_other_slack_errors_are_left_to_be_retried(
    fake: FakeSlack, notifier: SlackNotifier
) -> None:
    fake.respond("chat.postMessage", error="internal_error")
    with pytest.raises(SlackApiError):
        notifier.send(ReminderMessage(1, "U0AUTH001", "hello", "author_due"))


def test_due_reminders_reach_the_authors_in_slack(
    sqlite_engine,
    clock,
    fake: FakeSlack,  # type: ignore[no-untyped-def]
    notifier: SlackNotifier,
) -> None:
    load_sample_board(sqlite_engine, clock.now())
    with transaction(sqlite_engine) as s:
        first_due = min(s.scalars(select(Reminder.due_at)))
    clock.set(first_due + dt.timedelta(minutes=1))
    stats = dispatch_all_due(sqlite_engine, notifier, clock=clock)
    assert stats.sent >= 1
    assert fake.messages() and all(str(c.body["channel"]).startswith("D") for c in fake.messages())


# -- multi-workspace install -----------------------------------------------------------------


def test_a_workspace_installs_the_app_and_its_events_use_the_installed_token(
    sqlite_engine, clock, data_dir, fake: FakeSlack
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        signing_secret=SIGNING_SECRET,
        client_id="111.222",
        client_secret="s3cret",
        api_url=fake.base_url,
    )
    _, flask_app = create_app(settings, sqlite_engine, LocalFileStore(data_dir), clock=clock)
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
        conn.request("GET", "/slack/install")
        resp = conn.getresponse()
        page = resp.read().decode()
        assert resp.status == 200 and "slack.com/oauth/v2/authorize" in page
        cookie = resp.getheader("Set-Cookie").split(";")[0]  # Secure: echo it by hand
        state = cookie.split("=", 1)[1]
        conn.request(
            "GET",
            "/slack/oauth_redirect?" + urllib.parse.urlencode({"code": "c0de", "state": state}),
            headers={"Cookie": cookie},
        )
        done = conn.getresponse()
        done.read()
        assert done.status == 200
        slack = SlackSide(f"http://127.0.0.1:{server.server_port}/slack/events", team_id="T_NEW")
        checks_before = len(fake.calls_to("auth.test"))
        for _ in range(3):
            assert (
                slack.event({"type": "app_home_opened", "user": "U0X", "tab": "home"}).status == 200
            )
        publishes = wait_for(
            lambda: len(fake.calls_to("views.publish")) == 3 and fake.calls_to("views.publish")
        )
        assert {c.token for c in publishes} == {"xoxb-installed"}
        # The token check is cached: one auth.test for three events, not one each.
        assert len(fake.calls_to("auth.test")) - checks_before == 1
    finally:
        server.shutdown()
        server.server_close()
