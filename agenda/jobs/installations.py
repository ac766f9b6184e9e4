"""Which workspace token the reminder worker uses in a multi-workspace install: reminders
carry no workspace, so the latest installation's (see ``slack_bots`` in
:mod:`agenda.jobs.tables`)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from agenda.jobs.tables import slack_bots


def latest_bot_token(engine: Engine, client_id: str | None) -> str | None:
    with engine.connect() as conn:
        token: str | None = conn.scalar(
            select(slack_bots.c.bot_token)
            .where(slack_bots.c.client_id == client_id)
            .order_by(slack_bots.c.installed_at.desc())
            .limit(1)
        )
    return token
