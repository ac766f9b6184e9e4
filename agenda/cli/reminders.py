"""``boardclerk calendar BODY`` and ``boardclerk reminders MEETING``."""

from __future__ import annotations

from pathlib import Path

import click

from agenda.cli.context import Context, pass_context
from agenda.documents.words import short_date, short_moment


@click.command("calendar")
@click.argument("body_key", metavar="BODY")
@click.option(
    "--out",
    "out_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the .ics file here (default: print it).",
)
@pass_context
def calendar_cmd(obj: Context, body_key: str, out_path: str | None) -> None:
    """An iCalendar file of BODY's meetings, papers-due and publication deadlines."""
    from agenda.board.ical import body_calendar
    from agenda.board.lookup import get_body

    with obj.session() as session:
        body = get_body(session, body_key)
        text = body_calendar(body, now=obj.clock.now())
        count = len(body.meetings)
    if out_path:
        Path(out_path).write_bytes(text.encode("utf-8"))
        click.echo(f"Wrote {out_path} ({count} meetings with their deadlines)")
    else:
        click.echo(text, nl=False)


@click.command("reminders")
@click.argument("meeting")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["pending", "sending", "sent", "failed", "cancelled", "superseded"]),
    help="Only these (repeatable).",
)
@pass_context
def reminders_cmd(obj: Context, meeting: str, statuses: tuple[str, ...]) -> None:
    """The reminders of MEETING (BODY:DATE): who, when, and whether they went."""
    from agenda.board.due import meeting_deadlines
    from agenda.board.lookup import get_meeting
    from agenda.outbox.timeline import reminder_timeline

    with obj.session() as session:
        m = get_meeting(session, meeting)
        tz = m.body.organisation.zone
        deadlines = meeting_deadlines(m)
        click.echo(
            f"{m.ref}: papers due {short_moment(deadlines.papers_due.astimezone(tz), year=False)}, "
            f"publish by {short_date(deadlines.publication, year=False)}"
        )
        for warning in deadlines.warnings:
            click.echo(f"  note: {warning}")
        entries = reminder_timeline(session, m, statuses=statuses or None)
        if not entries:
            click.echo("No reminders.")
        for entry in entries:
            click.echo(entry.line(tz))
