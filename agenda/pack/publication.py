"""Publishing a meeting's agenda: the clerk marks the meeting published once the public PDF
pack is built, and gets back everything the meeting notice needs.

The service only decides and records; posting the notice (a channel, or each member by direct
message) is the bot's job, with the plain values returned here. Only the PUBLIC pack is ever
named: the private (Part B) pack must never reach a channel or a member's notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.board import audit
from agenda.board.due import local_date, meeting_deadlines
from agenda.board.guard import Piece, check_public, document_pieces
from agenda.board.lookup import get_meeting
from agenda.board.models import ItemStatus, Meeting, MeetingStatus, Paper, Role
from agenda.board.permissions import Actor, require_clerk
from agenda.clock import zone
from agenda.documents.words import spoken_moment
from agenda.errors import DeadlinePassed, InvalidInput, NotFound
from agenda.filestore import FileStore
from agenda.pack.tables import Pack, PackKind
from agenda.reminders.planning import replan_meeting


@dataclass(frozen=True)
class PublishedNotice:
    """What the meeting notice says and where it goes. ``channel`` is the body's Slack channel
    (None: each member gets it by direct message)."""

    meeting_ref: str
    body_name: str
    channel: str | None
    member_slack_ids: tuple[str, ...]
    pack_path: Path
    pack_sha256: str
    pack_file_name: str
    starts_at: dt.datetime
    timezone: str
    venue: str | None
    publication_date: dt.date
    late: bool
    republished: bool
    papers_since_pack: int = 0  # papers submitted after the published pack was built
    stopped_chasing: tuple[str, ...] = ()  # outstanding papers whose authors are no longer chased

    def chasing_note(self) -> str | None:
        if not self.stopped_chasing:
            return None
        return (
            f"Stopped chasing {'; '.join(self.stopped_chasing)}: the agenda is published "
            "without them, so their authors get no more reminders. If one arrives, send it "
            f"in a supplementary pack (boardclerk pack {self.meeting_ref} --supplementary)."
        )

    def notice_text(self) -> str:
        """ "The agenda for the Health and Wellbeing Board on Thursday 8 April 2027 at
        2.00 pm, <venue>, is published." """
        local = self.starts_at.astimezone(zone(self.timezone))
        when = spoken_moment(local)
        where = f", {self.venue}" if self.venue else ""
        return f"The agenda for the {self.body_name} on {when}{where}, is published."

    def stale_warning(self) -> str | None:
        n = self.papers_since_pack
        if not n:
            return None
        return (
            f"{n} {'paper has' if n == 1 else 'papers have'} arrived since {self.pack_file_name} "
            f"was built; it is not in the published pack. Rebuild the pack "
            f"(/boardclerk pack {self.meeting_ref}) or send a supplementary pack."
        )

    def late_warning(self) -> str | None:
        if not self.late:
            return None
        return (
            f"The agenda of {self.meeting_ref} is published after its statutory publication "
            f"date ({self.publication_date.day} {self.publication_date:%B %Y})."
        )


def latest_public_pack(session: Session, meeting: Meeting) -> Pack | None:
    """The newest public PDF pack of ``meeting`` (never a private or supplementary one)."""
    return session.scalars(
        select(Pack)
        .where(
            Pack.meeting_id == meeting.id,
            Pack.private.is_(False),
            Pack.kind == PackKind.PUBLIC.value,
            Pack.format == "pdf",
        )
        .order_by(Pack.built_at.desc(), Pack.id.desc())
        .limit(1)
    ).first()


