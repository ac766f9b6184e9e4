"""The ``boardclerk`` console script: the core's command group plus ``serve``, ``web`` and
``worker``, which run the Slack app. The Slack adapter itself is imported inside those
commands, so every other command starts without loading Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from agenda.cli.context import Context, pass_context
from agenda.cli.main import main
from agenda.errors import BoardclerkError

if TYPE_CHECKING:
    from bot.settings import Settings


def _prepare(obj: Context) -> Settings:
    """Settings from the environment; schema checked (and SQLite migrated); the configuration
    file imported when one is given (idempotent, so every start may do it)."""
    from bot.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as err:
        raise BoardclerkError(str(err), hint="see the Environment section of the README") from None
    engine = obj.engine  # checks the schema; migrates SQLite
    if obj.config_path:
        from agenda.plan.importer import import_config_file

        with obj.session() as session:
            report = import_config_file(
                session, obj.config_path, now=obj.clock.now(), actor=obj.actor
            )
        click.echo(report.summary())
    engine.dispose()  # each process makes its own after forking
    return settings


@click.command("serve")
@click.option(
    "--threads", type=int, default=None, help="Request threads (default $WEB_THREADS or 8)."
)
@pass_context
def serve(obj: Context, threads: int | None) -> None:
    """The Slack app and the worker in one process (HTTP on $PORT, or Socket Mode)."""
    from bot.serve import default_threads, run_serve

    run_serve(_prepare(obj), obj.database_url, threads=threads or default_threads())


@click.command("web")
@click.option(
    "--workers", type=int, default=None, help="Processes (default $WEB_CONCURRENCY or 2)."
)
@click.option(
    "--threads", type=int, default=None, help="Threads per process (default $WEB_THREADS or 8)."
)
@pass_context
def web(obj: Context, workers: int | None, threads: int | None) -> None:
    """Only the Slack endpoint (gunicorn gthread on $PORT), or Socket Mode with SLACK_APP_TOKEN."""
    from bot.serve import default_threads, default_workers, run_web

    run_web(
        _prepare(obj),
        obj.database_url,
        workers=workers or default_workers(),
        threads=threads or default_threads(),
    )


@click.command("worker")
@pass_context
def worker(obj: Context) -> None:
    """Only the worker: queued pack/minutes builds and reminders. Run as many as you like."""
    from bot.serve import run_worker

    run_worker(_prepare(obj), obj.database_url)


for command in (serve, web, worker):
    main.add_command(command)

__all__ = ["main"]
