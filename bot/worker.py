"""The worker: runs queued jobs (pack and minutes builds) and the reminder tick.

Jobs are claimed from the database (:mod:`agenda.jobs.queue`), so any number of workers may run.
Built files go to the clerk who asked, by direct message only: a private (Part B) pack must
never land in a channel.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from agenda.board.permissions import Actor
from agenda.clock import Clock
from agenda.db.engine import transaction
from agenda.db.lease import LeaseLost
from agenda.documents.render import reap_stray_renderers
from agenda.errors import BoardclerkError, StoreUnavailable
from agenda.filestore import FileStore
from agenda.jobs import queue as jobs
from agenda.jobs.installations import latest_bot_token
from agenda.minutes.service import build_minutes
from agenda.outbox.notify import ReminderMessage
from agenda.pack.build import build_pack_briefly
from bot import errors, messages
from bot.app import installation_store
from bot.blocks.publish import publish_offer_blocks
from bot.intake import SUBMIT_PAPER, run_submission
from bot.notifier import SlackNotifier
from bot.settings import Settings
from bot.slack import dm, dm_channel, web_client

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
PRUNE_EVERY = dt.timedelta(hours=1)
KEEP_DELIVERY_IDS = dt.timedelta(days=1)
ClientFor = Callable[[str | None], WebClient]


def clients(settings: Settings, engine: Engine) -> ClientFor:
    """A Web API client for a workspace: the env token, or the installed one (OAuth)."""
    if not settings.oauth:
        client = web_client(settings.api_url, settings.bot_token)
        return lambda _team_id: client
    store = installation_store(settings, engine)

    def for_team(team_id: str | None) -> WebClient:
        if team_id is None:  # reminders carry no workspace: the latest installation's
            token = latest_bot_token(engine, settings.client_id)
        else:
            bot = store.find_bot(enterprise_id=None, team_id=team_id)
            token = bot.bot_token if bot else None
        if not token:
            raise RuntimeError(f"no installation for workspace {team_id or '(any)'}")
        return web_client(settings.api_url, token)

    return for_team


class JobRunner:
    def __init__(
        self,
        engine: Engine,
        store: FileStore,
        client_for: ClientFor,
        *,
        clock: Clock,
        owner: str | None = None,
    ) -> None:
        self.engine, self.store, self.client_for, self.clock = engine, store, client_for, clock
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.lost = threading.Event()
        self.handlers: dict[str, Callable[[dict[str, Any], WebClient], str]] = {
            "build_pack": self._build_pack,
            "build_minutes": self._build_minutes,
            SUBMIT_PAPER: self._submit_paper,
        }
        self.current: jobs.ClaimedJob | None = None

    def run_once(self) -> int:
        """Claim and run due jobs until none are left; return how many ran."""
        for job in jobs.give_up_abandoned(self.engine, now=self.clock.now()):
            if job.payload.get("user"):  # its worker died on the last attempt: say so
                dm(self.client_for(job.payload.get("team_id")), job.payload["user"], _gave_up(job))
        ran = 0
        while claimed := jobs.claim(self.engine, self.owner, now=self.clock.now()):
            for job in claimed:
                self._run(job)
                ran += 1
        return ran

    def run(self, stop_event: threading.Event, interval: float = POLL_SECONDS) -> None:
        last_prune = None
        while not stop_event.is_set():
            try:
                self.run_once()
                now = self.clock.now()
                if last_prune is None or now - last_prune > PRUNE_EVERY:
                    # Slack stops retrying an event within minutes; a day of ids is plenty.
                    jobs.prune_deliveries(self.engine, before=now - KEEP_DELIVERY_IDS)
                    last_prune = now
            except Exception:  # noqa: BLE001 - a bad poll must not stop the worker
                log.exception("job poll failed; trying again")
            stop_event.wait(interval)

    @contextmanager
    def _heartbeat(self, job_id: int) -> Iterator[None]:
        """Renew the job's lease while it runs, so that only a dead worker's job is taken
        over (within a minute). Sets ``self.lost`` if another worker took it over."""
        done = threading.Event()
        self.lost = threading.Event()

        def beat() -> None:
            while not done.wait(jobs.HEARTBEAT.total_seconds()):
                try:
                    if not jobs.heartbeat(self.engine, job_id, self.owner, now=self.clock.now()):
                        self.lost.set()
                        return
                except Exception:  # noqa: BLE001 - a missed beat is retried; the lease is 3 beats
                    log.warning("heartbeat of job %s failed", job_id, exc_info=True)

        beater = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
        beater.start()
        try:
            yield
        finally:
            done.set()
            beater.join()

    def _still_mine(self) -> None:
        if self.lost.is_set():
            raise LeaseLost("another worker took this job over")

    def _run(self, job: jobs.ClaimedJob) -> None:
        payload = job.payload
        user = payload.get("user")
        client = self.client_for(payload.get("team_id"))
        try:
            handler = self.handlers.get(job.kind)
            if handler is None:
                raise BoardclerkError(f"I do not know how to do '{job.kind}' yet.")
            self.current = job
            with self._heartbeat(job.id):
                summary = handler(payload, client)
        except LeaseLost:
            log.warning("job %s was taken over by another worker; dropping my result", job.id)
            return
        except StoreUnavailable as err:  # the store's problem, not the user's: retried below
            self._failed(job, payload, client, err)
            return
        except BoardclerkError as err:  # the user's problem: say so, don't retry
            jobs.fail(self.engine, job.id, self.owner, now=self.clock.now(), error=str(err))
            if user:
                dm(client, user, errors.reply(err))
            return
        except Exception as err:  # noqa: BLE001 - retried; the clerk hears if it keeps failing
            self._failed(job, payload, client, err)
            return
        jobs.complete(
            self.engine, job.id, self.owner, now=self.clock.now(), result={"summary": summary}
        )

    def _submit_paper(self, payload: dict[str, Any], client: WebClient) -> str:
        """A submission recorded by a web process that could not finish it (it died, or
        Slack failed): stored and completed in one transaction, so never twice."""
        assert self.current is not None
        return run_submission(
            self.engine, self.store, self.clock, client, self.current.id, self.owner, payload
        )

    def _failed(
        self, job: jobs.ClaimedJob, payload: dict[str, Any], client: WebClient, err: Exception
    ) -> None:
        """A failure that is nobody's input: retried, and the clerk hears if it keeps failing."""
        log.exception("job %s (%s) failed", job.id, job.kind, exc_info=err)
        last = job.attempts >= jobs.MAX_ATTEMPTS
        jobs.fail(
            self.engine,
            job.id,
            self.owner,
            now=self.clock.now(),
            error=f"{type(err).__name__}: {err}",
            retry=not last,
        )
        user = payload.get("user")
        if last and user:
            dm(client, user, _gave_up(job))

    def _build_pack(self, payload: dict[str, Any], client: WebClient) -> str:
        private = bool(payload.get("private"))
        result = build_pack_briefly(  # no transaction held while it renders
            self.engine,
            self.store,
            payload["meeting"],
            private=private,
            now=self.clock.now(),
            actor=Actor.slack(payload["user"]),
        )
        files = [(out.path, out.file_name) for out in result.outputs.values()]
        note = messages.pack_built(result.meeting_ref, private=private)
        self._upload(client, payload["user"], files, note)
        if not private:  # only the public pack can go to members
            dm(
                client,
                payload["user"],
                messages.publish_offer_text(result.meeting_ref),
                blocks=publish_offer_blocks(result.meeting_ref),
            )
        label = messages.pack_label(private=private)
        return f"{label}: " + ", ".join(name for _, name in files)

    def _build_minutes(self, payload: dict[str, Any], client: WebClient) -> str:
        with transaction(self.engine) as session:
            result = build_minutes(
                session,
                self.store,
                payload["meeting"],
                actor=Actor.slack(payload["user"]),
                now=self.clock.now(),
            )
        self._upload(
            client,
            payload["user"],
            [(result.path, result.file_name)],
            messages.minutes_built(result.meeting_ref, result.first_number, result.last_number),
        )
        return result.file_name

    def _upload(
        self, client: WebClient, user: str, files: list[tuple[Path, str]], comment: str
    ) -> None:
        self._still_mine()  # a worker that lost its job must not send it twice
        # files_upload_v2 needs a conversation id, not a user id: open the DM first.
        try:
            channel = dm_channel(client, user)
            client.files_upload_v2(
                channel=channel,
                initial_comment=comment,
                file_uploads=[
                    {"file": str(path), "filename": name, "title": name} for path, name in files
                ],
            )
        except SlackApiError as err:
            raise RuntimeError(f"upload failed: {err.response.get('error')}") from err


