"""The publication guard: planted phrases in an exempt paper and in confidential minutes of
one meeting must stop any public artefact of the next meeting that carries them, say what
matched and where, and write nothing."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine, func, select

from agenda.board.guard import PublicationBlocked, check_public, document_pieces, exempt_corpus
from agenda.board.lookup import get_meeting
from agenda.board.models import Body, ForwardPlanItem, MeetingStatus
from agenda.board.permissions import Actor
from agenda.clock import FixedClock
from agenda.db.engine import transaction
from agenda.demo.approved import write_up
from agenda.documents.minutes_style import load_minutes_style
from agenda.filestore import LocalFileStore
from agenda.minutes.service import build_minutes, file_approved_minutes
from agenda.pack.build import build_pack
from agenda.pack.publication import publish_meeting
from agenda.pack.tables import Pack
from agenda.plan.papers import submit_paper
from tests.support.boards import CLERK, load_sample_board, meeting_refs

PAPER_PLANT = (
    "the evaluation panel ranked Quokkavale Homes first with a weekly nursing fee of £1,234"
)
MINUTES_PLANT = (
    "members challenged the Marlowgate guarantee and asked the director to renegotiate "
    "the break clause before signature"
)
CLERK_ACTOR = Actor.slack(CLERK)


def docx_of(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def store(data_dir: Path) -> LocalFileStore:
    return LocalFileStore(data_dir)


@pytest.fixture
def refs(sqlite_engine: Engine, clock: FixedClock, store: LocalFileStore) -> list[str]:
    load_sample_board(sqlite_engine, clock.now())
    refs = meeting_refs(clock.now().date())
    exempt = item_titled(sqlite_engine, "Care Home Contract Award")
    submit(
        sqlite_engine,
        store,
        clock,
        exempt,
        "care-home-tender-report.docx",
        "Care Home Contract Award",
        f"Following the tender, {PAPER_PLANT}, and officers recommend the award.",
    )
    return refs


def item_titled(engine: Engine, title: str) -> int:
    with transaction(engine) as s:
        return s.scalars(select(ForwardPlanItem.id).where(ForwardPlanItem.title == title)).one()


def submit(  # type: ignore[no-untyped-def]
    engine: Engine, store: LocalFileStore, clock: FixedClock, item_id: int, name: str, *lines: str
):
    with transaction(engine) as s:
        return submit_paper(
            s,
            store,
            actor=CLERK_ACTOR,
            item_id=item_id,
            file_name=name,
            data=docx_of(*lines),
            title=lines[0],
            now=clock.now(),
            source="cli",
        )


def stored_files(data_dir: Path) -> set[Path]:
    return {p for p in data_dir.rglob("*") if p.is_file() and "render-cache" not in p.parts}


def packs(engine: Engine) -> int:
    with transaction(engine) as s:
        return s.scalar(select(func.count()).select_from(Pack)) or 0


# -- the matching itself (no LibreOffice) ------------------------------------------------------


def test_the_exempt_papers_text_is_found_in_a_public_document_and_said_where(
    sqlite_engine, refs, store
):
    public = docx_of("Report", f"It is understood that {PAPER_PLANT}.")
    with transaction(sqlite_engine) as s:
        body = s.scalars(select(Body)).one()
        with pytest.raises(PublicationBlocked) as err:
            check_public(
                s, store, body, document_pieces("leaky.docx", public), what="the test document"
            )
    message = str(err.value)
    assert "the text of leaky.docx" in message
    assert "quokkavale homes first with a weekly nursing fee" in message
    assert "'Care Home Contract Award'" in message and "Nothing was written" in message


def test_what_the_public_may_know_about_an_exempt_item_is_not_a_leak(sqlite_engine, refs, store):
    """The public agenda names the item, its exemption paragraph and its lead officer."""
    exempt = item_titled(sqlite_engine, "Care Home Contract Award")
    with transaction(sqlite_engine) as s:
        body = s.scalars(select(Body)).one()
        item = s.get(ForwardPlanItem, exempt)
        public = docx_of(
            f"Care Home Contract Award: {item.exempt_reason}.",
            "The Health and Wellbeing Board is requested to note the report.",
        )
        check_public(s, store, body, document_pieces("agenda.docx", public), what="agenda")


def test_single_common_words_never_match(sqlite_engine, refs, store):
    with transaction(sqlite_engine) as s:
        corpus = exempt_corpus(s, store, s.scalars(select(Body)).one())
    words = "the evaluation panel ranked first weekly nursing fee officers recommend award"
    assert corpus.check(document_pieces("x.docx", docx_of(words))) == []


def test_a_bookmark_or_document_property_carrying_exempt_text_is_found(sqlite_engine, refs, store):
    doc = Document()
    doc.core_properties.subject = PAPER_PLANT
    doc.add_paragraph("An innocent agenda.")
    buf = io.BytesIO()
    doc.save(buf)
    with transaction(sqlite_engine) as s:
        corpus = exempt_corpus(s, store, s.scalars(select(Body)).one())
    leaks = corpus.check(document_pieces("agenda.docx", buf.getvalue()))
    assert [leak.where for leak in leaks] == ["the document properties of agenda.docx"]


def test_an_exempt_papers_distinctive_file_name_is_found(sqlite_engine, refs, store):
    with transaction(sqlite_engine) as s:
        corpus = exempt_corpus(s, store, s.scalars(select(Body)).one())
    leaks = corpus.check(document_pieces("front.docx", docx_of("See care-home-tender-report.docx")))
    assert leaks and leaks[0].phrase == "care-home-tender-report.docx"


# -- packs and publishing across two consecutive meetings (LibreOffice) -----------------------


def build(engine: Engine, store: LocalFileStore, ref: str, now: dt.datetime, *, private: bool):  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        return build_pack(
            s, store, ref, private=private, formats=("pdf", "docx"), now=now, actor=CLERK_ACTOR
        )


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_a_public_paper_copying_the_last_meetings_exempt_paper_stops_the_pack(
    sqlite_engine, refs, store, clock, data_dir
):
    copied = item_titled(sqlite_engine, "Suicide Prevention Strategy")  # on the next meeting
    submit(
        sqlite_engine,
        store,
        clock,
        copied,
        "strategy.docx",
        "Suicide Prevention Strategy",
        f"Following the tender, {PAPER_PLANT}, and officers recommend the award.",
    )
    before, rows = stored_files(data_dir), packs(sqlite_engine)
    with pytest.raises(PublicationBlocked) as err:
        build(sqlite_engine, store, refs[1], clock.now(), private=False)
    message = str(err.value)
    assert "the public agenda pack of " + refs[1] in message
    assert "page " in message and "quokkavale homes first" in message
    assert "'Care Home Contract Award' (" + refs[0] + ")" in message
    assert stored_files(data_dir) == before and packs(sqlite_engine) == rows  # nothing written
    # The private pack (members only) may carry it.
    build(sqlite_engine, store, refs[1], clock.now(), private=True)


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_confidential_minutes_of_one_meeting_never_reach_the_next_public_pack(
    sqlite_engine, refs, store, clock
):
    style = load_minutes_style("council-appendix")
    with transaction(sqlite_engine) as s:
        first = get_meeting(s, refs[0])
        clock.set(first.starts_at + dt.timedelta(days=3))
        first.status = MeetingStatus.HELD.value
        skeleton = build_minutes(s, store, refs[0], actor=CLERK_ACTOR, now=clock.now())
    assert skeleton.confidential is not None
    public = write_up(store.get(skeleton.sha256), style)
    secret = write_up(store.get(skeleton.confidential.sha256), style, discussion=MINUTES_PLANT)
    with transaction(sqlite_engine) as s:
        filed = file_approved_minutes(
            s,
            store,
            actor=CLERK_ACTOR,
            meeting_ref=refs[0],
            file_name="minutes.docx",
            data=public,
            confidential_file_name="minutes-part-b.docx",
            confidential_data=secret,
            now=clock.now(),
        )
    assert filed.next_meeting_ref == refs[1]
    public_pack = build(sqlite_engine, store, refs[1], clock.now(), private=False)
    text = " ".join(
        p.text for p in document_pieces("p.pdf", public_pack.outputs["pdf"].path.read_bytes())
    )
    assert "Marlowgate" not in text and "Quokkavale" not in text
    private_pack = build(sqlite_engine, store, refs[1], clock.now(), private=True)
    text = " ".join(
        p.text for p in document_pieces("p.pdf", private_pack.outputs["pdf"].path.read_bytes())
    )
    assert "Marlowgate" in " ".join(text.split())

    # A report for the next meeting that quotes the confidential minutes is stopped.
    quoting = item_titled(sqlite_engine, "Suicide Prevention Strategy")
    submit(
        sqlite_engine,
        store,
        clock,
        quoting,
        "strategy.docx",
        "Suicide Prevention Strategy",
        f"At the last meeting {MINUTES_PLANT}.",
        *[f"Line {n}." for n in range(3)],
    )
    with pytest.raises(PublicationBlocked, match="confidential minutes|Confidential minutes"):
        build(sqlite_engine, store, refs[1], clock.now(), private=False)


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_publishing_is_stopped_when_an_exempt_paper_the_pack_quotes_arrives_later(
    sqlite_engine, refs, store, clock
):
    strategy = item_titled(sqlite_engine, "Suicide Prevention Strategy")
    later_secret = (
        "the coroner's draft findings name three patients discharged from the Bradgate unit"
    )
    submit(
        sqlite_engine,
        store,
        clock,
        strategy,
        "strategy.docx",
        "Suicide Prevention Strategy",
        f"We expect that {later_secret}.",
    )
    build(sqlite_engine, store, refs[1], clock.now(), private=False)
    with transaction(sqlite_engine) as s:  # the item turns out to be exempt after all
        item = s.get(ForwardPlanItem, strategy)
        item.exempt, item.exempt_reason = True, "Paragraph 1 of Part 1 of Schedule 12A"
    with (
        pytest.raises(PublicationBlocked, match="publishing " + refs[1]),
        transaction(sqlite_engine) as s,
    ):
        publish_meeting(s, store, actor=CLERK_ACTOR, meeting_ref=refs[1], now=clock.now())
    with transaction(sqlite_engine) as s:
        assert get_meeting(s, refs[1]).status != MeetingStatus.PUBLISHED.value
