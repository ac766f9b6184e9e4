"""``boardclerk publish MEETING``: mark the meeting's agenda published and print its notice.

The CLI posts nothing to Slack: the meeting notice (the public pack with the "Send apologies"
and "Declare an interest" buttons) is posted by the bot when the clerk presses "Publish to
members" on the pack it sent them or on App Home.
"""

from __future__ import annotations

import click

from agenda.cli.context import Context, pass_context


@click.command("publish")
@click.argument("meeting")
@pass_context
def publish(obj: Context, meeting: str) -> None:
    """Publish the agenda of MEETING (BODY:DATE), as the clerk. Build the pack first."""
    from agenda.pack.publication import publish_meeting

    with obj.session() as session:
        notice = publish_meeting(
            session, obj.store, actor=obj.actor, meeting_ref=meeting, now=obj.clock.now()
        )
    verb = "Published again" if notice.republished else "Published"
    click.echo(f"{verb} {notice.meeting_ref}: {notice.notice_text()}")
    click.echo(f"  Pack: {notice.pack_file_name} ({notice.pack_path})")
    if notice.channel:
        click.echo(f"  Notice goes to the channel {notice.channel}.")
    else:
        click.echo(f"  Notice goes to {len(notice.member_slack_ids)} members by direct message.")
    click.echo(
        "  The meeting notice is posted in Slack by the bot, when the clerk presses "
        "'Publish to members' (on the pack the bot sent them, or on App Home); nothing "
        "was posted from here."
    )
    for warning in (notice.late_warning(), notice.stale_warning(), notice.chasing_note()):
        if warning:
            click.echo(f"warning: {warning}", err=True)
