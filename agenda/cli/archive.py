"""``boardclerk export BODY DIR`` and ``boardclerk import-archive DIR``: a body's whole record
as a plain folder with a manifest, to keep or to move to another deployment."""

from __future__ import annotations

from pathlib import Path

import click

from agenda.cli.context import Context, pass_context


@click.command("export")
@click.argument("body")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_context
def export(obj: Context, body: str, folder: Path) -> None:
    """Write BODY's whole record (configuration, meetings, items, every paper version, packs,
    minutes, audit trail) into FOLDER, with a manifest of every file's sha256."""
    from agenda.archive.export import export_body

    with obj.session() as session:
        report = export_body(session, obj.store, body, folder, now=obj.clock.now())
    click.echo(report.summary())


@click.command("import-archive")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@pass_context
def import_archive_cmd(obj: Context, folder: Path) -> None:
    """Load a folder written by 'boardclerk export' (every file checked first; safe to repeat)."""
    from agenda.archive.restore import import_archive

    with obj.session() as session:
        report = import_archive(session, obj.store, folder, actor=obj.actor, now=obj.clock.now())
    click.echo(report.summary())
