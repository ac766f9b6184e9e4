"""A meeting's agenda as plain values: what the pack, the frontsheet and the minutes are built from.

The numbering rules live in the house style (templates/styles/<style>/style.yaml); this module
turns a meeting plus its style into an :class:`Agenda`. Nothing here renders documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AgendaPaper:
    """The current paper behind an agenda entry, as it goes into a pack."""

    paper_id: int
    version: int
    sha256: str
    file_kind: str  # "docx" | "pdf"
    file_name: str
    title: str
    presenter: str | None
    authors: str | None
    executive_summary: str | None
    recommendations: tuple[str, ...]
    on_time: bool


@dataclass(frozen=True)
class AgendaEntry:
    """One numbered line of the agenda.

    ``key`` is stable across rebuilds ("proc:apologies", "item:42") so page references,
    bookmarks and minutes can point at it. ``letter`` is the pack letter ("A", "B" ...) where
    the house style uses appendix letters, else None. ``stamp`` is what is printed at the top
    of each page of its paper ("Appendix B" or "Agenda Item 5")."""

    key: str
    number: str  # "1", "2", "7" (strings: some styles use "7a")
    heading: str  # as printed in the agenda: "BETTER CARE FUND" / "Better Care Fund."
    description: str  # the sentence under the heading, from the style's patterns
    procedural: bool
    part: str = "A"  # "A" public, "B" exempt business
    item_id: int | None = None
    kind: str | None = None  # report | presentation | verbal | discussion (substantive only)
    lead: str | None = None
    exempt: bool = False
    exempt_reason: str | None = None
    letter: str | None = None
    stamp: str | None = None
    paper: AgendaPaper | None = None


@dataclass(frozen=True)
class MemberLine:
    name: str
    title: str | None
    group: str | None
    role: str  # chair | vice-chair | member | clerk


@dataclass(frozen=True)
class Agenda:
    """Everything the agenda pack's front matter and the minutes skeleton need."""

    meeting_id: int
    meeting_ref: str  # "hwb:2027-04-01"
    organisation: str
    body_name: str
    style: str
    starts_at: dt.datetime  # aware, in the organisation's timezone
    venue: str | None
    clerk: MemberLine | None
    clerk_email: str | None
    members: tuple[MemberLine, ...]
    entries: tuple[AgendaEntry, ...]
    future_dates: tuple[dt.datetime, ...] = field(default=())  # the body's next meetings
    note: str | None = None  # printed after the time: "please note change of start time"
    previous_meeting: dt.date | None = None  # the body's last meeting before this one

    @property
    def part_a(self) -> tuple[AgendaEntry, ...]:
        return tuple(e for e in self.entries if e.part == "A")

    @property
    def part_b(self) -> tuple[AgendaEntry, ...]:
        return tuple(e for e in self.entries if e.part == "B")

    @property
    def papers(self) -> tuple[AgendaEntry, ...]:
        return tuple(e for e in self.entries if e.paper is not None)
