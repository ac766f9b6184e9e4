"""Minutes commands: ``boardclerk minutes``, ``apologies``, ``declare``, ``approved-minutes``.

Registered in agenda/cli/main.py. Commands get the shared CLI context (``ctx.obj``: database,
file store, clock, actor) without importing agenda.cli.main, so either module can be imported first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from agenda.kinds import InterestKind


@click.command("minutes")
@click.argument("meeting")
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Also write the skeleton into this folder (default: the current folder).",
)
@click.option(
    "--invited",
    multiple=True,
    metavar="'NAME, TITLE'",
    help="Someone attending by invitation (repeat for each).",
)
@click.option(
    "--attending",
    multiple=True,
    metavar="'NAME, TITLE'",
    help="An officer in attendance besides the clerk (repeat for each).",
)
@click.pass_obj
def minutes_cmd(
    obj: Any,
    meeting: str,
    out_dir: str | None,
    invited: tuple[str, ...],
    attending: tuple[str, ...],
) -> None:
    """Build the minutes skeleton of MEETING (BODY:DATE) as a Word document."""
    from agenda.minutes.service import build_minutes

    with obj.session() as session:
        result = build_minutes(
            session,
            obj.store,
            meeting,
            actor=obj.actor,
            now=obj.clock.now(),
            invited=[_attendee(p) for p in invited],
            in_attendance=[_attendee(p) for p in attending],
        )
    target = Path(out_dir or ".") / result.file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(obj.store.get(result.sha256))
    click.echo(f"{result.summary()}\nWrote {target}")
    if result.confidential is not None:
        secret = target.parent / result.confidential.file_name
        secret.write_bytes(obj.store.get(result.confidential.sha256))
        click.echo(f"Wrote {secret} (confidential: not for publication)")


def _attendee(text: str) -> Any:
    from agenda.documents.minutes_doc import Attendee

    name, _, title = text.partition(",")
    return Attendee(name.strip(), title.strip() or None)


@click.command("apologies")
@click.argument("meeting")
@click.option("--member", required=True, help="The member's name as the membership lists it.")
@click.option("--reason", default=None, help="Optional reason (not printed in the minutes).")
@click.option("--withdraw", is_flag=True, help="The member can attend after all.")
@click.pass_obj
def apologies_cmd(obj: Any, meeting: str, member: str, reason: str | None, withdraw: bool) -> None:
    """Record a member's apologies for absence from MEETING."""
    from agenda.minutes.service import send_apologies, withdraw_apologies

    with obj.session() as session:
        if withdraw:
            receipt = withdraw_apologies(
                session, actor=obj.actor, meeting_ref=meeting, member=member, now=obj.clock.now()
            )
            click.echo(f"Apologies from {receipt.name} for {receipt.meeting_ref} withdrawn.")
            return
        receipt = send_apologies(
            session,
            actor=obj.actor,
            meeting_ref=meeting,
            reason=reason,
            member=member,
            now=obj.clock.now(),
        )
    click.echo(receipt.summary())


@click.command("declare")
@click.argument("meeting")
@click.argument("item")
@click.argument("interest")
@click.option("--member", required=True, help="The member's name as the membership lists it.")
@click.option("--pecuniary", is_flag=True, help="A disclosable pecuniary (financial) interest.")
@click.pass_obj
def declare_cmd(
    obj: Any, meeting: str, item: str, interest: str, member: str, pecuniary: bool
) -> None:
    """Record a member's interest in ITEM (its id) on the agenda of MEETING."""
    from agenda.minutes.service import declare_interest

    with obj.session() as session:
        receipt = declare_interest(
            session,
            actor=obj.actor,
            meeting_ref=meeting,
            item_id=item,
            interest=interest,
            member=member,
            kind=(InterestKind.PECUNIARY if pecuniary else InterestKind.OTHER).value,
            now=obj.clock.now(),
        )
    click.echo(receipt.summary())


@click.command("approved-minutes")
@click.argument("meeting")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--last-minute",
    "last_minute",
    type=int,
    default=None,
    help="Number of the last minute, when boardclerk did not number them.",
)
@click.option(
    "--force",
    is_flag=True,
    help="File them even though they do not mention the meeting's date or body.",
)
@click.option(
    "--confidential",
    "confidential",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="The confidential (Part B) minutes, required when the meeting took exempt business; "
    "they go only into the next meeting's private pack.",
)
@click.pass_obj
def approved_minutes_cmd(
    obj: Any,
    meeting: str,
    file: str,
    last_minute: int | None,
    force: bool,
    confidential: str | None,
) -> None:
    """File the approved (public) minutes of MEETING; they go into the next meeting's papers."""
    from agenda.minutes.service import file_approved_minutes

    path = Path(file)
    secret = Path(confidential) if confidential else None
    with obj.session() as session:
        result = file_approved_minutes(
            session,
            obj.store,
            actor=obj.actor,
            meeting_ref=meeting,
            file_name=path.name,
            data=path.read_bytes(),
            now=obj.clock.now(),
            last_minute_number=last_minute,
            check_contents=not force,
            source="cli",
            confidential_file_name=secret.name if secret else None,
            confidential_data=secret.read_bytes() if secret else None,
        )
    click.echo(result.summary())


COMMANDS = (minutes_cmd, apologies_cmd, declare_cmd, approved_minutes_cmd)
