"""The views a person opens from Slack cost the same number of queries with 10 planned items
as with 1,000: a large organisation's App Home, submit modal and status answer in time."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests.support.queries import VIEWS, queries_by_size


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_makes_as_many_queries_for_1000_items_as_for_10(engine: Engine, name: str) -> None:
    counts = queries_by_size(engine, VIEWS[name])
    assert counts[10] == counts[100] == counts[1000], counts
