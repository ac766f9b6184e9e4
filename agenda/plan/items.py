"""The forward plan: what business goes to which meeting. Only a body's clerk changes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board import audit
from agenda.board.due import item_due_at
from agenda.board.fit import clean, fit
from agenda.board.lookup import get_body, get_item, get_meeting, with_plan
from agenda.board.models import (
    Body,
    ForwardPlanItem,
    ItemAuthor,
    ItemKind,
    ItemMove,
    ItemStatus,
    Meeting,
)
from agenda.board.permissions import Actor, Clerking, can_see_exempt, clerking, require_clerk
from agenda.documents.accessibility import Report as AccessibilityReport
from agenda.errors import DeadlinePassed, InvalidInput
from agenda.reminders import planning as reminders


@dataclass(frozen=True)
class AuthorRef:
    """An author as the clerk names them: a Slack user, or a name and/or e-mail."""

    slack_id: str | None = None
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ItemView:
    id: int
    title: str
    kind: str
    lead: str | None
    authors: tuple[str, ...]  # labels: names or <@U…> mentions
    author_slack_ids: tuple[str, ...]
    exempt: bool
    exempt_reason: str | None  # None unless the viewer may see it
    status: str
    meeting_ref: str | None
    due_at: dt.datetime | None
    paper_version: int | None
    paper_on_time: bool | None
    notes: tuple[str, ...] = ()  # for the clerk, e.g. reminders that could not be planned
    # The current paper's accessibility check in a few words: "accessible", "2 accessibility
    # issues: image-alt, no-title"; None without a checked paper.
    paper_accessibility: str | None = None
    exempt_requested: bool = False  # the author asked for Part B; the clerk has not decided


@dataclass(frozen=True)
class MeetingPlan:
    meeting_ref: str
    body_name: str
    starts_at: dt.datetime
    venue: str | None
    status: str
    items: tuple[ItemView, ...]


def item_view(
    session: Session,
    item: ForwardPlanItem,
    viewer: Actor | None = None,
    *,
    clerks: Clerking | None = None,
) -> ItemView:
    """The item as ``viewer`` may see it (everything, with no viewer). Views of many items pass
    the viewer's :func:`~agenda.board.permissions.clerking`, read once."""
    paper = item.current_paper
    show_exempt = viewer is None or can_see_exempt(session, item, viewer, clerks)
    return ItemView(
        id=item.id,
        title=item.title,
        kind=item.kind,
        lead=item.lead,
        authors=tuple(a.label for a in item.authors),
        author_slack_ids=tuple(a.slack_id for a in item.authors if a.slack_id),
        exempt=item.exempt,
        exempt_reason=item.exempt_reason if show_exempt else None,
        status=item.status,
        meeting_ref=item.meeting.ref if item.meeting else None,
        due_at=item_due_at(item),
        paper_version=paper.version if paper else None,
        paper_on_time=paper.on_time if paper else None,
        paper_accessibility=accessibility_summary(paper.accessibility) if paper else None,
        exempt_requested=item.exempt_requested,
    )


def accessibility_summary(result: dict[str, Any] | None) -> str | None:
    """The stored result of the check at submission, as the clerk reads it."""
    if result is None:
        return None
    report = AccessibilityReport.from_json(result)
    codes = ", ".join(f.code for f in report.findings)
    return f"{report.summary()}: {codes}" if codes else report.summary()


def _replanned(session: Session, item: ForwardPlanItem, now: dt.datetime) -> ItemView:
    """Re-plan the item's reminders in this transaction; pass on what the clerk should know."""
    result = reminders.replan_item(session, item, now=now)
    return replace(item_view(session, item), notes=tuple(result.messages))


def _open_meeting(meeting: Meeting, now: dt.datetime, doing: str) -> None:
    meeting.require_open(
        now,
        cancelled=DeadlinePassed(
            f"The meeting {meeting.ref} has been cancelled, so you cannot {doing}."
        ),
        over=DeadlinePassed(
            f"The meeting {meeting.ref} has already taken place, so you cannot {doing}."
        ),
    )


def _check_title(title: str) -> str:
    title = fit(" ".join((title or "").split()), ForwardPlanItem.title, "title") or ""
    if not title:
        raise InvalidInput("Give the item a title.")
    return title


