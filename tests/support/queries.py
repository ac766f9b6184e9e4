"""Counting the SQL statements a piece of code sends, to hold views to a constant number of
queries however large the forward plan grows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from agenda.board.models import ForwardPlanItem, ItemAuthor, Meeting, Paper
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.pack import overview
from agenda.pack.readiness import meeting_readiness
from agenda.plan.items import forward_plan
from agenda.schema import metadata
from tests.support import factories

CLERK = "U0CLERK01"
CHAIR = "U0CHAIR01"
AUTHOR = "U0AUTH001"
NOW = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
MEETING_DAYS = (dt.date(2027, 2, 4), dt.date(2027, 3, 4), dt.date(2027, 4, 8))

# The agenda services behind each view a person opens (Slack or the command line).
VIEWS: dict[str, Callable[[Session], object]] = {
    "clerk's plan": lambda s: forward_plan(s, viewer=Actor.slack(CLERK), now=NOW),
    "forward plan CLI": lambda s: forward_plan(s, now=NOW),
    "clerk's submit choices": lambda s: overview.submit_choices(s, CLERK, NOW),
    "author's submit choices": lambda s: overview.submit_choices(s, AUTHOR, NOW),
    "clerk's readiness (App Home)": lambda s: overview.clerk_readiness(s, CLERK, NOW),
    "author's own items (App Home)": lambda s: overview.own_items(s, AUTHOR, NOW),
    "member's meetings (App Home)": lambda s: overview.member_meetings(s, CHAIR, NOW),
    "clerk's meetings": lambda s: overview.clerk_meetings(s, CLERK, NOW),
    "my meetings": lambda s: overview.my_meetings(s, AUTHOR, NOW),
    "status of a meeting": lambda s: meeting_readiness(
        s, f"hwb:{MEETING_DAYS[0].isoformat()}", now=NOW, viewer=Actor.slack(CLERK)
    ),
}


class QueryCount:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def counting(engine: Engine) -> Iterator[QueryCount]:
    """Every statement sent on ``engine`` inside the block."""
    count = QueryCount()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        count.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", before)


def plan_of_size(session: Session, size: int) -> list[Meeting]:
    """A body with a past meeting and three upcoming ones holding ``size`` planned items between
    them: every item with an author (every third the viewer), every fourth with a paper, every
    tenth exempt, every seventh withdrawn."""
    org = factories.organisation(session)
    body = factories.body(session, org)
    factories.meeting(session, body, dt.date(2026, 12, 3), status="held")
    meetings = [factories.meeting(session, body, day) for day in MEETING_DAYS]
    for n in range(size):
        meeting = meetings[n % len(meetings)]
        item = ForwardPlanItem(
            body=body,
            meeting=meeting,
            title=f"Item {n}",
            kind="report",
            lead="Director of Public Health",
            exempt=n % 10 == 0,
            exempt_reason="Paragraph 3" if n % 10 == 0 else None,
            status="withdrawn" if n % 7 == 6 else "planned",
            position=n,
            created_at=factories.T0,
        )
        item.authors.append(ItemAuthor(slack_id=AUTHOR if n % 3 == 0 else f"U0OTHER{n:04d}"))
        if n % 4 == 0:
            item.papers.append(
                Paper(
                    version=1,
                    title=item.title,
                    file_name="report.docx",
                    file_kind="docx",
                    file_size=100,
                    sha256="0" * 64,
                    submitted_by=AUTHOR,
                    submitted_at=factories.T0,
                    recommendations=[],
                )
            )
        session.add(item)
    session.flush()
    return meetings


def empty_database(engine: Engine) -> None:
    """Delete every row (children first), keeping the schema."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def queries_by_size(
    engine: Engine,
    view: Callable[[Session], object],
    sizes: tuple[int, ...] = (10, 100, 1000),
) -> dict[int, int]:
    """How many statements ``view`` sends on a fresh session, for each plan size."""
    counts: dict[int, int] = {}
    for size in sizes:
        empty_database(engine)
        with transaction(engine) as session:
            plan_of_size(session, size)
        with transaction(engine) as session, counting(engine) as count:
            view(session)
        counts[size] = len(count)
    return counts
