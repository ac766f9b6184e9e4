"""The reminder worker: an APScheduler 3.x tick that sends whatever has fallen due.

The scheduler only provides the tick (memory job store, one interval job, coalesced, never two
at once); the database rows and their claim are the lock, so any number of workers may run
(research/stack.md §2.5). A restarted worker catches up on its first tick, straight away.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from agenda.clock import Clock
from agenda.outbox.dispatch import LEASE, DispatchStats, dispatch_all_due, worker_id
from agenda.outbox.notify import Notifier

log = logging.getLogger(__name__)
TICK_SECONDS = 30.0


class _Tick:
    """One tick = dispatch rounds until nothing is due. Remembers a rate-limit pause."""

    def __init__(
        self, engine: Engine, notifier: Notifier, clock: Clock, owner: str, lease: dt.timedelta
    ) -> None:
        self.engine, self.notifier, self.clock, self.owner, self.lease = (
            engine,
            notifier,
            clock,
            owner,
            lease,
        )
        self.paused_until: dt.datetime | None = None
        self.total = DispatchStats()

    def __call__(self) -> None:
        now = self.clock.now()
        if self.paused_until and now < self.paused_until:
            return
        try:
            stats = dispatch_all_due(
                self.engine, self.notifier, clock=self.clock, owner=self.owner, lease=self.lease
            )
        except Exception:  # noqa: BLE001 - a bad tick must not stop the worker
            log.exception("reminder tick failed; will try again next tick")
            return
        self.total.add(stats)
        if stats.rate_limited_for:
            self.paused_until = now + dt.timedelta(seconds=stats.rate_limited_for)
        if stats.claimed:
            log.info(
                "reminders: %s sent, %s retried, %s failed, %s cancelled, %s superseded",
                stats.sent,
                stats.retried,
                stats.failed,
                stats.cancelled,
                stats.superseded,
            )


def run_worker(
    engine: Engine,
    notifier: Notifier,
    *,
    clock: Clock,
    stop_event: threading.Event,
    interval: float = TICK_SECONDS,
    lease: dt.timedelta = LEASE,
) -> DispatchStats:
    """Run the tick every ``interval`` seconds until ``stop_event`` is set; returns the totals."""
    tick = _Tick(engine, notifier, clock, worker_id(), lease)
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=interval),
        id="reminders",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(interval) or 1,
        next_run_time=dt.datetime.now(dt.UTC),
    )  # catch up at once on start
    scheduler.start()
    try:
        stop_event.wait()
    finally:
        scheduler.shutdown(wait=True)
    return tick.total
