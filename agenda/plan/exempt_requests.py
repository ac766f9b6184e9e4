"""An author's "this is confidential": exempt requests on items the clerk has not made exempt.

When an author submits a paper marked exempt (with a reason) for an ordinary item, the item
is *held*: :attr:`ForwardPlanItem.exempt_requested` is true, so the agenda treats it as Part B
and every public artefact (PDF pack, Word pack, public agenda) withholds it, until the clerk
accepts (the item becomes exempt with the author's reason) or rejects (the paper's exempt mark
is cleared, so the item is public again). Both decisions are audited with the author's reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board import audit
from agenda.board.lookup import get_item
from agenda.board.models import ForwardPlanItem, Member, Role
from agenda.board.permissions import Actor, require_clerk
from agenda.errors import InvalidInput


@dataclass(frozen=True)
class ExemptRequest:
    """A pending request, as the clerk is shown it."""

    item_id: int
    item_title: str
    meeting_ref: str | None
    version: int
    reason: str
    submitted_by: str  # the author's actor id (a Slack id for Slack submissions)


@dataclass(frozen=True)
class ExemptDecision:
    item_id: int
    item_title: str
    accepted: bool
    reason: str
    author_slack_ids: tuple[str, ...]  # whom to tell


def pending_request(item: ForwardPlanItem) -> ExemptRequest | None:
    """The item's undecided exempt request, if any."""
    paper = item.current_paper
    if not item.exempt_requested or paper is None:
        return None
    return ExemptRequest(
        item_id=item.id,
        item_title=item.title,
        meeting_ref=item.meeting.ref if item.meeting else None,
        version=paper.version,
        reason=paper.exempt_reason or "",
        submitted_by=paper.submitted_by,
    )


def pending_requests(session: Session, body_id: int | None = None) -> list[ExemptRequest]:
    """Every undecided request (of one body), oldest item first: for the clerk's list."""
    query = select(ForwardPlanItem).where(ForwardPlanItem.exempt.is_(False))
    if body_id is not None:
        query = query.where(ForwardPlanItem.body_id == body_id)
    found = (pending_request(i) for i in session.scalars(query.order_by(ForwardPlanItem.id)))
    return [r for r in found if r is not None]


def clerks_to_ask(session: Session, item: ForwardPlanItem) -> tuple[str, ...]:
    """The Slack ids of the item's body's clerks: they decide exempt requests."""
    ids = session.scalars(
        select(Member.slack_id).where(
            Member.body_id == item.body_id,
            Member.role == Role.CLERK.value,
            Member.active.is_(True),
            Member.slack_id.is_not(None),
        )
    )
    return tuple(s for s in ids if s)


def decide_exempt_request(
    session: Session,
    *,
    actor: Actor,
    item_id: int | str,
    accept: bool,
    now: dt.datetime,
) -> ExemptDecision:
    """The clerk accepts (the item becomes exempt, Part B, with the author's reason) or rejects
    (the paper's exempt mark is cleared; the item is published as ordinary business)."""
    item = get_item(session, item_id)
    require_clerk(session, item.body, actor, "decide whether a paper is exempt")
    request = pending_request(item)
    if request is None:
        state = "is already exempt" if item.exempt else "has no exempt request waiting"
        raise InvalidInput(f"'{item.title}' {state}, so there is nothing to decide.")
    paper = item.current_paper
    assert paper is not None
    if accept:
        item.exempt = True
        item.exempt_reason = request.reason
    else:
        paper.exempt_reason = None
    audit.record(
        session,
        actor=actor,
        action="item.exempt_accepted" if accept else "item.exempt_rejected",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
        version=request.version,
        reason=request.reason,
    )
    session.flush()
    return ExemptDecision(
        item_id=item.id,
        item_title=item.title,
        accepted=accept,
        reason=request.reason,
        author_slack_ids=tuple(a.slack_id for a in item.authors if a.slack_id),
    )
