"""The minutes loop: apologies and declarations before the meeting, the skeleton after it, and
the approved minutes becoming the next meeting's "minutes of the previous meeting" paper.

Every service checks everything before it writes, so a refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board import audit, guard
from agenda.board.agenda_of import build_agenda
from agenda.board.guard import document_pieces
from agenda.board.lookup import get_meeting
from agenda.board.models import (
    ForwardPlanItem,
    ItemKind,
    ItemMove,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Member,
)
from agenda.board.permissions import Actor, is_clerk, require_clerk
from agenda.documents.agenda import Agenda, AgendaEntry
from agenda.documents.filecheck import check_paper_file
from agenda.documents.minutes_doc import (
    ApologyLine,
    Attendance,
    Attendee,
    DeclarationLine,
    build_minutes_docx,
    default_attendance,
    has_exempt_business,
    plan_minutes,
)
from agenda.documents.minutes_style import MinutesStyle, load_minutes_style
from agenda.errors import DeadlinePassed, InvalidInput, NotFound, PermissionDenied
from agenda.filestore import FileStore
from agenda.kinds import CONFIDENTIAL_MINUTES_KEY, MINUTES_KEY, InterestKind
from agenda.minutes.tables import (
    Apology,
    ApprovedMinutes,
    Declaration,
    MinuteAllocation,
    allocate_minute_numbers,
    allocation_for,
    renumber_body,
)
from agenda.plan.papers import submit_paper

INTEREST_KINDS = tuple(k.value for k in InterestKind)


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApologyReceipt:
    meeting_ref: str
    body_name: str
    name: str
    reason: str | None
    updated: bool

    def summary(self) -> str:
        verb = "updated" if self.updated else "recorded"
        return f"Apologies from {self.name} for the {self.body_name} ({self.meeting_ref}) {verb}."


@dataclass(frozen=True)
class DeclarationReceipt:
    meeting_ref: str
    name: str
    item_id: int
    item_title: str
    kind: str
    interest: str

    def summary(self) -> str:
        return (
            f"{self.name}'s {'pecuniary ' if self.kind == 'pecuniary' else ''}interest in "
            f"#{self.item_id} '{self.item_title}' ({self.meeting_ref}) is recorded."
        )


@dataclass(frozen=True)
class MinutesPart:
    """The confidential (Part B) minutes skeleton of a meeting that took exempt business."""

    file_name: str
    sha256: str
    path: Path


@dataclass(frozen=True)
class MinutesResult:
    meeting_ref: str
    file_name: str
    sha256: str
    path: Path
    first_number: int
    last_number: int
    minutes: int  # minutes in the skeleton (more than the block when lettered)
    confidential: MinutesPart | None = None
    moved: tuple[str, ...] = ()  # later meetings whose unapproved minute numbers moved

    def summary(self) -> str:
        text = (
            f"Minutes skeleton for {self.meeting_ref}: {self.file_name}, minutes "
            f"{self.first_number}–{self.last_number}."
        )
        if self.confidential is not None:
            text += (
                f" The exempt business is in the confidential (Part B) minutes, "
                f"{self.confidential.file_name}: keep them out of anything public."
            )
        if self.moved:
            text += (
                f" Minute numbers of {', '.join(self.moved)} moved to follow this meeting; "
                "rebuild those skeletons to renumber them."
            )
        return text


@dataclass(frozen=True)
class ApprovedMinutesResult:
    meeting_ref: str
    next_meeting_ref: str
    item_id: int
    paper_version: int
    next_minute_number: int | None
    confidential_item_id: int | None = None  # the exempt paper in the next private pack
    confidential_version: int | None = None

    def summary(self) -> str:
        numbering = (
            f" Minutes of the next meeting start at {self.next_minute_number}."
            if self.next_minute_number
            else ""
        )
        confidential = (
            f" The confidential (Part B) minutes are version {self.confidential_version} of "
            f"exempt item #{self.confidential_item_id}: only in the private pack."
            if self.confidential_item_id
            else ""
        )
        return (
            f"Approved minutes of {self.meeting_ref} filed as version {self.paper_version} of "
            f"the minutes paper (#{self.item_id}) for {self.next_meeting_ref}."
            f"{confidential}{numbering}"
        )


@dataclass(frozen=True)
class ApologyView:
    name: str
    title: str | None
    reason: str | None
    at: dt.datetime


@dataclass(frozen=True)
class DeclarationView:
    name: str
    item_id: int | None
    item_title: str | None
    interest: str
    kind: str
    at: dt.datetime


@dataclass(frozen=True)
class AttendanceSummary:
    """Apologies and declarations for one meeting: for the readiness view and App Home."""

    meeting_ref: str
    apologies: tuple[ApologyView, ...]
    declarations: tuple[DeclarationView, ...]

    def headline(self) -> str:
        a, d = len(self.apologies), len(self.declarations)
        return (
            f"{a} {'apology' if a == 1 else 'apologies'}, "
            f"{d} {'declaration' if d == 1 else 'declarations'} of interest"
        )


# -- who and when --------------------------------------------------------------------------


def _meeting_ahead(meeting: Meeting, now: dt.datetime, doing: str) -> None:
    meeting.require_open(
        now,
        cancelled=InvalidInput(
            f"The meeting {meeting.ref} has been cancelled, so there is no need to {doing}."
        ),
        over=DeadlinePassed(
            f"The meeting {meeting.ref} has already taken place, so it is too late "
            f"to {doing} for it.",
            hint="ask the clerk if it needs recording in the minutes",
        ),
    )


def _member(
    session: Session, meeting: Meeting, actor: Actor, name: str | None, doing: str
) -> Member:
    """The member acting: themselves (their Slack id), or someone the clerk names."""
    body = meeting.body
    members = body.sitting_members
    if name:
        wanted = " ".join(name.split()).casefold()
        found = next((m for m in members if m.name.casefold() == wanted), None)
        if found is None:
            listed = ", ".join(m.name for m in members) or "none"
            raise NotFound(f"'{name}' is not a member of the {body.name}. Members: {listed}.")
        if found.slack_id and found.slack_id == actor.slack_id:
            return found
        require_clerk(session, body, actor, f"{doing} on behalf of someone else")
        return found
    if actor.slack_id:
        found = next((m for m in members if m.slack_id == actor.slack_id), None)
        if found is not None:
            return found
        raise PermissionDenied(
            f"You are not a member of the {body.name}, so you cannot {doing} for its meetings.",
            hint="the clerk can add you to the membership in the configuration",
        )
    raise InvalidInput(
        f'Say which member is sending this (e.g. --member "{members[0].name}").'
        if members
        else f"The {body.name} has no members yet."
    )


def agenda_items_of(session: Session, meeting: Meeting) -> list[ForwardPlanItem]:
    """The planned (not withdrawn or deferred) items on a meeting, in the clerk's order."""
    return list(
        session.scalars(
            select(ForwardPlanItem)
            .where(
                ForwardPlanItem.meeting_id == meeting.id,
                ForwardPlanItem.status == ItemStatus.PLANNED.value,
            )
            .order_by(ForwardPlanItem.position, ForwardPlanItem.id)
        )
    )


