"""Bolt listeners. Each module registers one area of the Slack surface."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register_all(app: App, deps: Deps) -> None:
    from bot.listeners import commands, home, plan, reminders, submit

    for module in (commands, submit, plan, home, reminders):
        module.register(app, deps)
    from bot.listeners.minutes import register_minutes  # apologies, declarations (minutes feature)

    register_minutes(app, deps)
    from bot.listeners import publish  # the meeting notice (publication)

    publish.register(app, deps)
