"""Running the Slack app: the web half (HTTP under gunicorn, or Socket Mode), the worker half
(jobs and reminders), or both in one process (``boardclerk serve``)."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from agenda.clock import Clock
from agenda.db.engine import make_engine
from agenda.filestore import open_store
from bot.app import create_app
from bot.settings import Settings, web_concurrency, web_threads
from bot.worker import run_bot_worker

log = logging.getLogger(__name__)


# Hand the interpreter lock round every 1 ms instead of 5: acks are a millisecond of work
# each and should not wait behind a thread building a view.
SWITCH_INTERVAL = 0.001


def _app(settings: Settings, database_url: str) -> Flask:
    sys.setswitchinterval(SWITCH_INTERVAL)
    engine = make_engine(database_url)
    return create_app(settings, engine, open_store(), clock=Clock())[1]


class _Gunicorn(BaseApplication):
    """gunicorn driven from code, so ``boardclerk web`` needs no separate config file."""

    def __init__(self, load: Callable[[], Flask], options: dict[str, Any]) -> None:
        self._load, self._options = load, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    # Flask is a WSGI app; types-gunicorn spells the WSGI callables more narrowly than typeshed.
    def load(self) -> Flask:  # type: ignore[override]
        return self._load()


def gunicorn_options(
    settings: Settings, *, workers: int, threads: int, **extra: Any
) -> dict[str, Any]:
    return {
        "bind": f"0.0.0.0:{settings.port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "accesslog": "-",
        # No control socket: several `web` processes on one host would fight over it.
        "control_socket_disable": True,
        **extra,
    }


def run_web(settings: Settings, database_url: str, *, workers: int, threads: int) -> None:
    """Serve ``/slack/events`` and ``/healthz``; or connect by Socket Mode with an app token."""
    if settings.socket_mode:
        run_socket_mode(settings, database_url)
        return
    # Each gunicorn worker builds its own engine and app after the fork.
    _Gunicorn(
        lambda: _app(settings, database_url),
        gunicorn_options(settings, workers=workers, threads=threads),
    ).run()


def run_socket_mode(
    settings: Settings, database_url: str, stop_event: threading.Event | None = None
) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    engine = make_engine(database_url)
    bolt, _ = create_app(settings, engine, open_store(), clock=Clock())
    handler = SocketModeHandler(bolt, settings.app_token)
    if stop_event is None:
        handler.start()  # blocks until interrupted
        return
    handler.connect()
    stop_event.wait()
    handler.close()


def run_worker(
    settings: Settings, database_url: str, stop_event: threading.Event | None = None
) -> None:
    stop_event = stop_event or _stop_on_signals()
    engine = make_engine(database_url)
    run_bot_worker(settings, engine, open_store(), clock=Clock(), stop_event=stop_event)


def run_serve(settings: Settings, database_url: str, *, threads: int) -> None:
    """One process: the web app and the worker (the single-machine set-up)."""
    if settings.socket_mode:
        stop = _stop_on_signals()
        worker = threading.Thread(
            target=run_worker, args=(settings, database_url, stop), daemon=True
        )
        worker.start()
        run_socket_mode(settings, database_url, stop)
        return
    stop = threading.Event()

    def post_worker_init(_worker: Any) -> None:
        # Started inside gunicorn's (single) worker process, after the fork: forking a process
        # that already runs threads is unsafe.
        threading.Thread(
            target=run_worker,
            args=(settings, database_url, stop),
            name="boardclerk-worker",
            daemon=True,
        ).start()

    def worker_exit(_server: Any, _worker: Any) -> None:
        stop.set()

    _Gunicorn(
        lambda: _app(settings, database_url),
        gunicorn_options(
            settings,
            workers=1,
            threads=threads,
            post_worker_init=post_worker_init,
            worker_exit=worker_exit,
        ),
    ).run()


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    return stop


def default_threads() -> int:
    return web_threads()


def default_workers() -> int:
    return web_concurrency()