def _item_on_agenda(session: Session, meeting: Meeting, item_ref: int | str) -> ForwardPlanItem:
    items = agenda_items_of(session, meeting)
    listed = "; ".join(f"#{i.id} {i.title}" for i in items) or "none yet"
    try:
        key = int(str(item_ref).strip().lstrip("#"))
    except ValueError:
        raise InvalidInput(
            f"'{item_ref}' is not an item id. Items on the agenda of {meeting.ref}: {listed}."
        ) from None
    found = next((i for i in items if i.id == key), None)
    if found is None:
        raise InvalidInput(
            f"Item #{key} is not on the agenda of {meeting.ref}, so there is "
            f"nothing to declare an interest in. Items on it: {listed}."
        )
    return found


# -- apologies and declarations -------------------------------------------------------------


def send_apologies(
    session: Session,
    *,
    actor: Actor,
    meeting_ref: str,
    reason: str | None = None,
    now: dt.datetime,
    member: str | None = None,
) -> ApologyReceipt:
    """Record apologies for absence from an upcoming meeting. A member sends their own (Slack);
    the clerk may send them for a named member (``member``). Sending again updates the reason."""
    meeting = get_meeting(session, meeting_ref)
    _meeting_ahead(meeting, now, "send apologies")
    person = _member(session, meeting, actor, member, "send apologies")
    reason = " ".join((reason or "").split()) or None
    existing = session.scalar(
        select(Apology).where(
            Apology.meeting_id == meeting.id,
            Apology.member_id == person.id,
            Apology.withdrawn.is_(False),
        )
    )
    if existing is not None:
        existing.reason = reason or existing.reason
        existing.at = now
        row, updated = existing, True
    else:
        row = Apology(
            meeting_id=meeting.id,
            member_id=person.id,
            slack_id=person.slack_id,
            name=person.name,
            reason=reason,
            sent_by=actor.id,
            at=now,
        )
        session.add(row)
        updated = False
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="minutes.apologies",
        at=now,
        organisation_id=meeting.body.organisation_id,
        subject=meeting.ref,
        member=person.name,
        updated=updated,
    )
    return ApologyReceipt(meeting.ref, meeting.body.name, person.name, row.reason, updated)


