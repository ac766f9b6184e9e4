"""What every listener needs: the database, the file store, the clock and the settings.

The app's middleware puts one :class:`Deps` in each request's Bolt context; listeners take
``context`` and call :func:`deps_of`, so they are plain module-level functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltContext
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

from agenda.clock import Clock
from agenda.db.engine import transaction
from agenda.db.lease import worker_id
from agenda.filestore import FileStore
from bot.settings import Settings


def read_engine_for(engine: Engine) -> Engine:
    """An engine for read-only work. On SQLite the main engine opens every transaction with
    BEGIN IMMEDIATE (the write lock), which would queue every Slack request behind every
    other; reads need no lock in WAL mode, so they get their own plain connections."""
    if engine.dialect.name != "sqlite":
        return engine
    reader = create_engine(engine.url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(reader, "connect", _reader_pragmas)
    return reader


def _reader_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA query_only=ON")  # a read session that tries to write fails loudly
    cur.close()


@dataclass(frozen=True)
class Deps:
    settings: Settings
    engine: Engine
    store: FileStore
    clock: Clock
    read_engine: Engine = field(default=None)  # type: ignore[assignment]  # set in __post_init__
    # Who holds the leases of the requests this process records (see bot.intake).
    owner: str = field(default_factory=worker_id)

    def __post_init__(self) -> None:
        if self.read_engine is None:
            object.__setattr__(self, "read_engine", read_engine_for(self.engine))

    def __deepcopy__(self, memo: dict[int, Any]) -> Deps:
        # Bolt deep-copies the request context for lazy listeners; the engines, store and
        # clock are shared, thread-safe handles, so every copy is this same object.
        return self

    def now(self) -> dt.datetime:
        return self.clock.now()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work that writes: Bolt runs listeners on several threads (#294)."""
        with transaction(self.engine) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads (views, permission checks)."""
        with Session(self.read_engine, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()


DEPS_KEY = "deps"


def deps_of(context: BoltContext) -> Deps:
    """The dependencies :func:`bot.app.create_app` put in every request's context."""
    deps: Deps = context[DEPS_KEY]
    return deps
