"""Test data built straight from the ORM models (no importer needed). Shared: others may add."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agenda.board.models import (
    Body,
    ForwardPlanItem,
    ItemAuthor,
    Meeting,
    Member,
    Organisation,
    Paper,
)

T0 = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")


def organisation(
    session: Session,
    *,
    name: str = "Leicester City Council",
    subdivision: str | None = "ENG",
    closure_days: list[str] | None = None,
    timezone: str = "Europe/London",
) -> Organisation:
    org = Organisation(
        name=name,
        timezone=timezone,
        holiday_country="GB",
        holiday_subdivision=subdivision,
        closure_days=closure_days or [],
        created_at=T0,
    )
    session.add(org)
    session.flush()
    return org


def body(
    session: Session,
    org: Organisation,
    *,
    key: str = "hwb",
    name: str = "Health and Wellbeing Board",
    deadlines: dict[str, Any] | None = None,
    clerk: str | None = "U0CLERK01",
    chair: str | None = "U0CHAIR01",
    lead_officer: tuple[str, str] | None = None,
) -> Body:
    """A body with a clerk and a chair (Slack ids). ``lead_officer`` = (title, slack id): a
    member whose title matches items' ``lead``, so escalations reach them."""
    b = Body(
        organisation=org, key=key, name=name, style="council-appendix", deadlines=deadlines or {}
    )
    session.add(b)
    members = []
    if chair:
        members.append(Member(body=b, name=f"Chair {key}", role="chair", slack_id=chair))
    if clerk:
        members.append(Member(body=b, name=f"Clerk {key}", role="clerk", slack_id=clerk))
    if lead_officer:
        members.append(
            Member(
                body=b,
                name=f"Officer {key}",
                title=lead_officer[0],
                role="member",
                slack_id=lead_officer[1],
            )
        )
    for pos, m in enumerate(members):
        m.position = pos
        session.add(m)
    session.flush()
    return b


def meeting(
    session: Session,
    b: Body,
    day: dt.date,
    *,
    time: dt.time = dt.time(9, 30),
    status: str = "scheduled",
) -> Meeting:
    m = Meeting(
        body=b,
        date=day,
        status=status,
        starts_at=dt.datetime.combine(day, time, tzinfo=LONDON).astimezone(dt.UTC),
        venue="City Hall",
    )
    session.add(m)
    session.flush()
    return m


def item(
    session: Session,
    m: Meeting | None,
    *,
    title: str = "Better Care Fund",
    kind: str = "report",
    authors: tuple[str, ...] = ("U0AUTH001",),
    lead: str | None = "Director of Public Health",
    body_: Body | None = None,
) -> ForwardPlanItem:
    b = body_ or (m.body if m else None)
    assert b is not None
    it = ForwardPlanItem(
        body=b,
        meeting=m,
        title=title,
        kind=kind,
        lead=lead,
        created_at=T0,
        position=len(m.items) if m else 0,
    )
    for a in authors:
        it.authors.append(ItemAuthor(slack_id=a, name=None))
    session.add(it)
    session.flush()
    return it


def paper(
    session: Session, it: ForwardPlanItem, *, by: str = "U0AUTH001", at: dt.datetime = T0
) -> Paper:
    p = Paper(
        item=it,
        meeting_id=it.meeting_id,
        version=len(it.papers) + 1,
        title=it.title,
        file_name="report.docx",
        file_kind="docx",
        file_size=100,
        sha256="0" * 64,
        submitted_by=by,
        submitted_at=at,
        recommendations=[],
    )
    session.add(p)
    session.flush()
    return p
