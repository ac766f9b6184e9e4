"""Reminder engine at scale: plan reminders for 200 bodies x 12 meetings x 15 items, then send
what falls due on one busy morning with 4 worker processes on PostgreSQL, each delivering to a
recording notifier (a table with one row per reminder; a second delivery is counted as a
duplicate). Prints planning time, dispatch throughput and the counts sent, duplicated, lost.

    BOARDCLERK_BENCH_POSTGRES_URL=postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres \
        python benchmarks/reminders.py [--bodies 200 --meetings 12 --items 15 --workers 4]
        python benchmarks/reminders.py --plan-only   # planning per meeting, no dispatch
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session, selectinload  # noqa: E402

from agenda.board.due import meeting_deadlines  # noqa: E402
from agenda.board.models import (  # noqa: E402
    Body,
    ForwardPlanItem,
    ItemAuthor,
    Meeting,
    Member,
    Organisation,
)
from agenda.db.engine import make_engine  # noqa: E402
from agenda.db.migrate import upgrade  # noqa: E402
from agenda.reminders.planning import replan_meetings  # noqa: E402
from agenda.reminders.tables import Reminder  # noqa: E402
from tests.support.recording import create_delivery_table, outstanding, worker_process  # noqa: E402

LONDON = ZoneInfo("Europe/London")
PLANNED_AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
FIRST_MEETING = dt.date(2027, 1, 28)  # Thursdays, every four weeks


def build(url: str, bodies: int, meetings: int, items: int) -> None:
    engine = make_engine(url)
    with Session(engine) as s, s.begin():
        org = Organisation(
            name="Bench Council",
            timezone="Europe/London",
            holiday_country="GB",
            holiday_subdivision="ENG",
            closure_days=[],
            created_at=PLANNED_AT,
        )
        s.add(org)
        for b in range(bodies):
            body = Body(
                organisation=org,
                key=f"b{b}",
                name=f"Board {b}",
                style="company-board",
                deadlines={},
            )
            body.members = [
                Member(name=f"Chair {b}", role="chair", slack_id=f"UCH{b}", position=0),
                Member(name=f"Clerk {b}", role="clerk", slack_id=f"UCL{b}", position=1),
                Member(
                    name=f"Director {b}",
                    title="Director",
                    role="member",
                    slack_id=f"UDI{b}",
                    position=2,
                ),
            ]
            for n in range(meetings):
                day = FIRST_MEETING + dt.timedelta(weeks=4 * n)
                m = Meeting(
                    body=body,
                    date=day,
                    status="scheduled",
                    starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=LONDON),
                )
                for i in range(items):
                    it = ForwardPlanItem(
                        body=body,
                        meeting=m,
                        title=f"Report {i}",
                        kind="report",
                        lead="Director",
                        position=i,
                        created_at=PLANNED_AT,
                    )
                    it.authors = [ItemAuthor(slack_id=f"UA{b}x{n}x{i}")]
            s.add(body)
            if b % 20 == 19:
                s.flush()
    engine.dispose()


def plan(url: str) -> tuple[float, int]:
    engine = make_engine(url)
    start = time.perf_counter()
    with Session(engine) as s:
        body_ids = list(s.scalars(select(Body.id)))
    for body_id in body_ids:  # one transaction per body
        with Session(engine) as s, s.begin():
            meetings = s.scalars(
                select(Meeting)
                .where(Meeting.body_id == body_id)
                .options(
                    selectinload(Meeting.items).selectinload(ForwardPlanItem.authors),
                    selectinload(Meeting.body).selectinload(Body.members),
                )
            )
            replan_meetings(s, list(meetings), now=PLANNED_AT)
    elapsed = time.perf_counter() - start
    with Session(engine) as s:
        rows = s.scalar(select(func.count(Reminder.id)))
    engine.dispose()
    return elapsed, rows or 0


def dispatch(url: str, workers: int, at: dt.datetime) -> dict[str, float]:
    engine = make_engine(url)
    create_delivery_table(engine)
    with engine.connect() as conn:
        due = conn.execute(
            text("SELECT count(*) FROM reminders WHERE due_at <= :t"), {"t": at}
        ).scalar_one()
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=worker_process, args=(url, at, 60.0, 0.0, 1800.0))
        for _ in range(workers)
    ]
    start = time.perf_counter()
    for p in procs:
        p.start()
    first_send = None
    while any(p.is_alive() for p in procs):
        if first_send is None:
            with engine.connect() as conn:
                if conn.execute(text("SELECT 1 FROM test_deliveries LIMIT 1")).first():
                    first_send = time.perf_counter()
        time.sleep(0.05)
    end = time.perf_counter()
    with engine.connect() as conn:
        status = dict(
            conn.execute(
                text("SELECT status, count(*) FROM reminders WHERE due_at <= :t GROUP BY status"),
                {"t": at},
            ).all()
        )
        duplicated = conn.execute(
            text("SELECT coalesce(sum(copies - 1), 0) FROM test_deliveries")
        ).scalar_one()
        delivered = conn.execute(text("SELECT count(*) FROM test_deliveries")).scalar_one()
        unrecorded = conn.execute(
            text(
                "SELECT count(*) FROM test_deliveries d JOIN reminders r ON r.id = d.reminder_id "
                "WHERE r.status <> 'sent'"
            )
        ).scalar_one()
    lost = outstanding(engine, at) + unrecorded
    engine.dispose()
    busy = end - (first_send or start)
    handled = sum(status.values())
    return {
        "due": due,
        "delivered": delivered,
        "sent": status.get("sent", 0),
        "superseded": status.get("superseded", 0),
        "failed": status.get("failed", 0),
        "duplicated": duplicated,
        "lost": lost,
        "wall": end - start,
        "busy": busy,
        "handled": handled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=200)
    parser.add_argument("--meetings", type=int, default=12)
    parser.add_argument("--items", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--plan-only", action="store_true", help="Measure planning only; skip the dispatch run."
    )
    args = parser.parse_args()
    admin_url = (
        os.environ.get("BOARDCLERK_BENCH_POSTGRES_URL")
        or os.environ.get("BOARDCLERK_TEST_POSTGRES_URL")
        or "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
    )
    name = f"bc_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{admin_url.rpartition('/')[0]}/{name}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        t = time.perf_counter()
        build(url, args.bodies, args.meetings, args.items)
        n_items = args.bodies * args.meetings * args.items
        print(
            f"data: {args.bodies} bodies x {args.meetings} meetings x {args.items} items "
            f"= {n_items} items, built in {time.perf_counter() - t:.1f} s"
        )
        elapsed, rows = plan(url)
        print(
            f"planning: {rows} reminders for {n_items} items in {elapsed:.1f} s "
            f"({n_items / elapsed:.0f} items/s, {elapsed / (args.bodies * args.meetings) * 1000:.1f} "
            "ms per meeting)"
        )
        print(f"  load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        if args.plan_only:
            return
        with Session(engine) as s:
            first = s.scalars(select(Meeting).order_by(Meeting.id).limit(1)).one()
            due = meeting_deadlines(first).papers_due
        at = due + dt.timedelta(hours=17)  # 10:00 the morning after papers were due
        engine.dispose()
        r = dispatch(url, args.workers, at)
        print(
            f"dispatch at {at:%Y-%m-%d %H:%M} UTC with {args.workers} worker processes on "
            f"PostgreSQL: {r['due']} reminders due (after downtime since planning)"
        )
        print(
            f"  sent {r['sent']}, superseded (stale, not sent) {r['superseded']}, "
            f"failed {r['failed']}, duplicated {r['duplicated']}, lost {r['lost']}"
        )
        print(
            f"  {r['wall']:.1f} s wall incl. process start; {r['busy']:.1f} s from first send: "
            f"{r['sent'] / r['busy']:.0f} sent/s, {r['handled'] / r['busy']:.0f} rows settled/s"
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
