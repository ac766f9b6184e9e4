"""Say only what happened: an outstanding report is "to follow" on the agenda and the pack
warns of it; the minutes of the previous meeting are "attached" only when they are; the
skeleton says "submitted a report" only for papers received; publishing says whose papers it
stops chasing, and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from sqlalchemy import Engine, select

from agenda.board.agenda_of import build_agenda
from agenda.board.lookup import get_meeting
from agenda.board.models import ForwardPlanItem
from agenda.board.permissions import Actor
from agenda.clock import FixedClock
from agenda.db.engine import transaction
from agenda.filestore import LocalFileStore
from agenda.minutes.service import build_minutes
from agenda.pack.build import build_pack
from agenda.pack.publication import publish_meeting
from agenda.reminders.tables import Reminder
from tests.support.boards import CLERK, load_sample_board, meeting_refs

CLERK_ACTOR = Actor.slack(CLERK)


@pytest.fixture
def store(data_dir: Path) -> LocalFileStore:
    return LocalFileStore(data_dir)


@pytest.fixture
def refs(sqlite_engine: Engine, clock: FixedClock) -> list[str]:
    load_sample_board(sqlite_engine, clock.now())
    return meeting_refs(clock.now().date())


def test_an_outstanding_report_is_to_follow_on_the_agenda(sqlite_engine, refs):
    with transaction(sqlite_engine) as s:
        agenda = build_agenda(s, get_meeting(s, refs[0]), private=True)
    bcf = next(e for e in agenda.entries if e.heading == "BETTER CARE FUND PLAN")
    assert bcf.paper is None and bcf.description.endswith("Report to follow.")
    verbal = next(e for e in agenda.entries if "PEER CHALLENGE" in e.heading)
    assert "to follow" not in verbal.description  # a verbal update has no paper to follow


def test_the_previous_minutes_are_attached_only_when_they_are(sqlite_engine, refs):
    with transaction(sqlite_engine) as s:
        agenda = build_agenda(s, get_meeting(s, refs[1]), private=False)
    minutes = next(e for e in agenda.entries if e.key == "proc:minutes")
    assert "will follow" in minutes.description and "attached" not in minutes.description


def test_the_skeleton_says_submitted_a_report_only_for_papers_received(
    sqlite_engine, refs, store, clock
):
    with transaction(sqlite_engine) as s:
        result = build_minutes(s, store, refs[0], actor=CLERK_ACTOR, now=clock.now())
    text = [p.text for p in Document(str(result.path)).paragraphs]
    assert not any("submitted a report on Better Care Fund Plan" in t for t in text)
    assert "No report on Better Care Fund Plan was received before the meeting." in " ".join(text)


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_pack_warns_of_missing_papers_and_publish_says_whose_it_stops_chasing(
    sqlite_engine, refs, store, clock, tmp_path
):
    with transaction(sqlite_engine) as s:
        built = build_pack(
            s, store, refs[1], private=False, formats=("pdf",), now=clock.now(), actor=CLERK_ACTOR
        )
    warning = built.missing_warning()
    assert warning is not None and "item 4 'SUICIDE PREVENTION STRATEGY'" in warning
    with transaction(sqlite_engine) as s:
        notice = publish_meeting(s, store, actor=CLERK_ACTOR, meeting_ref=refs[1], now=clock.now())
        item = s.scalars(
            select(ForwardPlanItem).where(ForwardPlanItem.title == "Suicide Prevention Strategy")
        ).one()
        reasons = {
            r.note for r in s.scalars(select(Reminder).where(Reminder.item_id == item.id)) if r.note
        }
    note = notice.chasing_note()
    assert note is not None and "Stopped chasing 'Suicide Prevention Strategy'" in note
    assert "published without them" in note
    assert reasons <= {"agenda published without it"} and reasons


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_the_pack_command_prints_the_warning(sqlite_engine, refs, store, tmp_path, monkeypatch):
    from agenda.cli.main import main

    monkeypatch.setenv("BOARDCLERK_DATA_DIR", str(store.root))
    out = CliRunner().invoke(
        main,
        [
            "--database-url",
            str(sqlite_engine.url),
            "pack",
            refs[1],
            "--format",
            "pdf",
            "--out",
            str(tmp_path),
        ],
    )
    assert out.exit_code == 0, out.output
    assert "Warning: Not in the pack, shown as to follow: item" in out.output
