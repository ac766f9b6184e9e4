"""The views a person opens from Slack cost the same number of queries with 10 planned items
as with 1,000: a large organisation's App Home, submit modal and status answer in time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from agenda.board.permissions import Actor
from agenda.pack import overview
from agenda.pack.readiness import meeting_readiness
from agenda.plan.items import forward_plan
from tests.support.queries import AUTHOR, CHAIR, CLERK, MEETING_DAYS, NOW, queries_by_size

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


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_makes_as_many_queries_for_1000_items_as_for_10(engine: Engine, name: str) -> None:
    counts = queries_by_size(engine, VIEWS[name])
    assert counts[10] == counts[100] == counts[1000], counts
