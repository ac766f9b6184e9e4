"""Tables of the minutes feature: minute-number blocks, apologies, declarations, approved minutes.

Minute numbers run on from meeting to meeting (the County's 122-135, then 136-152) in meeting
date order, whatever order the skeletons are built in: each meeting's block is recorded once and
laid out again behind the meetings before it until its minutes are approved (then it is fixed).
No number is ever given twice. See :func:`renumber_body`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from agenda.board.models import Base, Body, Meeting
from agenda.kinds import InterestKind


class MinuteAllocation(Base):
    """The block of minute numbers a meeting's minutes use: first_number … first_number+count-1."""

    __tablename__ = "minute_allocations"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    first_number: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    allocated_by: Mapped[str] = mapped_column(String(64))
    allocated_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

    meeting: Mapped[Meeting] = relationship()

    @property
    def last_number(self) -> int:
        return self.first_number + self.count - 1


class Apology(Base):
    """A member's apologies for absence from one meeting. Sending again updates the reason;
    withdrawing keeps the row, marked withdrawn."""

    __tablename__ = "apologies"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    slack_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    sent_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime]
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn_at: Mapped[dt.datetime | None]


class Declaration(Base):
    """A member's declaration of an interest in an item on a meeting's agenda."""

    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("forward_plan_items.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    slack_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    interest: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default=InterestKind.OTHER.value)
    declared_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime]
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


class ApprovedMinutes(Base):
    """A file of approved minutes the clerk uploaded for a meeting; a corrected upload adds a
    row. ``paper_id`` is the paper it became on the body's next meeting. ``part`` keeps the
    split: "public" minutes become a public paper; "confidential" (Part B) minutes only ever
    an exempt paper in the next meeting's private pack."""

    __tablename__ = "approved_minutes"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    part: Mapped[str] = mapped_column(String(16), default="public", server_default="public")
    paper_id: Mapped[int | None] = mapped_column(ForeignKey("papers.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300))
    last_minute_number: Mapped[int | None] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime]


def allocation_for(session: Session, meeting: Meeting) -> MinuteAllocation | None:
    return session.scalar(select(MinuteAllocation).where(MinuteAllocation.meeting_id == meeting.id))


def _lock_body(session: Session, body: Body) -> Body:
    # Two clerks building two meetings' minutes at once must not take the same numbers:
    # PostgreSQL locks the body row; SQLite already serialises writers (BEGIN IMMEDIATE).
    if session.get_bind().dialect.name == "postgresql":
        session.refresh(body, with_for_update=True)
    return body


def approved_last_numbers(session: Session, body: Body) -> dict[int, int | None]:
    """Meeting id → the last minute number of its approved minutes (None when they were filed
    without one), for every meeting of ``body`` whose minutes are approved. Approved numbers
    are fixed for good; everything else is provisional."""
    rows = session.execute(
        select(ApprovedMinutes.meeting_id, ApprovedMinutes.last_minute_number)
        .join(Meeting, Meeting.id == ApprovedMinutes.meeting_id)
        .where(Meeting.body_id == body.id, ApprovedMinutes.part == "public")
        .order_by(ApprovedMinutes.uploaded_at, ApprovedMinutes.id)
    ).all()
    out: dict[int, int | None] = {}
    for meeting_id, last in rows:
        out[meeting_id] = last if last is not None else out.get(meeting_id)
    return out


def renumber_body(session: Session, body: Body, *, now: dt.datetime) -> list[MinuteAllocation]:
    """Lay the body's minute numbers out in meeting date order; return the blocks that moved.

    Numbers start at the configured ``next_minute_number`` (1 when none). Walking the
    meetings by date, approved minutes keep their numbers and the next meeting starts after
    them; an unapproved block starts where the previous meeting ended. So building a later
    meeting first reserves nothing the earlier one needs: when the earlier one is built, the
    later (unapproved) block moves up behind it. A block that would run into approved numbers
    after it keeps only the numbers before them (the skeleton letters the rest: 135a, 135b)."""
    approved = approved_last_numbers(session, body)
    allocations = {
        a.meeting_id: a
        for a in session.scalars(
            select(MinuteAllocation).where(MinuteAllocation.body_id == body.id)
        )
    }
    meetings = session.scalars(
        select(Meeting)
        .where(Meeting.id.in_(set(approved) | set(allocations)))
        .order_by(Meeting.date, Meeting.starts_at, Meeting.id)
    ).all()
    cursor = body.next_minute_number or 1
    moved: list[MinuteAllocation] = []
    late: list[MinuteAllocation] = []
    for index, meeting in enumerate(meetings):
        block = allocations.get(meeting.id)
        if meeting.id in approved:
            ends = [n for n in (approved[meeting.id], block.last_number if block else None) if n]
            cursor = max([cursor, *(n + 1 for n in ends)])
            continue
        assert block is not None
        limit = _next_fixed_number(meetings[index + 1 :], approved, allocations)
        if limit is not None and limit <= cursor:
            late.append(block)  # no number left before approved ones: see below
            continue
        count = block.count if limit is None else min(block.count, limit - cursor)
        cursor = _place(block, cursor, count, now, moved)
    for block in late:
        # A meeting built only after later minutes were approved with the numbers it would
        # have had: it cannot take them back, so it takes the next numbers after everything.
        cursor = _place(block, cursor, block.count, now, moved)
    session.flush()
    return moved


def _next_fixed_number(
    later: Sequence[Meeting],
    approved: dict[int, int | None],
    allocations: dict[int, MinuteAllocation],
) -> int | None:
    """The lowest approved minute number of the meetings after a meeting, if any."""
    firsts = [
        allocations[m.id].first_number for m in later if m.id in approved and m.id in allocations
    ]
    return min(firsts, default=None)


def _place(
    block: MinuteAllocation, first: int, count: int, now: dt.datetime, moved: list[MinuteAllocation]
) -> int:
    if (block.first_number, block.count) != (first, count):
        block.first_number, block.count, block.updated_at = first, count, now
        moved.append(block)
    return first + count


def allocate_minute_numbers(
    session: Session, meeting: Meeting, count: int, *, actor: str, now: dt.datetime
) -> MinuteAllocation:
    """The meeting's block of minute numbers for a skeleton of ``count`` minutes.

    The block is recorded the first time and laid out again with the body's other blocks in
    meeting date order every time (see :func:`renumber_body`), so the numbers do not depend on
    the order skeletons are built in. The block never shrinks (numbers already shown to people
    are not handed out to another meeting while they may still be in use); once the minutes
    are approved it never changes."""
    body = _lock_body(session, meeting.body)
    block = allocation_for(session, meeting)
    approved = approved_last_numbers(session, body)
    if block is None:
        last = approved.get(meeting.id)
        block = MinuteAllocation(
            meeting_id=meeting.id,
            body_id=body.id,
            # minutes approved without a skeleton: the skeleton ends on their last number
            first_number=max(1, last - count + 1) if last else body.next_minute_number or 1,
            count=count,
            allocated_by=actor,
            allocated_at=now,
            updated_at=now,
        )
        session.add(block)
    elif meeting.id not in approved:
        block.count = max(block.count, count)
    session.flush()
    renumber_body(session, body, now=now)
    return block