def _gave_up(job: jobs.ClaimedJob) -> str:
    if job.kind == SUBMIT_PAPER:
        return messages.submission_gave_up((job.payload.get("file") or {}).get("name"))
    return messages.build_failed(_what(job.kind), job.payload.get("meeting"))


def _what(kind: str) -> str:
    return {"build_pack": "agenda pack", "build_minutes": "draft minutes"}.get(kind, kind)


def run_bot_worker(
    settings: Settings,
    engine: Engine,
    store: FileStore,
    *,
    clock: Clock,
    stop_event: threading.Event,
    poll: float = POLL_SECONDS,
) -> None:
    """Jobs and reminders until ``stop_event`` is set (``boardclerk worker``)."""
    reap_stray_renderers()  # LibreOffice left running by a worker that was killed
    client_for = clients(settings, engine)
    runner = JobRunner(engine, store, client_for, clock=clock)
    threads = [
        threading.Thread(target=runner.run, args=(stop_event, poll), name="jobs", daemon=True)
    ]
    reminders = _reminder_thread(settings, engine, client_for, clock, stop_event)
    if reminders is not None:
        threads.append(reminders)
    for t in threads:
        t.start()
    stop_event.wait()
    for t in threads:
        t.join(timeout=30)


def _reminder_thread(
    settings: Settings,
    engine: Engine,
    client_for: ClientFor,
    clock: Clock,
    stop_event: threading.Event,
) -> threading.Thread | None:
    try:
        from agenda.outbox.tick import run_worker
    except ImportError:
        log.warning("reminders are not available in this version; running jobs only")
        return None
    if settings.oauth:
        log.warning("reminders use the first installed workspace's token in OAuth mode")
    notifier = SlackNotifier(client_for(None)) if not settings.oauth else _LazyNotifier(client_for)
    return threading.Thread(
        target=run_worker,
        args=(engine, notifier),
        kwargs={"clock": clock, "stop_event": stop_event},
        name="reminders",
        daemon=True,
    )


class _LazyNotifier:
    """OAuth mode: the workspace is installed after the worker starts, so look it up per send."""

    def __init__(self, client_for: ClientFor) -> None:
        self.client_for = client_for

    def send(self, message: ReminderMessage) -> None:
        SlackNotifier(self.client_for(None)).send(message)

    def was_delivered(self, reminder_id: int, recipient_slack_id: str) -> bool:
        return SlackNotifier(self.client_for(None)).was_delivered(reminder_id, recipient_slack_id)
