"""The one answer to "is this reminder still wanted?", asked by planning (when it cancels rows)
and by the sender (just before a message goes out)."""

from __future__ import annotations

import datetime as dt

from agenda.board.models import ForwardPlanItem, ItemStatus, Meeting, MeetingStatus


def why_unwanted(
    meeting: Meeting | None,
    item: ForwardPlanItem | None,
    *,
    about_item: bool,
    has_paper: bool,
    today: dt.date | None = None,
) -> str | None:
    """Why a reminder about ``meeting`` (and, if ``about_item``, ``item``) should not go out,
    in words fit for the clerk; None while it is still wanted. ``today`` (the organisation's
    date) also retires reminders of meetings that have taken place."""
    if about_item:
        if item is None:
            return "item no longer exists"
        if item.status == ItemStatus.WITHDRAWN.value:
            return "item withdrawn"
        if item.meeting_id is None or item.status == ItemStatus.DEFERRED.value:
            return "item deferred"
        if meeting is not None and item.meeting_id != meeting.id:
            return "item moved to another meeting"
    if meeting is None:
        return "meeting no longer exists"
    if meeting.status == MeetingStatus.CANCELLED.value:
        return "meeting cancelled"
    if today is not None and meeting.date < today:
        return "meeting has already taken place"
    if not about_item:
        return None
    assert item is not None
    if item.status != ItemStatus.PLANNED.value:
        return f"item {item.status}"
    if has_paper:
        return "paper received"
    if item.chasing_paused:
        return "chasing paused by the clerk"
    return None
