"""The forward plan and its papers: ``meetings``, ``forward-plan``, ``status``, ``submit``,
``add-item``, ``move-item`` and ``withdraw-item``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from agenda.cli.context import Context, local_tz, pass_context
from agenda.documents.words import short_date, short_moment
from agenda.kinds import ItemKind

# --- what is planned ------------------------------------------------------------------------


@click.command()
@click.option("--body", "body_key", default=None, help="Only this body's meetings.")
@click.option("--all", "show_all", is_flag=True, help="Include past meetings.")
@pass_context
def meetings(obj: Context, body_key: str | None, show_all: bool) -> None:
    """List meetings with their deadlines."""
    from sqlalchemy import select

    from agenda.board.lookup import get_body
    from agenda.board.models import Meeting
    from agenda.pack.readiness import readiness_of

    with obj.session() as session:
        tz = local_tz(session)
        now = obj.clock.now()
        query = select(Meeting).order_by(Meeting.starts_at, Meeting.body_id)
        if body_key:
            query = query.where(Meeting.body_id == get_body(session, body_key).id)
        if not show_all:  # the same window as the forward plan: from half a day ago on
            query = query.where(Meeting.starts_at >= now - dt.timedelta(hours=12))
        found = list(session.scalars(query))
        if not found:
            click.echo("No meetings." + ("" if show_all else " (use --all for past ones)"))
        for meeting in found:
            ready = readiness_of(session, meeting, now=now)
            due = (
                f"papers due {short_moment(ready.papers_due.astimezone(tz), year=False)}"
                if ready.papers_due
                else ""
            )
            pub = (
                f", publish by {short_date(ready.publication, year=False)}"
                if ready.publication
                else ""
            )
            click.echo(
                f"{ready.meeting_ref:<20} {short_moment(ready.starts_at.astimezone(tz))}  "
                f"{ready.status:<10} {ready.body_name} — {ready.venue or 'venue to be set'}"
            )
            click.echo(f"{'':<20} {due}{pub}; {ready.headline()}")


@click.command("forward-plan")
@click.option("--body", "body_key", default=None, help="Only this body.")
@click.option("--all", "show_all", is_flag=True, help="Include past meetings and withdrawn items.")
@pass_context
def forward_plan_cmd(obj: Context, body_key: str | None, show_all: bool) -> None:
    """Show the forward plan: items by meeting, with their ids."""
    from agenda.plan.items import forward_plan

    with obj.session() as session:
        tz = local_tz(session)
        plans = forward_plan(
            session,
            body_key=body_key,
            now=None if show_all else obj.clock.now(),
            include_withdrawn=show_all,
        )
        for plan in plans:
            click.echo(
                f"{plan.meeting_ref}  {short_moment(plan.starts_at.astimezone(tz))}  "
                f"{plan.body_name} ({plan.status})"
            )
            if not plan.items:
                click.echo("    (nothing planned)")
            for item in plan.items:
                flags = " [EXEMPT]" if item.exempt else ""
                flags += f" [{item.status.upper()}]" if item.status != "planned" else ""
                who = f" — {item.lead}" if item.lead else ""
                authors = f"; authors: {', '.join(item.authors)}" if item.authors else ""
                click.echo(f"  #{item.id:<4} {item.kind:<12} {item.title}{who}{authors}{flags}")


@click.command()
@click.argument("meeting")
@pass_context
def status(obj: Context, meeting: str) -> None:
    """Readiness of MEETING (BODY:DATE): papers expected, received, late."""
    from agenda.pack.readiness import meeting_readiness, render_readiness

    with obj.session() as session:
        tz = local_tz(session)
        ready = meeting_readiness(session, meeting, now=obj.clock.now())
        click.echo(render_readiness(ready, tz))


@click.command()
@click.argument("meeting")
@click.argument("item")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--title", default=None)
@click.option("--presenter", default=None)
@click.option("--summary", "executive_summary", default=None)
@click.option("--recommendation", "recommendations", multiple=True)
@click.option("--late-reason", default=None, help="Why the paper is late (if it is).")
@pass_context
def submit(
    obj: Context,
    meeting: str,
    item: str,
    file: str,
    title: str | None,
    presenter: str | None,
    executive_summary: str | None,
    recommendations: tuple[str, ...],
    late_reason: str | None,
) -> None:
    """File a paper received by other means (e-mail, post) for ITEM of MEETING, as the clerk."""
    from agenda.board.lookup import get_item, get_meeting
    from agenda.errors import InvalidInput
    from agenda.plan.papers import submit_paper

    path = Path(file)
    with obj.session() as session:
        target = get_meeting(session, meeting)
        found = get_item(session, item)
        if found.meeting_id != target.id:
            raise InvalidInput(
                f"Item #{found.id} '{found.title}' is not on {target.ref}"
                + (f"; it is planned for {found.meeting.ref}." if found.meeting else ".")
            )
        receipt = submit_paper(
            session,
            obj.store,
            actor=obj.actor,
            item_id=found.id,
            file_name=path.name,
            data=path.read_bytes(),
            title=title,
            presenter=presenter,
            executive_summary=executive_summary,
            recommendations=list(recommendations),
            late_reason=late_reason,
            now=obj.clock.now(),
            source="cli",
        )
        click.echo(receipt.summary(str(local_tz(session))))


# --- forward plan changes -------------------------------------------------------------------


@click.command("add-item")
@click.argument("meeting")
@click.argument("title")
@click.option(
    "--kind",
    default="report",
    type=click.Choice([k.value for k in ItemKind]),
)
@click.option("--lead", default=None)
@click.option("--author", "authors", multiple=True, help="Slack user id, name or e-mail.")
@click.option("--exempt-reason", default=None, help="Makes the item exempt (Part B).")
@pass_context
def add_item_cmd(
    obj: Context,
    meeting: str,
    title: str,
    kind: str,
    lead: str | None,
    authors: tuple[str, ...],
    exempt_reason: str | None,
) -> None:
    """Plan a new item for MEETING."""
    from agenda.board.config import SLACK_ID
    from agenda.plan.items import AuthorRef, add_item

    refs = [
        AuthorRef(slack_id=a)
        if SLACK_ID.match(a)
        else AuthorRef(email=a)
        if "@" in a
        else AuthorRef(name=a)
        for a in authors
    ]
    with obj.session() as session:
        view = add_item(
            session,
            actor=obj.actor,
            meeting_ref=meeting,
            title=title,
            kind=kind,
            lead=lead,
            authors=refs,
            exempt=bool(exempt_reason),
            exempt_reason=exempt_reason,
            now=obj.clock.now(),
        )
    click.echo(f"Added #{view.id} '{view.title}' to {view.meeting_ref}.")
    for note in view.notes:
        click.echo(f"note: {note}", err=True)


@click.command("move-item")
@click.argument("item")
@click.argument("meeting")
@click.option("--reason", default=None)
@pass_context
def move_item_cmd(obj: Context, item: str, meeting: str, reason: str | None) -> None:
    """Move (defer) ITEM to MEETING."""
    from agenda.plan.items import move_item

    with obj.session() as session:
        view = move_item(
            session,
            actor=obj.actor,
            item_id=item,
            to_meeting_ref=meeting,
            reason=reason,
            now=obj.clock.now(),
        )
    click.echo(f"Moved #{view.id} '{view.title}' to {view.meeting_ref}.")
    for note in view.notes:
        click.echo(f"note: {note}", err=True)


@click.command("withdraw-item")
@click.argument("item")
@click.option("--reason", default=None)
@pass_context
def withdraw_item_cmd(obj: Context, item: str, reason: str | None) -> None:
    """Withdraw ITEM from the forward plan (it is kept, marked withdrawn)."""
    from agenda.plan.items import withdraw_item

    with obj.session() as session:
        view = withdraw_item(
            session, actor=obj.actor, item_id=item, reason=reason, now=obj.clock.now()
        )
    click.echo(f"Withdrew #{view.id} '{view.title}'.")
    for note in view.notes:
        click.echo(f"note: {note}", err=True)