def withdraw_apologies(
    session: Session, *, actor: Actor, meeting_ref: str, now: dt.datetime, member: str | None = None
) -> ApologyReceipt:
    """The member can come after all: their apologies are marked withdrawn (kept, not deleted)."""
    meeting = get_meeting(session, meeting_ref)
    _meeting_ahead(meeting, now, "withdraw apologies")
    person = _member(session, meeting, actor, member, "withdraw apologies")
    existing = session.scalar(
        select(Apology).where(
            Apology.meeting_id == meeting.id,
            Apology.member_id == person.id,
            Apology.withdrawn.is_(False),
        )
    )
    if existing is None:
        raise NotFound(f"{person.name} has sent no apologies for {meeting.ref}.")
    existing.withdrawn, existing.withdrawn_at = True, now
    audit.record(
        session,
        actor=actor,
        action="minutes.apologies_withdrawn",
        at=now,
        organisation_id=meeting.body.organisation_id,
        subject=meeting.ref,
        member=person.name,
    )
    return ApologyReceipt(meeting.ref, meeting.body.name, person.name, existing.reason, True)


def declare_interest(
    session: Session,
    *,
    actor: Actor,
    meeting_ref: str,
    item_id: int | str,
    interest: str,
    now: dt.datetime,
    kind: str = "other",
    member: str | None = None,
) -> DeclarationReceipt:
    """Record a member's interest in an item on the meeting's agenda. Members declare ahead of
    the meeting; the clerk may also record one declared at the meeting."""
    meeting = get_meeting(session, meeting_ref)
    clerk = is_clerk(session, meeting.body, actor)
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise InvalidInput(
            f"The meeting {meeting.ref} has been cancelled, so there is nothing to "
            "declare an interest in."
        )
    if not clerk:
        _meeting_ahead(meeting, now, "declare an interest")
    kind = (kind or "other").strip().lower()
    if kind not in INTEREST_KINDS:
        raise InvalidInput(f"An interest is 'pecuniary' or 'other', not '{kind}'.")
    text = " ".join((interest or "").split())
    if not text:
        raise InvalidInput(
            "Say what the interest is, e.g. 'as a trustee of the hospice named in the report'."
        )
    item = _item_on_agenda(session, meeting, item_id)
    person = _member(session, meeting, actor, member, "declare an interest")
    existing = session.scalar(
        select(Declaration).where(
            Declaration.meeting_id == meeting.id,
            Declaration.item_id == item.id,
            Declaration.member_id == person.id,
            Declaration.withdrawn.is_(False),
        )
    )
    if existing is not None:
        existing.interest, existing.kind, existing.at = text, kind, now
    else:
        session.add(
            Declaration(
                meeting_id=meeting.id,
                item_id=item.id,
                member_id=person.id,
                slack_id=person.slack_id,
                name=person.name,
                interest=text,
                kind=kind,
                declared_by=actor.id,
                at=now,
            )
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="minutes.declaration",
        at=now,
        organisation_id=meeting.body.organisation_id,
        subject=f"item:{item.id}",
        member=person.name,
        kind=kind,
    )
    return DeclarationReceipt(meeting.ref, person.name, item.id, item.title, kind, text)


