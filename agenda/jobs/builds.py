"""A clerk asks for a meeting's agenda pack or draft minutes: checked here, built later by a
worker (the build takes too long for a person to wait on)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from agenda.board.lookup import get_meeting
from agenda.board.permissions import Actor, require_clerk
from agenda.jobs.queue import enqueue

BUILD_KINDS = {"pack": "build_pack", "minutes": "build_minutes"}


def request_build(
    session: Session,
    what: str,
    meeting_ref: str,
    *,
    slack_id: str,
    now: dt.datetime,
    private: bool = False,
    team_id: str | None = None,
) -> None:
    """Queue a ``pack`` or ``minutes`` build for the meeting's clerk, who is sent the result."""
    actor = Actor.slack(slack_id)
    meeting = get_meeting(session, meeting_ref)
    require_clerk(
        session,
        meeting.body,
        actor,
        "build its agenda pack" if what == "pack" else "draft its minutes",
    )
    enqueue(
        session,
        BUILD_KINDS[what],
        {"meeting": meeting.ref, "private": private, "user": slack_id, "team_id": team_id},
        now=now,
        requested_by=actor.id,
    )
