"""A job whose worker is killed (kill -9) mid-run is picked up by another worker within a
minute (issue 13: it waited for a 10-minute lease), and runs to completion there once."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, select, text

from agenda.clock import Clock
from agenda.db.engine import make_engine, transaction
from agenda.filestore import LocalFileStore
from agenda.jobs import queue as jobs
from agenda.jobs.tables import Job, JobStatus
from bot.worker import JobRunner

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _runner(url: str, data_dir: str) -> JobRunner:
    engine = make_engine(url)
    client = WebClient(base_url="http://127.0.0.1:9/")  # never called by this job
    runner = JobRunner(engine, LocalFileStore(Path(data_dir)), lambda _team: client, clock=Clock())

    def slow(payload: dict[str, Any], _client: WebClient) -> str:
        with engine.begin() as conn:  # who ran it, for the test
            conn.execute(text("INSERT INTO test_runs (pid) VALUES (:p)"), {"p": os.getpid()})
        time.sleep(payload["seconds"])
        return "slept"

    runner.handlers["sleep"] = slow
    return runner


def _work(url: str, data_dir: str) -> None:
    _runner(url, data_dir).run_once()


def _status(engine: Engine, job_id: int) -> str:
    with engine.connect() as conn:
        return conn.scalar(select(Job.status).where(Job.id == job_id)) or ""


def test_a_killed_workers_job_is_picked_up_within_a_minute(
    engine: Engine, data_dir: Path, db_url: str
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the two workers are processes on PostgreSQL")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS test_runs (pid INTEGER NOT NULL)"))
        conn.execute(text("DELETE FROM test_runs"))
    with transaction(engine) as session:
        job_id = jobs.enqueue(
            session, "sleep", {"seconds": 3}, now=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        ).id
    first = multiprocessing.get_context("spawn").Process(target=_work, args=(db_url, str(data_dir)))
    first.start()
    deadline = time.monotonic() + 60
    while _status(engine, job_id) != JobStatus.RUNNING.value:
        assert time.monotonic() < deadline, "the first worker never started the job"
        time.sleep(0.05)
    time.sleep(0.5)  # it is inside the job now
    os.kill(first.pid or 0, signal.SIGKILL)
    first.join(10)
    killed_at = time.monotonic()

    second = _runner(db_url, str(data_dir))
    while _status(engine, job_id) != JobStatus.DONE.value:
        assert time.monotonic() - killed_at < 60, "the job was not picked up within a minute"
        second.run_once()
        time.sleep(0.5)
    with engine.begin() as conn:
        runs = conn.execute(text("SELECT count(*), count(DISTINCT pid) FROM test_runs")).one()
        conn.execute(text("DROP TABLE test_runs"))
    assert tuple(runs) == (2, 2)  # started by the killed worker, finished by the other
