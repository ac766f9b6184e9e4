"""The command line: a thin adapter over the services in ``agenda``.

Each feature keeps its commands in its own module and registers them at the bottom of this
file. Domain errors are printed as plain messages (exit status 1; 2 for configuration errors).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agenda.clock import Clock
from agenda.db import database_url, make_engine, transaction
from agenda.errors import BoardclerkError, ConfigError
from agenda.filestore import LocalFileStore, data_dir
from agenda.migrate import upgrade
from agenda.permissions import Actor


@dataclass
class Context:
    """What every command needs: where the data is, and the time."""

    database_url: str
    config_path: str | None
    clock: Clock
    _engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.database_url)
            ensure_schema(self._engine)
        return self._engine

    @property
    def store(self) -> LocalFileStore:
        return LocalFileStore(data_dir())

    @property
    def actor(self) -> Actor:
        return Actor.cli(os.environ.get("USER") or "operator")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with transaction(self.engine) as session:
            yield session


def ensure_schema(engine: Engine) -> None:
    """SQLite databases are brought up to date on first use, so the two README commands are
    all a new user needs. Shared servers are migrated on purpose, with 'boardclerk db upgrade'."""
    from agenda.migrate import current_revision, head_revision

    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise BoardclerkError(f"The database schema is at {current or 'nothing'}, not {head}.",
                          hint="run 'boardclerk db upgrade'")


class BoardclerkGroup(click.Group):
    """Prints domain errors as messages for people, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(2)
        except BoardclerkError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)


pass_context = click.make_pass_decorator(Context)


def local_tz(session: Session) -> ZoneInfo:
    from sqlalchemy import select

    from agenda.models import Organisation

    tz = session.scalar(select(Organisation.timezone).limit(1))
    return ZoneInfo(tz or "Europe/London")


@click.group(cls=BoardclerkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar="BOARDCLERK_CONFIG", default=None,
              help="Configuration file (default $BOARDCLERK_CONFIG, else ./boardclerk.yaml).")
@click.option("--database-url", "db_url", envvar="DATABASE_URL", default=None,
              help="SQLAlchemy URL (default $DATABASE_URL, else sqlite:///boardclerk.db).")
@click.version_option(package_name="boardclerk")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_url: str | None) -> None:
    """boardclerk: the paperwork of board and committee meetings, from Slack."""
    ctx.obj = Context(database_url=db_url or database_url(), config_path=config_path,
                      clock=Clock())


# --- set-up ---------------------------------------------------------------------------------

@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.argument("path", default="boardclerk.yaml", type=click.Path(dir_okay=False))
def init(path: str, force: bool) -> None:
    """Write a sample configuration file to PATH (default boardclerk.yaml)."""
    from agenda.clock import utcnow
    from agenda.demo import sample_config

    target = Path(path)
    if target.exists() and not force:
        raise BoardclerkError(f"{path} already exists.", hint="use --force to overwrite it")
    target.write_text(sample_config(utcnow().date()), encoding="utf-8")
    click.echo(f"Wrote {path}. Edit it, then run: boardclerk import {path}")


@main.command("import")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@pass_context
def import_(obj: Context, path: str | None) -> None:
    """Load a configuration file into the database (running it twice changes nothing)."""
    from agenda.config import load_config
    from agenda.importer import import_config

    path = path or obj.config_path or "boardclerk.yaml"
    config = load_config(path)            # every problem reported before anything is written
    with obj.session() as session:
        report = import_config(session, config, now=obj.clock.now(), actor=obj.actor)
    click.echo(report.summary())
    for line in report.created + report.updated:
        click.echo(f"  {line}")
    for line in report.kept:
        click.echo(f"  kept: {line}")
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)


@main.group()
def db() -> None:
    """Database administration."""


@db.command("upgrade")
@pass_context
def db_upgrade(obj: Context) -> None:
    """Apply the database migrations."""
    engine = make_engine(obj.database_url)
    upgrade(engine)
    click.echo(f"Database at {engine.url.render_as_string(hide_password=True)} is up to date.")


# --- what is planned ------------------------------------------------------------------------

