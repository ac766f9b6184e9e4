"""Finding things by the names people type: ``hwb:2027-04-01``, item ids, body keys.
Unknown names get a message that lists what does exist."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from agenda.board.models import Body, ForwardPlanItem, Meeting
from agenda.errors import InvalidInput, NotFound


def parse_meeting_ref(ref: str) -> tuple[str, dt.date]:
    """``"hwb:2027-04-01"`` → ``("hwb", date(2027, 4, 1))``."""
    body_key, sep, date_text = ref.strip().partition(":")
    if not sep or not body_key or not date_text:
        raise InvalidInput(f"'{ref}' is not a meeting. Write it as BODY:DATE, e.g. hwb:2027-04-01.")
    try:
        return body_key, dt.date.fromisoformat(date_text)
    except ValueError:
        raise InvalidInput(
            f"'{date_text}' in '{ref}' is not a date. Write it as YYYY-MM-DD, e.g. hwb:2027-04-01."
        ) from None


def get_body(session: Session, key: str) -> Body:
    body = session.scalar(select(Body).where(Body.key == key))
    if body is None:
        known = sorted(session.scalars(select(Body.key)))
        listed = ", ".join(known) if known else "none yet (run 'boardclerk import')"
        raise NotFound(f"There is no body called '{key}'. Bodies: {listed}.")
    return body


def with_plan() -> tuple[ORMOption, ...]:
    """Loader options for a view of meetings and their items: the body (with its members and
    organisation) joined in, then one query per kind of row (items, their authors, their papers)
    for all the meetings at once, so a view costs the same few queries however large the plan.
    Authors and papers come by subquery, not ``IN`` lists: those are cut every 500 items."""
    items = selectinload(Meeting.items)
    return (
        joinedload(Meeting.body).joinedload(Body.organisation),
        joinedload(Meeting.body).selectinload(Body.members),
        items.subqueryload(ForwardPlanItem.authors),
        items.subqueryload(ForwardPlanItem.papers),
    )


def get_meeting(session: Session, ref: str, *, with_items: bool = False) -> Meeting:
    """The meeting ``ref`` names; ``with_items`` loads its plan as :func:`with_plan` does."""
    body_key, date = parse_meeting_ref(ref)
    body = get_body(session, body_key)
    query = select(Meeting).where(Meeting.body_id == body.id, Meeting.date == date)
    if with_items:
        query = query.options(*with_plan()).execution_options(populate_existing=True)
    meeting = session.scalar(query)
    if meeting is None:
        dates = [m.date.isoformat() for m in body.meetings]
        listed = ", ".join(f"{body.key}:{d}" for d in dates) if dates else "none"
        raise NotFound(
            f"The {body.name} has no meeting on {date:%-d %B %Y}. Its meetings: {listed}."
        )
    return meeting


MAX_DB_ID = 2**31 - 1


def in_id_range(key: int) -> bool:
    """Whether ``key`` could be a row id at all (a positive 32-bit integer)."""
    return 1 <= key <= MAX_DB_ID


def get_item(session: Session, item_id: int | str) -> ForwardPlanItem:
    try:
        key = int(str(item_id).strip().lstrip("#"))
    except ValueError:
        raise InvalidInput(
            f"'{item_id}' is not an item id. Use the number 'boardclerk forward-plan' shows."
        ) from None
    # An id the database cannot hold (PostgreSQL integers are 32-bit) names no item; asking
    # the database would fail with an overflow instead of "no such item".
    item = session.get(ForwardPlanItem, key) if in_id_range(key) else None
    if item is None:
        ids = sorted(session.scalars(select(ForwardPlanItem.id)))
        hint = f"items are numbered {ids[0]}–{ids[-1]}" if ids else "there are no items yet"
        raise NotFound(
            f"There is no forward plan item {key}; {hint}. See 'boardclerk forward-plan'."
        )
    return item
