"""A pack build holds no transaction while it renders (issue 13: on SQLite a submission waited
169 s behind a build and was lost), and a build whose papers changed meanwhile is not kept as
it was: it is built again with the new paper."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.demo.papers import make_report_docx, sample_reports
from agenda.filestore import LocalFileStore
from agenda.pack.build import PackResult, build_pack_briefly
from agenda.plan.papers import submit_paper
from tests.plan.test_papers import a_docx, item_of, submit
from tests.support.boards import ASC_DIRECTOR, CCG, CLERK, load_sample_board, meeting_refs

pytestmark = pytest.mark.soffice

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _rendering() -> bool:
    """LibreOffice is running for this process (a profile named after our pid)."""
    marker = f"lo_profile_{os.getpid()}_".encode()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (proc / "cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def test_a_submission_during_a_slow_pack_build_on_sqlite_is_stored_at_once(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    engine, store = sqlite_engine, LocalFileStore(data_dir)
    load_sample_board(engine, NOW)
    bcf, winter = item_of(engine, "Better Care Fund Plan"), item_of(engine, "Winter Plan")
    report = sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1, seed=4)[0]
    big = make_report_docx(report, "council-appendix", pages=60, seed=4)  # a slow render
    with transaction(engine) as session:
        submit_paper(
            session,
            store,
            actor=Actor.slack(ASC_DIRECTOR),
            item_id=bcf,
            file_name="big.docx",
            data=big,
            now=NOW,
        )
    results: list[PackResult] = []
    build = threading.Thread(
        target=lambda: results.append(
            build_pack_briefly(
                engine,
                store,
                meeting_refs(NOW.date())[0],
                private=False,
                formats=("pdf",),
                now=NOW,
                actor=Actor.slack(CLERK),
            )
        )
    )
    build.start()
    deadline = time.monotonic() + 60
    while not _rendering():
        assert time.monotonic() < deadline and build.is_alive(), "the build never rendered"
        time.sleep(0.02)
    started = time.monotonic()
    version = submit(engine, store, CCG, winter, a_docx(2), NOW).version  # mid-build
    took = time.monotonic() - started
    still_rendering = build.is_alive()
    build.join(300)
    assert still_rendering, "the build ended before the submission: no overlap was tested"
    assert version == 1 and took < 3, f"the submission waited {took:.1f} s for the build"
    # The build saw the agenda change under it and built again, with the new paper in.
    (result,) = results
    assert {p.item_id for p in result.papers} >= {bcf, winter}