@main.command()
@click.option("--body", "body_key", default=None, help="Only this body's meetings.")
@click.option("--all", "show_all", is_flag=True, help="Include past meetings.")
@pass_context
def meetings(obj: Context, body_key: str | None, show_all: bool) -> None:
    """List meetings with their deadlines."""
    from sqlalchemy import select

    from agenda.lookup import get_body
    from agenda.models import Meeting
    from agenda.readiness import readiness_of

    with obj.session() as session:
        tz = local_tz(session)
        now = obj.clock.now()
        query = select(Meeting).order_by(Meeting.starts_at, Meeting.body_id)
        if body_key:
            query = query.where(Meeting.body_id == get_body(session, body_key).id)
        if not show_all:   # the same window as the forward plan: from half a day ago on
            query = query.where(Meeting.starts_at >= now - dt.timedelta(hours=12))
        found = list(session.scalars(query))
        if not found:
            click.echo("No meetings." + ("" if show_all else " (use --all for past ones)"))
        for meeting in found:
            ready = readiness_of(session, meeting, now=now)
            due = f"papers due {ready.papers_due.astimezone(tz):%a %-d %b %H:%M}" if ready.papers_due else ""
            pub = f", publish by {ready.publication:%a %-d %b}" if ready.publication else ""
            click.echo(f"{ready.meeting_ref:<20} {ready.starts_at.astimezone(tz):%a %-d %b %Y %H:%M}  "
                       f"{ready.status:<10} {ready.body_name} — {ready.venue or 'venue to be set'}")
            click.echo(f"{'':<20} {due}{pub}; {ready.headline()}")


@main.command("forward-plan")
@click.option("--body", "body_key", default=None, help="Only this body.")
@click.option("--all", "show_all", is_flag=True, help="Include past meetings and withdrawn items.")
@pass_context
def forward_plan_cmd(obj: Context, body_key: str | None, show_all: bool) -> None:
    """Show the forward plan: items by meeting, with their ids."""
    from agenda.plan import forward_plan

    with obj.session() as session:
        tz = local_tz(session)
        plans = forward_plan(session, body_key=body_key,
                             now=None if show_all else obj.clock.now(),
                             include_withdrawn=show_all)
        for plan in plans:
            click.echo(f"{plan.meeting_ref}  {plan.starts_at.astimezone(tz):%a %-d %b %Y %H:%M}  "
                       f"{plan.body_name} ({plan.status})")
            if not plan.items:
                click.echo("    (nothing planned)")
            for item in plan.items:
                flags = " [EXEMPT]" if item.exempt else ""
                flags += f" [{item.status.upper()}]" if item.status != "planned" else ""
                who = f" — {item.lead}" if item.lead else ""
                authors = f"; authors: {', '.join(item.authors)}" if item.authors else ""
                click.echo(f"  #{item.id:<4} {item.kind:<12} {item.title}{who}{authors}{flags}")


@main.command()
@click.argument("meeting")
@pass_context
def status(obj: Context, meeting: str) -> None:
    """Readiness of MEETING (BODY:DATE): papers expected, received, late."""
    from agenda.readiness import meeting_readiness

    with obj.session() as session:
        tz = local_tz(session)
        ready = meeting_readiness(session, meeting, now=obj.clock.now())
        click.echo(render_readiness(ready, tz))


def render_readiness(ready: Any, tz: ZoneInfo) -> str:
    lines = [f"{ready.body_name}, {ready.starts_at.astimezone(tz):%A %-d %B %Y at %H:%M}"
             f" ({ready.meeting_ref}, {ready.status})"]
    if ready.papers_due:
        lines.append(f"Papers due {ready.papers_due.astimezone(tz):%a %-d %b %Y %H:%M}; "
                     f"pack to be published by {ready.publication:%a %-d %b %Y}")
    lines.append(ready.headline())
    for row in ready.items:
        item = row.item
        version = f" v{item.paper_version}" if item.paper_version else ""
        exempt = " [EXEMPT]" if item.exempt else ""
        lines.append(f"  #{item.id:<4} {row.state + version:<18} {item.title}{exempt}")
    if ready.attendance is not None:
        for apology in ready.attendance.apologies:
            reason = f" ({apology.reason})" if apology.reason else ""
            lines.append(f"  Apologies: {apology.name}{reason}")
        for decl in ready.attendance.declarations:
            lines.append(f"  Declaration: {decl.name}, {decl.item_title or 'general'}: "
                         f"{decl.interest} ({decl.kind})")
    return "\n".join(lines)


@main.command()
@click.argument("meeting")
@click.argument("item")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--title", default=None)
@click.option("--presenter", default=None)
@click.option("--summary", "executive_summary", default=None)
@click.option("--recommendation", "recommendations", multiple=True)
@click.option("--late-reason", default=None, help="Why the paper is late (if it is).")
@pass_context
def submit(obj: Context, meeting: str, item: str, file: str, title: str | None,
           presenter: str | None, executive_summary: str | None,
           recommendations: tuple[str, ...], late_reason: str | None) -> None:
    """File a paper received by other means (e-mail, post) for ITEM of MEETING, as the clerk."""
    from agenda.errors import InvalidInput
    from agenda.lookup import get_item, get_meeting
    from agenda.papers import submit_paper

    path = Path(file)
    with obj.session() as session:
        target = get_meeting(session, meeting)
        found = get_item(session, item)
        if found.meeting_id != target.id:
            raise InvalidInput(f"Item #{found.id} '{found.title}' is not on {target.ref}"
                               + (f"; it is planned for {found.meeting.ref}." if found.meeting else "."))
        receipt = submit_paper(session, obj.store, actor=obj.actor, item_id=found.id,
                               file_name=path.name, data=path.read_bytes(), title=title,
                               presenter=presenter, executive_summary=executive_summary,
                               recommendations=list(recommendations), late_reason=late_reason,
                               now=obj.clock.now(), source="cli")
        click.echo(receipt.summary(str(local_tz(session))))


