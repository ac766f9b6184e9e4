"""Time to acknowledge Slack requests under concurrency.

Serves the real app over HTTP on loopback (werkzeug, a thread per request) with a SQLite
database holding the sample board and the fake Slack as the Web API, then fires rounds of 20
concurrent signed requests of each kind and prints p50/p99 of the time until the HTTP response
(the ack). Slack's limit is 3 s; the target is p99 < 300 ms.

    /work/venv/bin/python benchmarks/slack_ack.py [--rounds 5] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import logging  # noqa: E402

from werkzeug.serving import make_server  # noqa: E402

from agenda.clock import FixedClock  # noqa: E402
from agenda.db import make_engine, transaction  # noqa: E402
from agenda.filestore import LocalFileStore  # noqa: E402
from agenda.migrate import upgrade  # noqa: E402
from agenda.models import ForwardPlanItem  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.views import add_item_modal  # noqa: E402
from tests.boards import CLERK, PUBLIC_HEALTH, load_sample_board, meeting_refs  # noqa: E402
from tests.bot_harness import values  # noqa: E402
from tests.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, Response, SlackSide  # noqa: E402

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # no access log in the figures

    tmp = Path(tempfile.mkdtemp(prefix="bc-bench-"))
    engine = make_engine(f"sqlite:///{tmp}/bench.db")
    upgrade(engine)
    clock = FixedClock(NOW)
    load_sample_board(engine, NOW)
    refs = meeting_refs(NOW.date())
    with transaction(engine) as s:
        from sqlalchemy import select

        strategy = s.scalar(select(ForwardPlanItem.id).where(
            ForwardPlanItem.title == "Joint Health and Wellbeing Strategy Refresh"))

    fake = FakeSlack().start()
    settings = Settings(signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN, api_url=fake.base_url)
    _, flask_app = create_app(settings, engine, LocalFileStore(tmp / "data"), clock=clock)
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    slack = SlackSide(f"http://127.0.0.1:{server.server_port}/slack/events")
    docx_file = fake.add_file(b"PK\x03\x04 placeholder", "strategy.docx", user=PUBLIC_HEALTH)

    submit_view = {"type": "modal", "callback_id": "submit_paper", "id": "V1",
                   "private_metadata": f'{{"meeting": "{refs[0]}", "item": {strategy}}}'}
    submit_state = values(item=("select", str(strategy)), title="Strategy", file=[docx_file])
    counter = iter(range(10**6))

    kinds: dict[str, Callable[[], Response]] = {
        "command: help": lambda: slack.command(PUBLIC_HEALTH, "help"),
        "command: submit (opens modal)": lambda: slack.command(PUBLIC_HEALTH, "submit"),
        "command: plan": lambda: slack.command(CLERK, "plan"),
        "command: status": lambda: slack.command(PUBLIC_HEALTH, f"status {refs[0]}"),
        "view: submit paper (validate; lazy download+store)":
            lambda: slack.submit_view(PUBLIC_HEALTH, submit_view, submit_state),
        "view: add item (writes in the ack)": lambda: slack.submit_view(
            CLERK, add_item_modal([(refs[1], refs[1])]),
            values(meeting=("select", refs[1]), title=f"Bench item {next(counter)}",
                   kind=("select", "discussion"))),
    }
    for send in kinds.values():    # warm up: imports, connection pools, the first auth
        timed(send)

    print(f"Time to ack, {args.concurrency} concurrent requests x {args.rounds} rounds per kind "
          f"(SQLite, werkzeug threaded, loopback):")
    print(f"{'request':55} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    everything: list[float] = []
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for name, send in kinds.items():
            samples: list[float] = []
            for _ in range(args.rounds):
                samples += list(pool.map(lambda _i, f=send: timed(f), range(args.concurrency)))
            everything += samples
            print(f"{name:55} {statistics.median(samples) * 1000:8.1f} "
                  f"{percentile(samples, 99) * 1000:8.1f} {max(samples) * 1000:8.1f}")
        mixed: list[float] = []
        sends = list(kinds.values())
        for _ in range(args.rounds):
            mixed += list(pool.map(lambda i: timed(sends[i % len(sends)]), range(args.concurrency)))
        everything += mixed
        print(f"{'mixed (all kinds at once)':55} {statistics.median(mixed) * 1000:8.1f} "
              f"{percentile(mixed, 99) * 1000:8.1f} {max(mixed) * 1000:8.1f}")
    p99 = percentile(everything, 99) * 1000
    print(f"{'ALL':55} {statistics.median(everything) * 1000:8.1f} {p99:8.1f} "
          f"{max(everything) * 1000:8.1f}")
    print(f"target p99 < 300 ms: {'met' if p99 < 300 else 'NOT met'}")
    time.sleep(1.0)          # let lazy listeners finish before tearing down
    server.shutdown()
    fake.stop()


if __name__ == "__main__":
    main()
