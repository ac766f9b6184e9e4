"""``boardclerk pack MEETING``: build the agenda pack and write it to a folder."""

from __future__ import annotations

from pathlib import Path

import click

from agenda.cli.context import Context, pass_context

FORMAT_CHOICES = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}


@click.command("pack")
@click.argument("meeting")
@click.option(
    "--private",
    is_flag=True,
    help="Include exempt (Part B) papers in full. Keep this pack confidential.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMAT_CHOICES)),
    default="both",
    show_default=True,
    help="The published PDF pack, the Word working copy, or both.",
)
@click.option(
    "--out",
    "out_dir",
    default=".",
    type=click.Path(file_okay=False),
    show_default=True,
    help="Folder to write the pack into.",
)
@click.option(
    "--supplementary",
    is_flag=True,
    help="Only the papers that arrived or changed since the last pack, with their own agenda.",
)
@pass_context
def pack(
    obj: Context, meeting: str, private: bool, fmt: str, out_dir: str, supplementary: bool
) -> None:
    """Build the agenda pack of MEETING (BODY:DATE), as the clerk."""
    from agenda.pack.build import build_pack_briefly, write_outputs

    # Rendered outside any transaction: papers submitted meanwhile are stored at once.
    result = build_pack_briefly(
        obj.engine,
        obj.store,
        meeting,
        private=private,
        supplementary=supplementary,
        formats=FORMAT_CHOICES[fmt],
        now=obj.clock.now(),
        actor=obj.actor,
    )
    for path in write_outputs(result, Path(out_dir)):
        click.echo(f"Wrote {path}")
    if warning := result.missing_warning():
        click.echo(f"Warning: {warning}")
    for paper in result.papers:
        if paper.first_page is None:
            continue
        pages = (
            f"page {paper.first_page}"
            if paper.first_page == paper.last_page
            else f"pages {paper.first_page}-{paper.last_page}"
        )
        note = " (exempt: placeholder only)" if paper.withheld else ""
        click.echo(f"  {paper.stamp}: {pages}, paper v{paper.version}{note}")
