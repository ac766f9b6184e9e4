"""Bolt listeners: plain module-level functions, one module per area of the Slack surface.
Each module's ``register(app)`` only wires Slack's ids to its functions; the functions find
their dependencies in Bolt's context (:func:`bot.deps.deps_of`)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import commands, exempt, home, minutes, plan, publish, reminders, submit


def register_all(app: App) -> None:
    for module in (commands, submit, plan, home, reminders, minutes, publish, exempt):
        module.register(app)
