"""Publishing a meeting's agenda: the clerk only, once the public pack is built; the notice
names the public pack, never the private one."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import Engine, select

from agenda.board.lookup import get_meeting
from agenda.board.models import AuditEvent, MeetingStatus
from agenda.board.permissions import Actor
from agenda.clock import FixedClock
from agenda.db.engine import transaction
from agenda.errors import DeadlinePassed, InvalidInput, PermissionDenied
from agenda.filestore import LocalFileStore
from agenda.pack.build import build_pack
from agenda.pack.publication import publish_meeting
from tests.support.boards import CHAIR, CLERK, PUBLIC_HEALTH, load_sample_board, meeting_refs

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice"),
]


@pytest.fixture
def store(data_dir: Path) -> LocalFileStore:
    return LocalFileStore(data_dir)


@pytest.fixture
def ref(engine: Engine, clock: FixedClock) -> str:
    load_sample_board(engine, clock.now())
    return meeting_refs(clock.now().date())[0]


def build(
    engine: Engine, store: LocalFileStore, ref: str, now: dt.datetime, *, private: bool = False
) -> str:
    with transaction(engine) as s:
        result = build_pack(
            s, store, ref, private=private, formats=("pdf",), now=now, actor=Actor.system()
        )
    return result.outputs["pdf"].sha256


def publish(
    engine: Engine, store: LocalFileStore, ref: str, now: dt.datetime, actor: Actor | None = None
):  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        return publish_meeting(
            s, store, actor=actor or Actor.slack(CLERK), meeting_ref=ref, now=now
        )


def status_of(engine: Engine, ref: str) -> str:
    with transaction(engine) as s:
        return get_meeting(s, ref).status


def test_publishing_needs_the_public_pack_built_first(engine, store, ref, clock) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="Build the agenda pack first: /boardclerk pack"):
        publish(engine, store, ref, clock.now())
    build(engine, store, ref, clock.now(), private=True)  # a private pack is not enough
    with pytest.raises(InvalidInput, match="Build the agenda pack first"):
        publish(engine, store, ref, clock.now())
    assert status_of(engine, ref) == MeetingStatus.SCHEDULED.value


def test_only_the_clerk_can_publish(engine, store, ref, clock) -> None:  # type: ignore[no-untyped-def]
    build(engine, store, ref, clock.now())
    for who in (CHAIR, PUBLIC_HEALTH):
        with pytest.raises(PermissionDenied, match="Only the clerk"):
            publish(engine, store, ref, clock.now(), Actor.slack(who))
    assert status_of(engine, ref) == MeetingStatus.SCHEDULED.value


def test_publishing_marks_the_meeting_published_with_the_public_pack(
    engine, store, ref, clock
) -> None:  # type: ignore[no-untyped-def]
    public = build(engine, store, ref, clock.now())
    clock.advance(dt.timedelta(minutes=5))
    private = build(engine, store, ref, clock.now(), private=True)  # newer, but never named
    notice = publish(engine, store, ref, clock.now())
    assert status_of(engine, ref) == MeetingStatus.PUBLISHED.value
    assert notice.pack_sha256 == public != private
    assert "private" not in notice.pack_file_name and notice.pack_file_name.endswith(".pdf")
    assert "(private" not in (PdfReader(notice.pack_path).metadata or {}).get("/Title", "")
    assert notice.channel is None and not notice.late and not notice.republished
    assert CLERK not in notice.member_slack_ids
    assert set(notice.member_slack_ids) == {
        CHAIR,
        "U0CLLR002",
        "U0OFFI001",
        PUBLIC_HEALTH,
        "U0AUTH002",
    }
    text = notice.notice_text()
    assert text.startswith("The agenda for the Health and Wellbeing Board on Thursday ")
    assert "at 2.00 pm, Meeting Room G.01" in text and text.endswith(", is published.")
    with transaction(engine) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "meeting.published")).all()
        assert [e.subject for e in events] == [ref]


def test_publishing_after_the_statutory_date_is_flagged_late(engine, store, ref, clock) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        meeting = get_meeting(s, ref)
        clock.set(meeting.starts_at - dt.timedelta(days=2))
    build(engine, store, ref, clock.now())
    notice = publish(engine, store, ref, clock.now())
    assert notice.late
    assert "after its statutory publication date" in (notice.late_warning() or "")


def test_cancelled_and_past_meetings_are_not_published(engine, store, ref, clock) -> None:  # type: ignore[no-untyped-def]
    build(engine, store, ref, clock.now())
    with transaction(engine) as s:
        starts = get_meeting(s, ref).starts_at
    with pytest.raises(DeadlinePassed, match="already taken place"):
        publish(engine, store, ref, starts + dt.timedelta(hours=3))
    with transaction(engine) as s:
        get_meeting(s, ref).status = MeetingStatus.CANCELLED.value
    with pytest.raises(InvalidInput, match="cancelled"):
        publish(engine, store, ref, clock.now())
    assert status_of(engine, ref) == MeetingStatus.CANCELLED.value


def test_the_publish_command_prints_the_notice(engine, store, ref, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from agenda.cli.main import main

    build(engine, store, ref, clock.now())
    monkeypatch.setenv("BOARDCLERK_DATA_DIR", str(store.root))
    url = engine.url.render_as_string(hide_password=False)
    # The CLI runs on the real clock; the sample meetings are months after the test clock.
    result = CliRunner().invoke(main, ["--database-url", url, "publish", ref])
    assert result.exit_code == 0, result.output
    assert "The agenda for the Health and Wellbeing Board" in result.output
    assert "posted in Slack by the bot" in result.output
    assert status_of(engine, ref) == MeetingStatus.PUBLISHED.value


def test_a_paper_that_arrived_after_the_pack_was_built_is_flagged(
    engine, store, ref, clock
) -> None:  # type: ignore[no-untyped-def]
    from agenda.board.models import ForwardPlanItem
    from agenda.demo.papers import make_report_docx, sample_reports
    from agenda.plan.papers import submit_paper

    build(engine, store, ref, clock.now())
    clock.advance(dt.timedelta(hours=1))
    with transaction(engine) as s:
        item = s.scalar(select(ForwardPlanItem.id).where(ForwardPlanItem.title == "Winter Plan"))
        data = make_report_docx(
            sample_reports("Health and Wellbeing Board", clock.now().date(), 1)[0],
            "council-appendix",
            pages=1,
        )
        submit_paper(
            s,
            store,
            actor=Actor.slack("U0AUTH002"),
            item_id=item,
            file_name="winter.docx",
            data=data,
            now=clock.now(),
        )
    notice = publish(engine, store, ref, clock.now())
    assert notice.papers_since_pack == 1
    assert "1 paper has arrived since" in (notice.stale_warning() or "")
    assert "/boardclerk pack" in (notice.stale_warning() or "")
