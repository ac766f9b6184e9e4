"""Public meeting site latency: page and search p50/p99 at 1 and 50 concurrent clients over
real HTTP on loopback (werkzeug's threaded server, the blueprint `boardclerk web` registers).

The data set is the demo's record (one body, three meetings, two published agendas, papers,
packs and minutes), built into a temporary directory. The issue's full data set (10 bodies x
5 years of monthly meetings on PostgreSQL) is not built here yet.

Targets (issue 11): pages p99 < 50 ms and search p99 < 200 ms at 50 concurrent clients.

Run: .venv/bin/python benchmarks/site.py [--requests 400]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from agenda.clock import FixedClock
from agenda.db.engine import make_engine
from agenda.demo.run import run_demo
from agenda.filestore import LocalFileStore
from bot.deps import Deps
from bot.settings import Settings
from bot.site import site_blueprint


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


PAGES = ["/", "/hwb/", "/hwb/2027-01-07/", "/hwb/2027-03-04/", "/hwb/items/1/"]
SEARCH = ["/search/?q=better+care+fund", "/search/?q=strategy", "/search/?q=nothing+here"]


def _get(port: int, path: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    took = time.perf_counter() - start
    conn.close()
    assert response.status == 200, (path, response.status)
    return took


def measure(port: int, paths: list[str], clients: int, requests: int) -> tuple[float, float]:
    order = [paths[i % len(paths)] for i in range(requests)]
    with ThreadPoolExecutor(clients) as pool:
        times = sorted(pool.map(lambda p: _get(port, p), order))
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times) * 1000, p99 * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run_demo(out, echo=lambda _line: None)
        deps = Deps(
            settings=Settings(signing_secret="s" * 32),
            engine=make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}"),
            store=LocalFileStore(out / "data"),
            clock=FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)),
        )
        app = Flask("site-bench")
        app.register_blueprint(site_blueprint(deps))
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        thread = threading.Thread(target=server.serve_forever)
        thread.start()
        try:
            for p in PAGES + SEARCH:  # warm the text cache, as a running server would be
                _get(server.server_port, p)
            for name, paths in (("pages", PAGES), ("search", SEARCH)):
                for clients in (1, 50):
                    p50, p99 = measure(server.server_port, paths, clients, args.requests)
                    print(f"{name:6} {clients:2} clients: p50 {p50:7.1f} ms  p99 {p99:7.1f} ms")
        finally:
            server.shutdown()
            thread.join()


if __name__ == "__main__":
    main()
