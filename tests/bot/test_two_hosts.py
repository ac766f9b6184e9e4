"""Stateless processes: two ``web`` and two ``worker`` processes, each with its own data
directory (as four hosts would have), sharing only the database and the S3 store (moto on
loopback). Papers submitted through one web process are built into a pack by a worker that
never saw them on its own disk."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select, text

from agenda.board.models import Paper
from agenda.clock import FixedClock
from agenda.db.engine import make_engine, transaction
from agenda.demo.papers import make_report_pdf, sample_report_for
from agenda.filestore import open_store, sha256_of
from agenda.jobs.tables import Job
from agenda.pack.tables import Pack
from agenda.schema import metadata
from agenda.settings import Settings
from tests.conftest import POSTGRES_URL
from tests.support.boards import ASC_DIRECTOR, CLERK, PUBLIC_HEALTH, write_sample_config
from tests.support.bot_harness import Bot, submit_values
from tests.support.fakeslack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    SlackSide,
    dm_channel,
    wait_for,
)
from tests.support.s3server import S3

pytestmark = pytest.mark.soffice

BOARDCLERK = str(Path(sys.executable).with_name("boardclerk"))
PAPERS = {
    "Joint Health and Wellbeing Strategy Refresh": PUBLIC_HEALTH,
    "Better Care Fund Plan": ASC_DIRECTOR,
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def shared_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """PostgreSQL when the tests have one (as production would), else one SQLite file."""
    if POSTGRES_URL:
        url = str(request.getfixturevalue("postgres_database"))
        engine = make_engine(url)
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
        yield url
    else:
        yield f"sqlite:///{tmp_path}/shared.db"


@contextmanager
def process(
    command: str, data_dir: Path, env: dict[str, str], *, port: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``boardclerk COMMAND`` on a host of its own: its own data directory, the shared rest."""
    data_dir.mkdir(parents=True)
    host_env = {**env, "BOARDCLERK_DATA_DIR": str(data_dir), "PORT": str(port or _free_port())}
    log = (data_dir.parent / f"{data_dir.name}.log").open("wb")
    proc = subprocess.Popen([BOARDCLERK, command], env=host_env, stdout=log, stderr=log)
    try:
        if port is not None:

            def healthy() -> bool:
                assert proc.poll() is None, (data_dir.parent / f"{data_dir.name}.log").read_text()
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                        return True
                except OSError:
                    return False

            wait_for(healthy, timeout=60, interval=0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def submit_through(bot: Bot, user: str, title: str, data: bytes) -> None:
    """The author's way in: /boardclerk submit, pick the item, attach the file, submit."""
    mark = len(bot.fake.calls)
    assert bot.slack.command(user, "submit").status == 200
    view = bot.opened_view("submit_paper", after=mark, timeout=15)
    item = str(bot.item_id(title))
    if f'"item": {item}' not in (view["private_metadata"] or ""):
        mark = len(bot.fake.calls)
        bot.slack.select(user, "submit_item", item, view=view, block_id="item")
        view = bot.opened_view("submit_paper", after=mark, timeout=15)
    file = bot.fake.add_file(data, f"{title}.pdf", user=user)
    state = submit_values(view, item=("select", item), title=title, file=[file])
    assert bot.slack.submit_view(user, view, state).status == 200
    assert "Version 1" in bot.dm_to(user, title, timeout=30)


def test_two_webs_and_two_workers_on_separate_disks_share_only_the_database_and_s3(
    tmp_path: Path, s3: S3, shared_db: str
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    fake = FakeSlack().start()
    env = {
        **os.environ,
        **s3.env,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": shared_db,
        "BOARDCLERK_CONFIG": str(write_sample_config(tmp_path / "boardclerk.yaml", today)),
        "WEB_CONCURRENCY": "1",
    }
    env.pop("SLACK_APP_TOKEN", None)
    hosts = tmp_path / "hosts"
    engine: Engine | None = None
    try:
        with ExitStack() as stack:
            # One at a time: each start imports the configuration (idempotent, but not racing).
            ports = [_free_port(), _free_port()]
            for n, port in enumerate(ports):
                stack.enter_context(process("web", hosts / f"web{n}", env, port=port))
            for n in range(2):  # `web` runs no jobs: only these can build the pack
                stack.enter_context(process("worker", hosts / f"worker{n}", env))
            engine = make_engine(shared_db)
            webs = [
                Bot(
                    fake=fake,
                    slack=SlackSide(
                        f"http://127.0.0.1:{port}/slack/events", hooks_url=f"{fake.root}hooks/"
                    ),
                    engine=engine,
                    store=open_store(
                        Settings.from_env({**s3.env, "BOARDCLERK_DATA_DIR": str(tmp_path / "t")})
                    ),
                    clock=FixedClock(dt.datetime.now(dt.UTC)),
                    url=f"http://127.0.0.1:{port}",
                )
                for port in ports
            ]
            # Each paper through a different web process.
            papers = {}
            for web, (title, author) in zip(webs, PAPERS.items(), strict=True):
                papers[title] = make_report_pdf(
                    sample_report_for(title, "HWB", today), "council-appendix", pages=1
                )
                submit_through(web, author, title, papers[title])

            # The pack asked for through the second web process, built by whichever worker.
            ref = webs[1].meetings[0]
            mark = len(fake.calls)
            assert webs[1].slack.command(CLERK, f"pack {ref}").status == 200
            uploads = wait_for(
                lambda: [
                    u for u in fake.uploaded(dm_channel(CLERK)) if u["filename"].endswith(".pdf")
                ],
                timeout=120,
                interval=0.5,
            )
            assert len(fake.calls) > mark
            pdf_text = "\n".join(
                p.extract_text() or "" for p in PdfReader(io.BytesIO(uploads[0]["data"])).pages
            )
            for title in PAPERS:
                assert title.split()[0] in pdf_text
            with transaction(engine) as s:
                [job] = s.scalars(select(Job).where(Job.kind == "build_pack")).all()
                assert job.status == "done"
                packs = s.scalars(select(Pack)).all()
                stored = {p.sha256 for p in s.scalars(select(Paper))}
            assert {p.format for p in packs} == {"pdf", "docx"}
    finally:
        fake.stop()
        if engine is not None:
            engine.dispose()

    # Everything lasting is in the bucket; no host kept an object of its own.
    assert stored == {sha256_of(d) for d in papers.values()}
    keys = set(s3.object_keys())
    for sha in stored | {p.sha256 for p in packs}:
        assert f"boardclerk/objects/{sha[:2]}/{sha}" in keys
    assert not list(hosts.glob("*/objects"))
