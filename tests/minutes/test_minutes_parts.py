"""Minutes in two parts: the public minutes record the exclusion of the press and public and
at most the exempt item's title; the confidential (Part B) minutes hold the exempt business,
every page marked NOT FOR PUBLICATION. Filing approved minutes keeps the split, and refuses
an unchanged skeleton, Part B content offered as public, and files that are not the minutes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from agenda.board.agenda_of import build_agenda
from agenda.board.models import Body, ForwardPlanItem, Meeting, Paper
from agenda.db.engine import transaction
from agenda.demo.approved import write_up
from agenda.documents.minutes_style import load_minutes_style
from agenda.errors import InvalidInput
from agenda.filestore import LocalFileStore
from agenda.minutes.service import build_minutes, file_approved_minutes
from agenda.minutes.tables import ApprovedMinutes
from tests.minutes.test_minutes import AFTER, CLERK, DATES, T0, board, meeting, ref

PLANTED = (
    "the preferred bidder Oakfield Residential Care offered a weekly rate of four hundred pounds"
)
RECOMMENDATION = "That the contract for residential care be awarded to Oakfield Residential Care"
REASON = "Paragraph 3 of Part 1 of Schedule 12A (information relating to financial affairs)"


def _docx(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def exempt_item(session: Session, store: LocalFileStore, m: Meeting) -> ForwardPlanItem:
    """A Part B item with a paper carrying a planted phrase that must never be public."""
    item = ForwardPlanItem(
        body_id=m.body_id,
        meeting_id=m.id,
        title="Care Home Contract Award",
        lead="Director of Adults and Communities",
        position=50,
        created_at=T0,
        exempt=True,
        exempt_reason=REASON,
    )
    session.add(item)
    session.flush()
    data = _docx(
        "Care Home Contract Award",
        f"Following the tender, {PLANTED}, which is the lowest price received.",
        RECOMMENDATION + ".",
    )
    session.add(
        Paper(
            item_id=item.id,
            meeting_id=m.id,
            version=1,
            title=item.title,
            recommendations=[RECOMMENDATION],
            exempt_reason=REASON,
            file_name="care-home-contract-award-tender-evaluation.docx",
            file_kind="docx",
            file_size=len(data),
            sha256=store.put(data),
            submitted_by="U0AUTH001",
            submitted_at=T0,
        )
    )
    session.flush()
    session.refresh(m)
    return item


@pytest.fixture
def store(data_dir: Path) -> LocalFileStore:
    return LocalFileStore(data_dir)


@pytest.fixture
def county(sqlite_engine: Engine, store: LocalFileStore) -> Engine:
    with transaction(sqlite_engine) as s:
        board(s)
        exempt_item(s, store, meeting(s, DATES[0]))
    return sqlite_engine


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    header = "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)
    return header + "\n" + "\n".join(p.text for p in doc.paragraphs)


def skeletons(engine: Engine, store: LocalFileStore) -> tuple[bytes, bytes]:
    with transaction(engine) as s:
        result = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    assert result.confidential is not None
    return store.get(result.sha256), store.get(result.confidential.sha256)


def approved(engine: Engine, store: LocalFileStore) -> tuple[bytes, bytes]:
    style = load_minutes_style("council-agenda-item")
    public, secret = skeletons(engine, store)
    return write_up(public, style), write_up(secret, style, seed=1)


def test_a_meeting_with_exempt_business_gets_public_and_confidential_minutes(county, store):
    public, secret = (text_of(d) for d in skeletons(county, store))
    # Public: the exclusion resolution names the item with its paragraph, and the item is
    # minuted by number and title only.
    assert "the press and public be excluded" in public
    assert f"Minute 130 Care Home Contract Award: {REASON}." in public
    assert "130. Care Home Contract Award." in public
    assert "recorded in the confidential (Part B) minutes" in public
    assert "Oakfield" not in public and "PART B" not in public
    # Confidential: marked not for publication with the paragraph, the item in full.
    assert f"NOT FOR PUBLICATION — exempt information under {REASON}" in secret.splitlines()[0]
    assert "Confidential minutes (Part B)" in secret
    assert "130. Care Home Contract Award." in secret
    assert "contract for residential care be awarded to Oakfield Residential Care" in secret
    assert "Better Care Fund" not in secret  # public business stays in the public minutes


def test_every_page_of_the_confidential_minutes_is_marked(county, store):
    _, secret = skeletons(county, store)
    doc = Document(io.BytesIO(secret))
    for section in doc.sections:  # the header repeats on every page of its section
        assert section.header.paragraphs[0].text.startswith("NOT FOR PUBLICATION")


def test_the_company_style_keeps_a_part_2_minute_in_its_own_words(county, store):
    with transaction(county) as s:
        s.scalars(select(Body)).one().style = "company-board"
    public, secret = (text_of(d) for d in skeletons(county, store))
    assert "Confidential minutes (Part 2)" in secret
    assert secret.splitlines()[0].startswith("CONFIDENTIAL — Part 2 minutes")
    assert "recorded in the Part 2 minutes" in public
    assert "Oakfield" not in public


def test_a_meeting_without_exempt_business_has_no_confidential_part(sqlite_engine, store):
    with transaction(sqlite_engine) as s:
        board(s)
        result = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    assert result.confidential is None
    assert "Exclusion" not in text_of(store.get(result.sha256))


# -- filing -------------------------------------------------------------------------------


def file(engine: Engine, store: LocalFileStore, public: bytes, secret: bytes | None, **kw):  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        return file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="minutes-16-sep.docx",
            data=public,
            confidential_file_name=None if secret is None else "minutes-16-sep-part-b.docx",
            confidential_data=secret,
            now=AFTER,
            **kw,
        )


def nothing_filed(engine: Engine) -> None:
    with transaction(engine) as s:
        assert s.scalars(select(ApprovedMinutes)).all() == []
        keys = {i.procedural_key for i in s.scalars(select(ForwardPlanItem))}
        assert not keys & {"minutes", "minutes_confidential"}


def test_filing_keeps_the_split_public_paper_and_exempt_paper_with_the_same_paragraph(
    county, store
):
    public, secret = approved(county, store)
    result = file(county, store, public, secret)
    assert result.confidential_item_id is not None
    assert "only in the private pack" in result.summary()
    with transaction(county) as s:
        nxt = meeting(s, DATES[1])
        secret_item = s.get(ForwardPlanItem, result.confidential_item_id)
        assert secret_item.exempt and secret_item.exempt_reason == REASON
        assert secret_item.meeting_id == nxt.id
        assert store.get(secret_item.current_paper.sha256) == secret
        public_agenda = build_agenda(s, nxt, private=False)
        entry = next(e for e in public_agenda.entries if e.item_id == secret_item.id)
        assert entry.part == "B" and entry.exempt
        minutes_entry = next(e for e in public_agenda.entries if e.key == "proc:minutes")
        assert store.get(minutes_entry.paper.sha256) == public
        parts = {r.part for r in s.scalars(select(ApprovedMinutes))}
        assert parts == {"public", "confidential"}


def test_the_unchanged_skeleton_is_not_approved_minutes(county, store):
    public, secret = skeletons(county, store)
    with pytest.raises(InvalidInput, match=r"still contains the draft skeleton's placeholder"):
        file(county, store, public, write_up(secret, load_minutes_style("council-agenda-item")))
    nothing_filed(county)


def test_a_public_part_with_a_part_b_heading_is_refused_naming_the_item(county, store):
    public, secret = approved(county, store)
    leaky = _docx(*text_of(public).splitlines()[1:], "PART B — EXEMPT BUSINESS", "More text.")
    with pytest.raises(InvalidInput) as err:
        file(county, store, leaky, secret)
    message = str(err.value)
    assert "Part B heading" in message and "Care Home Contract Award" in message
    assert "--confidential FILE" in message
    nothing_filed(county)


def test_a_public_part_carrying_the_exempt_papers_text_is_refused(county, store):
    public, secret = approved(county, store)
    leaky = _docx(*text_of(public).splitlines()[1:], f"It was noted that {PLANTED}.")
    with pytest.raises(InvalidInput) as err:
        file(county, store, leaky, secret)
    assert "oakfield residential care" in str(err.value)
    assert "the exempt paper for" in str(err.value)
    nothing_filed(county)


def test_the_whole_minutes_offered_as_public_are_refused(county, store):
    """The old one-document skeleton: the exempt item's resolutions sit in the public part."""
    public, secret = approved(county, store)
    whole = _docx(*text_of(public).splitlines()[1:], *text_of(secret).splitlines()[3:])
    with pytest.raises(InvalidInput, match="exempt business"):
        file(county, store, whole, secret)
    nothing_filed(county)


