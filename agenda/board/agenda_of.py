"""A meeting's agenda from the database: gathers the facts that
:func:`agenda.documents.numbering.number_entries` numbers in the body's house style."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.models import ForwardPlanItem, Meeting, Paper
from agenda.clock import local
from agenda.documents.agenda import Agenda, AgendaPaper, MemberLine
from agenda.documents.house_style import load_style
from agenda.documents.numbering import (
    ProceduralFacts,
    SubstantiveItem,
    group_members,
    number_entries,
)
from agenda.kinds import ItemStatus, MeetingStatus


def agenda_paper(paper: Paper) -> AgendaPaper:
    return AgendaPaper(
        paper_id=paper.id,
        version=paper.version,
        sha256=paper.sha256,
        file_kind=paper.file_kind,
        file_name=paper.file_name,
        title=paper.title,
        presenter=paper.presenter,
        authors=paper.authors,
        executive_summary=paper.executive_summary,
        recommendations=tuple(str(r) for r in (paper.recommendations or ())),
        on_time=paper.on_time,
    )


def _as_input(item: ForwardPlanItem) -> SubstantiveItem:
    current = max(item.papers, key=lambda p: p.version) if item.papers else None
    # A requested (undecided) exemption shows "reason to be confirmed by the clerk".
    reason = item.exempt_reason or (
        current.exempt_reason if current and not item.exempt_requested else None
    )
    return SubstantiveItem(
        item_id=item.id,
        title=item.title,
        kind=item.kind,
        lead=item.lead,
        # An author's exempt request holds the item out of public artefacts until decided.
        exempt=item.exempt or item.exempt_requested,
        exempt_reason=reason,
        paper=agenda_paper(current) if current else None,
    )


def build_agenda(session: Session, meeting: Meeting, *, private: bool) -> Agenda:
    """The numbered agenda of ``meeting`` in its body's house style. ``private`` gives Part B
    items their full description; the public agenda gives only their title and exemption reason."""
    body = meeting.body
    tz = body.organisation.zone
    style = load_style(body.style)
    items = session.scalars(
        select(ForwardPlanItem)
        .where(
            ForwardPlanItem.meeting_id == meeting.id,
            ForwardPlanItem.status == ItemStatus.PLANNED.value,
        )
        .order_by(ForwardPlanItem.position, ForwardPlanItem.id)
    ).all()
    procedural_keys = {p.key for p in style.opening + style.closing}
    filled: dict[str, SubstantiveItem] = {}
    substantive: list[SubstantiveItem] = []
    for item in items:
        if item.procedural_key in procedural_keys and item.procedural_key not in filled:
            filled[item.procedural_key] = _as_input(item)
        else:
            substantive.append(_as_input(item))

    others = select(Meeting).where(
        Meeting.body_id == body.id, Meeting.status != MeetingStatus.CANCELLED.value
    )
    previous = session.scalars(
        others.where(Meeting.date < meeting.date).order_by(Meeting.date.desc()).limit(1)
    ).first()
    future = session.scalars(
        others.where(Meeting.date > meeting.date)
        .order_by(Meeting.date)
        .limit(style.future_dates_limit)
    ).all()
    starts_at = local(meeting.starts_at, tz)
    facts = ProceduralFacts(
        previous_meeting=previous.date if previous else None,
        future_dates=tuple(local(m.starts_at, tz) for m in future),
        venue=meeting.venue,
        starts_at=starts_at,
        body_name=body.name,
        filled=filled,
    )

    clerk = next(iter(body.clerks), None)
    return Agenda(
        meeting_id=meeting.id,
        meeting_ref=meeting.ref,
        organisation=body.organisation.name,
        body_name=body.name,
        style=style.name,
        starts_at=starts_at,
        venue=meeting.venue,
        clerk=MemberLine(clerk.name, clerk.title, clerk.group, clerk.role) if clerk else None,
        clerk_email=clerk.email if clerk else None,
        members=group_members(style, body.sitting_members),
        entries=tuple(number_entries(style, facts, substantive, private=private)),
        future_dates=facts.future_dates,
        note=meeting.note,
        previous_meeting=facts.previous_meeting,
    )
