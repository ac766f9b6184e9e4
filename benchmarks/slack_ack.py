"""Time to acknowledge Slack requests under concurrency.

Runs the app the way production does, ``boardclerk web`` (gunicorn gthread) on loopback with
a SQLite database holding the sample board, with the fake Slack (in its own process, so its
work does not slow the timing clients) as its Web API. Fires rounds of N concurrent signed requests of each kind and prints p50/p99 of the time
until the HTTP response (the ack). Slack's limit is 3 s; the target is p99 < 300 ms.

    /work/venv/bin/python benchmarks/slack_ack.py [--rounds 5] [--concurrency 20]
                                                  [--workers 2] [--threads 16]

With ``--views``, instead: the time and the number of queries to build each view (the clerk's
plan, submit choices, App Home parts, status) from the agenda services, with 10, 100 and 1,000
planned items, on SQLite and (with BOARDCLERK_BENCH_POSTGRES_URL, in a database of its own
that it creates and drops) PostgreSQL. Target: < 300 ms at 1,000 items, as many queries as at 10.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from agenda.board.models import ForwardPlanItem  # noqa: E402
from agenda.db.engine import make_engine  # noqa: E402
from bot.blocks.plan import add_item_modal  # noqa: E402
from tests.support.boards import CLERK, PUBLIC_HEALTH, meeting_refs, write_sample_config  # noqa: E402
from tests.support.bot_harness import values  # noqa: E402
from tests.support.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, Response, SlackSide  # noqa: E402

BOARDCLERK = str(Path(sys.executable).with_name("boardclerk"))


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def timed(send: Callable[[], Response]) -> float:
    start = time.perf_counter()
    resp = send()
    elapsed = time.perf_counter() - start
    if resp.status != 200:
        raise RuntimeError(f"HTTP {resp.status}: {resp.body[:200]!r}")
    return elapsed


class FakeInProcess:
    """FakeSlack served from a child process: the URLs and the file object are all we need."""

    def __init__(self) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.proc = multiprocessing.Process(target=_serve_fake, args=(child,), daemon=True)
        self.proc.start()
        self.base_url, self.root, self.file = self.conn.recv()

    def stop(self) -> None:
        self.conn.send("stop")
        self.proc.join(timeout=10)


def _serve_fake(conn: Any) -> None:
    fake = FakeSlack().start()
    file = fake.add_file(b"PK\x03\x04 placeholder", "strategy.docx", user=PUBLIC_HEALTH)
    conn.send((fake.base_url, fake.root, file))
    conn.recv()
    fake.stop()


def start_web(
    tmp: Path, fake: FakeInProcess, workers: int, threads: int
) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    today = dt.datetime.now(dt.UTC).date()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "BOARDCLERK_DATA_DIR": str(tmp / "data"),
        "BOARDCLERK_CONFIG": str(write_sample_config(tmp / "boardclerk.yaml", today)),
    }
    proc = subprocess.Popen(
        [BOARDCLERK, "web", "--workers", str(workers), "--threads", str(threads)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                return proc, base
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("boardclerk web did not start") from None
            time.sleep(0.1)


def views(sizes: tuple[int, ...] = (10, 100, 1000), repeat: int = 3) -> None:
    """Build each view on a plan of each size; print the best time and the query count."""
    from sqlalchemy import text

    urls = {"sqlite": f"sqlite:///{tempfile.mkdtemp(prefix='bc-views-')}/views.db"}
    admin_url = os.environ.get("BOARDCLERK_BENCH_POSTGRES_URL")
    name = f"bc_views_{os.getpid()}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT") if admin_url else None
    if admin is not None and admin_url:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        urls["postgresql"] = f"{admin_url.rpartition('/')[0]}/{name}"
    try:
        _views_on(urls, sizes, repeat)
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _views_on(urls: dict[str, str], sizes: tuple[int, ...], repeat: int) -> None:
    from sqlalchemy.orm import Session

    from agenda.db.engine import transaction
    from agenda.db.migrate import upgrade
    from tests.support.queries import VIEWS, counting, empty_database, plan_of_size

    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for db, url in urls.items():
        engine = make_engine(url)
        upgrade(engine)
        print(f"{db}: " + "  ".join(f"{n:>5} items" for n in sizes))
        table: dict[str, list[str]] = {name: [] for name in VIEWS}
        for size in sizes:
            empty_database(engine)
            with transaction(engine) as session:
                plan_of_size(session, size)
            for name, view in VIEWS.items():
                best, queries = float("inf"), 0
                for _ in range(repeat):
                    with Session(engine) as session, counting(engine) as count:
                        start = time.perf_counter()
                        view(session)
                        best = min(best, time.perf_counter() - start)
                    queries = len(count)
                table[name].append(f"{best * 1000:6.1f} ms {queries:3d} q")
        for name, cells in table.items():
            print(f"  {name:<30} " + "  ".join(cells))
        empty_database(engine)
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=16, help="threads per process")
    parser.add_argument(
        "--gap",
        type=float,
        default=0.5,
        help="seconds between bursts (lazy work of one burst drains meanwhile)",
    )
    parser.add_argument(
        "--views", action="store_true", help="time view building at 10/100/1,000 items instead"
    )
    args = parser.parse_args()
    if args.views:
        views()
        return

    tmp = Path(tempfile.mkdtemp(prefix="bc-bench-"))
    fake = FakeInProcess()
    proc, base = start_web(tmp, fake, args.workers, args.threads)
    try:
        run(args, tmp, fake, base)
    finally:
        time.sleep(1.0)  # let lazy listeners finish before tearing down
        proc.terminate()
        proc.wait(timeout=30)
        fake.stop()


def run(args: argparse.Namespace, tmp: Path, fake: FakeInProcess, base: str) -> None:
    refs = meeting_refs(dt.datetime.now(dt.UTC).date())
    engine = make_engine(f"sqlite:///{tmp}/bench.db")
    with engine.connect() as conn:
        strategy = conn.scalar(
            select(ForwardPlanItem.id).where(
                ForwardPlanItem.title == "Joint Health and Wellbeing Strategy Refresh"
            )
        )
    engine.dispose()
    slack = SlackSide(f"{base}/slack/events", hooks_url=f"{fake.root}hooks/")
    docx_file = fake.file

    submit_view = {
        "type": "modal",
        "callback_id": "submit_paper",
        "id": "V1",
        "private_metadata": f'{{"meeting": "{refs[0]}", "item": {strategy}}}',
    }
    submit_state = values(item=("select", str(strategy)), title="Strategy", file=[docx_file])
    counter = iter(range(10**6))

    kinds: dict[str, Callable[[], Response]] = {
        "command: help": lambda: slack.command(PUBLIC_HEALTH, "help"),
        "command: submit (lazy opens the modal)": lambda: slack.command(PUBLIC_HEALTH, "submit"),
        "command: plan (lazy replies)": lambda: slack.command(CLERK, "plan"),
        "command: status (lazy replies)": lambda: slack.command(PUBLIC_HEALTH, f"status {refs[0]}"),
        "view: submit paper (validates; lazy stores)": lambda: slack.submit_view(
            PUBLIC_HEALTH, submit_view, submit_state
        ),
        "view: add item (checks; lazy writes)": lambda: slack.submit_view(
            CLERK,
            add_item_modal([(refs[1], refs[1])]),
            values(
                meeting=("select", refs[1]),
                title=f"Bench item {next(counter)}",
                kind=("select", "discussion"),
            ),
        ),
    }
    for send in kinds.values():  # warm up both processes: imports, pools, first queries
        for _ in range(args.workers * 2):
            timed(send)

    print(
        f"Time to ack: {args.concurrency} concurrent signed requests x {args.rounds} rounds per "
        f"kind; boardclerk web ({args.workers} gunicorn gthread workers x {args.threads} threads), "
        f"SQLite, loopback, {args.gap:g} s between bursts; load average before: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'request':48} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    everything: list[float] = []
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for name, send in kinds.items():
            samples: list[float] = []
            for _ in range(args.rounds):
                samples += list(pool.map(lambda _i, f=send: timed(f), range(args.concurrency)))
                time.sleep(args.gap)
            everything += samples
            print(
                f"{name:48} {statistics.median(samples) * 1000:8.1f} "
                f"{percentile(samples, 99) * 1000:8.1f} {max(samples) * 1000:8.1f}"
            )
        mixed: list[float] = []
        sends = list(kinds.values())
        for _ in range(args.rounds):
            mixed += list(pool.map(lambda i: timed(sends[i % len(sends)]), range(args.concurrency)))
            time.sleep(args.gap)
        everything += mixed
        print(
            f"{'mixed (all kinds at once)':48} {statistics.median(mixed) * 1000:8.1f} "
            f"{percentile(mixed, 99) * 1000:8.1f} {max(mixed) * 1000:8.1f}"
        )
    p99 = percentile(everything, 99) * 1000
    print(
        f"{'ALL':48} {statistics.median(everything) * 1000:8.1f} {p99:8.1f} "
        f"{max(everything) * 1000:8.1f}"
    )
    print(f"target p99 < 300 ms: {'met' if p99 < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