def attendance_summary(session: Session, meeting: Meeting) -> AttendanceSummary:
    """Apologies and declarations received for ``meeting``, oldest first."""
    titles = {m.id: m.title for m in meeting.body.members}
    apologies = session.scalars(
        select(Apology)
        .where(Apology.meeting_id == meeting.id, Apology.withdrawn.is_(False))
        .order_by(Apology.at, Apology.id)
    )
    declarations = session.scalars(
        select(Declaration)
        .where(Declaration.meeting_id == meeting.id, Declaration.withdrawn.is_(False))
        .order_by(Declaration.at, Declaration.id)
    )
    items = {i.id: i.title for i in meeting.items}
    return AttendanceSummary(
        meeting_ref=meeting.ref,
        apologies=tuple(
            ApologyView(a.name, titles.get(a.member_id or 0), a.reason, a.at) for a in apologies
        ),
        declarations=tuple(
            DeclarationView(d.name, d.item_id, items.get(d.item_id or 0), d.interest, d.kind, d.at)
            for d in declarations
        ),
    )


# -- the skeleton --------------------------------------------------------------------------


def _titles_as_planned(session: Session, agenda: Agenda) -> Agenda:
    """Substantive entries headed by the forward plan title as the clerk typed it: the agenda
    may have upper-cased it, and the minutes quote it in sentences ("a report on Winter Plan")."""
    entries = []
    for entry in agenda.entries:
        item = session.get(ForwardPlanItem, entry.item_id) if entry.item_id else None
        if item is not None and entry.key.startswith("item:"):
            entry = replace(entry, heading=item.title)
        entries.append(entry)
    return replace(agenda, entries=tuple(entries))


def minutes_file_name(meeting: Meeting, *, confidential: bool = False) -> str:
    part = "-confidential-part-b" if confidential else ""
    return f"{meeting.body.key}-{meeting.date.isoformat()}-minutes{part}-draft.docx"


def _block_starts(session: Session, body_id: int) -> dict[int, int]:
    return {
        a.meeting_id: a.first_number
        for a in session.scalars(
            select(MinuteAllocation).where(MinuteAllocation.body_id == body_id)
        )
    }


