"""What every command needs (the database, the file store, the time, who is acting) and the
group class that prints domain errors as messages for people, not tracebacks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from agenda import settings
from agenda.clock import Clock, zone
from agenda.errors import BoardclerkError, ConfigError

# The database, the models and the file store are imported where a command first uses them,
# so 'boardclerk --help' and mistyped commands answer at once.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from agenda.board.permissions import Actor
    from agenda.filestore import FileStore


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
            from agenda.db.engine import make_engine

            self._engine = make_engine(self.database_url)
            ensure_schema(self._engine)
        return self._engine

    _store: FileStore | None = None

    @property
    def store(self) -> FileStore:
        if self._store is None:
            from agenda.filestore import open_store

            self._store = open_store()  # BOARDCLERK_STORE, else files under the data dir
        return self._store

    @property
    def actor(self) -> Actor:
        from agenda.board.permissions import Actor

        return Actor.cli(settings.current().user)

    @contextmanager
    def session(self) -> Iterator[Session]:
        from agenda.db.engine import transaction

        with transaction(self.engine) as session:
            yield session


def ensure_schema(engine: Engine) -> None:
    """SQLite databases are brought up to date on first use, so the two README commands are
    all a new user needs. Shared servers are migrated on purpose, with 'boardclerk db upgrade'."""
    from agenda.db.migrate import current_revision, head_revision, upgrade

    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise BoardclerkError(
        f"The database schema is at {current or 'nothing'}, not {head}.",
        hint="run 'boardclerk db upgrade'",
    )


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

    from agenda.board.models import Organisation

    tz = session.scalar(select(Organisation.timezone).limit(1))
    return zone(tz)
