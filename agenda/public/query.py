"""Read-only queries for the public site: they decide, in one place, what the public may see.

A meeting's agenda, papers and packs appear only once the clerk has published it (the
``meeting.published`` audit record names the public pack that was published). A paper is
public only when a published public or supplementary pack carried it un-withheld and neither
the item nor the paper is exempt; exempt business shows only its number, its heading and
"Exempt: paragraph N". Approved minutes are public only in their public part. Nothing returned
names a Slack id, an e-mail address, a reason, a draft or a withdrawn version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.agenda_of import build_agenda
from agenda.board.models import AuditEvent, Body, ForwardPlanItem, Meeting, Organisation, Paper
from agenda.clock import local
from agenda.errors import NotFound
from agenda.filestore import FileStore
from agenda.kinds import ItemStatus, MeetingStatus, Role
from agenda.minutes.tables import Apology, ApprovedMinutes
from agenda.pack.tables import Pack, PackKind, PackPaper
from agenda.public.views import (
    AgendaLine,
    BodyLine,
    BodyPage,
    Feed,
    FeedEntry,
    HistoryLine,
    ItemPage,
    MeetingPage,
    MeetingSummary,
    MemberLine,
    OrganisationPage,
    PlanLine,
    PublicFile,
    YearOfMeetings,
)

MUNICIPAL_YEAR_START = 5  # May: councils' years run May to April
_PARAGRAPH = re.compile(r"paragraph\s+(\d+[a-z]?)", re.IGNORECASE)
_KINDS = {"pdf": "PDF", "docx": "Word"}
ROLE_WORDS = {
    Role.CHAIR.value: "Chair",
    Role.VICE_CHAIR.value: "Vice-chair",
    Role.MEMBER.value: "Member",
}


class NotPublic(NotFound):
    """Unknown, or not public: the site answers both the same way."""


def exempt_note(reason: str | None) -> str:
    """All the public learns of why business is exempt: "Exempt: paragraph N"."""
    match = _PARAGRAPH.search(reason or "")
    return f"Exempt: paragraph {match.group(1)}" if match else "Exempt"


def _summary(meeting: Meeting) -> MeetingSummary:
    body = meeting.body
    return MeetingSummary(
        body_key=body.key,
        body_name=body.name,
        date=meeting.date,
        starts_at=local(meeting.starts_at, body.organisation.zone),
        venue=meeting.venue,
        status=meeting.status,
    )


def _organisation(session: Session) -> Organisation:
    org = session.scalars(select(Organisation).order_by(Organisation.id).limit(1)).first()
    if org is None:
        raise NotPublic("There is nothing published here yet.")
    return org


def _bodies(org: Organisation) -> list[Body]:
    return [b for b in org.bodies if b.active]


def public_body(session: Session, key: str) -> Body:
    body = next((b for b in _bodies(_organisation(session)) if b.key == key), None)
    if body is None:
        raise NotPublic(f"There is no committee or board called {key!r}.")
    return body


def public_meeting(session: Session, key: str, date: dt.date) -> Meeting:
    body = public_body(session, key)
    meeting = next((m for m in body.meetings if m.date == date), None)
    if meeting is None:
        raise NotPublic(f"The {body.name} has no meeting on {date.isoformat()}.")
    return meeting


def _upcoming(meetings: Iterable[Meeting], now: dt.datetime) -> list[Meeting]:
    return sorted(
        (m for m in meetings if m.starts_at >= now and m.status != MeetingStatus.CANCELLED.value),
        key=lambda m: m.starts_at,
    )


def organisation_page(session: Session, now: dt.datetime) -> OrganisationPage:
    org = _organisation(session)
    bodies = _bodies(org)
    lines = []
    for body in bodies:
        upcoming = _upcoming(body.meetings, now)
        lines.append(BodyLine(body.key, body.name, _summary(upcoming[0]) if upcoming else None))
    soon = _upcoming((m for b in bodies for m in b.meetings), now)[:10]
    return OrganisationPage(org.name, tuple(lines), tuple(_summary(m) for m in soon))


def municipal_year(date: dt.date, start_month: int = MUNICIPAL_YEAR_START) -> str:
    """ "2026/27" for a date from May 2026 to April 2027 (the calendar year when May is 1)."""
    first = date.year if date.month >= start_month else date.year - 1
    return str(first) if start_month == 1 else f"{first}/{(first + 1) % 100:02d}"


def body_page(
    session: Session, key: str, now: dt.datetime, *, year_start: int = MUNICIPAL_YEAR_START
) -> BodyPage:
    body = public_body(session, key)
    members = tuple(
        MemberLine(m.name, ROLE_WORDS.get(m.role, "Member"), m.title, m.group)
        for m in body.sitting_members
    )
    years: dict[str, list[MeetingSummary]] = {}
    for meeting in sorted(body.meetings, key=lambda m: m.starts_at, reverse=True):
        years.setdefault(municipal_year(meeting.date, year_start), []).append(_summary(meeting))
    plan = []
    for meeting in _upcoming(body.meetings, now):
        for item in meeting.planned_items():
            if item.procedural_key or item.exempt or item.exempt_reason:
                continue  # exempt business is not on the public forward plan
            plan.append(PlanLine(item.id, item.title, _summary(meeting)))
    return BodyPage(
        key=body.key,
        name=body.name,
        organisation=body.organisation.name,
        members=members,
        years=tuple(YearOfMeetings(label, tuple(ms)) for label, ms in years.items()),
        forward_plan=tuple(plan),
    )


def _published_pack(session: Session, meeting: Meeting) -> Pack | None:
    """The public pack named by the meeting's latest publication, if it has been published."""
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "meeting.published", AuditEvent.subject == meeting.ref)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    ).first()
    if event is None:
        return None
    pack = session.get(Pack, event.detail.get("pack_id"))
    if pack is None or pack.private or pack.kind != PackKind.PUBLIC.value:
        return None
    return pack


