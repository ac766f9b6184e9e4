"""Submission and pack-build times with the S3 store (moto's server on loopback) against the
local store.

For each store: the sample board on a fresh SQLite database; 20 paper submissions (each a
transaction: check the file, store it, record the row and the audit event), then the public
pack (PDF + Word) of the meeting built by a process on "another host" (an empty store cache
and render cache), and rebuilt once warm. Prints milliseconds / seconds.

moto on loopback has no network latency: the S3 figures measure the store's own overhead
(HTTP, signing, the put-then-check round trips, the cache), not a real region's round trips.

Run: .venv/bin/python benchmarks/store.py [--rounds 4] [--pages 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from agenda.board.models import ForwardPlanItem, Meeting  # noqa: E402
from agenda.board.permissions import Actor  # noqa: E402
from agenda.db.engine import make_engine, transaction  # noqa: E402
from agenda.db.migrate import upgrade  # noqa: E402
from agenda.demo.papers import make_report_docx, make_report_pdf, sample_report_for  # noqa: E402
from agenda.documents.render import RenderCache  # noqa: E402
from agenda.filestore import FileStore, open_store  # noqa: E402
from agenda.pack.build import build_pack  # noqa: E402
from agenda.plan.papers import submit_paper  # noqa: E402
from agenda.settings import Settings  # noqa: E402
from tests.support.boards import CLERK, load_sample_board, meeting_refs  # noqa: E402
from tests.support.s3server import new_bucket, start_server  # noqa: E402

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def open_for(kind: str, root: Path, env: dict[str, str]) -> FileStore:
    extra = env if kind == "s3" else {}
    return open_store(Settings.from_env({"BOARDCLERK_DATA_DIR": str(root), **extra}))


def run(kind: str, tmp: Path, env: dict[str, str], rounds: int, pages: int) -> dict[str, float]:
    engine = make_engine(f"sqlite:///{tmp}/{kind}.db")
    upgrade(engine)
    load_sample_board(engine, NOW)
    ref = meeting_refs(NOW.date())[0]
    with transaction(engine) as s:
        meeting = next(m for m in s.scalars(select(Meeting)) if m.ref == ref)
        items = [
            (i.id, i.title)
            for i in s.scalars(
                select(ForwardPlanItem).where(ForwardPlanItem.meeting_id == meeting.id)
            )
        ]
    web = open_for(kind, tmp / f"{kind}-web", env)
    submit_ms = []
    for n in range(rounds):
        for k, (item_id, title) in enumerate(items):
            report = sample_report_for(title, "HWB", NOW.date())
            make = make_report_pdf if k % 2 else make_report_docx
            data = make(report, "council-appendix", pages=pages, seed=n * 10 + k)
            name = f"paper-{k}.{'pdf' if k % 2 else 'docx'}"
            start = time.perf_counter()
            with transaction(engine) as s:
                submit_paper(
                    s,
                    web,
                    actor=Actor.slack(CLERK),
                    item_id=item_id,
                    file_name=name,
                    data=data,
                    now=NOW,
                )
            submit_ms.append((time.perf_counter() - start) * 1000)
    # S3: the worker is another host with nothing cached. Local: it must share the web's disk.
    worker = open_for(kind, tmp / f"{kind}-worker", env) if kind == "s3" else web
    cache = RenderCache(tmp / f"{kind}-worker" / "render-cache")
    times = []
    for _ in range(2):  # cold, then warm
        start = time.perf_counter()
        with transaction(engine) as s:
            build_pack(
                s, worker, ref, private=False, now=NOW, actor=Actor.slack(CLERK), cache=cache
            )
        times.append(time.perf_counter() - start)
    engine.dispose()
    ordered = sorted(submit_ms)
    return {
        "submissions": len(submit_ms),
        "submit_p50_ms": statistics.median(submit_ms),
        "submit_p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "pack_cold_s": times[0],
        "pack_warm_s": times[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="versions submitted per item")
    parser.add_argument("--pages", type=int, default=10, help="pages per paper")
    args = parser.parse_args()
    server = start_server()
    bucket = new_bucket(server)
    os.environ.update({k: v for k, v in bucket.env.items() if k.startswith("AWS_")})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = {
                kind: run(kind, Path(tmp), bucket.env, args.rounds, args.pages)
                for kind in ("local", "s3")
            }
    finally:
        server.stop()
    print(f"{'':24}{'local':>10}{'s3 (moto)':>12}")
    for key in ("submissions", "submit_p50_ms", "submit_p95_ms", "pack_cold_s", "pack_warm_s"):
        local, s3 = results["local"][key], results["s3"][key]
        print(f"{key:24}{local:>10.2f}{s3:>12.2f}")


if __name__ == "__main__":
    main()
