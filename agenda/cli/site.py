"""``boardclerk site export DIR``: write the public meeting site as static files."""

from __future__ import annotations

from pathlib import Path

import click

from agenda import settings
from agenda.cli.context import Context, pass_context


@click.group("site")
def site() -> None:
    """The public meeting site (served by `boardclerk web`)."""


@site.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option(
    "--base",
    default=None,
    help="The path the files will be served under (default $BOARDCLERK_SITE_PATH, else /).",
)
@pass_context
def export(obj: Context, out_dir: str, base: str | None) -> None:
    """Write every public page and published document to OUT_DIR."""
    from agenda.public.export import export_site
    from agenda.public.pages import Site

    env = settings.current()
    public = Site(base=base or env.site_path, colour=env.site_colour, public_url=env.public_url)
    with obj.session() as session:
        done = export_site(session, obj.store, Path(out_dir), obj.clock.now(), site=public)
    click.echo(done.summary())