def test_exempt_business_needs_its_confidential_part(county, store):
    public, _ = approved(county, store)
    with pytest.raises(InvalidInput, match=r"took exempt business .*Care Home Contract Award"):
        file(county, store, public, None)
    nothing_filed(county)


def test_a_confidential_part_for_a_meeting_without_exempt_business_is_refused(sqlite_engine, store):
    with transaction(sqlite_engine) as s:
        board(s)
        result = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    style = load_minutes_style("council-agenda-item")
    public = write_up(store.get(result.sha256), style)
    with pytest.raises(InvalidInput, match="took no exempt business"):
        file(sqlite_engine, store, public, public)
    nothing_filed(sqlite_engine)


def test_a_word_file_that_is_not_minutes_is_refused(county, store):
    _, secret = approved(county, store)
    letter = _docx("Dear colleague,", "Thank you for your letter of 16 September 2014.")
    with pytest.raises(InvalidInput, match="does not look like minutes"):
        file(county, store, letter, secret)
    nothing_filed(county)


def test_a_refused_correction_leaves_the_previous_version_filed(county, store):
    public, secret = approved(county, store)
    first = file(county, store, public, secret)
    leaky = _docx(*text_of(public).splitlines()[1:], f"It was noted that {PLANTED}.")
    with pytest.raises(InvalidInput):
        file(county, store, leaky, secret)
    with transaction(county) as s:
        item = s.get(ForwardPlanItem, first.item_id)
        assert item.current_paper.version == 1
        assert store.get(item.current_paper.sha256) == public