def _supplements(session: Session, meeting: Meeting, after: Pack) -> list[Pack]:
    return list(
        session.scalars(
            select(Pack)
            .where(
                Pack.meeting_id == meeting.id,
                Pack.kind == PackKind.SUPPLEMENTARY.value,
                Pack.private.is_(False),
                Pack.format == "pdf",
                Pack.built_at >= after.built_at,
            )
            .order_by(Pack.built_at, Pack.id)
        )
    )


def _size(store: FileStore, sha256: str) -> int:
    try:
        return store.path(sha256).stat().st_size
    except (OSError, NotImplementedError):
        return len(store.get(sha256))


def _pack_file(store: FileStore, pack: Pack, label: str) -> PublicFile | None:
    if not store.exists(pack.sha256):
        return None
    return PublicFile(
        pack.sha256,
        pack.file_name,
        label,
        _size(store, pack.sha256),
        pack.pages,
        _KINDS.get(pack.format, pack.format.upper()),
        pack.built_at,
    )


def _public_papers(session: Session, store: FileStore, packs: list[Pack]) -> dict[int, PublicFile]:
    """Item id → the newest paper version a published pack carried un-withheld."""
    out: dict[int, PublicFile] = {}
    for pack in packs:
        for row in session.scalars(
            select(PackPaper).where(PackPaper.pack_id == pack.id, PackPaper.withheld.is_(False))
        ):
            paper = session.get(Paper, row.paper_id)
            if paper is None or paper.exempt_reason or paper.item.exempt:
                continue
            if paper.item.exempt_reason or not store.exists(paper.sha256):
                continue
            pages = paper.pages
            if pages is None and row.first_page and row.last_page:
                pages = row.last_page - row.first_page + 1
            out[paper.item_id] = PublicFile(
                paper.sha256,
                paper.file_name,
                paper.item.title,
                paper.file_size,
                pages,
                _KINDS.get(paper.file_kind, paper.file_kind.upper()),
                pack.built_at,
            )
    return out


def _approved_minutes(session: Session, store: FileStore, meeting: Meeting) -> PublicFile | None:
    row = session.scalars(
        select(ApprovedMinutes)
        .where(ApprovedMinutes.meeting_id == meeting.id, ApprovedMinutes.part == "public")
        .order_by(ApprovedMinutes.uploaded_at.desc(), ApprovedMinutes.id.desc())
        .limit(1)
    ).first()
    if row is None or not store.exists(row.sha256):
        return None
    kind = row.file_name.rsplit(".", 1)[-1].lower()
    return PublicFile(
        row.sha256,
        row.file_name,
        "Approved minutes",
        _size(store, row.sha256),
        None,
        _KINDS.get(kind, kind.upper()),
        row.uploaded_at,
    )


def meeting_page(session: Session, store: FileStore, key: str, date: dt.date) -> MeetingPage:
    meeting = public_meeting(session, key, date)
    pack = _published_pack(session, meeting)
    agenda: list[AgendaLine] = []
    packs: list[PublicFile] = []
    if pack is not None:
        supplements = _supplements(session, meeting, pack)
        papers = _public_papers(session, store, [pack, *supplements])
        for entry in build_agenda(session, meeting, private=False).entries:
            exempt = entry.exempt or entry.part == "B"
            agenda.append(
                AgendaLine(
                    number=entry.number,
                    letter=entry.letter,
                    heading=entry.heading,
                    description="" if exempt else entry.description,
                    part=entry.part,
                    exempt_note=exempt_note(entry.exempt_reason) if exempt else None,
                    item_id=None if exempt or entry.procedural else entry.item_id,
                    paper=None if exempt or entry.item_id is None else papers.get(entry.item_id),
                )
            )
        first = _pack_file(store, pack, "Agenda pack")
        packs = [first] if first else []
        for n, supplement in enumerate(supplements, 1):
            extra = _pack_file(store, supplement, f"Supplementary agenda pack {n}")
            if extra:
                packs.append(extra)
    apologies = session.scalars(
        select(Apology.name)
        .where(Apology.meeting_id == meeting.id, Apology.withdrawn.is_(False))
        .order_by(Apology.name)
    ).all()
    return MeetingPage(
        meeting=_summary(meeting),
        organisation=meeting.body.organisation.name,
        note=meeting.note,
        published=pack is not None,
        agenda=tuple(agenda),
        packs=tuple(packs),
        minutes=_approved_minutes(session, store, meeting),
        apologies=tuple(dict.fromkeys(apologies)) if pack is not None else (),
    )


