"""Concurrent submissions for one item all land, numbered 1..N without gaps, on SQLite and on
PostgreSQL (issue 13: 6 of 18 were lost on a UniqueViolation of the version number)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from pathlib import Path

from sqlalchemy import Engine, select

from agenda.board.models import Paper
from agenda.board.permissions import Actor
from agenda.db.engine import make_engine, transaction
from agenda.filestore import LocalFileStore
from agenda.plan.papers import submit_paper
from tests.plan.test_papers import a_docx, item_of
from tests.support.boards import ASC_DIRECTOR, load_sample_board

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _submit(url_or_engine: str | Engine, data_dir: str, item: int, seed: int) -> int:
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    with transaction(engine) as session:
        receipt = submit_paper(
            session,
            LocalFileStore(Path(data_dir)),
            actor=Actor.slack(ASC_DIRECTOR),
            item_id=item,
            file_name=f"report-{seed}.docx",
            data=a_docx(seed % 3),
            now=NOW + dt.timedelta(seconds=seed),
        )
    if isinstance(url_or_engine, str):
        engine.dispose()
    return receipt.version


def _versions(engine: Engine, item: int) -> list[int]:
    with transaction(engine) as session:
        return sorted(session.scalars(select(Paper.version).where(Paper.item_id == item)))


def test_twelve_threads_submitting_to_one_item_all_land_numbered_without_gaps(
    engine: Engine, data_dir: Path
) -> None:
    load_sample_board(engine, NOW)
    item = item_of(engine, "Better Care Fund Plan")
    start = threading.Barrier(12)
    told: list[int] = []
    errors: list[BaseException] = []

    def one(seed: int) -> None:
        start.wait()
        try:
            told.append(_submit(engine, str(data_dir), item, seed))
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert sorted(told) == list(range(1, 13))  # each author told a distinct version
    assert _versions(engine, item) == list(range(1, 13))


def test_three_processes_submitting_at_once_all_land(engine: Engine, data_dir: Path) -> None:
    load_sample_board(engine, NOW)
    item = item_of(engine, "Better Care Fund Plan")
    url = engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        told = pool.starmap(_submit, [(url, str(data_dir), item, n) for n in range(6)])
    assert sorted(told) == list(range(1, 7))
    assert _versions(engine, item) == list(range(1, 7))
