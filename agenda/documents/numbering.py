"""Agenda numbering: a meeting plus its house style becomes a numbered :class:`Agenda`.

Order, as councils print it: the style's opening procedural items, the substantive public
business in the clerk's order, the style's closing items, then, only when there is exempt
business, the resolution to exclude the press and public followed by the exempt items (Part B).
Papers take pack letters A, B, C ... in agenda order where the style letters them, so the
minutes of the previous meeting are Appendix A in the City style; otherwise each paper is
stamped with its item number ("Agenda Item 5"). The public and private agendas number alike,
so a reference in one holds in the other.

:func:`number_entries` holds all the rules and needs no database;
:func:`agenda.board.agenda_of.build_agenda` only gathers the facts for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from agenda.documents.agenda import AgendaEntry, AgendaPaper, MemberLine
from agenda.documents.house_style import ProceduralItem, Style, fill
from agenda.documents.words import lead_forms, letter_for
from agenda.kinds import ItemKind


class MemberRow(Protocol):
    """What the membership list needs of a member (a ``Member`` row has it)."""

    id: int
    name: str
    title: str | None
    group: str | None
    role: str
    position: int


NO_REASON = "exempt information (reason to be confirmed by the clerk)"


@dataclass(frozen=True)
class SubstantiveItem:
    """A forward plan item as the numbering needs it."""

    item_id: int
    title: str
    kind: str = ItemKind.REPORT.value
    lead: str | None = None
    exempt: bool = False
    exempt_reason: str | None = None
    paper: AgendaPaper | None = None


@dataclass(frozen=True)
class ProceduralFacts:
    """What the procedural wording refers to. ``filled`` maps a procedural key ("minutes") to
    the forward plan item that brings its paper (the approved minutes of the last meeting)."""

    previous_meeting: dt.date | None = None
    future_dates: tuple[dt.datetime, ...] = ()
    venue: str | None = None
    starts_at: dt.datetime | None = None
    body_name: str = ""
    filled: Mapping[str, SubstantiveItem] = field(default_factory=dict)


@dataclass(frozen=True)
class _Draft:
    """An entry before it has its number and letter."""

    key: str
    heading: str
    description: str
    procedural: bool
    part: str = "A"
    item_id: int | None = None
    kind: str | None = None
    lead: str | None = None
    exempt: bool = False
    exempt_reason: str | None = None
    paper: AgendaPaper | None = None


def describe(style: Style, item: SubstantiveItem) -> str:
    """The sentence under a substantive item, from the style's pattern for its kind."""
    kind = item.kind if item.kind in style.descriptions else ItemKind.REPORT.value
    if item.lead and item.lead.strip():
        lead, lead_mid = lead_forms(item.lead)
        return fill(
            style.descriptions[kind],
            lead=lead,
            lead_mid=lead_mid,
            title=item.title,
            chair_title=style.chair_title,
        )
    return fill(
        style.descriptions[f"{kind}_no_lead"], title=item.title, chair_title=style.chair_title
    )


def _procedural_text(style: Style, spec: ProceduralItem, facts: ProceduralFacts) -> str:
    template = spec.description
    filled = facts.filled.get(spec.key)
    if spec.description_to_follow and (filled is None or filled.paper is None):
        template = spec.description_to_follow  # e.g. minutes "attached" only when they are
    if spec.key == "future_dates" and not facts.future_dates and spec.description_no_dates:
        template = spec.description_no_dates
    if (
        facts.previous_meeting is None
        and spec.description_no_previous
        and "{previous_date}" in template
    ):
        template = spec.description_no_previous
    previous = (
        style.format_date(facts.previous_meeting, style.formats.previous_date)
        if facts.previous_meeting
        else "the previous meeting"
    )
    return fill(
        template,
        previous_date=previous,
        future_dates="\n".join(
            style.format_date(d, style.formats.future_date) for d in facts.future_dates
        ),
        venue=facts.venue or "the usual venue",
        usual_time=style.format_time(facts.starts_at) if facts.starts_at else "the usual time",
        chair_title=style.chair_title,
        body_name=facts.body_name,
    )


