"""The Slack endpoint itself: signatures, health, retries, help."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from agenda.db.engine import transaction
from agenda.jobs.tables import ProcessedEvent
from tests.support.boards import PUBLIC_HEALTH
from tests.support.bot_harness import running_bot
from tests.support.fakeslack import post_signed, wait_for


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def _command_body(user: str, text: str) -> str:
    return urllib.parse.urlencode(
        {
            "command": "/boardclerk",
            "text": text,
            "user_id": user,
            "team_id": "T0TEST",
            "trigger_id": "t.1",
            "channel_id": "C0GENERAL",
        }
    )


def test_a_request_signed_with_the_wrong_secret_is_refused_and_nothing_happens(bot) -> None:
    mark = len(bot.fake.calls)
    resp = post_signed(
        bot.slack.url,
        _command_body(PUBLIC_HEALTH, "submit"),
        "application/x-www-form-urlencoded",
        secret="not-the-secret",
    )
    assert resp.status == 401
    time.sleep(0.3)  # give a wrongly-accepted request's lazy part the chance to show itself
    assert bot.calls_since(mark, "views.open") == []


def test_a_replayed_request_with_a_stale_timestamp_is_refused(bot) -> None:
    mark = len(bot.fake.calls)
    resp = post_signed(
        bot.slack.url,
        _command_body(PUBLIC_HEALTH, "submit"),
        "application/x-www-form-urlencoded",
        ts=time.time() - 600,
    )
    assert resp.status == 401
    time.sleep(0.3)
    assert bot.calls_since(mark, "views.open") == []


def test_health_check_answers_ok_while_the_database_is_reachable(bot) -> None:
    with urllib.request.urlopen(f"{bot.url}/healthz", timeout=5) as resp:
        assert resp.status == 200


def test_health_and_readiness_answer_in_milliseconds_while_a_writer_holds_sqlite(bot) -> None:
    """Issue 13: /healthz answered 503 through a 200 s build (it waited for the write lock)."""
    if bot.engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:  # a long write transaction, as a build used to hold
        with transaction(bot.engine) as session:
            session.execute(sa.text("UPDATE organisations SET name = name"))
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        for path in ("/healthz", "/readyz"):
            started = time.monotonic()
            with urllib.request.urlopen(f"{bot.url}{path}", timeout=5) as resp:
                assert resp.status == 200
            assert time.monotonic() - started < 1.0, path
    finally:
        release.set()
        thread.join()


def test_readiness_answers_503_when_the_database_is_gone(tmp_path, clock, data_dir) -> None:
    from agenda.db.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path}/missing/dir/x.db")
    with running_bot(engine, clock, data_dir, load_board=False) as bot:
        (tmp_path / "missing" / "dir").rename(tmp_path / "gone")  # the file vanishes
        engine.dispose()
        (tmp_path / "missing").chmod(0o500)
        try:
            urllib.request.urlopen(f"{bot.url}/readyz", timeout=5)
        except urllib.error.HTTPError as err:
            assert err.code == 503
        else:
            pytest.fail("readiness check said ok with no database")
        finally:
            (tmp_path / "missing").chmod(0o700)


def test_slack_url_verification_is_answered_with_the_challenge(bot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    resp = post_signed(bot.slack.url, body, "application/json")
    assert resp.status == 200
    assert resp.json()["challenge"] == "abc123"


def test_help_lists_the_sub_commands(bot) -> None:
    for text in ("", "help"):
        resp = bot.slack.command(PUBLIC_HEALTH, text)
        assert resp.status == 200
        body = resp.body.decode()
        for sub in ("submit", "plan", "status", "pack", "minutes"):
            assert f"/boardclerk {sub}" in body


def test_an_unknown_sub_command_says_so_and_shows_help(bot) -> None:
    resp = bot.slack.command(PUBLIC_HEALTH, "frobnicate")
    assert "don't know `frobnicate`" in resp.body.decode()


def test_an_event_retried_by_slack_is_processed_once(bot) -> None:
    event = {"type": "app_home_opened", "user": PUBLIC_HEALTH, "tab": "home", "channel": "D1"}
    first = bot.slack.event(event, event_id="Ev0RETRY1")
    assert first.status == 200
    wait_for(lambda: bot.fake.calls_to("views.publish"))
    again = bot.slack.event(event, event_id="Ev0RETRY1", retry_num=1)
    third = bot.slack.event(event, event_id="Ev0RETRY1", retry_num=2)
    assert again.status == 200 and third.status == 200
    time.sleep(0.3)
    assert len(bot.fake.calls_to("views.publish")) == 1
    with bot.session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def test_settings_come_from_the_environment_and_say_what_is_missing() -> None:
    from bot.settings import Settings, SettingsError

    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": "https://slack-gov.com/api",
            "PORT": "8080",
        }
    )
    assert settings.api_url == "https://slack-gov.com/api/"  # the slash slack_sdk needs
    assert settings.port == 8080 and not settings.oauth and not settings.socket_mode
    assert (
        Settings.from_env({"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "s"}).api_url
        == "https://slack.com/api/"
    )
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"})
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        Settings.from_env({"SLACK_SIGNING_SECRET": "s"})
    oauth = Settings.from_env(
        {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"}
    )
    assert oauth.oauth
    assert Settings.from_env({"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "x"}).socket_mode
