"""Sending due reminders, exactly once across any number of workers.

A worker *claims* due rows with one statement, ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
LOCKED) RETURNING`` (research/stack.md §2.4): on PostgreSQL two workers never get the same row,
and on SQLite the single writer gives the same guarantee. The claim is a lease: if the worker
dies, the row becomes claimable again when the lease runs out. Only the lease holder may
complete a row (fencing), so a worker that comes back late cannot overwrite another's result.

Before claiming, reminders that a later one to the same person about the same thing has
overtaken (after downtime) are marked superseded, so people get the latest message, not a burst.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, exists, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from agenda.board import audit
from agenda.board.models import Body, ForwardPlanItem, Meeting, Paper
from agenda.board.permissions import Actor
from agenda.clock import Clock, as_utc
from agenda.db.engine import rows_changed
from agenda.db.lease import LeasedTable, worker_id
from agenda.outbox.notify import (
    DeliveryLog,
    Notifier,
    Offer,
    RateLimited,
    RecipientGone,
    ReminderMessage,
)
from agenda.outbox.text import compose
from agenda.reminders.planning import body_clerks, queue_notice
from agenda.reminders.tables import Reminder, ReminderKind, ReminderStatus

log = logging.getLogger(__name__)

PENDING, SENDING, SENT = (
    ReminderStatus.PENDING.value,
    ReminderStatus.SENDING.value,
    ReminderStatus.SENT.value,
)
FAILED, CANCELLED = ReminderStatus.FAILED.value, ReminderStatus.CANCELLED.value
SUPERSEDED = ReminderStatus.SUPERSEDED.value

# Retry a failed send after 1, 5, 15, 60 minutes; the fifth failure is final.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
)
MAX_ATTEMPTS = 5
# Renewed every third of itself while a batch is sent, so one Slack call (at most ~50 s with
# its retries) never outlives it; a dead worker's reminders go out again after it.
LEASE = dt.timedelta(seconds=120)


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    superseded: int = 0
    lost_lease: int = 0  # claimed, but the lease passed to another worker before sending
    rate_limited_for: float | None = None  # seconds Slack asked us to wait, if it did

    def add(self, other: DispatchStats) -> None:
        for name in (
            "claimed",
            "sent",
            "retried",
            "failed",
            "cancelled",
            "superseded",
            "lost_lease",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rate_limited_for = other.rate_limited_for or self.rate_limited_for


def supersede_stale(session: Session, now: dt.datetime) -> int:
    """Mark superseded every due pending reminder that a later one (pending, being sent or
    sent) to the same person about the same thing has overtaken. Compared on the planned
    times, which retries and rate limits do not move."""
    newer = aliased(Reminder)
    overtaken = exists().where(
        newer.supersede_key == Reminder.supersede_key,
        newer.status.in_((PENDING, SENDING, SENT)),
        newer.planned_at <= now,
        newer.planned_at > Reminder.planned_at,
    )
    result = session.execute(
        update(Reminder)
        .where(
            Reminder.status == PENDING,
            Reminder.due_at <= now,
            Reminder.supersede_key.is_not(None),
            overtaken,
        )
        .values(
            status=SUPERSEDED,
            updated_at=now,
            note="not sent: a later reminder to the same person replaced it",
        ),
        execution_options={"synchronize_session": False},
    )
    return rows_changed(result)


REMINDERS = LeasedTable(Reminder, PENDING, SENDING, Reminder.due_at, Reminder.updated_at)


def claim(
    session: Session,
    owner: str,
    now: dt.datetime,
    *,
    batch: int = 20,
    lease: dt.timedelta = LEASE,
    max_attempts: int = MAX_ATTEMPTS,
) -> list[int]:
    """Take up to ``batch`` due reminders (and those whose worker's lease ran out)."""
    rows = REMINDERS.claim(session, owner, now, batch=batch, lease=lease, max_attempts=max_attempts)
    return [r[0] for r in rows]


def give_up_abandoned(session: Session, now: dt.datetime, max_attempts: int = MAX_ATTEMPTS) -> int:
    """Rows whose last permitted attempt died with its worker: fail them visibly rather than
    leave them 'sending' for ever."""
    return len(
        REMINDERS.give_up_abandoned(
            session,
            now,
            max_attempts,
            status=FAILED,
            last_error="the worker sending it stopped on its last attempt",
        )
    )


def _fenced(session: Session, rid: int, owner: str, **values: Any) -> bool:
    """Finish a claimed row, only if we still hold its lease."""
    return REMINDERS.finish(session, owner, rid, values.pop("updated_at"), **values)


def tell_clerk(session: Session, r: Reminder, reason: str, now: dt.datetime) -> None:
    """A notice to the body's clerk(s) that reminder ``r`` could not be delivered."""
    if r.kind in (ReminderKind.CLERK_NOTICE.value, ReminderKind.NOTICE.value):
        return  # never chase a notice with a notice
    body = session.get(Body, r.body_id)
    text = (
        f"I could not send a {r.kind.replace('_', ' ')} reminder to <@{r.recipient}>: "
        f"{reason}. Please contact them another way."
    )
    for clerk in body_clerks(session, r.body_id):
        if clerk != r.recipient:
            queue_notice(
                session,
                recipient=clerk,
                text=text,
                key=f"notice:{r.id}:{clerk}",
                body_id=r.body_id,
                now=now,
                meeting_id=r.meeting_id,
                item_id=r.item_id,
                about=r.id,
            )
    audit.record(
        session,
        actor=Actor.system(),
        action="reminder.failed",
        at=now,
        organisation_id=body.organisation_id if body else None,
        subject=f"reminder:{r.id}",
        recipient=r.recipient,
        reason=reason,
    )


def _release(session: Session, ids: list[int], owner: str, until: dt.datetime) -> None:
    """Give back claimed rows we did not get to (rate limited) without counting an attempt."""
    for rid in ids:
        _fenced(
            session,
            rid,
            owner,
            status=PENDING,
            due_at=until,
            attempts=Reminder.attempts - 1,
            updated_at=until,
        )
    session.commit()


@dataclass(frozen=True)
class _Prepared:
    id: int
    recipient: str
    attempts: int
    text: str | None
    reason: str | None
    broken: bool = False  # the message could not be written (a bug or bad data)
    message: ReminderMessage | None = None  # what the notifier is handed, when there is text


def offer_of(session: Session, r: Reminder) -> tuple[Offer | None, int | None]:
    """What the recipient may do about reminder ``r``: an author may ask for an extension, a
    request for one is decided by its recipient, the clerk may pause chasing an item."""
    request_id = (r.payload or {}).get("extension_request")
    if request_id:
        return Offer.DECIDE_EXTENSION, int(request_id)
    if r.item_id is None:
        return None, None
    kind = ReminderKind(r.kind)
    if kind.is_author:
        return Offer.ASK_EXTENSION, r.item_id
    chasing = kind in (ReminderKind.ESCALATION, ReminderKind.CLERK_NOTICE)
    if chasing and r.recipient in body_clerks(session, r.body_id):
        return Offer.PAUSE_CHASING, r.item_id
    return None, None


def _message(session: Session, r: Reminder, text: str) -> ReminderMessage | None:
    try:
        offer, subject = offer_of(session, r)
    except Exception:  # noqa: BLE001 - the message matters more than its buttons
        log.exception("could not work out the buttons of reminder %s; sending it plain", r.id)
        session.rollback()
        offer, subject = None, None
    return ReminderMessage(r.id, r.recipient, text, r.kind, offer, subject)


def _prepare(engine: Engine, ids: list[int], now: dt.datetime) -> list[_Prepared]:
    """Write the messages of a claimed batch in one session: the meetings, items and papers
    they need are loaded once for the batch, not once per reminder."""
    with Session(engine) as s:
        rows = list(
            s.scalars(
                select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.due_at, Reminder.id)
            )
        )
        meeting_ids = {r.meeting_id for r in rows if r.meeting_id}
        item_ids = {r.item_id for r in rows if r.item_id}
        if meeting_ids:
            s.scalars(
                select(Meeting)
                .where(Meeting.id.in_(meeting_ids))
                .options(selectinload(Meeting.body).selectinload(Body.organisation))
            ).all()
        papers: set[int] = set()
        if item_ids:
            s.scalars(
                select(ForwardPlanItem)
                .where(ForwardPlanItem.id.in_(item_ids))
                .options(selectinload(ForwardPlanItem.authors))
            ).all()
            papers = set(s.scalars(select(Paper.item_id).where(Paper.item_id.in_(item_ids))))
        out = []
        for r in rows:
            try:
                text, reason = compose(s, r, now=now, items_with_papers=papers)
                message = _message(s, r, text) if text is not None else None
                out.append(_Prepared(r.id, r.recipient, r.attempts, text, reason, message=message))
            except Exception as err:  # noqa: BLE001 - one bad row must not stop the batch
                log.exception("could not write reminder %s", r.id)
                s.rollback()  # a failed statement spoils the transaction: start afresh
                out.append(
                    _Prepared(
                        r.id,
                        r.recipient,
                        r.attempts,
                        None,
                        f"could not write the message ({type(err).__name__})",
                        broken=True,
                    )
                )
        s.rollback()
    return out


