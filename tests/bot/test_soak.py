"""A short run of benchmarks/soak.py: two web and two worker processes on PostgreSQL, a fake
Slack that is slow, fails 5% of calls and rate-limits, a process killed with SIGKILL every
10 s. Nothing acknowledged is lost, nothing is stored or sent twice."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.slow


@pytest.mark.postgres
def test_short_soak_loses_nothing_and_does_nothing_twice() -> None:
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL server (set BOARDCLERK_TEST_POSTGRES_URL)")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from soak import run_soak

    result = run_soak(
        pg_url=POSTGRES_URL,
        submissions=30,
        authors=10,
        reminders=100,
        duration=30,
        kill_every=10,
        drain=240,
        log=lambda _msg: None,
    )
    print(result.report())
    assert result.acknowledged >= 20 and result.kills >= 2
    assert result.lost == 0 and result.duplicated == 0
    assert result.reminders_sent_twice == 0 and result.reminders_outstanding == 0


def test_short_soak_on_sqlite_with_one_web_process_loses_nothing() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from soak import run_soak

    result = run_soak(
        pg_url="sqlite",
        submissions=20,
        authors=5,
        reminders=50,
        duration=25,
        kill_every=10,
        drain=240,
        log=lambda _msg: None,
    )
    print(result.report())
    assert result.lost == 0 and result.duplicated == 0
    assert result.reminders_sent_twice == 0 and result.reminders_outstanding == 0