def add_item(
    session: Session,
    *,
    actor: Actor,
    meeting_ref: str,
    title: str,
    kind: str = ItemKind.REPORT.value,
    lead: str | None = None,
    authors: list[AuthorRef] | tuple[AuthorRef, ...] = (),
    exempt: bool = False,
    exempt_reason: str | None = None,
    now: dt.datetime,
) -> ItemView:
    """Plan a new item for a meeting. Returns the item as its clerk sees it."""
    meeting = get_meeting(session, meeting_ref)
    require_clerk(session, meeting.body, actor, "add items to its forward plan")
    _open_meeting(meeting, now, "add items to it")
    title = _check_title(title)
    if kind not in {k.value for k in ItemKind}:
        raise InvalidInput(
            f"'{kind}' is not a kind of item. Use report, presentation, verbal or discussion."
        )
    exempt_reason = clean(exempt_reason)
    if exempt and not exempt_reason:
        raise InvalidInput(
            "An exempt item needs the reason it is exempt, e.g. 'Paragraph 3 of "
            "Part 1 of Schedule 12A to the Local Government Act 1972'."
        )
    position = max((i.position for i in meeting.items), default=0) + 1
    item = ForwardPlanItem(
        body_id=meeting.body_id,
        meeting_id=meeting.id,
        title=title,
        kind=kind,
        lead=fit(lead, ForwardPlanItem.lead, "lead officer"),
        exempt=exempt,
        exempt_reason=exempt_reason if exempt else None,
        position=position,
        status=ItemStatus.PLANNED.value,
        created_at=now,
    )
    item.authors = [
        ItemAuthor(
            slack_id=fit(a.slack_id, ItemAuthor.slack_id, "author's Slack id"),
            name=fit(a.name, ItemAuthor.name, "author's name"),
            email=fit(a.email, ItemAuthor.email, "author's e-mail address"),
        )
        for a in authors
    ]
    session.add(item)
    session.flush()
    session.add(
        ItemMove(
            item_id=item.id, action="planned", to_meeting_id=meeting.id, actor=actor.id, at=now
        )
    )
    audit.record(
        session,
        actor=actor,
        action="item.add",
        at=now,
        organisation_id=meeting.body.organisation_id,
        subject=f"item:{item.id}",
        meeting=meeting.ref,
        title=title,
    )
    session.flush()
    session.refresh(item)
    return _replanned(session, item, now)


def move_item(
    session: Session,
    *,
    actor: Actor,
    item_id: int | str,
    to_meeting_ref: str,
    reason: str | None = None,
    now: dt.datetime,
) -> ItemView:
    """Defer (or bring forward) an item to another meeting of the same body."""
    item = get_item(session, item_id)
    require_clerk(session, item.body, actor, "move items on its forward plan")
    if item.status == ItemStatus.WITHDRAWN.value:
        raise InvalidInput(f"'{item.title}' has been withdrawn; add it again instead of moving it.")
    target = get_meeting(session, to_meeting_ref)
    if target.body_id != item.body_id:
        raise InvalidInput(
            f"{target.ref} is a meeting of the {target.body.name}; "
            f"'{item.title}' belongs to the {item.body.name}."
        )
    if target.id == item.meeting_id:
        raise InvalidInput(f"'{item.title}' is already planned for {target.ref}.")
    _open_meeting(target, now, "move items to it")
    source = item.meeting
    session.add(
        ItemMove(
            item_id=item.id,
            action="moved",
            from_meeting_id=source.id if source else None,
            to_meeting_id=target.id,
            reason=clean(reason),
            actor=actor.id,
            at=now,
        )
    )
    item.meeting_id = target.id
    item.meeting = target
    item.status = ItemStatus.PLANNED.value
    item.position = max((i.position for i in target.items if i.id != item.id), default=0) + 1
    item.due_override = None  # an extension was for the old meeting
    audit.record(
        session,
        actor=actor,
        action="item.move",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
        from_meeting=source.ref if source else None,
        to_meeting=target.ref,
        reason=reason,
    )
    session.flush()
    return _replanned(session, item, now)


def withdraw_item(
    session: Session,
    *,
    actor: Actor,
    item_id: int | str,
    reason: str | None = None,
    now: dt.datetime,
) -> ItemView:
    """Take an item off the plan. It is kept, with its papers, marked withdrawn."""
    item = get_item(session, item_id)
    require_clerk(session, item.body, actor, "withdraw items from its forward plan")
    if item.status == ItemStatus.WITHDRAWN.value:
        raise InvalidInput(f"'{item.title}' is already withdrawn.")
    session.add(
        ItemMove(
            item_id=item.id,
            action="withdrawn",
            from_meeting_id=item.meeting_id,
            reason=clean(reason),
            actor=actor.id,
            at=now,
        )
    )
    item.status = ItemStatus.WITHDRAWN.value
    audit.record(
        session,
        actor=actor,
        action="item.withdraw",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
        reason=reason,
    )
    session.flush()
    return _replanned(session, item, now)


def forward_plan(
    session: Session,
    *,
    body_key: str | None = None,
    viewer: Actor | None = None,
    now: dt.datetime | None = None,
    include_withdrawn: bool = False,
) -> list[MeetingPlan]:
    """Meetings (from ``now`` on, if given) with their planned items in agenda order."""
    query = select(Meeting).join(Body).options(*with_plan()).order_by(Meeting.starts_at, Body.key)
    if body_key:
        query = query.where(Meeting.body_id == get_body(session, body_key).id)
    if now is not None:
        query = query.where(Meeting.starts_at >= now - dt.timedelta(hours=12))
    clerks = clerking(session, viewer) if viewer is not None else None
    plans = []
    for meeting in session.scalars(query):
        items = [
            i for i in meeting.items if include_withdrawn or i.status != ItemStatus.WITHDRAWN.value
        ]
        plans.append(
            MeetingPlan(
                meeting_ref=meeting.ref,
                body_name=meeting.body.name,
                starts_at=meeting.starts_at,
                venue=meeting.venue,
                status=meeting.status,
                items=tuple(item_view(session, i, viewer, clerks=clerks) for i in items),
            )
        )
    return plans
