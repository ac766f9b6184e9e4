"""A job queue in the database: the web process enqueues slow work (building a pack or the
minutes); workers claim it with a lease.

The claim is one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING``, so
any number of workers on PostgreSQL never take the same job, and a job whose worker died is
claimed again once its lease runs out. On SQLite the statement is atomic (single writer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agenda.db.engine import rows_changed, transaction
from agenda.jobs.tables import Job, JobStatus, ProcessedEvent

DEFAULT_LEASE = dt.timedelta(minutes=10)  # a pack build takes seconds; ten minutes is generous
MAX_ATTEMPTS = 3
RETRY_DELAY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    now: dt.datetime,
    requested_by: str | None = None,
) -> Job:
    job = Job(
        kind=kind,
        payload=payload,
        status=JobStatus.QUEUED.value,
        attempts=0,
        run_after=now,
        requested_by=requested_by,
        created_at=now,
    )
    session.add(job)
    session.flush()
    return job


def claim(
    engine: Engine,
    owner: str,
    *,
    now: dt.datetime,
    batch: int = 1,
    lease: dt.timedelta = DEFAULT_LEASE,
    max_attempts: int = MAX_ATTEMPTS,
) -> list[ClaimedJob]:
    """Take up to ``batch`` due jobs for ``owner``, in their own committed transaction."""
    due = or_(
        and_(Job.status == JobStatus.QUEUED.value, Job.run_after <= now),
        and_(Job.status == JobStatus.RUNNING.value, Job.lease_until < now),
    )  # dead worker's
    ids = (
        select(Job.id)
        .where(due, Job.attempts < max_attempts)
        .order_by(Job.run_after, Job.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    with transaction(engine) as session:
        rows = session.execute(
            update(Job)
            .where(Job.id.in_(ids.scalar_subquery()))
            .values(
                status=JobStatus.RUNNING.value,
                lease_owner=owner,
                lease_until=now + lease,
                attempts=Job.attempts + 1,
            )
            .returning(Job.id, Job.kind, Job.payload, Job.attempts),
            execution_options={"synchronize_session": False},
        ).all()
    return [
        ClaimedJob(id=r.id, kind=r.kind, payload=r.payload, attempts=r.attempts)
        for r in sorted(rows, key=lambda r: r.id)
    ]


def complete(
    engine: Engine,
    job_id: int,
    owner: str,
    *,
    now: dt.datetime,
    result: dict[str, Any] | None = None,
) -> bool:
    """Mark a job done. Only the lease holder may (fencing): False if the lease was lost."""
    return _finish(
        engine,
        job_id,
        owner,
        status=JobStatus.DONE.value,
        result=result,
        error=None,
        finished_at=now,
    )


def fail(
    engine: Engine, job_id: int, owner: str, *, now: dt.datetime, error: str, retry: bool = False
) -> bool:
    """Record a failure. ``retry`` puts the job back in the queue after a short delay (until
    it has used its attempts); otherwise it fails for good."""
    if retry:
        return _finish(
            engine,
            job_id,
            owner,
            status=JobStatus.QUEUED.value,
            error=error,
            run_after=now + RETRY_DELAY,
            lease_owner=None,
            lease_until=None,
        )
    return _finish(
        engine, job_id, owner, status=JobStatus.FAILED.value, error=error, finished_at=now
    )


def _finish(engine: Engine, job_id: int, owner: str, **values: Any) -> bool:
    with transaction(engine) as session:
        result = session.execute(
            update(Job)
            .where(
                Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.RUNNING.value
            )
            .values(**values),
            execution_options={"synchronize_session": False},
        )
        n = rows_changed(result)
    return n == 1


def first_delivery(engine: Engine, delivery_id: str, *, now: dt.datetime) -> bool:
    """True the first time ``delivery_id`` is seen, False for every repeat (a unique key, so
    two web processes receiving the same retry at once still agree)."""
    try:
        with transaction(engine) as session:
            session.add(ProcessedEvent(event_id=delivery_id, received_at=now))
    except IntegrityError:
        return False
    return True


def prune_deliveries(engine: Engine, *, before: dt.datetime) -> int:
    """Forget delivery ids older than ``before`` (Slack stops retrying after minutes)."""
    with transaction(engine) as session:
        result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before))
        return rows_changed(result)
