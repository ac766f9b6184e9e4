"""The reminder table: one row per message boardclerk means to send, the source of truth for
what goes out, to whom and when (research/stack.md §2.4/§2.5).

Rows are never deleted. Status moves ``pending → sending → sent``; a row that is no longer wanted
becomes ``cancelled`` (meeting moved, paper arrived...) or ``superseded`` (a newer chaser to the
same person about the same thing fell due first, e.g. after downtime); a row that cannot be
delivered becomes ``failed`` with the reason, and the clerk is told.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from agenda.board.models import Base


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


class ReminderKind(enum.StrEnum):
    AUTHOR_BEFORE = "author_before"  # to an author, before their paper is due
    AUTHOR_DUE = "author_due"  # to an author, on the day it is due
    AUTHOR_CHASER = "author_chaser"  # to an author, after it was due
    ESCALATION = "escalation"  # to the lead officer and the clerk: still missing
    CHAIR_DIGEST = "chair_digest"  # to the chair: papers in, outstanding, late
    CLERK_PUBLICATION = "clerk_publication"  # to the clerk: the pack must be published today
    CLERK_NOTICE = "clerk_notice"  # to the clerk: something went wrong, a request...
    NOTICE = "notice"  # to anyone else: e.g. an extension decided

    @property
    def is_notice(self) -> bool:
        return self in (ReminderKind.CLERK_NOTICE, ReminderKind.NOTICE)

    @property
    def is_author(self) -> bool:
        return self in (
            ReminderKind.AUTHOR_BEFORE,
            ReminderKind.AUTHOR_DUE,
            ReminderKind.AUTHOR_CHASER,
        )


# A person gets at most one message of each group about one item (or meeting) at a time: after
# downtime only the latest due one goes out and the older ones are superseded.
KIND_GROUP = {
    ReminderKind.AUTHOR_BEFORE: "author",
    ReminderKind.AUTHOR_DUE: "author",
    ReminderKind.AUTHOR_CHASER: "author",
    ReminderKind.ESCALATION: "escalation",
    ReminderKind.CHAIR_DIGEST: "digest",
    ReminderKind.CLERK_PUBLICATION: "publication",
}


# Live reminders that something later can supersede (the statuses of ReminderStatus).
_LIVE_WITH_KEY = "status IN ('pending', 'sending', 'sent') AND supersede_key IS NOT NULL"


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_status_due_at", "status", "due_at"),
        # The stale pass looks, for each due pending row, for a later live row with the same
        # supersede key planned by now; without this index that lookup scanned every reminder
        # each round while reminders were due (EXPLAIN: a seq scan of all rows, 15x slower).
        Index(
            "ix_reminders_live_planned_at",
            "planned_at",
            postgresql_where=text(_LIVE_WITH_KEY),
            sqlite_where=text(_LIVE_WITH_KEY),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    recipient: Mapped[str] = mapped_column(String(32), index=True)  # Slack user id
    # recipient|group|meeting|item: rows sharing it supersede one another (see KIND_GROUP).
    supersede_key: Mapped[str | None] = mapped_column(String(120), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("forward_plan_items.id"), index=True)
    planned_at: Mapped[dt.datetime]  # when it is meant to go; fixed by planning
    due_at: Mapped[dt.datetime]  # when it may next be tried (moves on retry/429)
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # why cancelled/superseded, for the clerk
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)  # rule, text of notices...
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class ExtensionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # replaced by a newer request for the same item


class ExtensionRequest(Base):
    """An author asks for more time for one item's paper; the clerk or chair decides."""

    __tablename__ = "extension_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("forward_plan_items.id"), index=True)
    requested_by: Mapped[str] = mapped_column(String(64))
    until: Mapped[dt.datetime]  # the new due time asked for
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ExtensionStatus.PENDING.value)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
