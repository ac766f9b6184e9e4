"""Lookups and actions shared by several listeners. Business rules stay in ``agenda``; this
module only gathers what a view needs and queues jobs."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.lookup import get_meeting
from agenda.board.models import ItemStatus, Meeting, Organisation
from agenda.board.permissions import Actor, is_author, is_clerk, require_clerk
from agenda.jobs import queue as jobs
from agenda.pack.readiness import upcoming_meetings
from agenda.plan.items import item_view
from bot.deps import Deps
from bot.views import MeetingChoice, meeting_label

log = logging.getLogger(__name__)

DEFAULT_TZ = "Europe/London"
# Work done after the ack (building views, downloads, replies) runs on its own small pool.
# Bolt runs ack functions and lazy parts on one shared pool: if a burst's slow lazy work held
# those threads, newer requests' acks would queue behind it past Slack's 3 seconds (and Bolt
# then answers 404). Handing slow work over frees Bolt's thread at once; a small pool also
# keeps it from competing with the acks for the interpreter lock.
SLOW_WORK_THREADS = 2
_slow_pool = ThreadPoolExecutor(max_workers=SLOW_WORK_THREADS, thread_name_prefix="slow-work")
F = TypeVar("F", bound=Callable[..., Any])


def slow(func: F) -> F:
    """Mark a lazy listener (or an event handler) to run on the slow-work pool. Bolt reads the
    wrapped function's parameter names, so the signature is kept."""

    @functools.wraps(func)
    def hand_over(*args: Any, **kwargs: Any) -> None:
        future = _slow_pool.submit(func, *args, **kwargs)
        future.add_done_callback(_log_failure)

    return hand_over  # type: ignore[return-value]


def _log_failure(future: Future[Any]) -> None:
    err = future.exception()
    if err is not None:
        log.error("slow work failed", exc_info=err)


BUILD_KINDS = {"pack": "build_pack", "minutes": "build_minutes"}


def org_tz(session: Session) -> str:
    """The organisation's time zone, for showing deadlines as people read them."""
    return session.scalar(select(Organisation.timezone).order_by(Organisation.id)) or DEFAULT_TZ


def submit_choices(session: Session, user: str, now: Any) -> list[MeetingChoice]:
    """Upcoming meetings of the user's bodies with the items they may submit for: items they
    are named on, or every planned item of a body they clerk."""
    actor = Actor.slack(user)
    tz = org_tz(session)
    choices = []
    for meeting in upcoming_meetings(session, now=now, slack_id=user):
        clerk = is_clerk(session, meeting.body, actor)
        items = tuple(
            item_view(session, i, actor)
            for i in meeting.items
            if i.status == ItemStatus.PLANNED.value and (clerk or is_author(i, actor))
        )
        if items:
            choices.append(
                MeetingChoice(
                    meeting.ref, meeting_label(meeting.body.name, meeting.starts_at, tz), items
                )
            )
    return choices


def clerk_meetings(
    session: Session, user: str, now: Any, *, body_id: int | None = None
) -> list[Meeting]:
    """Upcoming meetings of the bodies ``user`` clerks."""
    actor = Actor.slack(user)
    return [
        m
        for m in upcoming_meetings(session, now=now, slack_id=user)
        if is_clerk(session, m.body, actor) and (body_id is None or m.body_id == body_id)
    ]


def meeting_options(session: Session, meetings: list[Meeting]) -> list[tuple[str, str]]:
    tz = org_tz(session)
    return [(m.ref, meeting_label(m.body.name, m.starts_at, tz)) for m in meetings]


def queue_build(
    deps: Deps,
    what: str,
    meeting_ref: str,
    *,
    user: str,
    private: bool = False,
    team_id: str | None = None,
) -> str:
    """Queue a pack or minutes build for the clerk; return what to tell them."""
    actor = Actor.slack(user)
    with deps.session() as session:
        meeting = get_meeting(session, meeting_ref)
        require_clerk(
            session,
            meeting.body,
            actor,
            "build its agenda pack" if what == "pack" else "draft its minutes",
        )
        jobs.enqueue(
            session,
            BUILD_KINDS[what],
            {"meeting": meeting.ref, "private": private, "user": user, "team_id": team_id},
            now=deps.now(),
            requested_by=actor.id,
        )
    label = {
        "pack": "private (Part B) agenda pack" if private else "agenda pack",
        "minutes": "draft minutes",
    }[what]
    return f"Building the {label} for `{meeting_ref}`. I will send it to you in a direct message when it is ready."


def open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Open a modal; from inside a modal Slack wants it pushed onto the stack instead."""
    if (body.get("container") or {}).get("type") == "view" and body.get("view", {}).get(
        "type"
    ) == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)
