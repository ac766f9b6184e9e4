"""Tables of the minutes feature: minute-number blocks, apologies, declarations, approved minutes.

Minute numbers run on from meeting to meeting (the County's 122-135, then 136-152), so each
meeting's block is allocated once and kept: rebuilding a skeleton reuses it, and no number is
ever given twice or skipped. See :func:`allocate_minute_numbers` for what happens when the
agenda changes after allocation.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, func, select
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
    row. ``paper_id`` is the paper it became on the body's next meeting."""

    __tablename__ = "approved_minutes"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
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
        session.refresh(body, with_for_update=True)  # and re-read the high-water mark
    return body


def _next_free(session: Session, body: Body) -> int:
    """The body's next minute number: the configured high-water mark, or past every block
    already allocated, whichever is higher; 1 for a body that has never had minutes."""
    top = session.scalar(
        select(func.max(MinuteAllocation.first_number + MinuteAllocation.count - 1)).where(
            MinuteAllocation.body_id == body.id
        )
    )
    return max(body.next_minute_number or 1, (top or 0) + 1)


def allocate_minute_numbers(
    session: Session, meeting: Meeting, count: int, *, actor: str, now: dt.datetime
) -> MinuteAllocation:
    """The meeting's block of ``count`` minute numbers, allocated the first time and reused after.

    If the skeleton has grown since (items added after the first build), the block grows with
    it only while no later block exists; otherwise the block stays as it is and the skeleton
    letters the extra minutes on its last number (135a, 135b), so numbers already given to a
    later meeting are never reused. A skeleton that shrank keeps its block (numbers already
    shown to people are not handed out again)."""
    body = _lock_body(session, meeting.body)
    existing = allocation_for(session, meeting)
    if existing is not None:
        if count > existing.count:
            later = session.scalar(
                select(func.count())
                .select_from(MinuteAllocation)
                .where(
                    MinuteAllocation.body_id == body.id,
                    MinuteAllocation.first_number > existing.first_number,
                )
            )
            high_water = body.next_minute_number or 0
            if not later and high_water <= existing.last_number + 1:
                existing.count = count
                existing.updated_at = now
                body.next_minute_number = existing.last_number + 1
        return existing
    first = _next_free(session, body)
    allocation = MinuteAllocation(
        meeting_id=meeting.id,
        body_id=body.id,
        first_number=first,
        count=count,
        allocated_by=actor,
        allocated_at=now,
        updated_at=now,
    )
    session.add(allocation)
    body.next_minute_number = first + count
    session.flush()
    return allocation
