"""The demo's steps that print what a stage produced: the reminder timeline, the packs, the
sample apologies and the minutes skeleton. Only ``boardclerk demo`` and the tests use them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from agenda.board.lookup import get_meeting
from agenda.board.models import Meeting
from agenda.board.permissions import Actor
from agenda.clock import as_utc
from agenda.db.engine import transaction
from agenda.documents.render import RenderUnavailable
from agenda.documents.words import column_moment
from agenda.filestore import FileStore
from agenda.kinds import MeetingStatus, Role
from agenda.minutes.service import (
    agenda_items_of,
    build_minutes,
    declare_interest,
    send_apologies,
)
from agenda.outbox.text import render
from agenda.outbox.timeline import KIND_LABEL, names_of, reminder_timeline
from agenda.pack.build import FORMATS, build_pack, write_outputs
from agenda.pack.tables import Pack, PackPaper
from agenda.reminders.tables import Reminder, ReminderStatus


def demo_packs(
    engine: Engine,
    store: FileStore,
    meeting_ref: str,
    out_dir: Path,
    *,
    now: dt.datetime,
    echo: Callable[[str], None] = print,
) -> dict[str, Path]:
    """The demo's pack step: build the packs in one transaction and say what was written."""
    try:
        with transaction(engine) as session:
            paths = demo_write_packs(session, store, meeting_ref, out_dir, now=now)
    except RenderUnavailable as err:
        # Page numbers come from rendering the papers, so without LibreOffice there is no
        # pack to show; the rest of the demo goes on.
        echo("")
        echo(f"Agenda pack: skipped. {err}")
        return {}
    with transaction(engine) as session:
        ranges = session.scalars(
            select(PackPaper)
            .join(Pack)
            .where(Pack.format == "pdf", Pack.private.is_(False))
            .order_by(Pack.id.desc(), PackPaper.id)
        ).all()
    echo("")
    echo("Agenda pack:")
    for path in paths:
        echo(f"  {path}")
    latest = [r for r in ranges if r.pack_id == ranges[0].pack_id] if ranges else []
    for row in latest:
        pages = (
            f"page {row.first_page}"
            if row.first_page == row.last_page
            else f"pages {row.first_page}-{row.last_page}"
        )
        echo(
            f"  {row.stamp}: {pages}"
            + (" (exempt: placeholder in the public pack)" if row.withheld else "")
        )
    return {path.name: path for path in paths}


def demo_write_packs(
    session: Session, store: FileStore, meeting_ref: str, out_dir: Path, *, now: dt.datetime
) -> list[Path]:
    """For ``boardclerk demo``: the public PDF pack with its DOCX working copy, and the private
    PDF pack, written into ``out_dir``."""
    actor = Actor.system()
    public = build_pack(
        session, store, meeting_ref, private=False, formats=FORMATS, now=now, actor=actor
    )
    private = build_pack(
        session, store, meeting_ref, private=True, formats=("pdf",), now=now, actor=actor
    )
    return write_outputs(public, out_dir) + write_outputs(private, out_dir)


def demo_write_minutes(
    session: Session, store: FileStore, meeting_ref: str, out_dir: Path, *, now: dt.datetime
) -> Path:
    """The demo's step: build the skeleton and write it into ``out_dir`` (its confidential
    Part B minutes beside it, when the meeting took exempt business). Returns the public one."""
    result = build_minutes(session, store, meeting_ref, actor=Actor.system(), now=now)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / result.file_name
    target.write_bytes(store.get(result.sha256))
    if result.confidential is not None:
        secret = out_dir / result.confidential.file_name
        secret.write_bytes(store.get(result.confidential.sha256))
    return target


def demo_sample_attendance(session: Session, meeting_ref: str, *, now: dt.datetime) -> list[str]:
    """The demo's members send one apology and declare one interest, so the skeleton shows
    both. Returns what was recorded, for the demo to print."""
    meeting = get_meeting(session, meeting_ref)
    if meeting.status == MeetingStatus.CANCELLED.value or meeting.is_over(now):
        return []  # the demo has already moved past the meeting: nothing to send
    members = [m for m in meeting.body.members if m.active and m.role == Role.MEMBER.value]
    items = [i for i in agenda_items_of(session, meeting) if i.procedural_key is None]
    done: list[str] = []
    if members:
        done.append(
            send_apologies(
                session,
                actor=Actor.system(),
                meeting_ref=meeting_ref,
                member=members[-1].name,
                reason="another engagement",
                now=now,
            ).summary()
        )
    if len(members) > 1 and items:
        done.append(
            declare_interest(
                session,
                actor=Actor.system(),
                meeting_ref=meeting_ref,
                item_id=items[0].id,
                member=members[0].name,
                now=now,
                interest="arising from being a trustee of a charity named in the report",
            ).summary()
        )
    return done


def demo_reminder_timeline(
    session: Session, meeting: Meeting, *, now: dt.datetime, out: Callable[[str], None] | TextIO
) -> int:
    """Print the reminders still to go out between ``now`` and the meeting, each with the
    message it would carry on its day (papers not in by then count as outstanding). Changes
    nothing. Returns how many were printed."""
    echo = out if callable(out) else (lambda text: print(text, file=out))
    tz = meeting.body.organisation.zone
    rows = session.scalars(
        select(Reminder)
        .where(
            Reminder.id.in_(
                [
                    e.reminder_id
                    for e in reminder_timeline(
                        session, meeting, statuses=(ReminderStatus.PENDING.value,)
                    )
                ]
            ),
            Reminder.due_at < meeting.starts_at,
        )
        .order_by(Reminder.planned_at, Reminder.kind, Reminder.recipient)
    ).all()
    names = names_of(session, meeting)
    now = as_utc(now)
    # What is already due goes out at the next tick, but only the latest per person and
    # subject: the dispatcher drops the older ones it overtakes (see dispatch.supersede_stale).
    latest_due: dict[str, dt.datetime] = {}
    for r in rows:
        if r.supersede_key and as_utc(r.planned_at) <= now:
            latest_due[r.supersede_key] = max(
                latest_due.get(r.supersede_key, r.planned_at), r.planned_at
            )
    count = 0
    echo(
        f"Reminders to go out before {meeting.ref} (it is now {column_moment(now.astimezone(tz))}):"
    )
    for r in rows:
        who = names.get(r.recipient, r.recipient)
        head = (
            f"  {column_moment(as_utc(r.planned_at).astimezone(tz))}  → {who} "
            f"({KIND_LABEL.get(r.kind, r.kind)})"
        )
        if r.supersede_key and as_utc(r.planned_at) < latest_due.get(r.supersede_key, r.planned_at):
            echo(f"{head}: overdue and overtaken by a later one, so not sent")
            continue
        text = render(session, r, now=max(as_utc(r.due_at), now))
        if text is None:
            continue
        late = "  [overdue: goes at the next tick]" if as_utc(r.due_at) <= now else ""
        echo(head + late)
        echo(f"      {text}")
        count += 1
    if not count:
        echo("  (none)")
    return count


def demo_reminders(
    engine: Engine, meeting_ref: str, *, now: dt.datetime, echo: Callable[[str], None]
) -> int:
    """The demo's reminders step: the reminder timeline of the sample meeting."""
    with Session(engine) as session:
        echo("")
        return demo_reminder_timeline(session, get_meeting(session, meeting_ref), now=now, out=echo)
