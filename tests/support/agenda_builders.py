"""Meetings shaped like the seeds' Health and Wellbeing Boards, built with the ORM models, for
the numbering and frontsheet tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from agenda.board.models import Body, ForwardPlanItem, Meeting, Member, Paper
from tests.support.factories import LONDON, T0, organisation

CONTRACT_REASON = "Paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"
SECRET = "Preferred bidder Acme Care Homes Ltd at 4.1 million pounds"


@dataclass
class Board:
    body: Body
    meeting: Meeting
    items: dict[str, ForwardPlanItem]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(dt.UTC)


def add_meeting(
    session: Session,
    body: Body,
    day: dt.date,
    *,
    hour: int = 10,
    minute: int = 0,
    status: str = "scheduled",
    venue: str | None = "Council Chamber, Town Hall",
    note: str | None = None,
) -> Meeting:
    m = Meeting(
        body=body, date=day, starts_at=at(day, hour, minute), venue=venue, status=status, note=note
    )
    session.add(m)
    session.flush()
    return m


def add_item(
    session: Session,
    meeting: Meeting,
    title: str,
    *,
    kind: str = "report",
    lead: str | None = None,
    position: int = 0,
    status: str = "planned",
    exempt: bool = False,
    exempt_reason: str | None = None,
    procedural_key: str | None = None,
) -> ForwardPlanItem:
    it = ForwardPlanItem(
        body=meeting.body,
        meeting=meeting,
        title=title,
        kind=kind,
        lead=lead,
        position=position,
        status=status,
        exempt=exempt,
        exempt_reason=exempt_reason,
        procedural_key=procedural_key,
        created_at=T0,
    )
    session.add(it)
    session.flush()
    return it


def add_paper(
    session: Session, item: ForwardPlanItem, *, title: str | None = None, summary: str | None = None
) -> Paper:
    version = len(item.papers) + 1
    p = Paper(
        item=item,
        meeting_id=item.meeting_id,
        version=version,
        title=title or f"{item.title} v{version}",
        file_name="report.docx",
        file_kind="docx",
        file_size=100,
        sha256=f"{item.id:032d}{version:032d}",
        submitted_by="U0AUTH001",
        submitted_at=T0,
        recommendations=["Note the report."],
        executive_summary=summary,
    )
    session.add(p)
    session.flush()
    session.refresh(item)
    return p


def add_members(session: Session, body: Body) -> None:
    people = [
        # Listed out of group order on purpose: the style decides the printed order.
        (
            "Deb Watson",
            "Strategic Director, Adult Social Care and Health",
            "City Council Officers",
            "member",
        ),
        ("Councillor Rory Palmer", "Deputy City Mayor", "Councillors", "chair"),
        ("Councillor Rita Patel", "Assistant City Mayor", "Councillors", "member"),
        (
            "Professor Azhar Farooqi",
            "Co-Chair, Leicester City Clinical Commissioning Group",
            "NHS Representatives",
            "member",
        ),
        (
            "Philip Parkinson",
            "Interim Chair, Healthwatch Leicester",
            "Healthwatch / Other Representatives",
            "member",
        ),
        ("Graham Carey", "Democratic Support", None, "clerk"),
    ]
    for pos, (name, title, group, role) in enumerate(people):
        session.add(
            Member(
                body=body,
                name=name,
                title=title,
                group=group,
                role=role,
                position=pos,
                email="graham.carey@example.org" if role == "clerk" else None,
            )
        )
    session.add(
        Member(
            body=body,
            name="Councillor Gone Away",
            title="Former member",
            group="Councillors",
            role="member",
            position=99,
            active=False,
        )
    )
    session.flush()


def hwb(
    session: Session, *, style: str = "council-appendix", exempt: bool = True, papers: bool = True
) -> Board:
    """The 3 April 2014 City meeting (002:L85-141), with an exempt contract award added."""
    org = organisation(session)
    body = Body(
        organisation=org, key="hwb", name="Health and Wellbeing Board", style=style, deadlines={}
    )
    session.add(body)
    session.flush()
    add_members(session, body)
    add_meeting(session, body, dt.date(2014, 1, 30), status="held")
    meeting = add_meeting(
        session,
        body,
        dt.date(2014, 4, 3),
        hour=9,
        minute=30,
        note="please note change of start time",
        venue="The Council Chamber - First Floor, Town Hall, Town Hall Square, Leicester",
    )
    add_meeting(session, body, dt.date(2014, 5, 1), status="cancelled")
    add_meeting(session, body, dt.date(2014, 7, 3))
    add_meeting(session, body, dt.date(2014, 10, 9))

    items: dict[str, ForwardPlanItem] = {}
    # Created in a different order from the clerk's positions: position decides.
    items["jhws"] = add_item(
        session,
        meeting,
        "Joint Health and Wellbeing Strategy",
        position=2,
        lead="Chair of the Integrated Commissioning Board",
    )
    items["bcf"] = add_item(
        session,
        meeting,
        "Better Care Fund",
        position=1,
        lead="Strategic Director Adult Social Care and Health",
    )
    items["ccg"] = add_item(
        session,
        meeting,
        "Leicester City Clinical Commissioning Group - 2 Year Plan",
        kind="presentation",
        position=3,
        lead="Managing Director, Leicester City Clinical Commissioning Group (CCG)",
    )
    items["peer"] = add_item(
        session,
        meeting,
        "Peer Challenge Review Feedback",
        kind="verbal",
        lead="The Chair",
        position=4,
    )
    items["withdrawn"] = add_item(
        session, meeting, "Withdrawn Report", position=5, status="withdrawn"
    )
    items["minutes"] = add_item(
        session, meeting, "Minutes of the previous meeting", procedural_key="minutes", position=0
    )
    if exempt:
        items["contract"] = add_item(
            session,
            meeting,
            "Care Home Contract Award",
            position=0,
            lead="Director of Adult Social Care",
            exempt=True,
            exempt_reason=CONTRACT_REASON,
        )
    if papers:
        add_paper(session, items["minutes"])
        add_paper(session, items["bcf"], title="BCF draft")
        add_paper(session, items["bcf"], title="Better Care Fund: Final Plan")
        add_paper(session, items["jhws"])
        if exempt:
            add_paper(
                session, items["contract"], title="Contract award recommendation", summary=SECRET
            )
    return Board(body, meeting, items)
