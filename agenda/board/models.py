"""The domain model: organisations, bodies, members, meetings, the forward plan, papers, audit.

Other features keep their tables in their own modules (reminders, packs, jobs, minutes), built
on the same :class:`Base`; :mod:`agenda.schema` imports them all so Alembic sees every table.
Nothing is deleted: papers are versioned, plan moves are recorded, statuses supersede.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from agenda.clock import UTC, zone
from agenda.errors import BoardclerkError
from agenda.kinds import ItemKind, ItemStatus, MeetingStatus, Role

# Stable constraint names so Alembic migrations behave alike on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware timestamp stored as UTC. Refuses naive datetimes on the way in and
    always hands back aware UTC datetimes (SQLite would otherwise return naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    """One organisation per Slack workspace (council, trust, company, charity)."""

    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slack_team_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    holiday_country: Mapped[str] = mapped_column(String(8), default="GB")
    holiday_subdivision: Mapped[str | None] = mapped_column(String(8), default="ENG")
    closure_days: Mapped[list[Any]] = mapped_column(default=list)  # ISO dates the offices are shut
    # The language of published documents (BCP 47: the PDF's /Lang), from ``language:``.
    language: Mapped[str] = mapped_column(String(35), default="en-GB")
    created_at: Mapped[dt.datetime]

    bodies: Mapped[list[Body]] = relationship(back_populates="organisation", order_by="Body.id")

    @property
    def zone(self) -> ZoneInfo:
        """Where the organisation's local dates and times are read: deadlines, meeting days."""
        return zone(self.timezone)


class Body(Base):
    """A board or committee."""

    __tablename__ = "bodies"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # the short id used in commands: "hwb"
    name: Mapped[str] = mapped_column(String(200))
    style: Mapped[str] = mapped_column(String(60))  # a house style under templates/styles/
    channel: Mapped[str | None] = mapped_column(String(32))
    # Deadline rules as written in the configuration, e.g. {"papers_due": "10 working days before"}.
    deadlines: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The number the next minute takes; advanced when approved minutes are filed.
    next_minute_number: Mapped[int | None] = mapped_column(Integer)
    # warn: failing papers are accepted with a list of what to fix; require: refused.
    accessibility: Mapped[str] = mapped_column(String(8), default="warn")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="bodies")
    members: Mapped[list[Member]] = relationship(back_populates="body", order_by="Member.position")
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="body", order_by="Meeting.starts_at"
    )

    @property
    def clerks(self) -> list[Member]:
        """Its clerks still in post, in membership order."""
        return [m for m in self.members if m.active and m.role == Role.CLERK.value]

    @property
    def sitting_members(self) -> list[Member]:
        """Who sits on the body now: every active member but its clerks."""
        return [m for m in self.members if m.active and m.role != Role.CLERK.value]


class Member(Base):
    """A person on a body: a member (grouped as the frontsheet groups them), its chair, its clerk."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("body_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    group: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    slack_id: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the membership list
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # false once they leave the body

    body: Mapped[Body] = relationship(back_populates="members")


class Meeting(Base):
    """One dated meeting of a body. Addressed as ``BODY:DATE`` (local date)."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("body_id", "date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)  # local date in the organisation's zone
    starts_at: Mapped[dt.datetime]  # aware, stored as UTC
    venue: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED.value)
    note: Mapped[str | None] = mapped_column(Text)  # e.g. "please note change of start time"

    body: Mapped[Body] = relationship(back_populates="meetings")
    items: Mapped[list[ForwardPlanItem]] = relationship(
        back_populates="meeting", order_by="ForwardPlanItem.position"
    )

    @property
    def ref(self) -> str:
        return f"{self.body.key}:{self.date.isoformat()}"

    def planned_items(self) -> list[ForwardPlanItem]:
        """The business still planned for it, in the clerk's order (not moved or withdrawn)."""
        return [i for i in self.items if i.status == ItemStatus.PLANNED.value]

    def is_over(self, now: dt.datetime) -> bool:
        """Held, or its start time has come."""
        return self.status == MeetingStatus.HELD.value or self.starts_at <= now

    def require_open(
        self, now: dt.datetime, *, cancelled: BoardclerkError, over: BoardclerkError
    ) -> None:
        """Raise ``cancelled`` if the meeting is cancelled, ``over`` if it has been held or has
        started; each caller words the refusal for what the user was trying to do."""
        if self.status == MeetingStatus.CANCELLED.value:
            raise cancelled
        if self.is_over(now):
            raise over


