"""Durable intake of paper submissions (issue 13: acknowledged papers were lost when the slow
part failed or the process died).

Before Slack is acknowledged, the ack function records what was asked (file, item, user, form
and the request's identity) as a job, in one short transaction (:func:`record_submission`).
The slow part (download, check, store, receipt) runs from that record: at once on the web
process's bounded slow-work pool, or, if that process died, on a worker once the record's
lease runs out. Storing the paper and marking the record done commit together, so a paper is
stored once however often the slow part runs; a request seen again records nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine

from agenda.board.lookup import get_item
from agenda.board.permissions import Actor
from agenda.clock import Clock
from agenda.db.engine import reading, transaction
from agenda.db.lease import LeaseLost
from agenda.documents.filecheck import max_paper_bytes
from agenda.errors import BoardclerkError
from agenda.filestore import FileStore
from agenda.jobs import queue as jobs
from agenda.pack.overview import organisation_tz as org_tz
from agenda.plan.papers import submit_paper
from agenda.reminders.planning import queue_notice
from agenda.reminders.tables import ReminderKind
from bot.listeners.exempt import ask_clerks
from bot.messages import late_flag_text, receipt_text, rejection_text
from bot.slack import DownloadError, dm, download_private_file, file_of

log = logging.getLogger(__name__)

SUBMIT_PAPER = "submit_paper"


class RetryLater(Exception):
    """Slack could not be reached for the file: not the author's problem, so not a domain
    error; the record is tried again."""


def submission_key(body: dict[str, Any]) -> str:
    """The identity of a modal submission: the view and its hash (Slack gives each submitted
    state its own hash), so a replay of the same submission has the same key."""
    view = body.get("view") or {}
    return jobs.request_key(
        "view_submission", str(view.get("id")), str(view.get("hash")), body["user"]["id"]
    )


def record_submission(
    engine: Engine,
    *,
    user: str,
    team_id: str | None,
    form: dict[str, Any],
    key: str,
    now: dt.datetime,
    owner: str,
) -> int | None:
    """Record a submission before it is acknowledged; None if it was recorded before."""
    file = form.get("file") or {}
    payload = {
        "user": user,
        "team_id": team_id,
        "item_id": form["item_id"],
        "file": {k: file.get(k) for k in ("id", "name", "url_private", "url_private_download")},
        "fields": {
            k: form.get(k) for k in ("title", "presenter", "authors", "summary", "recommendations")
        },
        "exempt_reason": form.get("exempt_reason") if form.get("exempt") else None,
    }
    with transaction(engine) as session:
        return jobs.record_request(
            session, SUBMIT_PAPER, payload, key=key, now=now, owner=owner, requested_by=user
        )


def run_submission(
    engine: Engine,
    store: FileStore,
    clock: Clock,
    client: WebClient,
    job_id: int,
    owner: str,
    payload: dict[str, Any],
) -> str:
    """Download, check and store the paper of a recorded submission, and tell its author.
    A problem with the paper is the author's to fix: they are told and the record is closed.
    Anything else (Slack unreachable) is raised, so the record is tried again."""
    user, file = payload["user"], payload["file"]
    name = file.get("name") or "file"
    try:
        if not file.get("url_private_download") and not file.get("url_private"):
            file = file_of(client, file["id"])  # a file preselected from a DM or message
        data = download_private_file(
            file.get("url_private_download") or file["url_private"],
            client.token or "",
            limit=max_paper_bytes(),  # one byte past the limit: enough to refuse it
            api_url=client.base_url,  # the token goes to Slack's file hosts or this API only
        )
        fields = payload["fields"]
        with transaction(engine) as session:
            receipt = submit_paper(
                session,
                store,
                actor=Actor.slack(user),
                item_id=payload["item_id"],
                file_name=name,
                data=data,
                title=fields.get("title"),
                presenter=fields.get("presenter"),
                authors=fields.get("authors"),
                executive_summary=fields.get("summary"),
                recommendations=fields.get("recommendations"),
                exempt_reason=payload.get("exempt_reason"),
                now=clock.now(),
                source="slack",
            )
            if not jobs.complete_in(
                session, job_id, owner, now=clock.now(), result={"paper_id": receipt.paper_id}
            ):
                raise LeaseLost(f"submission {job_id} was taken over")  # rolls the paper back
            tz = org_tz(session)
            body_id = get_item(session, payload["item_id"]).body_id
    except DownloadError as err:
        if err.retryable:
            raise RetryLater(str(err)) from err  # the author hears if it keeps failing
        jobs.fail(engine, job_id, owner, now=clock.now(), error=str(err))
        _tell_rejected(engine, client, user, payload["item_id"], name, str(err))
        return f"refused: {err}"
    except BoardclerkError as err:  # the paper or the request is refused: say why, once
        jobs.fail(engine, job_id, owner, now=clock.now(), error=str(err))
        _tell_rejected(engine, client, user, payload["item_id"], name, str(err))
        return f"refused: {err}"
    _tell(engine, client, clock, user, receipt_text(receipt, tz), body_id, f"receipt:{job_id}")
    if not receipt.on_time:
        for clerk in receipt.clerk_slack_ids:
            if clerk != user:
                _tell(
                    engine,
                    client,
                    clock,
                    clerk,
                    late_flag_text(receipt, user, tz),
                    body_id,
                    f"late:{job_id}:{clerk}",
                )
    if receipt.exempt_requested:  # the author asked for Part B: the clerks decide
        ask_clerks(client, receipt, user)
    return f"paper {receipt.paper_id} version {receipt.version}"


def _tell(
    engine: Engine,
    client: WebClient,
    clock: Clock,
    user: str,
    text: str,
    body_id: int,
    key: str,
) -> None:
    """DM at once; if Slack still refuses after its retries, hand the message to the outbox,
    which retries with back-off and shows a final failure to the clerk (never dropped)."""
    if dm(client, user, text):
        return
    with transaction(engine) as session:
        queue_notice(
            session,
            recipient=user,
            text=text,
            key=key,
            body_id=body_id,
            now=clock.now(),
            kind=ReminderKind.NOTICE,
        )


def _tell_rejected(
    engine: Engine, client: WebClient, user: str, item_id: Any, file_name: str, problem: str
) -> None:
    title, version = None, None
    try:
        with reading(engine) as session:
            item = get_item(session, item_id)
            title = item.title
            version = item.current_paper.version if item.current_paper else None
    except BoardclerkError:
        pass
    dm(
        client,
        user,
        rejection_text(problem, file_name=file_name, item_title=title, current_version=version),
    )


def run_recorded(
    engine: Engine, store: FileStore, clock: Clock, client: WebClient, job_id: int, owner: str
) -> None:
    """The slow part of a submission this process recorded, run at once. If it fails for a
    reason that is not the author's, the record goes back to the queue for a worker."""
    payload = jobs.payload_of(engine, job_id)
    if payload is None:
        return
    try:
        run_submission(engine, store, clock, client, job_id, owner, payload)
    except LeaseLost:
        log.info("submission %s is being stored by another process", job_id)
    except Exception as err:  # noqa: BLE001 - recorded and retried by a worker
        log.warning("submission %s not stored yet (%s); a worker will retry", job_id, err)
        jobs.fail(
            engine, job_id, owner, now=clock.now(), error=f"{type(err).__name__}: {err}", retry=True
        )
