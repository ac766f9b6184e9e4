"""slack/manifest.yml declares exactly what the app listens to, so an admin can create the
app from it in one step."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.app import BOT_SCOPES, REDIRECT_PATH
from tests.support.boards import CLERK
from tests.support.bot_harness import Bot, running_bot

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yml"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def test_the_manifest_declares_the_command_shortcuts_home_and_scopes(manifest: dict) -> None:
    features = manifest["features"]
    assert [c["command"] for c in features["slash_commands"]] == ["/boardclerk"]
    shortcuts = {(s["type"], s["callback_id"]): s["name"] for s in features["shortcuts"]}
    assert shortcuts == {
        ("global", "submit_paper"): "Submit a paper",
        ("message", "submit_file_as_paper"): "Submit this file as a paper",
    }
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True  # files arrive by DM
    assert manifest["oauth_config"]["scopes"]["bot"] == BOT_SCOPES
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        settings["interactivity"]["message_menu_options_url"],
        *(c["url"] for c in features["slash_commands"]),
    ]
    assert all(u.startswith("https://") and u.endswith("/slack/events") for u in urls)


def test_every_declared_event_command_and_shortcut_has_a_listener(manifest: dict, bot: Bot) -> None:
    """Bolt answers 404 to a request no listener matches: each declared thing must get 200."""
    events = {
        "app_home_opened": {"type": "app_home_opened", "user": CLERK, "tab": "home"},
        "file_shared": {
            "type": "file_shared",
            "file_id": "F1",
            "user_id": CLERK,
            "channel_id": "C1",
        },
        "message.im": {
            "type": "message",
            "channel_type": "im",
            "user": CLERK,
            "text": "hi",
            "channel": "D1",
            "ts": "1.1",
        },
        "app_uninstalled": {"type": "app_uninstalled"},
        "tokens_revoked": {"type": "tokens_revoked", "tokens": {"bot": ["UBOTUSER"]}},
    }
    declared = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(declared) == sorted(events)
    for name in declared:
        assert bot.slack.event(events[name]).status == 200, name
    for command in manifest["features"]["slash_commands"]:
        assert bot.slack.command(CLERK, "help", command=command["command"]).status == 200
    for shortcut in manifest["features"]["shortcuts"]:
        kind = "shortcut" if shortcut["type"] == "global" else "message_action"
        payload = {
            "type": kind,
            "callback_id": shortcut["callback_id"],
            "user": {"id": CLERK},
            "message": {"ts": "1.1", "files": []},
            "channel": {"id": "C1"},
            "response_url": "https://hooks.slack.test/x",
        }
        assert bot.slack.interact(payload).status == 200, shortcut["callback_id"]


def test_an_undeclared_command_is_not_handled(bot: Bot) -> None:
    assert bot.slack.command(CLERK, "help", command="/something-else").status == 404