# --- forward plan changes -------------------------------------------------------------------

@main.command("add-item")
@click.argument("meeting")
@click.argument("title")
@click.option("--kind", default="report", type=click.Choice(["report", "presentation", "verbal", "discussion"]))
@click.option("--lead", default=None)
@click.option("--author", "authors", multiple=True, help="Slack user id, name or e-mail.")
@click.option("--exempt-reason", default=None, help="Makes the item exempt (Part B).")
@pass_context
def add_item_cmd(obj: Context, meeting: str, title: str, kind: str, lead: str | None,
                 authors: tuple[str, ...], exempt_reason: str | None) -> None:
    """Plan a new item for MEETING."""
    from agenda.config import SLACK_ID
    from agenda.plan import AuthorRef, add_item

    refs = [AuthorRef(slack_id=a) if SLACK_ID.match(a) else
            AuthorRef(email=a) if "@" in a else AuthorRef(name=a) for a in authors]
    with obj.session() as session:
        view = add_item(session, actor=obj.actor, meeting_ref=meeting, title=title, kind=kind,
                        lead=lead, authors=refs, exempt=bool(exempt_reason),
                        exempt_reason=exempt_reason, now=obj.clock.now())
    click.echo(f"Added #{view.id} '{view.title}' to {view.meeting_ref}.")
    for note in view.notes:
        click.echo(f"note: {note}", err=True)


@main.command("move-item")
@click.argument("item")
@click.argument("meeting")
@click.option("--reason", default=None)
@pass_context
def move_item_cmd(obj: Context, item: str, meeting: str, reason: str | None) -> None:
    """Move (defer) ITEM to MEETING."""
    from agenda.plan import move_item

    with obj.session() as session:
        view = move_item(session, actor=obj.actor, item_id=item, to_meeting_ref=meeting,
                         reason=reason, now=obj.clock.now())
    click.echo(f"Moved #{view.id} '{view.title}' to {view.meeting_ref}.")
    for note in view.notes:
        click.echo(f"note: {note}", err=True)


@main.command("withdraw-item")
@click.argument("item")
@click.option("--reason", default=None)
@pass_context
def withdraw_item_cmd(obj: Context, item: str, reason: str | None) -> None:
    """Withdraw ITEM from the forward plan (it is kept, marked withdrawn)."""
    from agenda.plan import withdraw_item

    with obj.session() as session:
        view = withdraw_item(session, actor=obj.actor, item_id=item, reason=reason,
                             now=obj.clock.now())
    click.echo(f"Withdrew #{view.id} '{view.title}'.")
    for note in view.notes:
        click.echo(f"note: {note}", err=True)


# --- the demo -------------------------------------------------------------------------------

@main.command()
@click.option("--out", "out_dir", default="boardclerk-demo", type=click.Path(file_okay=False),
              help="Where to write the documents (default ./boardclerk-demo).")
def demo(out_dir: str) -> None:
    """Run the whole product offline on a sample board, writing documents to --out."""
    from agenda.demo import run_demo

    run_demo(Path(out_dir), echo=click.echo)


# --- commands of other features register here -----------------------------------------------
# (one line each: main.add_command(<click command>))
from agenda import cli_reminders  # noqa: E402, I001 (reminders feature)
main.add_command(cli_reminders.calendar_cmd)
main.add_command(cli_reminders.reminders_cmd)
from agenda import cli_pack  # noqa: E402, I001 (agenda pack feature)
main.add_command(cli_pack.pack)
from agenda import cli_minutes  # noqa: E402, I001 (minutes feature)
main.add_command(cli_minutes.minutes_cmd)
main.add_command(cli_minutes.apologies_cmd)
main.add_command(cli_minutes.declare_cmd)
main.add_command(cli_minutes.approved_minutes_cmd)
from agenda import cli_serve  # noqa: E402, I001 (Slack app)
main.add_command(cli_serve.serve)
main.add_command(cli_serve.web)
main.add_command(cli_serve.worker)
from agenda import cli_publish  # noqa: E402, I001 (meeting notice)
main.add_command(cli_publish.publish)