def public_file(
    session: Session, store: FileStore, key: str, date: dt.date, sha256: str, name: str
) -> PublicFile:
    """The published file of that meeting with that identity and name; NotPublic otherwise
    (an unpublished, private, exempt or unknown file all answer alike)."""
    page = meeting_page(session, store, key, date)
    for file in page.files():
        if file.sha256 == sha256 and file.file_name == name:
            return file
    raise NotPublic("There is no such published document.")


def item_page(session: Session, item_id: int) -> ItemPage:
    item = session.get(ForwardPlanItem, item_id)
    if item is None or item.exempt or item.exempt_reason or item.procedural_key:
        raise NotPublic(f"There is no public item {item_id}.")
    if not item.body.active:
        raise NotPublic(f"There is no public item {item_id}.")
    history = []
    for move in item.moves:
        ids = [i for i in (move.from_meeting_id, move.to_meeting_id) if i is not None]
        meetings = tuple(_summary(m) for m in (session.get(Meeting, i) for i in ids) if m)
        words = {"planned": "Planned for", "moved": "Moved", "withdrawn": "Withdrawn from"}
        history.append(
            HistoryLine(
                words.get(move.action, move.action.capitalize()),
                local(move.at, item.body.organisation.zone).date(),
                meetings,
            )
        )
    status = {
        ItemStatus.PLANNED.value: "Planned",
        ItemStatus.DEFERRED.value: "Deferred",
        ItemStatus.WITHDRAWN.value: "Withdrawn",
    }.get(item.status, item.status)
    return ItemPage(
        item_id=item.id,
        title=item.title,
        body_key=item.body.key,
        body_name=item.body.name,
        meeting=_summary(item.meeting) if item.meeting else None,
        status=status,
        history=tuple(history),
    )


def feed(session: Session, key: str | None) -> Feed:
    """The publications of one body (``key``) or of every body, newest first."""
    org = _organisation(session)
    bodies = [public_body(session, key)] if key else _bodies(org)
    entries: list[FeedEntry] = []
    for body in bodies:
        for meeting in body.meetings:
            pack = _published_pack(session, meeting)
            summary = _summary(meeting)
            base = f"{body.key}/{meeting.date.isoformat()}"
            if pack is not None:
                entries.append(
                    FeedEntry(
                        f"{base}/agenda",
                        f"Agenda published: {body.name}",
                        summary,
                        _published_at(session, meeting),
                    )
                )
                for n, extra in enumerate(_supplements(session, meeting, pack), 1):
                    entries.append(
                        FeedEntry(
                            f"{base}/supplement-{n}",
                            f"Supplementary agenda {n} published: {body.name}",
                            summary,
                            extra.built_at,
                        )
                    )
            minutes = session.scalars(
                select(ApprovedMinutes)
                .where(ApprovedMinutes.meeting_id == meeting.id, ApprovedMinutes.part == "public")
                .order_by(ApprovedMinutes.uploaded_at)
                .limit(1)
            ).first()
            if minutes is not None:
                entries.append(
                    FeedEntry(
                        f"{base}/minutes",
                        f"Minutes published: {body.name}",
                        summary,
                        minutes.uploaded_at,
                    )
                )
    entries.sort(key=lambda e: e.at, reverse=True)
    title = bodies[0].name if key else org.name
    return Feed(f"{title}: meeting papers", key, tuple(entries))


def _published_at(session: Session, meeting: Meeting) -> dt.datetime:
    """When the agenda was first published."""
    at = session.scalars(
        select(AuditEvent.at)
        .where(AuditEvent.action == "meeting.published", AuditEvent.subject == meeting.ref)
        .order_by(AuditEvent.at)
        .limit(1)
    ).first()
    return at or meeting.starts_at


def every_page(session: Session) -> tuple[list[str], list[tuple[str, dt.date]], list[int]]:
    """What the site has: body keys, meetings (key, date) and public item ids (for export)."""
    bodies = _bodies(_organisation(session))
    meetings = [(b.key, m.date) for b in bodies for m in b.meetings]
    items = [
        i.id
        for b in bodies
        for i in session.scalars(select(ForwardPlanItem).where(ForwardPlanItem.body_id == b.id))
        if not (i.exempt or i.exempt_reason or i.procedural_key)
    ]
    return [b.key for b in bodies], meetings, items


__all__ = [
    "NotPublic",
    "body_page",
    "every_page",
    "feed",
    "exempt_note",
    "item_page",
    "meeting_page",
    "municipal_year",
    "organisation_page",
    "public_file",
]