def build_minutes(
    session: Session,
    store: FileStore,
    meeting_ref: str,
    *,
    actor: Actor,
    now: dt.datetime,
    invited: Sequence[Attendee] = (),
    in_attendance: Sequence[Attendee] = (),
) -> MinutesResult:
    """Build the meeting's minutes skeleton (clerk only). The first build allocates the
    meeting's block of minute numbers; rebuilds reuse it. Members who sent apologies are left
    out of those present; ``invited`` and ``in_attendance`` add people who are not members
    (the clerk is always listed as in attendance)."""
    meeting = get_meeting(session, meeting_ref)
    body = meeting.body
    require_clerk(session, body, actor, "build the minutes")
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise InvalidInput(f"The meeting {meeting.ref} was cancelled, so it has no minutes.")
    agenda = _titles_as_planned(session, build_agenda(session, meeting, private=True))
    style = load_minutes_style(body.style)
    planned = plan_minutes(agenda, style)
    before = _block_starts(session, body.id)
    allocation = allocate_minute_numbers(session, meeting, len(planned), actor=actor.id, now=now)
    after = _block_starts(session, body.id)
    moved = tuple(
        session.get(Meeting, mid).ref  # type: ignore[union-attr]
        for mid, first in after.items()
        if mid != meeting.id and mid in before and before[mid] != first
    )
    summary = attendance_summary(session, meeting)
    apologies = [ApologyLine(a.name, a.title, a.reason) for a in summary.apologies]
    attendance = default_attendance(agenda, apologies)
    attendance = Attendance(
        attendance.present, tuple(invited), (*attendance.in_attendance, *in_attendance)
    )
    declarations = [
        DeclarationLine(d.name, d.interest, d.kind, item_id=d.item_id) for d in summary.declarations
    ]
    data = build_minutes_docx(
        agenda,
        style,
        first_minute_number=allocation.first_number,
        attendance=attendance,
        apologies=apologies,
        declarations=declarations,
        allocated=allocation.count,
        part="public",
    )
    digest = store.put(data)
    confidential = None
    if has_exempt_business(agenda):
        secret = build_minutes_docx(
            agenda,
            style,
            first_minute_number=allocation.first_number,
            declarations=declarations,
            allocated=allocation.count,
            part="confidential",
        )
        secret_digest = store.put(secret)
        confidential = MinutesPart(
            minutes_file_name(meeting, confidential=True),
            secret_digest,
            store.path(secret_digest),
        )
    audit.record(
        session,
        actor=actor,
        action="minutes.build",
        at=now,
        organisation_id=body.organisation_id,
        subject=meeting.ref,
        sha256=digest,
        first=allocation.first_number,
        last=allocation.last_number,
    )
    return MinutesResult(
        meeting.ref,
        minutes_file_name(meeting),
        digest,
        store.path(digest),
        allocation.first_number,
        allocation.last_number,
        len(planned),
        confidential,
        moved,
    )


# -- approved minutes ----------------------------------------------------------------------


def _document_text(file_name: str, data: bytes) -> str:
    """All the text a reader sees in a Word or PDF file (body, tables, headers, properties);
    '' when it cannot be read (the file check decides whether the file is acceptable)."""
    return "\n".join(p.text for p in document_pieces(file_name, data)[1:])


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _date_forms(day: dt.date) -> list[str]:
    month = f"{day:%B}".lower()
    return [
        f"{day.day} {month} {day.year}",
        f"{day.day}th {month} {day.year}",
        f"{day.day}st {month} {day.year}",
        f"{day.day}nd {month} {day.year}",
        f"{day.day}rd {month} {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
        f"{day:%d.%m.%Y}",
    ]


def _check_contents(meeting: Meeting, file_name: str, data: bytes) -> None:
    """Refuse minutes that plainly belong to another meeting, or are not minutes at all:
    readable text that does not say "minutes", name this meeting's date, or name this body.
    Unreadable text is not refused here (scanned PDFs); ``check_contents=False`` (CLI
    ``--force``) skips the check."""
    text = " ".join(_document_text(file_name, data).split()).lower()
    if not text:
        return
    if "minute" not in text:
        raise InvalidInput(
            f"{file_name} does not look like minutes at all (it never says 'minutes'); "
            f"expected the approved minutes of {meeting.ref}. Nothing was filed.",
            hint="check the file, or use --force if it really is the minutes",
        )
    day = meeting.date
    if not any(form in text for form in _date_forms(day)):
        raise InvalidInput(
            f"{file_name} does not mention {day.day} {day:%B %Y}, so it does not look like the "
            f"minutes of {meeting.ref}. Nothing was filed.",
            hint="check the meeting, or use --force if the minutes are right",
        )
    if " ".join(meeting.body.name.split()).lower() not in text:
        raise InvalidInput(
            f"{file_name} does not mention the {meeting.body.name}, so it does not look like the "
            f"minutes of {meeting.ref}. Nothing was filed.",
            hint="check the meeting, or use --force if the minutes are right",
        )