def _include(spec: ProceduralItem, facts: ProceduralFacts) -> bool:
    filled = facts.filled.get(spec.key)
    if spec.include == "with_paper":
        return filled is not None and filled.paper is not None
    if spec.include == "with_previous_meeting":
        return filled is not None or facts.previous_meeting is not None
    return True


def _procedural_draft(style: Style, spec: ProceduralItem, facts: ProceduralFacts) -> _Draft:
    filled = facts.filled.get(spec.key)
    return _Draft(
        key=f"proc:{spec.key}",
        heading=style.heading(spec.heading),
        description=_procedural_text(style, spec, facts),
        procedural=True,
        item_id=filled.item_id if filled else None,
        paper=filled.paper if filled else None,
    )


def _item_draft(style: Style, item: SubstantiveItem, *, private: bool) -> _Draft:
    reason = (item.exempt_reason or NO_REASON) if item.exempt else None
    description = describe(style, item)
    if item.kind in (None, ItemKind.REPORT.value) and item.paper is None:
        description = f"{description} {fill(style.descriptions['to_follow'], title=item.title)}"
    if item.exempt and not private:
        # The public agenda names the item and why it is exempt, nothing more.
        description = fill(
            style.descriptions["exempt_public"], reason=reason or "", title=item.title
        )
    return _Draft(
        key=f"item:{item.item_id}",
        heading=style.heading(item.title),
        description=description,
        procedural=False,
        part="B" if item.exempt else "A",
        item_id=item.item_id,
        kind=item.kind,
        lead=item.lead,
        exempt=item.exempt,
        exempt_reason=reason,
        paper=item.paper,
    )


def number_entries(
    style: Style,
    procedural: ProceduralFacts,
    substantive: Sequence[SubstantiveItem],
    *,
    private: bool = True,
) -> list[AgendaEntry]:
    """Number a meeting's business in the house style. ``substantive`` is in the clerk's order."""
    facts = procedural
    drafts = [
        _procedural_draft(style, spec, facts) for spec in style.opening if _include(spec, facts)
    ]
    drafts += [_item_draft(style, it, private=private) for it in substantive if not it.exempt]
    drafts += [
        _procedural_draft(style, spec, facts) for spec in style.closing if _include(spec, facts)
    ]
    exempt = [it for it in substantive if it.exempt]
    if exempt:
        drafts.append(_procedural_draft(style, style.part_b.exclusion, facts))
        drafts += [_item_draft(style, it, private=private) for it in exempt]

    entries: list[AgendaEntry] = []
    papers_seen = 0
    for number, d in enumerate(drafts, start=1):
        letter = stamp = None
        if d.paper is not None:
            if style.papers.letters:
                letter = letter_for(papers_seen)
            papers_seen += 1
            stamp = fill(style.papers.stamp, letter=letter or "", number=str(number))
        entries.append(
            AgendaEntry(
                key=d.key,
                number=str(number),
                heading=d.heading,
                description=d.description,
                procedural=d.procedural,
                part=d.part,
                item_id=d.item_id,
                kind=d.kind,
                lead=d.lead,
                exempt=d.exempt,
                exempt_reason=d.exempt_reason,
                letter=letter,
                stamp=stamp,
                paper=d.paper,
            )
        )
    return entries


def group_members(style: Style, members: Sequence[MemberRow]) -> tuple[MemberLine, ...]:
    """Members in the style's group order (unlisted groups after, in order of appearance;
    ungrouped last), each group in the clerk's order."""
    listed = {g: i for i, g in enumerate(style.membership.groups)}
    appearance: dict[str, int] = {}
    for m in members:
        if m.group and m.group not in listed:
            appearance.setdefault(m.group, len(listed) + len(appearance))

    def rank(m: MemberRow) -> tuple[int, int, int]:
        group = (
            listed.get(m.group, appearance.get(m.group, 0))
            if m.group
            else len(listed) + len(appearance)
        )
        return group, m.position, m.id

    return tuple(
        MemberLine(name=m.name, title=m.title, group=m.group, role=m.role)
        for m in sorted(members, key=rank)
    )
