"""A notifier that records every delivery in a database table, so several worker *processes*
can be checked for duplicates and losses; and the worker process entry point the concurrency
test and ``benchmarks/reminders.py`` spawn."""

from __future__ import annotations

import datetime as dt
import os
import time

from sqlalchemy import Engine, text

from agenda.clock import Clock
from agenda.db.engine import make_engine
from agenda.outbox.dispatch import dispatch_all_due, worker_id
from agenda.outbox.notify import ReminderMessage

DDL = (
    "CREATE TABLE IF NOT EXISTS test_deliveries (reminder_id INTEGER PRIMARY KEY, "
    "recipient VARCHAR(32) NOT NULL, pid INTEGER NOT NULL, copies INTEGER NOT NULL DEFAULT 1)"
)


def create_delivery_table(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(DDL))
        conn.execute(text("DELETE FROM test_deliveries"))


class DbRecordingNotifier:
    """Records deliveries; a second delivery of one reminder bumps ``copies`` (a duplicate)."""

    def __init__(self, engine: Engine, delay: float = 0.0) -> None:
        self.engine = engine
        self.delay = delay

    def send(self, message: ReminderMessage) -> None:
        if self.delay:
            time.sleep(self.delay)  # a Slack round trip
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO test_deliveries (reminder_id, recipient, pid) VALUES (:r, :to, :pid) "
                    "ON CONFLICT (reminder_id) DO UPDATE SET copies = test_deliveries.copies + 1"
                ),
                {"r": message.reminder_id, "to": message.recipient, "pid": os.getpid()},
            )

    def was_delivered(self, reminder_id: int, recipient_slack_id: str = "") -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    text("SELECT 1 FROM test_deliveries WHERE reminder_id = :r"), {"r": reminder_id}
                ).first()
                is not None
            )


class ShiftedClock(Clock):
    """Real time moved to ``start``: time passes (leases expire) but starts where we say."""

    def __init__(self, start: dt.datetime) -> None:
        self.start = start
        self.t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self.t0)


def outstanding(engine: Engine, now: dt.datetime) -> int:
    """Due reminders not yet finished (pending and due, or being sent)."""
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM reminders WHERE (status = 'pending' AND due_at <= :now) "
                "OR status = 'sending'"
            ),
            {"now": now},
        ).scalar_one()


def worker_process(
    url: str,
    start: dt.datetime,
    lease_seconds: float,
    delay: float,
    deadline_seconds: float = 120.0,
) -> None:
    """Dispatch until nothing due is left (including rows a dead worker leased)."""
    engine = make_engine(url)
    clock = ShiftedClock(start)
    notifier = DbRecordingNotifier(engine, delay=delay)
    owner = worker_id()
    lease = dt.timedelta(seconds=lease_seconds)
    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        stats = dispatch_all_due(engine, notifier, clock=clock, owner=owner, batch=10, lease=lease)
        if stats.claimed == 0:
            if outstanding(engine, clock.now()) == 0:
                break
            time.sleep(0.2)  # wait for a dead worker's leases to run out
    engine.dispose()