def _mark_sent(s: Session, fast: Connection | None, rid: int, owner: str, now: dt.datetime) -> None:
    if fast is None:
        _fenced(s, rid, owner, status=SENT, sent_at=now, updated_at=now)
        s.commit()
        return
    # One fenced statement, committed on its own: one round trip.
    REMINDERS.finish(fast, owner, rid, now, status=SENT, sent_at=now)


def _deliver(
    s: Session,
    notifier: Notifier,
    p: _Prepared,
    owner: str,
    now: dt.datetime,
    max_attempts: int,
    stats: DispatchStats,
    fast: Connection | None = None,
) -> float | None:
    """Send one claimed reminder and record the outcome (each in its own short transaction).
    Returns seconds to back off if Slack rate-limited us."""
    rid, attempts = p.id, p.attempts
    if p.broken:
        if _fenced(s, rid, owner, status=FAILED, last_error=p.reason, updated_at=now):
            tell_clerk(s, s.get_one(Reminder, rid), str(p.reason), now)
        s.commit()
        stats.failed += 1
        return None
    if p.message is None:
        _fenced(s, rid, owner, status=CANCELLED, note=f"not sent: {p.reason}", updated_at=now)
        s.commit()
        stats.cancelled += 1
        return None
    if (
        attempts > 1
        and isinstance(notifier, DeliveryLog)
        and notifier.was_delivered(rid, p.recipient)
    ):
        _mark_sent(s, fast, rid, owner, now)  # the last worker sent it, then died
        stats.sent += 1
        return None
    try:
        notifier.send(p.message)
    except RateLimited as err:
        return max(err.retry_after, 1.0)
    except RecipientGone as err:
        if _fenced(s, rid, owner, status=FAILED, last_error=err.reason, updated_at=now):
            tell_clerk(s, s.get_one(Reminder, rid), err.reason, now)
        s.commit()
        stats.failed += 1
        return None
    except Exception as err:  # noqa: BLE001 - any other failure is retried with back-off
        log.warning("reminder %s not sent (attempt %s): %s", rid, attempts, err)
        if attempts >= max_attempts:
            if _fenced(s, rid, owner, status=FAILED, last_error=str(err)[:500], updated_at=now):
                tell_clerk(
                    s,
                    s.get_one(Reminder, rid),
                    f"{attempts} attempts failed (last: {str(err)[:200]})",
                    now,
                )
            stats.failed += 1
        else:
            delay = BACKOFF[min(attempts, len(BACKOFF)) - 1]
            _fenced(
                s,
                rid,
                owner,
                status=PENDING,
                last_error=str(err)[:500],
                due_at=now + delay,
                updated_at=now,
            )
            stats.retried += 1
        s.commit()
        return None
    _mark_sent(s, fast, rid, owner, now)
    stats.sent += 1
    return None


