"""Setting up: ``init``, ``import``, ``db upgrade`` and ``demo``."""

from __future__ import annotations

from pathlib import Path

import click

from agenda.cli.context import Context, pass_context
from agenda.errors import BoardclerkError

# --- set-up ---------------------------------------------------------------------------------


@click.command()
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.argument("path", default="boardclerk.yaml", type=click.Path(dir_okay=False))
def init(path: str, force: bool) -> None:
    """Write a sample configuration file to PATH (default boardclerk.yaml)."""
    from agenda.clock import utcnow
    from agenda.demo.run import sample_config

    target = Path(path)
    if target.exists() and not force:
        raise BoardclerkError(f"{path} already exists.", hint="use --force to overwrite it")
    target.write_text(sample_config(utcnow().date()), encoding="utf-8")
    click.echo(f"Wrote {path}. Edit it, then run: boardclerk import {path}")


@click.command("import")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@pass_context
def import_(obj: Context, path: str | None) -> None:
    """Load a configuration file into the database (running it twice changes nothing)."""
    from agenda.board.config import load_config
    from agenda.plan.importer import import_config

    path = path or obj.config_path or "boardclerk.yaml"
    config = load_config(path)  # every problem reported before anything is written
    with obj.session() as session:
        report = import_config(session, config, now=obj.clock.now(), actor=obj.actor)
    click.echo(report.summary())
    for line in report.created + report.updated:
        click.echo(f"  {line}")
    for line in report.kept:
        click.echo(f"  kept: {line}")
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)


@click.group()
def db() -> None:
    """Database administration."""


@db.command("upgrade")
@pass_context
def db_upgrade(obj: Context) -> None:
    """Apply the database migrations."""
    from agenda.db.engine import make_engine
    from agenda.db.migrate import upgrade

    engine = make_engine(obj.database_url)
    upgrade(engine)
    click.echo(f"Database at {engine.url.render_as_string(hide_password=True)} is up to date.")


# --- the demo -------------------------------------------------------------------------------


@click.command()
@click.option(
    "--out",
    "out_dir",
    default="boardclerk-demo",
    type=click.Path(file_okay=False),
    help="Where to write the documents (default ./boardclerk-demo).",
)
def demo(out_dir: str) -> None:
    """Run the whole product offline on a sample board, writing documents to --out."""
    from agenda.demo.run import run_demo

    run_demo(Path(out_dir), echo=click.echo)
