"""Plain values the public site shows. Nothing here carries a Slack id, an e-mail address, a
clerk's note on an item, a draft, an exempt paper or the private pack: the queries in
:mod:`agenda.public.query` build these and are the only place that decides what is public."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PublicFile:
    """A published file, addressed by its content hash and published name."""

    sha256: str
    file_name: str
    label: str  # what it is: "Agenda pack", "Report: Better Care Fund"
    size: int
    pages: int | None
    kind: str  # "PDF" | "Word"
    published_at: dt.datetime


@dataclass(frozen=True)
class MeetingSummary:
    body_key: str
    body_name: str
    date: dt.date
    starts_at: dt.datetime  # local to the organisation
    venue: str | None
    status: str  # scheduled | published | held | cancelled


@dataclass(frozen=True)
class AgendaLine:
    number: str
    letter: str | None
    heading: str
    description: str
    part: str  # "A" | "B"
    exempt_note: str | None  # "Exempt: paragraph 3"
    item_id: int | None
    paper: PublicFile | None


@dataclass(frozen=True)
class MeetingPage:
    meeting: MeetingSummary
    organisation: str
    note: str | None  # the cancellation/change note the clerk published with the meeting
    published: bool
    agenda: tuple[AgendaLine, ...]
    packs: tuple[PublicFile, ...]
    minutes: PublicFile | None
    apologies: tuple[str, ...]

    def files(self) -> tuple[PublicFile, ...]:
        papers = tuple(line.paper for line in self.agenda if line.paper is not None)
        return self.packs + papers + ((self.minutes,) if self.minutes else ())


@dataclass(frozen=True)
class MemberLine:
    name: str
    role: str
    title: str | None
    group: str | None


@dataclass(frozen=True)
class PlanLine:
    item_id: int | None
    title: str
    meeting: MeetingSummary


@dataclass(frozen=True)
class YearOfMeetings:
    label: str  # "2026/27"
    meetings: tuple[MeetingSummary, ...]


@dataclass(frozen=True)
class BodyPage:
    key: str
    name: str
    organisation: str
    members: tuple[MemberLine, ...]
    years: tuple[YearOfMeetings, ...]
    forward_plan: tuple[PlanLine, ...]


@dataclass(frozen=True)
class BodyLine:
    key: str
    name: str
    next_meeting: MeetingSummary | None


@dataclass(frozen=True)
class OrganisationPage:
    name: str
    bodies: tuple[BodyLine, ...]
    next_meetings: tuple[MeetingSummary, ...]


@dataclass(frozen=True)
class HistoryLine:
    action: str  # "Planned for" | "Moved from … to" | "Withdrawn from"
    at: dt.date
    meetings: tuple[MeetingSummary, ...] = field(default=())


@dataclass(frozen=True)
class ItemPage:
    item_id: int
    title: str
    body_key: str
    body_name: str
    meeting: MeetingSummary | None  # where it stands now
    status: str
    history: tuple[HistoryLine, ...]


@dataclass(frozen=True)
class FeedEntry:
    """One publication: an agenda, a supplementary pack or approved minutes."""

    key: str  # stable id within the site, e.g. "hwb/2027-03-04/agenda"
    title: str
    meeting: MeetingSummary
    at: dt.datetime


@dataclass(frozen=True)
class Feed:
    title: str
    body_key: str | None
    entries: tuple[FeedEntry, ...]