def _next_meeting(session: Session, meeting: Meeting) -> Meeting:
    following = session.scalars(
        select(Meeting)
        .where(
            Meeting.body_id == meeting.body_id,
            Meeting.date > meeting.date,
            Meeting.status != MeetingStatus.CANCELLED.value,
        )
        .order_by(Meeting.date)
        .limit(1)
    ).first()
    if following is None:
        raise NotFound(
            f"The {meeting.body.name} has no meeting after {meeting.date:%-d %B %Y} "
            "to take these minutes. Add the next meeting first; nothing was filed."
        )
    return following


def _minutes_item(
    session: Session,
    next_meeting: Meeting,
    previous: Meeting,
    *,
    actor: Actor,
    now: dt.datetime,
    key: str = MINUTES_KEY,
    title: str = "Minutes of the previous meeting",
    exempt_reason: str | None = None,
) -> ForwardPlanItem:
    """The next meeting's "minutes of the previous meeting" item, made if it is not there.
    With ``exempt_reason`` it is the exempt item for the confidential (Part B) minutes, which
    only the private pack carries."""
    found = session.scalar(
        select(ForwardPlanItem).where(
            ForwardPlanItem.meeting_id == next_meeting.id,
            ForwardPlanItem.procedural_key == key,
            ForwardPlanItem.status == ItemStatus.PLANNED.value,
        )
    )
    if found is not None:
        if exempt_reason:
            found.exempt, found.exempt_reason = True, exempt_reason
        return found
    clerk = next(iter(next_meeting.body.clerks), None)
    item = ForwardPlanItem(
        body_id=next_meeting.body_id,
        meeting_id=next_meeting.id,
        title=title,
        kind=ItemKind.REPORT.value,
        lead=clerk.name if clerk else None,
        position=0,
        created_at=now,
        procedural_key=key,
        exempt=exempt_reason is not None,
        exempt_reason=exempt_reason,
    )
    session.add(item)
    session.flush()
    session.add(
        ItemMove(
            item_id=item.id,
            action="planned",
            to_meeting_id=next_meeting.id,
            reason=f"approved minutes of {previous.ref}",
            actor=actor.id,
            at=now,
        )
    )
    session.flush()
    session.refresh(next_meeting)
    return item


@dataclass(frozen=True)
class _Offered:
    """A file offered as one part of the approved minutes, with its readable text."""

    file_name: str
    data: bytes
    text: str  # flattened (whitespace collapsed, case folded) for matching


def _offer(file_name: str, data: bytes) -> _Offered:
    check_paper_file(file_name, data)  # Word or PDF, not corrupt, not macro-enabled...
    return _Offered(file_name, data, _flat(_document_text(file_name, data)))


def _check_no_placeholders(offered: _Offered, style: MinutesStyle, what: str) -> None:
    """Approved means approved: the skeleton's placeholders must all have been replaced."""
    left = [m for m in style.placeholders() if _flat(m) in offered.text]
    if left:
        raise InvalidInput(
            f"{offered.file_name} still contains the draft skeleton's placeholder "
            f"'{left[0]}'{f' (and {len(left) - 1} more)' if len(left) > 1 else ''}, so it is "
            f"not the approved {what}. Replace every [bracketed] placeholder and the draft "
            "markings with what was decided, then file it again. Nothing was filed."
        )


def _part_b_marks(style: MinutesStyle) -> list[str]:
    words = style.confidential
    marking = words.marking.split("{", 1)[0].strip(" —-:")
    return [m for m in (words.heading, words.title, marking, "PART B — EXEMPT BUSINESS") if m]


