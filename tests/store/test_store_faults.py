"""The object store failing the way it does in production, seen from the user's side: an author
submitting while S3 answers 503 is told to try again and nothing is recorded; a pack build while
S3 is down fails cleanly and the job queue runs it again; a damaged paper or pack is reported
and never sent or published."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, func, select

from agenda.board.lookup import get_meeting
from agenda.board.models import ForwardPlanItem, Paper
from agenda.board.permissions import Actor
from agenda.clock import FixedClock
from agenda.db.engine import transaction
from agenda.demo.papers import make_report_pdf, sample_reports
from agenda.errors import StoreCorrupt, StoreUnavailable
from agenda.filestore import open_store
from agenda.jobs import queue as jobs
from agenda.jobs.tables import Job
from agenda.pack.build import build_pack
from agenda.pack.publication import publish_meeting
from agenda.pack.tables import Pack
from agenda.plan.papers import submit_paper
from agenda.s3store import S3FileStore
from agenda.settings import Settings
from bot.worker import JobRunner
from tests.support.boards import CLERK, PUBLIC_HEALTH, load_sample_board, meeting_refs
from tests.support.bot_harness import running_bot, submit_values
from tests.support.fakeslack import BOT_TOKEN, FakeSlack, dm_channel, wait_for
from tests.support.s3server import S3

STRATEGY = "Joint Health and Wellbeing Strategy Refresh"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    report = sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1)[0]
    return make_report_pdf(report, "council-appendix", pages=1)


def host_store(s3: S3, root: Path) -> S3FileStore:
    """The store as a process on a host with its own (empty) disk opens it."""
    store = open_store(Settings.from_env({"BOARDCLERK_DATA_DIR": str(root), **s3.env}))
    assert isinstance(store, S3FileStore)
    return store


def paper_count(engine: Engine) -> int:
    with transaction(engine) as s:
        return s.scalar(select(func.count(Paper.id))) or 0


def pack_count(engine: Engine) -> int:
    with transaction(engine) as s:
        return s.scalar(select(func.count(Pack.id))) or 0


def submit_strategy(engine: Engine, store: S3FileStore, pdf: bytes, now: dt.datetime) -> Paper:
    with transaction(engine) as s:
        item_id = s.scalar(select(ForwardPlanItem.id).where(ForwardPlanItem.title == STRATEGY))
        submit_paper(
            s,
            store,
            actor=Actor.slack(PUBLIC_HEALTH),
            item_id=item_id,
            file_name="strategy.pdf",
            data=pdf,
            now=now,
        )
        return s.scalars(select(Paper)).one()


# -- submissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 503])
def test_an_author_submitting_while_s3_fails_is_told_to_try_again_and_nothing_is_recorded(
    sqlite_engine: Engine, clock: FixedClock, tmp_path: Path, s3: S3, pdf: bytes, status: int
) -> None:
    store = host_store(s3, tmp_path / "web")
    with running_bot(sqlite_engine, clock, tmp_path / "web", store=store) as bot:
        mark = len(bot.fake.calls)
        bot.slack.command(PUBLIC_HEALTH, "submit")
        view = bot.opened_view("submit_paper", after=mark)
        item = str(bot.item_id(STRATEGY))
        file = bot.fake.add_file(pdf, "strategy.pdf", user=PUBLIC_HEALTH)
        state = submit_values(view, item=("select", item), title=STRATEGY, file=[file])
        with s3.failing(status):
            assert bot.slack.submit_view(PUBLIC_HEALTH, view, state).status == 200
            told = bot.dm_to(PUBLIC_HEALTH, "could not accept")
        assert "try again" in told and "Nothing was stored" in told
        assert bot.papers(STRATEGY) == [] and s3.object_keys() == []
        # Once the store answers again, trying again (the form opened afresh) goes through;
        # a replay of the refused submission itself stays a no-op (issue 13's idempotency).
        mark = len(bot.fake.calls)
        bot.slack.command(PUBLIC_HEALTH, "submit")
        view = bot.opened_view("submit_paper", after=mark)
        state = submit_values(view, item=("select", item), title=STRATEGY, file=[file])
        assert bot.slack.submit_view(PUBLIC_HEALTH, view, state).status == 200
        assert "Version 1" in bot.dm_to(PUBLIC_HEALTH, "Version 1")
        assert [p.version for p in bot.papers(STRATEGY)] == [1]


def test_a_submission_with_s3_unreachable_records_nothing(
    sqlite_engine: Engine, clock: FixedClock, tmp_path: Path, s3: S3, pdf: bytes
) -> None:
    from tests.support.s3server import closed_port

    load_sample_board(sqlite_engine, clock.now())
    down = open_store(
        Settings.from_env(
            {
                "BOARDCLERK_DATA_DIR": str(tmp_path),
                **s3.env,
                "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}",
            }
        )
    )
    with pytest.raises(StoreUnavailable, match="try again"):
        submit_strategy(sqlite_engine, down, pdf, clock.now())  # type: ignore[arg-type]
    assert paper_count(sqlite_engine) == 0


# -- pack builds -----------------------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack().start()
    yield f
    f.stop()


def queue_pack(engine: Engine, ref: str, now: dt.datetime) -> int:
    with transaction(engine) as s:
        return jobs.enqueue(
            s, "build_pack", {"meeting": ref, "user": CLERK, "private": False}, now=now
        ).id


def job_state(engine: Engine, job_id: int) -> tuple[str, int, str | None]:
    with transaction(engine) as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job.status, job.attempts, job.error


@pytest.mark.soffice
def test_a_pack_build_while_s3_is_down_fails_cleanly_and_the_queue_runs_it_again(
    sqlite_engine: Engine, clock: FixedClock, tmp_path: Path, s3: S3, pdf: bytes, fake: FakeSlack
) -> None:
    load_sample_board(sqlite_engine, clock.now())
    submit_strategy(sqlite_engine, host_store(s3, tmp_path / "web"), pdf, clock.now())
    worker_store = host_store(s3, tmp_path / "worker")  # another host: nothing cached
    client = WebClient(base_url=fake.base_url, token=BOT_TOKEN)
    runner = JobRunner(sqlite_engine, worker_store, lambda _team: client, clock=clock)
    job = queue_pack(sqlite_engine, meeting_refs(clock.now().date())[0], clock.now())

    with s3.failing(503):
        assert runner.run_once() == 1
    status, attempts, error = job_state(sqlite_engine, job)
    assert status == "queued" and attempts == 1 and "StoreUnavailable" in (error or "")
    assert pack_count(sqlite_engine) == 0 and fake.uploaded() == []
    assert not [t for t in fake.dm_texts(CLERK) if ":x:" in t]  # a retry, not a failure yet

    clock.advance(jobs.RETRY_DELAY + dt.timedelta(seconds=1))
    assert runner.run_once() == 1
    assert job_state(sqlite_engine, job)[0] == "done"
    assert pack_count(sqlite_engine) == 2  # PDF and Word
    [upload, *_] = wait_for(lambda: fake.uploaded())
    assert upload["channel"] == dm_channel(CLERK)


@pytest.mark.soffice
def test_a_paper_damaged_in_the_store_is_reported_and_never_packed(
    sqlite_engine: Engine, clock: FixedClock, tmp_path: Path, s3: S3, pdf: bytes, fake: FakeSlack
) -> None:
    load_sample_board(sqlite_engine, clock.now())
    web = host_store(s3, tmp_path / "web")
    paper = submit_strategy(sqlite_engine, web, pdf, clock.now())
    s3.overwrite(web.key(paper.sha256), pdf.replace(b"Strategy", b"Strategem"))
    client = WebClient(base_url=fake.base_url, token=BOT_TOKEN)
    runner = JobRunner(
        sqlite_engine, host_store(s3, tmp_path / "worker"), lambda _t: client, clock=clock
    )
    job = queue_pack(sqlite_engine, meeting_refs(clock.now().date())[0], clock.now())
    assert runner.run_once() == 1
    status, _, error = job_state(sqlite_engine, job)
    assert status == "failed" and "does not match its fingerprint" in (error or "")
    assert pack_count(sqlite_engine) == 0 and fake.uploaded() == []
    assert any("does not match its fingerprint" in t for t in fake.dm_texts(CLERK))


@pytest.mark.soffice
def test_a_pack_damaged_in_the_store_is_never_published(
    sqlite_engine: Engine, clock: FixedClock, tmp_path: Path, s3: S3, pdf: bytes
) -> None:
    load_sample_board(sqlite_engine, clock.now())
    store = host_store(s3, tmp_path / "web")
    submit_strategy(sqlite_engine, store, pdf, clock.now())
    ref = meeting_refs(clock.now().date())[0]
    with transaction(sqlite_engine) as s:
        built = build_pack(
            s,
            store,
            ref,
            private=False,
            formats=("pdf",),
            now=clock.now(),
            actor=Actor.slack(CLERK),
        )
    sha = built.outputs["pdf"].sha256
    s3.overwrite(store.key(sha), b"%PDF-1.7 something else entirely")
    shutil.rmtree(store.cache.root)
    with pytest.raises(StoreCorrupt), transaction(sqlite_engine) as s:
        publish_meeting(s, store, actor=Actor.slack(CLERK), meeting_ref=ref, now=clock.now())
    with transaction(sqlite_engine) as s:
        assert get_meeting(s, ref).status == "scheduled"
