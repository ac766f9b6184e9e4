"""The README's way of running the app: `boardclerk web` / `serve` as real processes, with the
environment DESIGN.md lists, talking to the fake Slack; Socket Mode wiring."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from slack_sdk.errors import SlackApiError

from tests.support.boards import CLERK, meeting_refs, write_sample_config
from tests.support.fakeslack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    SlackSide,
    dm_channel,
    wait_for,
)

BOARDCLERK = str(Path(sys.executable).with_name("boardclerk"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(command: str, tmp_path: Path, fake: FakeSlack) -> Iterator[str]:
    port = _free_port()
    today = dt.datetime.now(dt.UTC).date()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bc.db",
        "BOARDCLERK_DATA_DIR": str(tmp_path / "data"),
        "BOARDCLERK_CONFIG": str(write_sample_config(tmp_path / "boardclerk.yaml", today)),
        "WEB_CONCURRENCY": "1",
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen(
        [BOARDCLERK, command], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as resp:
                return resp.status == 200
        except OSError:
            assert proc.poll() is None, proc.communicate()[0].decode()[-2000:]
            return False

    try:
        wait_for(healthy, timeout=30, interval=0.1)
        yield base
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack().start()
    yield f
    f.stop()


@pytest.mark.slow  # the real `boardclerk web` process
def test_boardclerk_web_serves_signed_slack_requests(tmp_path: Path, fake: FakeSlack) -> None:
    with running("web", tmp_path, fake) as base:
        slack = SlackSide(f"{base}/slack/events", hooks_url=f"{fake.root}hooks/")
        assert "/boardclerk submit" in slack.command(CLERK, "help").body.decode()
        assert slack.command(CLERK, "help", secret="wrong").status == 401
        mark = len(fake.calls)
        assert slack.command(CLERK, "plan").status == 200
        [reply] = wait_for(lambda: [c for c in fake.calls[mark:] if c.method == "response_url"])
        assert "Better Care Fund Plan" in reply.text  # BOARDCLERK_CONFIG was imported at start


@pytest.mark.slow  # the real `boardclerk serve` process
def test_boardclerk_serve_runs_the_worker_too(tmp_path: Path, fake: FakeSlack) -> None:
    ref = meeting_refs(dt.datetime.now(dt.UTC).date())[0]
    with running("serve", tmp_path, fake) as base:
        mark = len(fake.calls)
        SlackSide(f"{base}/slack/events", hooks_url=f"{fake.root}hooks/").command(
            CLERK, f"minutes {ref}"
        )
        [reply] = wait_for(lambda: [c for c in fake.calls[mark:] if c.method == "response_url"])
        assert "Building the draft minutes" in reply.text
        [upload] = wait_for(lambda: fake.uploaded(), timeout=30)
        assert upload["channel"] == dm_channel(CLERK) and upload["filename"].endswith(".docx")


def test_socket_mode_connects_with_the_app_token(sqlite_engine, fake: FakeSlack) -> None:
    from bot.serve import run_socket_mode
    from bot.settings import Settings

    fake.respond("apps.connections.open", error="invalid_auth", times=None)
    settings = Settings(
        signing_secret="", bot_token=BOT_TOKEN, app_token="xapp-1-test", api_url=fake.base_url
    )
    stop = threading.Event()
    errors: list[Exception] = []

    def connect() -> None:
        try:
            run_socket_mode(settings, str(sqlite_engine.url), stop)
        except SlackApiError as err:  # the fake refuses the token: that is the end of it
            errors.append(err)

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    call = wait_for(lambda: fake.calls_to("apps.connections.open"))[0]
    assert call.token == "xapp-1-test"
    stop.set()
    thread.join(timeout=5)
    assert errors and errors[0].response["error"] == "invalid_auth"


def test_web_without_slack_credentials_says_which_to_set(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from bot.cli import main

    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACK_APP_TOKEN",
        "BOARDCLERK_CONFIG",
    ):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["--database-url", f"sqlite:///{tmp_path}/x.db", "web"])
    assert result.exit_code == 1
    assert "SLACK_SIGNING_SECRET" in result.output and "SLACK_BOT_TOKEN" in result.output
