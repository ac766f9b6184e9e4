"""The command line: a thin adapter over the services in ``agenda``.

Each wing's commands live in their own module and are added to the group here, so the group
never imports a command module that imports it back. The Slack adapter adds ``serve``, ``web``
and ``worker`` on top (:mod:`bot.cli`); ``python -m agenda`` runs this group without them.
"""

from __future__ import annotations

import click

from agenda import settings
from agenda.cli import archive, minutes, pack, plan, publish, reminders, setup, site, store
from agenda.cli.context import BoardclerkGroup, Context
from agenda.clock import Clock


@click.group(cls=BoardclerkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    default=None,
    help="Configuration file (default $BOARDCLERK_CONFIG, else ./boardclerk.yaml).",
)
@click.option(
    "--database-url",
    "db_url",
    default=None,
    help="SQLAlchemy URL (default $DATABASE_URL, else sqlite:///boardclerk.db).",
)
@click.version_option(package_name="boardclerk")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_url: str | None) -> None:
    """boardclerk: the paperwork of board and committee meetings, from Slack."""
    env = settings.current()  # the defaults come from the environment, read in one place
    ctx.obj = Context(
        database_url=db_url or env.database_url,
        config_path=config_path or env.config_file,
        clock=Clock(),
    )


for command in (
    setup.init,
    setup.import_,
    setup.db,
    setup.demo,
    plan.meetings,
    plan.forward_plan_cmd,
    plan.status,
    plan.submit,
    plan.add_item_cmd,
    plan.move_item_cmd,
    plan.withdraw_item_cmd,
    reminders.calendar_cmd,
    reminders.reminders_cmd,
    pack.pack,
    minutes.minutes_cmd,
    minutes.apologies_cmd,
    minutes.declare_cmd,
    minutes.approved_minutes_cmd,
    publish.publish,
    store.store,
    archive.export,
    archive.import_archive_cmd,
    site.site,
):
    main.add_command(command)
