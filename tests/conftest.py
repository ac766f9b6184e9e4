"""Shared fixtures. Database tests run on SQLite and, when ``BOARDCLERK_TEST_POSTGRES_URL``
is set (as .ci/run does), on a real PostgreSQL server too."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text

from agenda.clock import FixedClock
from agenda.db.engine import make_engine
from agenda.db.migrate import upgrade
from agenda.schema import metadata

if TYPE_CHECKING:
    from agenda.filestore import FileStore
    from tests.support.s3server import S3, FaultyMotoServer

POSTGRES_URL = os.environ.get("BOARDCLERK_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("BOARDCLERK_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database on the test server, migrated once, dropped at the end."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("BOARDCLERK_REQUIRE_POSTGRES=1 but BOARDCLERK_TEST_POSTGRES_URL is unset")
        pytest.skip("no PostgreSQL server (set BOARDCLERK_TEST_POSTGRES_URL)")
    name = f"bc_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_URL.rpartition("/")
    url = f"{base}/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "boardclerk.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """For tests that are about behaviour, not the database: SQLite only."""
    path = tmp_path / "boardclerk.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """Monday 1 March 2027, 09:00 in London: a month before the sample meeting."""
    return FixedClock(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


def pytest_sessionstart(session: pytest.Session) -> None:
    # CI sets this so that a missing LibreOffice fails the run instead of skipping its tests.
    if os.environ.get("BOARDCLERK_REQUIRE_SOFFICE") == "1" and not shutil.which("soffice"):
        raise pytest.UsageError("BOARDCLERK_REQUIRE_SOFFICE=1 but soffice is not on PATH")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks that follow from what a test uses, and clean skips for what this machine lacks
    (markers are described in pyproject.toml; the fast lane is in the README):

    - ``postgres``: the PostgreSQL half of ``db_url`` is marked where it is parametrised; a test
      asking for the server directly is marked here. Without a server it skips at set-up (and
      fails there when BOARDCLERK_REQUIRE_POSTGRES=1).
    - ``soffice``: skipped, with the reason, when LibreOffice is not on PATH (with
      BOARDCLERK_REQUIRE_SOFFICE=1 the session refuses to start instead, above).
    """
    no_soffice = shutil.which("soffice") is None
    for item in items:
        if "postgres_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
        if no_soffice and item.get_closest_marker("soffice"):
            item.add_marker(pytest.mark.skip(reason="needs LibreOffice (soffice is not on PATH)"))


@pytest.fixture(scope="session")
def s3_server() -> Iterator[FaultyMotoServer]:
    """moto's S3 server on loopback, one per test run (each test gets its own bucket)."""
    from tests.support.s3server import start_server

    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server: FaultyMotoServer, monkeypatch: pytest.MonkeyPatch) -> S3:
    """A fresh bucket, and this process's environment pointed at it (BOARDCLERK_STORE, AWS_*)."""
    from tests.support.s3server import new_bucket

    bucket = new_bucket(s3_server)
    for name, value in bucket.env.items():
        monkeypatch.setenv(name, value)
    return bucket


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, data_dir: Path) -> FileStore:
    """The file store as a process opens it: local files, then S3 on loopback."""
    from agenda.filestore import open_store
    from agenda.settings import Settings

    env = {"BOARDCLERK_DATA_DIR": str(data_dir)}
    if request.param == "s3":
        env.update(request.getfixturevalue("s3").env)
    return open_store(Settings.from_env(env))