def _check_public_part(
    session: Session,
    store: FileStore,
    meeting: Meeting,
    offered: _Offered,
    exempt: Sequence[AgendaEntry],
    style: MinutesStyle,
) -> None:
    """The public part carries no Part B: no Part B heading or marking, no exempt item's
    text (nor its title where the style keeps titles private)."""
    first = exempt[0] if exempt else None
    named = f" (exempt item {first.number} '{first.heading.rstrip('.')}')" if first else ""
    move = (
        "Move the exempt business into the confidential part (--confidential FILE, or the second file in Slack) and file "
        "the public minutes again. Nothing was filed."
    )
    for mark in _part_b_marks(style):
        if _flat(mark) in offered.text:
            raise InvalidInput(
                f"{offered.file_name} is offered as the public minutes but contains the Part B "
                f"heading '{mark}'{named}. {move}"
            )
    if not style.confidential.public_title:
        for entry in exempt:
            if _flat(entry.heading) in offered.text:
                raise InvalidInput(
                    f"{offered.file_name} names the exempt item '{entry.heading}', which the "
                    f"{style.name} style keeps out of the public minutes. {move}"
                )
    # Checked against the body's exempt papers (their text, summaries and recommendations,
    # which the skeleton's draft resolutions come from). Not against the confidential part
    # offered with it: both parts share the style's formula sentences by design.
    corpus = guard.exempt_corpus(session, store, meeting.body)
    leaks = corpus.check([guard.Piece(offered.file_name, offered.text)])
    if leaks:
        raise InvalidInput(
            f"{offered.file_name} is offered as the public minutes but contains exempt "
            f"business{named}: {leaks[0].describe()}. {move}"
        )