def _check_publishable(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise InvalidInput(
            f"The meeting {meeting.ref} has been cancelled, so its agenda cannot be published."
        )
    if meeting.status == MeetingStatus.HELD.value or meeting.starts_at <= now:
        raise DeadlinePassed(
            f"The meeting {meeting.ref} has already taken place, so its agenda "
            "can no longer be published."
        )


def _guard(session: Session, store: FileStore, meeting: Meeting, pack: Pack, tz: str) -> None:
    """Check what is about to be published against the body's exempt papers and minutes
    again: an exempt paper may have arrived (or been marked exempt) since the pack was built.
    The Word working copy built with the pack is published alongside it, so it is checked
    too."""
    copies = session.scalars(
        select(Pack).where(
            Pack.meeting_id == meeting.id,
            Pack.private.is_(False),
            Pack.built_at == pack.built_at,
        )
    ).all()
    pieces = [Piece("the publish notice", notice_text_of(meeting, tz))]
    for built in copies:
        if store.exists(built.sha256):
            pieces += document_pieces(built.file_name, store.get(built.sha256))
    check_public(session, store, meeting.body, pieces, what=f"publishing {meeting.ref}")


def notice_text_of(meeting: Meeting, tz: str) -> str:
    """The notice's words, to check before it is posted (see PublishedNotice.notice_text)."""
    return PublishedNotice(
        meeting_ref=meeting.ref,
        body_name=meeting.body.name,
        channel=None,
        member_slack_ids=(),
        pack_path=Path("."),
        pack_sha256="",
        pack_file_name="",
        starts_at=meeting.starts_at,
        timezone=tz,
        venue=meeting.venue,
        publication_date=meeting.date,
        late=False,
        republished=False,
    ).notice_text()


def publish_meeting(
    session: Session, store: FileStore, *, actor: Actor, meeting_ref: str, now: dt.datetime
) -> PublishedNotice:
    """Mark ``meeting_ref`` published (clerk only) and return its notice. Publishing again
    (e.g. after rebuilding the pack) is allowed and names the newest public pack."""
    meeting = get_meeting(session, meeting_ref)
    body = meeting.body
    require_clerk(session, body, actor, "publish its agenda")
    _check_publishable(meeting, now)
    pack = latest_public_pack(session, meeting)
    if pack is None:
        raise InvalidInput(
            f"No public agenda pack has been built for {meeting.ref} yet, so there "
            f"is nothing to publish. Build the agenda pack first: "
            f"/boardclerk pack {meeting.ref}"
        )
    if not store.exists(pack.sha256):
        raise NotFound(
            f"The agenda pack {pack.file_name} is missing from the file store. "
            f"Build the agenda pack again first: /boardclerk pack {meeting.ref}"
        )
    pack_path = store.path(pack.sha256)  # checked against its digest: damaged is never published
    tz = body.organisation.zone
    _guard(session, store, meeting, pack, tz.key)
    publication = meeting_deadlines(meeting).publication
    late = local_date(now, tz) > publication
    republished = meeting.status == MeetingStatus.PUBLISHED.value
    since = (
        session.scalar(
            select(func.count(Paper.id)).where(
                Paper.meeting_id == meeting.id, Paper.submitted_at > pack.built_at
            )
        )
        or 0
    )
    meeting.status = MeetingStatus.PUBLISHED.value
    audit.record(
        session,
        actor=actor,
        action="meeting.published",
        at=now,
        organisation_id=body.organisation_id,
        subject=meeting.ref,
        pack=pack.sha256,
        pack_id=pack.id,
        late=late,
        republished=republished,
    )
    replan_meeting(session, meeting, now=now)
    members = tuple(
        dict.fromkeys(
            m.slack_id
            for m in body.members
            if m.active and m.slack_id and m.role != Role.CLERK.value
        )
    )
    return PublishedNotice(
        meeting_ref=meeting.ref,
        body_name=body.name,
        channel=body.channel or None,
        member_slack_ids=members,
        pack_path=pack_path,
        pack_sha256=pack.sha256,
        pack_file_name=pack.file_name,
        starts_at=meeting.starts_at,
        timezone=tz.key,
        venue=meeting.venue,
        publication_date=publication,
        late=late,
        republished=republished,
        papers_since_pack=since,
        stopped_chasing=_outstanding(meeting),
    )


def _outstanding(meeting: Meeting) -> tuple[str, ...]:
    """Reports on the agenda still without a paper, with who was being chased for them."""
    out = []
    for item in meeting.items:
        if item.status != ItemStatus.PLANNED.value or item.kind != "report" or item.papers:
            continue
        who = ", ".join(a.label for a in item.authors)
        out.append(f"'{item.title}'" + (f" ({who})" if who else ""))
    return tuple(out)


__all__ = ["PublishedNotice", "latest_public_pack", "publish_meeting"]
