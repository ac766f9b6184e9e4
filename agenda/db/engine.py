"""Engine, sessions and transactions. SQLite by default, PostgreSQL in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.orm import Session

from agenda import settings

READ_ONLY = "boardclerk_read_only"  # an execution option: this connection only reads


def database_url() -> str:
    """``$DATABASE_URL``, else a SQLite file in the current folder."""
    return settings.current().database_url


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default ``$DATABASE_URL``). SQLite gets foreign keys, WAL and a
    busy timeout so the web process and a worker can share one file."""
    url = url or database_url()
    if url.startswith("postgres://"):  # Heroku-style URLs
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not url.startswith("sqlite://:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, open transactions (so BEGIN IMMEDIATE works).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock at BEGIN: two writers then queue on busy_timeout instead of one
    # failing with "database is locked" when it upgrades a read lock mid-transaction.
    # A reader (see :func:`reading`) takes no lock: WAL lets it read beside a writer.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched. ``Session.execute`` is typed as returning a
    plain ``Result``; for those statements it is a ``CursorResult``, which has the count."""
    return cast(CursorResult[Any], result).rowcount


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def reader(engine: Engine) -> Engine:
    """The same engine (and pool) for work that only reads: on SQLite its transactions do not
    take the write lock, so reads never queue behind a writer."""
    return engine.execution_options(**{READ_ONLY: True})


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads; whatever it did is rolled back at the end."""
    with Session(reader(engine), expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()
