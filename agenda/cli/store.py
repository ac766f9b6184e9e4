"""``boardclerk store check`` and ``boardclerk store migrate --to s3://…``: the operator's view
of the file store (papers, packs, minutes)."""

from __future__ import annotations

import dataclasses
import sys

import click

from agenda.cli.context import Context, pass_context
from agenda.settings import Settings


@click.group("store")
def store() -> None:
    """Check the file store, or copy it to another (e.g. local files to S3)."""


@store.command("check")
@pass_context
def check(obj: Context) -> None:
    """Every file the database names is in the store with the right digest (exit 1 if not)."""
    from agenda.archive.objects import check_store

    with obj.session() as session:
        report = check_store(session, obj.store)
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)


@store.command("migrate")
@click.option(
    "--to",
    "target_url",
    required=True,
    help="The store to copy into: s3://bucket/prefix (AWS_* variables give endpoint and keys).",
)
@pass_context
def migrate(obj: Context, target_url: str) -> None:
    """Copy the current store (BOARDCLERK_STORE, else BOARDCLERK_DATA_DIR) into another,
    checking every digest. Safe to run again: it copies only what is not there yet."""
    from agenda.archive.objects import check_store, migrate_store
    from agenda.filestore import open_store

    target = open_store(dataclasses.replace(Settings.from_env(), store_url=target_url))
    source = obj.store
    if source.describe() == target.describe():
        raise click.UsageError("--to names the store already in use; nothing to copy.")
    report = migrate_store(source, target)
    for line in report.lines():
        click.echo(line)
    with obj.session() as session:
        check = check_store(session, target)
    for line in check.lines():
        click.echo(line)
    if not (report.ok and check.ok):
        sys.exit(1)
    click.echo(
        f"Set BOARDCLERK_STORE={target_url} and restart the processes, then run this again "
        "to copy anything stored in between."
    )
