"""A job queue in the database: the web process enqueues slow work (building a pack or the
minutes); workers claim it with a lease.

Claims, leases and fencing are those of :mod:`agenda.db.lease` (shared with the reminder
outbox): any number of workers never take the same job, and a job whose worker died is claimed
again once its lease runs out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agenda.db.engine import reading, rows_changed, transaction
from agenda.db.lease import LeasedTable
from agenda.jobs.tables import Job, JobStatus, ProcessedEvent

# Short, because a running job's worker renews it (:func:`heartbeat`) every HEARTBEAT: a job
# whose worker died is taken up again within a minute.
DEFAULT_LEASE = dt.timedelta(seconds=30)
HEARTBEAT = dt.timedelta(seconds=10)
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


def request_key(*parts: str) -> str:
    """A request's identity as a key that fits ``jobs.request_key``."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def record_request(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    key: str,
    now: dt.datetime,
    owner: str,
    requested_by: str | None = None,
    lease: dt.timedelta = DEFAULT_LEASE,
) -> int | None:
    """Durable intake: record what a request asked, before it is acknowledged, as a job
    already claimed by ``owner`` (the process that will do the slow part at once). If that
    process dies, the lease runs out and a worker takes the job over. Returns the job's id,
    or None if a job with ``key`` exists (a retried or replayed request: nothing to do)."""
    job = Job(
        kind=kind,
        payload=payload,
        status=JobStatus.RUNNING.value,
        attempts=1,
        run_after=now,
        lease_owner=owner,
        lease_until=now + lease,
        requested_by=requested_by,
        request_key=key,
        created_at=now,
    )
    try:
        with session.begin_nested():  # a duplicate key rolls back only this insert
            session.add(job)
            session.flush()
    except IntegrityError:
        return None
    return job.id


def payload_of(engine: Engine, job_id: int) -> dict[str, Any] | None:
    """What a job was asked to do (None if there is no such job)."""
    with reading(engine) as session:
        job = session.get(Job, job_id)
        return dict(job.payload) if job is not None else None


def complete_in(
    session: Session,
    job_id: int,
    owner: str,
    *,
    now: dt.datetime,
    result: dict[str, Any] | None = None,
) -> bool:
    """Mark a job done inside the caller's transaction, so that its effect (a stored paper)
    and its completion commit together: a job is never done twice. False if the lease was
    lost (the caller must then roll back)."""
    return JOBS.finish(
        session, owner, job_id, now, status=JobStatus.DONE.value, result=result, finished_at=now
    )


JOBS = LeasedTable(Job, JobStatus.QUEUED.value, JobStatus.RUNNING.value, Job.run_after)


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
    with transaction(engine) as session:
        rows = JOBS.claim(
            session,
            owner,
            now,
            batch=batch,
            lease=lease,
            max_attempts=max_attempts,
            returning=(Job.kind, Job.payload, Job.attempts),
        )
    return [ClaimedJob(id=r[0], kind=r[1], payload=r[2], attempts=r[3]) for r in rows]


def heartbeat(
    engine: Engine,
    job_id: int,
    owner: str,
    *,
    now: dt.datetime,
    lease: dt.timedelta = DEFAULT_LEASE,
) -> bool:
    """Renew a running job's lease; False if another worker has taken it over."""
    with transaction(engine) as session:
        return job_id in JOBS.renew(session, owner, [job_id], now, lease)


def give_up_abandoned(
    engine: Engine, *, now: dt.datetime, max_attempts: int = MAX_ATTEMPTS
) -> list[ClaimedJob]:
    """Jobs whose last attempt died with its worker: failed for good, returned so that whoever
    asked can be told."""
    with transaction(engine) as session:
        ids = JOBS.give_up_abandoned(
            session,
            now,
            max_attempts,
            status=JobStatus.FAILED.value,
            finished_at=now,
            error="the worker running it stopped on its last attempt",
        )
        jobs: list[Job] = list(session.scalars(select(Job).where(Job.id.in_(ids)))) if ids else []
        return [ClaimedJob(j.id, j.kind, dict(j.payload), j.attempts) for j in jobs]


def complete(
    engine: Engine,
    job_id: int,
    owner: str,
    *,
    now: dt.datetime,
    result: dict[str, Any] | None = None,
) -> bool:
    """Mark a job done. Only the lease holder may (fencing): False if the lease was lost."""
    with transaction(engine) as session:
        return JOBS.finish(
            session, owner, job_id, now, status=JobStatus.DONE.value, result=result, finished_at=now
        )


def fail(
    engine: Engine, job_id: int, owner: str, *, now: dt.datetime, error: str, retry: bool = False
) -> bool:
    """Record a failure. ``retry`` puts the job back in the queue after a short delay (until
    it has used its attempts); otherwise it fails for good."""
    with transaction(engine) as session:
        if retry:
            return JOBS.finish(
                session,
                owner,
                job_id,
                now,
                status=JobStatus.QUEUED.value,
                error=error,
                run_after=now + RETRY_DELAY,
            )
        return JOBS.finish(
            session, owner, job_id, now, status=JobStatus.FAILED.value, error=error, finished_at=now
        )


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
