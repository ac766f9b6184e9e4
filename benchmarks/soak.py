"""Soak: nothing acknowledged is lost, nothing is done twice, while processes are killed.

Two ``boardclerk web`` processes and two ``boardclerk worker`` processes on PostgreSQL, a fake
Slack (its own process, loopback only) that is slow, fails 5% of calls with a 500 and
rate-limits ``chat.postMessage``; N paper submissions from A authors through signed
view submissions, and R reminders due at once. Every KILL_EVERY seconds one process, chosen at
random, is killed with SIGKILL (its whole process group) and started again. After the load, the
survivors drain the queues (bounded). Prints acknowledged, stored, lost, duplicated, reminders
sent twice, p50/p99 acknowledgement time. Bounded in time; all traffic on 127.0.0.1.

    .venv/bin/python benchmarks/soak.py [--submissions 500] [--authors 50] [--reminders 1000]
        [--duration 240] [--kill-every 20] [--drain 240] [--seed 13]
    (PostgreSQL from $BOARDCLERK_TEST_POSTGRES_URL, default the local test server;
    --sqlite: a SQLite file with one web process)

Targets: 0 lost, 0 duplicated, 0 reminders sent twice, p99 acknowledgement < 300 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from agenda.board.models import Paper  # noqa: E402
from agenda.db.engine import make_engine  # noqa: E402
from agenda.db.migrate import upgrade  # noqa: E402
from agenda.reminders.planning import queue_notice  # noqa: E402
from agenda.reminders.tables import Reminder, ReminderKind  # noqa: E402
from tests.support import factories  # noqa: E402
from tests.support.bot_harness import values  # noqa: E402
from tests.support.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, post_signed  # noqa: E402

BOARDCLERK = str(Path(sys.executable).with_name("boardclerk"))
DEFAULT_PG = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
CLERK = "U0CLERK01"


# -- the fake Slack, slow, failing and rate-limiting --------------------------------------------


class ChaosSlack(FakeSlack):
    """FakeSlack that answers slowly, fails ``fail_rate`` of API calls and downloads with a
    500, and answers 429 (Retry-After 1) past ``post_rate`` chat.postMessage calls a second."""

    def __init__(self, *, delay: float, fail_rate: float, post_rate: int, seed: int) -> None:
        super().__init__()
        self.delay, self.fail_rate, self.post_rate = delay, fail_rate, post_rate
        self.rng = random.Random(seed)
        self.window: tuple[int, int] = (0, 0)  # (second, posts in it)
        self.chaos = Counter[str]()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path.startswith(("/api/", "/files-pri/")):
            with self._lock:
                roll, pause = self.rng.random(), self.rng.uniform(0, self.delay)
            time.sleep(pause)
            if roll < self.fail_rate:
                length = int(h.headers.get("Content-Length") or 0)
                h.rfile.read(length)
                self.chaos["500"] += 1
                body = json.dumps({"ok": False, "error": "internal_error"}).encode()
                return self._send(h, 500, {"Content-Type": "application/json"}, body)
            if path.startswith("/api/chat.postMessage") and self._over_rate():
                length = int(h.headers.get("Content-Length") or 0)
                h.rfile.read(length)
                self.chaos["429"] += 1
                body = json.dumps({"ok": False, "error": "ratelimited"}).encode()
                headers = {"Content-Type": "application/json", "Retry-After": "1"}
                return self._send(h, 429, headers, body)
        return super()._handle(h)

    def _over_rate(self) -> bool:
        with self._lock:
            second, count = self.window
            now = int(time.monotonic())
            self.window = (now, count + 1) if now == second else (now, 1)
            return self.window[1] > self.post_rate

    def reminder_deliveries(self) -> Counter[int]:
        """How many times each reminder was posted successfully (by its message metadata)."""
        seen = Counter[int]()
        for call in self.calls:
            if call.method != "chat.postMessage":
                continue
            meta = call.body.get("metadata")
            if isinstance(meta, str):
                meta = json.loads(meta)
            payload = (meta or {}).get("event_payload") or {}
            if "reminder_id" in payload:
                seen[int(payload["reminder_id"])] += 1
        return seen


def _serve_fake(conn: Any, authors: list[str], paper: bytes, opts: dict[str, Any]) -> None:
    fake = ChaosSlack(**opts).start()
    files = {a: fake.add_file(paper, f"paper-{a}.docx", user=a) for a in authors}
    conn.send((fake.base_url, fake.root, files))
    while (msg := conn.recv()) != "stop":
        if msg == "report":
            conn.send((dict(fake.reminder_deliveries()), dict(fake.chaos)))
    fake.stop()


# -- processes ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    """One ``boardclerk web`` or ``worker`` process (in its own process group)."""

    kind: str
    env: dict[str, str]
    port: int | None = None
    proc: subprocess.Popen[bytes] | None = None
    kills: int = 0

    def start(self) -> None:
        args = [BOARDCLERK, self.kind]
        env = dict(self.env)
        if self.kind == "web":
            args += ["--workers", "1", "--threads", "8"]
            env["PORT"] = str(self.port)
        self.proc = subprocess.Popen(
            args,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> None:
        if self.kind != "web":
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"web on port {self.port} did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


# -- the run --------------------------------------------------------------------------------


@dataclass
class Result:
    submissions: int = 0
    acknowledged: int = 0
    not_acknowledged: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    reminders: int = 0
    reminders_sent: int = 0
    reminders_sent_twice: int = 0
    reminders_outstanding: int = 0
    kills: int = 0
    ack_ms: list[float] = field(default_factory=list)
    chaos: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def p(self, q: float) -> float:
        if not self.ack_ms:
            return float("nan")
        ordered = sorted(self.ack_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]

    def report(self) -> str:
        p50 = statistics.median(self.ack_ms) if self.ack_ms else float("nan")
        return "\n".join(
            [
                f"submissions sent       {self.submissions}",
                f"acknowledged           {self.acknowledged}"
                f"  (not acknowledged: {self.not_acknowledged}, web process down)",
                f"stored                 {self.stored}",
                f"lost                   {self.lost}",
                f"duplicated             {self.duplicated}",
                f"reminders due          {self.reminders}",
                f"reminders sent         {self.reminders_sent}"
                f"  (still outstanding at the end: {self.reminders_outstanding})",
                f"reminders sent twice   {self.reminders_sent_twice}",
                f"ack p50 / p99          {p50:.1f} ms / {self.p(99):.1f} ms",
                f"processes killed       {self.kills}",
                f"fake Slack faults      {self.chaos}",
                f"wall time              {self.seconds:.0f} s",
            ]
        )


def _seed(url: str, authors: list[str], reminders: int) -> tuple[str, dict[str, int]]:
    engine = make_engine(url)
    upgrade(engine)
    now = dt.datetime.now(dt.UTC)
    with Session(engine) as s, s.begin():
        org = factories.organisation(s)
        body = factories.body(s, org, clerk=CLERK)
        meeting = factories.meeting(s, body, (now + dt.timedelta(days=60)).date())
        items = {
            a: factories.item(s, meeting, title=f"Report of {a}", authors=(a,)).id for a in authors
        }
        for n in range(reminders):
            queue_notice(
                s,
                recipient=authors[n % len(authors)],
                text=f"Soak reminder {n}",
                key=f"soak:{n}",
                body_id=body.id,
                now=now,
                kind=ReminderKind.NOTICE,
            )
        ref = meeting.ref
    engine.dispose()
    return ref, items


def _paper() -> bytes:
    from agenda.demo.papers import make_report_docx, sample_reports

    report = sample_reports("Board", dt.date(2027, 4, 1), 1, seed=13)[0]
    return make_report_docx(report, "council-appendix", pages=1, seed=13)


def _submit(
    web: Service, n: int, author: str, item: int, ref: str, file: dict[str, Any]
) -> tuple[bool, float]:
    view = {
        "type": "modal",
        "callback_id": "submit_paper",
        "id": f"VSOAK{n}",
        "hash": f"soak{n}",
        "private_metadata": json.dumps({"meeting": ref, "item": item}),
        "team_id": "T0TEST",
        "state": {
            "values": values(item=("select", str(item)), title=f"soak-{n}", file=[file]),
        },
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEST"},
        "api_app_id": "A0TEST",
        "trigger_id": f"trig.soak.{n}",
        "user": {"id": author, "team_id": "T0TEST"},
        "view": view,
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    started = time.perf_counter()
    try:
        resp = post_signed(
            f"{web.url}/slack/events", body, "application/x-www-form-urlencoded", timeout=10
        )
    except OSError:
        return False, 0.0
    elapsed = (time.perf_counter() - started) * 1000
    return resp.status == 200, elapsed


def run_soak(
    *,
    pg_url: str,
    submissions: int,
    authors: int,
    reminders: int,
    duration: float,
    kill_every: float,
    drain: float,
    seed: int = 13,
    delay: float = 0.2,
    fail_rate: float = 0.05,
    post_rate: int = 8,
    log: Any = print,
) -> Result:
    rng = random.Random(seed)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="bc-soak-"))
    sqlite = pg_url.startswith("sqlite")
    name = f"bc_soak_{uuid.uuid4().hex[:8]}"
    admin = None if sqlite else make_engine(pg_url, isolation_level="AUTOCOMMIT")
    if admin is None:
        url = f"sqlite:///{tmp}/soak.db"  # SQLite: one web process (one writer at a time)
    else:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = f"{pg_url.rpartition('/')[0]}/{name}"
    people = [f"U{n:03d}SOAK" for n in range(authors)]
    ref, items = _seed(url, people, reminders)
    log(f"seeded {name}: {authors} authors, {reminders} reminders due")

    ctx = multiprocessing.get_context("spawn")
    conn, child = ctx.Pipe()
    opts = {"delay": delay, "fail_rate": fail_rate, "post_rate": post_rate, "seed": seed}
    fake_proc = ctx.Process(target=_serve_fake, args=(child, people, _paper(), opts), daemon=True)
    fake_proc.start()
    base_url, _root, files = conn.recv()

    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": base_url,
        "DATABASE_URL": url,
        "BOARDCLERK_DATA_DIR": str(tmp / "data"),
    }
    env.pop("BOARDCLERK_CONFIG", None)
    webs = [Service("web", env, port=_free_port()) for _ in range(1 if sqlite else 2)]
    workers = [Service("worker", env) for _ in range(2)]
    services = webs + workers
    result = Result(submissions=submissions, reminders=reminders)
    engine = make_engine(url)
    try:
        for svc in services:
            svc.start()
        for svc in webs:
            svc.wait_ready()
        log(f"{len(webs)} web + {len(workers)} worker processes up ({url.split(':')[0]})")

        stop_killing = threading.Event()

        def killer() -> None:
            while not stop_killing.wait(kill_every):
                victim = rng.choice(services)
                victim.kill()
                log(
                    f"  kill -9 {victim.kind} (pid group {victim.proc.pid if victim.proc else '?'})"
                )
                victim.start()
                if victim.kind == "web":
                    victim.wait_ready()

        killing = threading.Thread(target=killer, daemon=True)
        killing.start()

        acked: set[int] = set()
        lock = threading.Lock()

        def one(n: int) -> None:
            author = people[n % len(people)]
            ok, ms = _submit(webs[n % len(webs)], n, author, items[author], ref, files[author])
            with lock:
                if ok:
                    acked.add(n)
                    result.ack_ms.append(ms)
                else:
                    result.not_acknowledged += 1

        gap = duration / max(submissions, 1)
        with ThreadPoolExecutor(max_workers=10) as pool:
            for n in range(submissions):
                pool.submit(one, n)
                time.sleep(gap)
        stop_killing.set()
        killing.join()
        result.kills = sum(s.kills for s in services)
        result.acknowledged = len(acked)
        log(f"load done: {len(acked)} acknowledged; draining (at most {drain:.0f} s)")

        deadline = time.monotonic() + drain
        while True:
            stored, outstanding = _count(engine)
            missing = {n for n in acked if n not in stored}
            if (not missing and outstanding == 0) or time.monotonic() > deadline:
                break
            time.sleep(2)
        titles, outstanding = _count(engine)
        with engine.connect() as c:
            result.reminders_sent = c.scalar(
                select(func.count()).select_from(Reminder).where(Reminder.status == "sent")
            )
        result.stored = len([n for n in acked if n in titles])
        result.lost = result.acknowledged - result.stored
        result.duplicated = sum(1 for copies in titles.values() if copies > 1)
        result.reminders_outstanding = outstanding
        conn.send("report")
        deliveries, chaos = conn.recv()
        result.reminders_sent_twice = sum(1 for copies in deliveries.values() if copies > 1)
        result.chaos = chaos
    finally:
        for svc in services:
            svc.stop()
        conn.send("stop")
        fake_proc.join(10)
        engine.dispose()
        if admin is not None:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        result.seconds = time.monotonic() - started
    return result


def _count(engine: Any) -> tuple[Counter[int], int]:
    """Stored papers per soak submission number, and reminders not yet finished."""
    with engine.connect() as c:
        titles = Counter(
            int(t.removeprefix("soak-"))
            for t in c.scalars(select(Paper.title).where(Paper.title.like("soak-%")))
        )
        outstanding = c.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.status.in_(("pending", "sending")))
        )
    return titles, int(outstanding or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--authors", type=int, default=50)
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=240, help="seconds of load")
    parser.add_argument("--kill-every", type=float, default=20)
    parser.add_argument("--drain", type=float, default=240, help="at most, after the load")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--sqlite", action="store_true", help="a SQLite file and one web process instead"
    )
    args = parser.parse_args()
    result = run_soak(
        pg_url="sqlite"
        if args.sqlite
        else os.environ.get("BOARDCLERK_TEST_POSTGRES_URL") or DEFAULT_PG,
        submissions=args.submissions,
        authors=args.authors,
        reminders=args.reminders,
        duration=args.duration,
        kill_every=args.kill_every,
        drain=args.drain,
        seed=args.seed,
    )
    print(result.report())
    met = (
        result.lost == 0
        and result.duplicated == 0
        and result.reminders_sent_twice == 0
        and result.p(99) < 300
    )
    print(
        f"targets (0 lost, 0 duplicated, 0 sent twice, p99 < 300 ms): {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
