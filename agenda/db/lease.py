"""Claim-with-lease and fencing: the one mechanism behind the reminder outbox and the job queue.

A worker *claims* due rows with one statement, ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
LOCKED) RETURNING`` (research/stack.md §2.4): on PostgreSQL two workers never get the same row,
and on SQLite the single writer gives the same guarantee. The claim is a lease
(``lease_owner``, ``lease_until``): a row whose worker died becomes claimable again when its
lease runs out. Every later write by the worker is *fenced*: its ``WHERE`` names the owner and
the held status, so a worker that lost its lease changes nothing, and the statement that
records a result is the same statement that checks the lease is still held. A long batch or job
*renews* its lease (a heartbeat) so that a slow Slack or a slow render never outlives it.

A leased table has ``id``, ``status``, ``attempts``, ``lease_owner`` and ``lease_until``
columns; :class:`LeasedTable` names the rest (which status waits, which is held, which column
says when a row is due).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

Executor = Session | Connection


class LeaseLost(Exception):
    """This worker no longer holds the row it is working on: another one took it over, so
    whatever this one was about to record must be dropped (or rolled back)."""


def worker_id() -> str:
    """A lease owner's name: unique per process start (a restarted worker is a new owner)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class LeasedTable:
    model: Any  # a mapped class with id, status, attempts, lease_owner, lease_until
    waiting: str  # status of a row waiting to be claimed
    held: str  # status of a claimed row
    due: Any  # the column (e.g. ``Job.run_after``): a waiting row is due when it has passed
    touched: Any = None  # a column set to now on every change, if the table has one

    def _stamp(self, now: dt.datetime) -> dict[str, Any]:
        return {self.touched.key: now} if self.touched is not None else {}

    def held_by(self, owner: str, *ids: int) -> ColumnElement[bool]:
        """The fence: these rows are still claimed by ``owner``."""
        m = self.model
        return and_(m.id.in_(ids), m.lease_owner == owner, m.status == self.held)

    def claim(
        self,
        ex: Executor,
        owner: str,
        now: dt.datetime,
        *,
        batch: int,
        lease: dt.timedelta,
        max_attempts: int,
        returning: Sequence[InstrumentedAttribute[Any]] = (),
    ) -> list[Any]:
        """Take up to ``batch`` due rows (and those whose worker's lease ran out), oldest
        first; returns ``(id, *returning)`` rows sorted by id."""
        m = self.model
        due = or_(
            and_(m.status == self.waiting, self.due <= now),
            and_(m.status == self.held, m.lease_until < now),  # a dead worker's
        )
        ids = (
            select(m.id)
            .where(due, m.attempts < max_attempts)
            .order_by(self.due, m.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )  # FOR UPDATE is ignored by SQLite (single writer)
        rows = ex.execute(
            update(m)
            .where(m.id.in_(ids.scalar_subquery()))
            .values(
                status=self.held,
                lease_owner=owner,
                lease_until=now + lease,
                attempts=m.attempts + 1,
                **self._stamp(now),
            )
            .returning(m.id, *returning),
            execution_options={"synchronize_session": False},
        ).all()
        return sorted(rows, key=lambda r: r[0])

    def renew(
        self, ex: Executor, owner: str, ids: Collection[int], now: dt.datetime, lease: dt.timedelta
    ) -> set[int]:
        """Extend the lease on ``ids``; returns those still held (the rest were lost)."""
        if not ids:
            return set()
        m = self.model
        rows = ex.execute(
            update(m)
            .where(self.held_by(owner, *ids))
            .values(lease_until=now + lease)
            .returning(m.id),
            execution_options={"synchronize_session": False},
        ).all()
        return {r[0] for r in rows}

    def finish(
        self, ex: Executor, owner: str, row_id: int, now: dt.datetime, **values: Any
    ) -> bool:
        """Record a result on a claimed row, only if ``owner`` still holds it (one statement:
        the check and the write cannot be separated). Releases the lease."""
        result = ex.execute(
            update(self.model)
            .where(self.held_by(owner, row_id))
            .values(lease_owner=None, lease_until=None, **self._stamp(now), **values)
            .returning(self.model.id),
            execution_options={"synchronize_session": False},
        )
        return len(result.all()) == 1

    def give_up_abandoned(
        self, ex: Executor, now: dt.datetime, max_attempts: int, **values: Any
    ) -> list[int]:
        """Rows whose last permitted attempt died with its worker: give them ``values`` (a
        final status and reason) rather than leave them held for ever."""
        m = self.model
        rows = ex.execute(
            update(m)
            .where(m.status == self.held, m.lease_until < now, m.attempts >= max_attempts)
            .values(lease_owner=None, **self._stamp(now), **values)
            .returning(m.id),
            execution_options={"synchronize_session": False},
        ).all()
        return [r[0] for r in rows]