def file_approved_minutes(
    session: Session,
    store: FileStore,
    *,
    actor: Actor,
    meeting_ref: str,
    file_name: str,
    data: bytes,
    now: dt.datetime,
    last_minute_number: int | None = None,
    check_contents: bool = True,
    source: str = "cli",
    confidential_file_name: str | None = None,
    confidential_data: bytes | None = None,
) -> ApprovedMinutesResult:
    """File the approved minutes of a held meeting. The public part becomes the "minutes of
    the previous meeting" paper of the body's next meeting; where the meeting took exempt
    business the confidential (Part B) part is required and becomes an exempt paper of the
    next meeting, with the same exemption, so only its private pack carries it. Minute
    numbering moves past them. Everything is checked before anything is filed."""
    meeting = get_meeting(session, meeting_ref)
    body = meeting.body
    require_clerk(session, body, actor, "file approved minutes")
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise InvalidInput(
            f"The meeting {meeting.ref} was cancelled, so it has no minutes. Nothing was filed."
        )
    if meeting.status != MeetingStatus.HELD.value and meeting.starts_at > now:
        held = session.scalars(
            select(Meeting)
            .where(
                Meeting.body_id == body.id,
                Meeting.starts_at <= now,
                Meeting.status != MeetingStatus.CANCELLED.value,
            )
            .order_by(Meeting.date.desc())
        ).first()
        hint = f"did you mean {held.ref}?" if held else None
        raise InvalidInput(
            f"The meeting {meeting.ref} has not taken place yet, so it has no "
            "approved minutes. Nothing was filed.",
            hint=hint,
        )
    public = _offer(file_name, data)
    if check_contents:
        _check_contents(meeting, file_name, data)
    style = load_minutes_style(body.style)
    agenda = _titles_as_planned(session, build_agenda(session, meeting, private=True))
    exempt = [e for e in agenda.entries if e.exempt]
    secret: _Offered | None = None
    if confidential_data is not None:
        if not exempt:
            raise InvalidInput(
                f"The meeting {meeting.ref} took no exempt business, so it has no "
                f"confidential minutes; {confidential_file_name} was not expected. File the "
                "public minutes on their own. Nothing was filed."
            )
        secret = _offer(confidential_file_name or "confidential-minutes.docx", confidential_data)
        if check_contents:
            _check_contents(meeting, secret.file_name, confidential_data)
        _check_no_placeholders(secret, style, "confidential minutes")
    elif exempt:
        listed = "; ".join(f"item {e.number} '{e.heading.rstrip('.')}'" for e in exempt)
        raise InvalidInput(
            f"The meeting {meeting.ref} took exempt business ({listed}), so its approved "
            "minutes come in two parts: file the confidential (Part B) minutes with the "
            "public ones (--confidential FILE, or the second file in Slack). Nothing was filed."
        )
    _check_no_placeholders(public, style, "minutes")
    _check_public_part(session, store, meeting, public, exempt, style)
    following = _next_meeting(session, meeting)
    if following.status == MeetingStatus.HELD.value or following.starts_at <= now:
        raise InvalidInput(
            f"The next meeting, {following.ref}, has already taken place, so these "
            "minutes can no longer go into its papers. Nothing was filed."
        )
    allocation = allocation_for(session, meeting)
    last = last_minute_number or (allocation.last_number if allocation else None)
    if last is not None and last < 1:
        raise InvalidInput("The last minute number must be a positive whole number.")

    item = _minutes_item(session, following, meeting, actor=actor, now=now)
    day = f"{meeting.date.day} {meeting.date:%B %Y}"
    receipt = submit_paper(
        session,
        store,
        actor=actor,
        item_id=item.id,
        file_name=file_name,
        data=data,
        title=f"Minutes of the meeting held on {day}",
        presenter=None,
        authors=None,
        executive_summary=None,
        recommendations=[
            f"That the minutes of the meeting held on {day} be confirmed as a correct record."
        ],
        exempt_reason=None,
        now=now,
        source=source,
    )
    rows = [("public", receipt.paper_id, receipt.sha256, file_name)]
    secret_item = secret_receipt = None
    if secret is not None:
        reason = "; ".join(dict.fromkeys(e.exempt_reason or "exempt information" for e in exempt))
        secret_item = _minutes_item(
            session,
            following,
            meeting,
            actor=actor,
            now=now,
            key=CONFIDENTIAL_MINUTES_KEY,
            title=f"{style.confidential.title} of the meeting held on {day}",
            exempt_reason=reason,
        )
        secret_receipt = submit_paper(
            session,
            store,
            actor=actor,
            item_id=secret_item.id,
            file_name=secret.file_name,
            data=secret.data,
            title=f"{style.confidential.title} of the meeting held on {day}",
            presenter=None,
            authors=None,
            executive_summary=None,
            recommendations=[
                f"That the confidential minutes of the meeting held on {day} be confirmed as "
                "a correct record."
            ],
            exempt_reason=reason,
            now=now,
            source=source,
        )
        rows.append(
            ("confidential", secret_receipt.paper_id, secret_receipt.sha256, secret.file_name)
        )
    for part, paper_id, sha, name in rows:
        session.add(
            ApprovedMinutes(
                meeting_id=meeting.id,
                part=part,
                paper_id=paper_id,
                sha256=sha,
                file_name=name,
                last_minute_number=last,
                uploaded_by=actor.id,
                uploaded_at=now,
            )
        )
    session.flush()
    renumber_body(session, body, now=now)  # approved numbers are fixed; later ones follow them
    audit.record(
        session,
        actor=actor,
        action="minutes.approved",
        at=now,
        organisation_id=body.organisation_id,
        subject=meeting.ref,
        next_meeting=following.ref,
        sha256=receipt.sha256,
        confidential_sha256=secret_receipt.sha256 if secret_receipt else None,
        last_minute_number=last,
    )
    return ApprovedMinutesResult(
        meeting.ref,
        following.ref,
        item.id,
        receipt.version,
        last + 1 if last is not None else None,
        secret_item.id if secret_item else None,
        secret_receipt.version if secret_receipt else None,
    )