class ForwardPlanItem(Base):
    """A piece of business planned for a meeting. Deferral moves it; every move is recorded."""

    __tablename__ = "forward_plan_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default=ItemKind.REPORT.value)
    lead: Mapped[str | None] = mapped_column(String(300))  # lead officer, as the agenda names them
    exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    exempt_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.PLANNED.value)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the clerk's order on the agenda
    due_override: Mapped[dt.datetime | None]  # an extension granted by the clerk
    chasing_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Items that came from the configuration file keep the key they were imported under, so a
    # second import finds them again instead of adding them twice.
    config_key: Mapped[str | None] = mapped_column(String(200))
    # Set when the item fills one of the house style's procedural entries instead of being
    # substantive business, e.g. "minutes" for the approved minutes of the previous meeting.
    procedural_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime]

    meeting: Mapped[Meeting | None] = relationship(back_populates="items")
    body: Mapped[Body] = relationship()
    authors: Mapped[list[ItemAuthor]] = relationship(
        back_populates="item", order_by="ItemAuthor.id", cascade="all, delete-orphan"
    )
    moves: Mapped[list[ItemMove]] = relationship(back_populates="item", order_by="ItemMove.id")
    papers: Mapped[list[Paper]] = relationship(back_populates="item", order_by="Paper.version")

    @property
    def current_paper(self) -> Paper | None:
        return self.papers[-1] if self.papers else None

    @property
    def exempt_requested(self) -> bool:
        """The author marked the current paper exempt on an item the clerk has not made
        exempt: the item is held out of every public artefact until the clerk decides
        (``agenda.plan.exempt_requests``)."""
        paper = self.current_paper
        return not self.exempt and paper is not None and bool(paper.exempt_reason)


class ItemAuthor(Base):
    """Someone who writes the paper for an item: a Slack user, and/or a name and e-mail."""

    __tablename__ = "item_authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("forward_plan_items.id"), index=True)
    slack_id: Mapped[str | None] = mapped_column(String(32), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))

    item: Mapped[ForwardPlanItem] = relationship(back_populates="authors")

    @property
    def label(self) -> str:
        return self.name or (f"<@{self.slack_id}>" if self.slack_id else self.email or "?")


class ItemMove(Base):
    """The history of an item: planned for, moved (deferred) to, withdrawn from a meeting."""

    __tablename__ = "item_moves"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("forward_plan_items.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # planned | moved | withdrawn
    from_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    to_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime]

    item: Mapped[ForwardPlanItem] = relationship(back_populates="moves")


class Paper(Base):
    """One submitted version of the paper for an item. Never overwritten; the highest version
    is current."""

    __tablename__ = "papers"
    __table_args__ = (UniqueConstraint("item_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("forward_plan_items.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str | None] = mapped_column(String(300))
    authors: Mapped[str | None] = mapped_column(Text)
    executive_summary: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[list[Any]] = mapped_column(default=list)
    exempt_reason: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(300))
    file_kind: Mapped[str] = mapped_column(String(8))  # docx | pdf
    file_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pages: Mapped[int | None] = mapped_column(Integer)  # PDF papers: known at submission
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime]
    due_at: Mapped[dt.datetime | None]  # the deadline in force at the time
    on_time: Mapped[bool] = mapped_column(Boolean, default=True)
    # Report templates ask a late author to say why (the chair decides whether a late item
    # is taken); kept with the version it explains.
    late_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="slack")  # slack | cli | demo | email
    # The accessibility check at submission (agenda.documents.accessibility.Report.as_json):
    # what to fix, what was checked, whether it finished. None: not checked (older papers).
    accessibility: Mapped[dict[str, Any] | None] = mapped_column(default=None)

    item: Mapped[ForwardPlanItem] = relationship(back_populates="papers")


class AuditEvent(Base):
    """Who did what, when. Written in the same transaction as the change it records."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))  # Slack id, "cli:<user>", "system"
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[dt.datetime]