@contextmanager
def _autocommit(engine: Engine) -> Iterator[Connection | None]:
    """On PostgreSQL, a connection whose statements commit on their own, for the common
    'sent' update (saves BEGIN and COMMIT round trips). SQLite keeps the session path."""
    if engine.dialect.name != "postgresql":
        yield None
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        yield conn


def dispatch_due(
    engine: Engine,
    notifier: Notifier,
    *,
    clock: Clock,
    owner: str | None = None,
    batch: int = 20,
    lease: dt.timedelta = LEASE,
    max_attempts: int = MAX_ATTEMPTS,
) -> DispatchStats:
    """One round: supersede stale rows, claim a batch, send it. Safe to run in many processes."""
    owner = owner or worker_id()
    now = as_utc(clock.now())
    stats = DispatchStats()
    with Session(engine) as s, s.begin():
        stats.superseded = supersede_stale(s, now)
        stats.failed += give_up_abandoned(s, now, max_attempts)
    with Session(engine) as s, s.begin():
        ids = claim(s, owner, now, batch=batch, lease=lease, max_attempts=max_attempts)
    stats.claimed = len(ids)
    if not ids:
        return stats
    prepared = _prepare(engine, ids, now)
    held, renewed = set(ids), time.monotonic()
    with Session(engine) as s, _autocommit(engine) as fast:
        for n, p in enumerate(prepared):
            if time.monotonic() - renewed > lease.total_seconds() / 3:
                # A slow Slack must not outlive the lease: renew what is left of the batch,
                # and send only what we still hold (another worker sends the rest).
                renewed = time.monotonic()
                rest = [q.id for q in prepared[n:]]
                held = REMINDERS.renew(fast or s, owner, rest, as_utc(clock.now()), lease)
                s.commit()
            if p.id not in held:
                stats.lost_lease += 1
                continue
            wait = _deliver(s, notifier, p, owner, as_utc(clock.now()), max_attempts, stats, fast)
            if wait is not None:
                # Slack's limit is per app and method: stop this round, put the rest back.
                stats.rate_limited_for = wait
                _release(
                    s,
                    [q.id for q in prepared[n:]],
                    owner,
                    as_utc(clock.now()) + dt.timedelta(seconds=wait),
                )
                break
    return stats


def dispatch_all_due(
    engine: Engine,
    notifier: Notifier,
    *,
    clock: Clock,
    owner: str | None = None,
    batch: int = 20,
    lease: dt.timedelta = LEASE,
    max_rounds: int = 1000,
) -> DispatchStats:
    """Rounds until nothing due is left (or Slack asks us to wait)."""
    owner = owner or worker_id()
    total = DispatchStats()
    for _ in range(max_rounds):
        stats = dispatch_due(engine, notifier, clock=clock, owner=owner, batch=batch, lease=lease)
        total.add(stats)
        if stats.claimed < batch or stats.rate_limited_for:
            break
    return total
