"""The bot token goes only to Slack: a file object whose download address points at another
host (or redirects there, or names a local file) is refused, the other host never sees the
Authorization header, and the token appears in no log and no message to the user."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agenda.demo.papers import make_report_docx, sample_reports
from bot.slack import token_may_go_to
from tests.support import hostile
from tests.support.boards import PUBLIC_HEALTH
from tests.support.bot_harness import Bot, running_bot, submit_values
from tests.support.hostile import Listener

STRATEGY = "Joint Health and Wellbeing Strategy Refresh"
TOKEN = "xoxb-test"


@pytest.fixture(scope="module")
def docx() -> bytes:
    return make_report_docx(
        sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1)[0],
        "council-appendix",
        pages=1,
    )


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


@pytest.fixture
def listener() -> Iterator[Listener]:
    with hostile.listening() as listener:
        yield listener


def _submit(bot: Bot, data: bytes, tamper: Callable[[dict[str, Any]], None]) -> None:
    mark = len(bot.fake.calls)
    bot.slack.command(PUBLIC_HEALTH, "submit")
    view = bot.opened_view("submit_paper", after=mark)
    item = str(bot.item_id(STRATEGY))
    if view["private_metadata"] and f'"item": {item}' not in view["private_metadata"]:
        mark = len(bot.fake.calls)
        bot.slack.select(PUBLIC_HEALTH, "submit_item", item, view=view, block_id="item")
        view = bot.opened_view("submit_paper", after=mark)
    file = bot.fake.add_file(data, "strategy.docx", user=PUBLIC_HEALTH)
    tamper(file)
    state = submit_values(view, item=("select", item), title=STRATEGY, file=[file])
    bot.slack.submit_view(PUBLIC_HEALTH, view, state)


def _refused(bot: Bot) -> str:
    message = bot.dm_to(PUBLIC_HEALTH, "could not accept")
    assert "not at Slack" in message and TOKEN not in message
    assert bot.papers(STRATEGY) == []
    return message


def test_a_download_address_on_another_host_never_receives_the_token(
    bot: Bot, docx: bytes, listener: Listener, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def elsewhere(file: dict[str, Any]) -> None:
        file["url_private_download"] = f"{listener.url}/files-pri/T0-F1/strategy.docx"

    _submit(bot, docx, elsewhere)
    _refused(bot)
    assert listener.connections == []
    assert TOKEN not in caplog.text


def test_a_slack_download_that_redirects_elsewhere_is_not_followed(
    bot: Bot, docx: bytes, listener: Listener, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def redirected(file: dict[str, Any]) -> None:
        bot.fake.file_redirects[file["id"]] = f"{listener.url}/stolen"

    _submit(bot, docx, redirected)
    _refused(bot)
    assert [c for c in listener.connections if b"authorization" in c.lower()] == []
    assert listener.connections == []
    assert TOKEN not in caplog.text


def test_a_file_url_in_the_payload_is_never_read(
    bot: Bot, docx: bytes, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "secret.docx"
    secret.write_bytes(docx)  # a perfectly good paper, but on the server's disk

    def local(file: dict[str, Any]) -> None:
        file["url_private_download"] = secret.as_uri()

    _submit(bot, docx, local)
    _refused(bot)
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://files.slack.com/files-pri/T1-F1/a.docx", True),
        ("http://files.slack.com/files-pri/T1-F1/a.docx", False),  # not HTTPS
        ("https://files.slack.com:8443/files-pri/T1-F1/a.docx", False),
        ("https://files.slack.com.evil.example/a.docx", False),
        ("https://evilslack.com/a.docx", False),
        ("ftp://files.slack.com/a.docx", False),
        ("file:///etc/passwd", False),
        ("http://127.0.0.1:9/api/x", False),  # loopback that is not the configured API
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://127.0.0.1:4321/files-pri/T1-F1/a.docx", True),  # the configured API's origin
    ],
)
def test_the_token_may_go_only_to_slack_file_hosts_or_the_configured_api(
    url: str, allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Slack's hosts resolve to public addresses; no DNS is needed here.
    monkeypatch.setattr("bot.slack._is_public", lambda host: True)
    assert token_may_go_to(url, "http://127.0.0.1:4321/api/") is allowed
