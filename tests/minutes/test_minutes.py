"""The minutes loop on a real database: numbering across meetings, apologies, declarations,
the skeleton built from them, and approved minutes feeding the next meeting's papers."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from docx import Document
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agenda.board.models import Body, ForwardPlanItem, Meeting, Member, Organisation, Paper
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.demo.steps import demo_write_minutes
from agenda.errors import DeadlinePassed, InvalidInput, NotFound, PaperRejected, PermissionDenied
from agenda.filestore import LocalFileStore
from agenda.minutes.service import (
    attendance_summary,
    build_minutes,
    declare_interest,
    file_approved_minutes,
    send_apologies,
    withdraw_apologies,
)
from agenda.minutes.tables import Apology, ApprovedMinutes, Declaration, MinuteAllocation

LONDON = ZoneInfo("Europe/London")
T0 = dt.datetime(2014, 1, 1, tzinfo=dt.UTC)
BEFORE = dt.datetime(2014, 9, 1, 9, 0, tzinfo=dt.UTC)  # a fortnight before the first meeting
AFTER = dt.datetime(2014, 9, 20, 9, 0, tzinfo=dt.UTC)  # after it, before the second
CLERK = Actor.slack("U0CLERK01")
CHAIR = Actor.slack("U0CHAIR01")
ADAMS = Actor.slack("U0ADAMS01")
DATES = (dt.date(2014, 9, 16), dt.date(2014, 11, 20), dt.date(2015, 1, 22))


def board(
    session: Session,
    *,
    style: str = "council-agenda-item",
    next_number: int | None = 122,
    org_name: str = "Leicestershire County Council",
) -> Body:
    """The County's Health and Wellbeing Board with three meetings, two reports on the first."""
    org = Organisation(name=org_name, created_at=T0)
    body = Body(
        organisation=org,
        key="hwb",
        name="Health and Wellbeing Board",
        style=style,
        next_minute_number=next_number,
    )
    session.add_all([org, body])
    for pos, (name, group, role, slack, title) in enumerate(
        [
            (
                "Mr. E. F. White CC",
                "Leicestershire County Council",
                "chair",
                "U0CHAIR01",
                "Cabinet Lead",
            ),
            ("Mr. I. D. Ould CC", "Leicestershire County Council", "member", None, None),
            ("Gillian Adams", "Healthwatch Leicestershire", "member", "U0ADAMS01", "Healthwatch"),
            ("Cat Tuohy", None, "clerk", "U0CLERK01", "Democratic Services"),
        ]
    ):
        session.add(
            Member(
                body=body,
                name=name,
                group=group,
                role=role,
                slack_id=slack,
                title=title,
                position=pos,
            )
        )
    for day in DATES:
        session.add(
            Meeting(
                body=body,
                date=day,
                venue="County Hall, Glenfield",
                starts_at=dt.datetime.combine(day, dt.time(14), tzinfo=LONDON),
            )
        )
    session.flush()
    first = meeting(session, DATES[0])
    add_item(
        session,
        first,
        "12 Hours in A&E",
        "Healthwatch Leicestershire",
        [
            "That the recommendations made by Healthwatch be referred to the Urgent Care "
            "Working Group for consideration."
        ],
    )
    add_item(
        session,
        first,
        "Better Care Fund",
        "Director of Adults and Communities",
        ["The Board is asked to note the report", "approve the plan"],
    )
    return body


def meeting(session: Session, day: dt.date) -> Meeting:
    return session.scalars(select(Meeting).where(Meeting.date == day)).one()


def add_item(
    session: Session, m: Meeting, title: str, lead: str, recommendations: list[str] | None = None
) -> ForwardPlanItem:
    item = ForwardPlanItem(
        body_id=m.body_id,
        meeting_id=m.id,
        title=title,
        lead=lead,
        position=len(m.items) + 1,
        created_at=T0,
    )
    session.add(item)
    session.flush()
    if recommendations is not None:
        session.add(
            Paper(
                item_id=item.id,
                meeting_id=m.id,
                version=1,
                title=title,
                recommendations=recommendations,
                file_name="report.docx",
                file_kind="docx",
                file_size=100,
                sha256="0" * 64,
                submitted_by="U0AUTH001",
                submitted_at=T0,
            )
        )
    session.flush()
    session.refresh(m)
    return item


def ref(day: dt.date) -> str:
    return f"hwb:{day.isoformat()}"


def read_minutes(store: LocalFileStore, sha: str) -> list[str]:
    return [p.text for p in Document(io.BytesIO(store.get(sha))).paragraphs]


def headings(paragraphs: list[str]) -> list[str]:
    return [p for p in paragraphs if p[:1].isdigit() and ". " in p[:8]]


def count(engine: Engine, model: type) -> int:
    with transaction(engine) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def minutes_docx(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture
def store(data_dir: Path) -> LocalFileStore:
    return LocalFileStore(data_dir)


@pytest.fixture
def county(sqlite_engine: Engine) -> Engine:
    with transaction(sqlite_engine) as s:
        board(s)
    return sqlite_engine


# -- numbering ------------------------------------------------------------------------------


def test_minute_numbers_run_on_across_meetings_and_rebuilds_reuse_them(engine, store):
    with transaction(engine) as s:
        board(s)
    with transaction(engine) as s:
        first = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    assert (first.first_number, first.last_number) == (122, 128)
    paras = read_minutes(store, first.sha256)
    assert headings(paras) == [
        "122. Minutes.",
        "123. Urgent Items.",
        "124. Declarations of interest.",
        "125. Position Statement by the Chairman.",
        "126. 12 Hours in A&E.",
        "127. Better Care Fund.",
        "128. Dates of future meetings.",
    ]
    assert paras[0].endswith("held at County Hall, Glenfield on Tuesday, 16 September 2014.")

    with transaction(engine) as s:
        again = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
        second = build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER)
    assert (again.first_number, again.last_number) == (122, 128)
    assert headings(read_minutes(store, again.sha256)) == headings(paras)
    assert second.first_number == 129
    assert headings(read_minutes(store, second.sha256))[0] == "129. Minutes."
    with transaction(engine) as s:  # the configured start stays: blocks are laid out from it
        assert s.scalar(select(Body.next_minute_number)) == 122


def test_an_item_added_before_the_next_meetings_minutes_are_approved_moves_them_up(county, store):
    with transaction(county) as s:
        build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
        build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER)
    with transaction(county) as s:
        add_item(s, meeting(s, DATES[0]), "Child Health Strategy", "Director of Public Health")
        rebuilt = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
        next_meeting = build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER)
    assert headings(read_minutes(store, rebuilt.sha256))[-2:] == [
        "128. Child Health Strategy.",
        "129. Dates of future meetings.",
    ]
    assert rebuilt.moved == ("hwb:2014-11-20",)
    assert "hwb:2014-11-20 moved" in rebuilt.summary()
    assert next_meeting.first_number == 130  # unapproved numbers follow the meeting before


def test_an_item_added_after_the_next_meetings_minutes_were_approved_is_lettered(county, store):
    later = dt.datetime(2015, 1, 30, 9, 0, tzinfo=dt.UTC)  # after the second meeting
    with transaction(county) as s:
        build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
        second = build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER)
        s.add(
            ApprovedMinutes(
                meeting_id=meeting(s, DATES[1]).id,
                sha256="1" * 64,
                file_name="approved.docx",
                last_minute_number=second.last_number,
                uploaded_by="test",
                uploaded_at=later,
            )
        )
    with transaction(county) as s:
        add_item(s, meeting(s, DATES[0]), "Child Health Strategy", "Director of Public Health")
        rebuilt = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=later)
        again = build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=later)
    assert headings(read_minutes(store, rebuilt.sha256))[-3:] == [
        "127. Better Care Fund.",
        "128. Child Health Strategy.",
        "128a. Dates of future meetings.",
    ]
    assert (again.first_number, again.last_number) == (129, second.last_number)


def test_an_item_added_before_any_later_numbers_were_given_extends_the_block(county, store):
    with transaction(county) as s:
        build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
        add_item(s, meeting(s, DATES[0]), "Child Health Strategy", "Director of Public Health")
        rebuilt = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    assert (rebuilt.first_number, rebuilt.last_number) == (122, 129)
    assert headings(read_minutes(store, rebuilt.sha256))[-1] == "129. Dates of future meetings."


def test_building_a_later_meeting_first_reserves_nothing_the_earlier_one_needs(county, store):
    with transaction(county) as s:
        later = build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER)
    assert later.first_number == 122  # nothing earlier is built yet: it starts the run
    with transaction(county) as s:
        earlier = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
        renumbered = build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER)
    assert (earlier.first_number, earlier.last_number) == (122, 128)
    assert earlier.moved == (ref(DATES[1]),)  # the clerk is told to rebuild it
    assert renumbered.first_number == 129  # rebuilding renumbers the unapproved skeleton
    assert headings(read_minutes(store, renumbered.sha256))[0] == "129. Minutes."


def test_a_body_without_a_configured_start_numbers_from_one(sqlite_engine, store):
    with transaction(sqlite_engine) as s:
        board(s, next_number=None)
        result = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    assert result.first_number == 1
    assert headings(read_minutes(store, result.sha256))[0] == "1. Minutes."  # not zero-padded


def test_only_the_clerk_builds_the_minutes(county, store):
    with pytest.raises(PermissionDenied, match="Only the clerk"), transaction(county) as s:
        build_minutes(s, store, ref(DATES[0]), actor=CHAIR, now=AFTER)
    assert count(county, MinuteAllocation) == 0


# -- apologies and declarations --------------------------------------------------------------


def test_apologies_are_minuted_in_the_city_style_and_the_member_is_not_listed_present(
    sqlite_engine, store
):
    with transaction(sqlite_engine) as s:
        board(s, style="council-appendix", next_number=42, org_name="Leicester City Council")
    with transaction(sqlite_engine) as s:
        receipt = send_apologies(
            s, actor=ADAMS, meeting_ref=ref(DATES[0]), reason="on leave", now=BEFORE
        )
        assert receipt.summary() == (
            "Apologies from Gillian Adams for the Health and Wellbeing "
            "Board (hwb:2014-09-16) recorded."
        )
        again = send_apologies(s, actor=ADAMS, meeting_ref=ref(DATES[0]), reason="ill", now=BEFORE)
        assert again.updated
    with transaction(sqlite_engine) as s:
        result = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    doc = Document(io.BytesIO(store.get(result.sha256)))
    paras = [p.text for p in doc.paragraphs]
    present = [row.cells[0].text for t in doc.tables for row in t.rows]
    assert present == ["Mr. E. F. White CC\n(Chair)", "Mr. I. D. Ould CC"]
    assert "Cat Tuohy – Democratic Services" in paras
    i = paras.index("42. APOLOGIES FOR ABSENCE")  # no previous meeting: no minutes item
    assert paras[i + 1 : i + 3] == [
        "Apologies for absence were received from:-",
        "Gillian Adams\tHealthwatch",
    ]
    assert count(sqlite_engine, Apology) == 1


def test_withdrawn_apologies_leave_the_member_present(county, store):
    with transaction(county) as s:
        send_apologies(s, actor=ADAMS, meeting_ref=ref(DATES[0]), now=BEFORE)
        withdraw_apologies(s, actor=ADAMS, meeting_ref=ref(DATES[0]), now=BEFORE)
        assert attendance_summary(s, meeting(s, DATES[0])).apologies == ()
        result = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    assert "Gillian Adams" in read_minutes(store, result.sha256)


def test_the_clerk_sends_apologies_for_a_named_member_and_others_cannot(county):
    with transaction(county) as s:
        receipt = send_apologies(
            s, actor=Actor.cli(), meeting_ref=ref(DATES[0]), member="mr. i. d. ould cc", now=BEFORE
        )
        assert receipt.name == "Mr. I. D. Ould CC"
    with (
        pytest.raises(PermissionDenied, match="on behalf of someone else"),
        transaction(county) as s,
    ):
        send_apologies(
            s, actor=ADAMS, meeting_ref=ref(DATES[0]), member="Mr. E. F. White CC", now=BEFORE
        )
    assert count(county, Apology) == 1


@pytest.mark.parametrize(
    ("status", "now", "error", "message"),
    [
        ("held", BEFORE, DeadlinePassed, "already taken place"),
        ("cancelled", BEFORE, InvalidInput, "has been cancelled"),
        ("scheduled", AFTER, DeadlinePassed, "already taken place"),
    ],
)
def test_apologies_for_a_meeting_that_happened_or_was_cancelled_are_refused(
    county, status, now, error, message
):
    with transaction(county) as s:
        meeting(s, DATES[0]).status = status
    with pytest.raises(error, match=message), transaction(county) as s:
        send_apologies(s, actor=ADAMS, meeting_ref=ref(DATES[0]), now=now)
    assert count(county, Apology) == 0


def test_only_members_of_the_body_send_apologies(county):
    with (
        pytest.raises(PermissionDenied, match="not a member of the Health and Wellbeing Board"),
        transaction(county) as s,
    ):
        send_apologies(s, actor=Actor.slack("U0STRANGER"), meeting_ref=ref(DATES[0]), now=BEFORE)
    with pytest.raises(NotFound, match="'Nobody' is not a member"), transaction(county) as s:
        send_apologies(s, actor=Actor.cli(), meeting_ref=ref(DATES[0]), member="Nobody", now=BEFORE)
    assert count(county, Apology) == 0


def test_a_declaration_is_recorded_under_the_declarations_minute(county, store):
    with transaction(county) as s:
        item = s.scalars(
            select(ForwardPlanItem).where(ForwardPlanItem.title == "Better Care Fund")
        ).one()
        receipt = declare_interest(
            s,
            actor=ADAMS,
            meeting_ref=ref(DATES[0]),
            item_id=item.id,
            interest="as a trustee of a local care provider",
            kind="pecuniary",
            now=BEFORE,
        )
        assert receipt.item_title == "Better Care Fund"
        summary = attendance_summary(s, meeting(s, DATES[0]))
        assert summary.headline() == "0 apologies, 1 declaration of interest"
        assert summary.declarations[0].item_title == "Better Care Fund"
    with transaction(county) as s:
        result = build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    paras = read_minutes(store, result.sha256)
    i = paras.index("124. Declarations of interest.")
    assert paras[i + 2] == (
        "Gillian Adams declared a disclosable pecuniary interest in respect of "
        "item 6, Better Care Fund, as a trustee of a local care provider."
    )
    assert "No such declarations were made." not in paras[i : i + 4]


def test_a_declaration_for_an_item_not_on_the_agenda_is_refused(county):
    with transaction(county) as s:
        elsewhere = add_item(s, meeting(s, DATES[1]), "Pharmacy Needs Assessment", "Director")
        elsewhere_id = elsewhere.id
    with (
        pytest.raises(
            InvalidInput,
            match=rf"#{elsewhere_id} is not on the agenda of hwb:2014-09-16"
            r".*12 Hours in A&E",
        ),
        transaction(county) as s,
    ):
        declare_interest(
            s,
            actor=ADAMS,
            meeting_ref=ref(DATES[0]),
            item_id=elsewhere_id,
            interest="my employer wrote it",
            now=BEFORE,
        )
    with pytest.raises(InvalidInput, match="is not on the agenda"), transaction(county) as s:
        declare_interest(
            s, actor=ADAMS, meeting_ref=ref(DATES[0]), item_id=9999, interest="x", now=BEFORE
        )
    with pytest.raises(InvalidInput, match="Say what the interest is"), transaction(county) as s:
        declare_interest(
            s,
            actor=ADAMS,
            meeting_ref=ref(DATES[0]),
            item_id=elsewhere_id,
            interest="  ",
            now=BEFORE,
        )
    assert count(county, Declaration) == 0


# -- approved minutes -----------------------------------------------------------------------

APPROVED = minutes_docx(
    "Minutes of a meeting of the Health and Wellbeing Board held at County Hall, Glenfield on "
    "Tuesday, 16 September 2014.",
    "122. Minutes.",
    "CHAIRMAN",
)


def test_approved_minutes_become_the_next_meetings_minutes_paper(county, store):
    with transaction(county) as s:
        build_minutes(s, store, ref(DATES[0]), actor=CLERK, now=AFTER)
    with transaction(county) as s:
        result = file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="minutes-16-sep.docx",
            data=APPROVED,
            now=AFTER,
        )
    assert result.next_meeting_ref == "hwb:2014-11-20"
    assert result.next_minute_number == 129
    with transaction(county) as s:
        item = s.get(ForwardPlanItem, result.item_id)
        assert item.procedural_key == "minutes" and item.meeting.date == DATES[1]
        assert item.current_paper.title == "Minutes of the meeting held on 16 September 2014"
        assert store.get(item.current_paper.sha256) == APPROVED
        from agenda.board.agenda_of import build_agenda

        agenda = build_agenda(s, item.meeting, private=True)
        minutes_entry = next(e for e in agenda.entries if e.key == "proc:minutes")
        assert minutes_entry.paper is not None and minutes_entry.stamp == "Agenda Item 1"
        # A corrected copy is a new version of the same paper, not a second item.
        again = file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="minutes-16-sep-v2.docx",
            data=APPROVED + b"",
            now=AFTER,
        )
        assert (again.item_id, again.paper_version) == (result.item_id, 2)
    with transaction(county) as s:
        nxt = build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER)
    paras = read_minutes(store, nxt.sha256)
    assert headings(paras)[0] == "129. Minutes."
    assert paras[paras.index("129. Minutes.") + 1] == (
        "The minutes of the meeting held on 16 September 2014 were taken as read, confirmed and signed."
    )
    assert count(county, ApprovedMinutes) == 2


def test_approved_minutes_advance_numbering_even_when_boardclerk_did_not_number_them(county, store):
    with transaction(county) as s:
        file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="m.docx",
            data=APPROVED,
            now=AFTER,
            last_minute_number=135,
        )
    with transaction(county) as s:
        assert build_minutes(s, store, ref(DATES[1]), actor=CLERK, now=AFTER).first_number == 136


def test_approved_minutes_may_be_a_pdf_but_not_any_other_file(county, store):
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawString(72, 750, "Minutes of a meeting of the Health and Wellbeing Board held at")
    pdf.drawString(72, 735, "County Hall, Glenfield on Tuesday, 16 September 2014.")
    pdf.save()
    with pytest.raises(PaperRejected), transaction(county) as s:
        file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="minutes.txt",
            data=b"16 September 2014",
            now=AFTER,
        )
    _nothing_filed(county)
    with transaction(county) as s:
        result = file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="minutes.pdf",
            data=buf.getvalue(),
            now=AFTER,
        )
    assert result.next_meeting_ref == "hwb:2014-11-20"


def _nothing_filed(engine: Engine) -> None:
    assert count(engine, ApprovedMinutes) == 0
    with transaction(engine) as s:
        assert (
            s.scalars(
                select(ForwardPlanItem).where(ForwardPlanItem.procedural_key == "minutes")
            ).all()
            == []
        )
        assert s.scalar(select(Body.next_minute_number)) == 122


def test_minutes_for_a_meeting_not_yet_held_are_refused(county, store):
    with (
        pytest.raises(InvalidInput, match="has not taken place yet.*did you mean hwb:2014-09-16"),
        transaction(county) as s,
    ):
        file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[1]),
            file_name="m.docx",
            data=APPROVED,
            now=AFTER,
        )
    _nothing_filed(county)


def test_minutes_of_another_meeting_or_body_are_refused(county, store):
    other_date = minutes_docx(
        "Minutes of a meeting of the Health and Wellbeing Board held on Thursday, 17 July 2014."
    )
    with (
        pytest.raises(InvalidInput, match="does not mention 16 September 2014"),
        transaction(county) as s,
    ):
        file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="m.docx",
            data=other_date,
            now=AFTER,
        )
    other_body = minutes_docx(
        "Minutes of a meeting of the Audit Committee held on Tuesday, 16 September 2014."
    )
    with (
        pytest.raises(InvalidInput, match="does not mention the Health and Wellbeing Board"),
        transaction(county) as s,
    ):
        file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="m.docx",
            data=other_body,
            now=AFTER,
        )
    with pytest.raises(PermissionDenied), transaction(county) as s:
        file_approved_minutes(
            s,
            store,
            actor=ADAMS,
            meeting_ref=ref(DATES[0]),
            file_name="m.docx",
            data=APPROVED,
            now=AFTER,
        )
    with transaction(county) as s:
        meeting(s, DATES[0]).status = "cancelled"
    with pytest.raises(InvalidInput, match="was cancelled"), transaction(county) as s:
        file_approved_minutes(
            s,
            store,
            actor=CLERK,
            meeting_ref=ref(DATES[0]),
            file_name="m.docx",
            data=APPROVED,
            now=AFTER,
        )
    _nothing_filed(county)


# -- command line and demo ------------------------------------------------------------------


def test_cli_builds_the_skeleton_and_records_apologies(county, store, tmp_path, monkeypatch):
    from agenda.cli.main import main

    monkeypatch.setenv("BOARDCLERK_DATA_DIR", str(store.root))
    url = county.url.render_as_string(hide_password=False)
    with transaction(county) as s:  # the CLI runs on the real clock: move one meeting ahead
        m = meeting(s, DATES[2])
        m.date, m.starts_at = dt.date(2040, 1, 5), dt.datetime(2040, 1, 5, 14, tzinfo=dt.UTC)
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "--database-url",
            url,
            "minutes",
            ref(DATES[0]),
            "--out",
            str(tmp_path / "out"),
            "--attending",
            "Tim Sacks, East Leicestershire and Rutland CCG",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "minutes 122–128" in out.output
    written = tmp_path / "out" / "hwb-2014-09-16-minutes-draft.docx"
    paras = [p.text for p in Document(str(written)).paragraphs]
    assert "122. Minutes." in paras
    i = paras.index("In attendance")
    assert paras[i + 1 : i + 3] == [
        "Cat Tuohy, Democratic Services",
        "Tim Sacks, East Leicestershire and Rutland CCG",
    ]

    out = runner.invoke(
        main,
        [
            "--database-url",
            url,
            "apologies",
            "hwb:2040-01-05",
            "--member",
            "Gillian Adams",
            "--reason",
            "on leave",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "Apologies from Gillian Adams" in out.output
    out = runner.invoke(
        main, ["--database-url", url, "apologies", ref(DATES[0]), "--member", "Gillian Adams"]
    )
    assert out.exit_code == 1
    assert "already taken place" in out.output


def test_demo_writes_the_skeleton(county, store, tmp_path):
    with transaction(county) as s:
        path = demo_write_minutes(s, store, ref(DATES[0]), tmp_path / "demo", now=AFTER)
    assert path.name == "hwb-2014-09-16-minutes-draft.docx"
    assert "RESOLVED: [DRAFT — to be confirmed]" in [p.text for p in Document(str(path)).paragraphs]


# -- numbering follows meeting date order, whatever order skeletons are built in ------------


SIZES = (7, 5, 9)  # minutes in each meeting's skeleton


def _numbering_board() -> Engine:
    from agenda.db.engine import make_engine
    from agenda.schema import metadata

    engine = make_engine("sqlite://")
    metadata.create_all(engine)
    with transaction(engine) as s:
        board(s)
    return engine


def test_minute_numbers_follow_meeting_order_whatever_order_skeletons_are_built_in():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from agenda.minutes.tables import allocate_minute_numbers

    @settings(max_examples=40, deadline=None)
    @given(st.permutations([0, 1, 2]), st.lists(st.integers(0, 2), max_size=6))
    def check(order: list[int], rebuilds: list[int]) -> None:
        engine = _numbering_board()
        with transaction(engine) as s:
            for index in [*order, *rebuilds]:
                allocate_minute_numbers(
                    s, meeting(s, DATES[index]), SIZES[index], actor="test", now=AFTER
                )
            blocks = [
                (a.meeting.date, a.first_number, a.last_number)
                for a in s.scalars(select(MinuteAllocation))
            ]
        engine.dispose()
        # the same numbers as building the meetings in date order: 122-128, 129-133, 134-142
        assert sorted(blocks) == [
            (DATES[0], 122, 128),
            (DATES[1], 129, 133),
            (DATES[2], 134, 142),
        ]

    check()


def test_approved_minute_numbers_never_change_and_nothing_overlaps():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from agenda.minutes.tables import allocate_minute_numbers

    @settings(max_examples=30, deadline=None)
    @given(
        st.lists(
            st.tuples(st.sampled_from(["build", "approve"]), st.integers(0, 2), st.integers(1, 12)),
            min_size=1,
            max_size=12,
        )
    )
    def check(steps: list[tuple[str, int, int]]) -> None:
        engine = _numbering_board()
        fixed: dict[int, tuple[int, int]] = {}
        with transaction(engine) as s:
            for action, index, size in steps:
                m = meeting(s, DATES[index])
                block = allocate_minute_numbers(s, m, size, actor="test", now=AFTER)
                if action == "approve" and m.id not in fixed:
                    s.add(
                        ApprovedMinutes(
                            meeting_id=m.id,
                            sha256="1" * 64,
                            file_name="a.docx",
                            last_minute_number=block.last_number,
                            uploaded_by="test",
                            uploaded_at=AFTER,
                        )
                    )
                    fixed[m.id] = (block.first_number, block.last_number)
                for a in s.scalars(select(MinuteAllocation)):
                    if a.meeting_id in fixed:
                        assert (a.first_number, a.last_number) == fixed[a.meeting_id]
            blocks = sorted(
                (a.first_number, a.last_number) for a in s.scalars(select(MinuteAllocation))
            )
            for (_, last), (nxt, _) in zip(blocks, blocks[1:], strict=False):
                assert nxt > last  # no number is given to two meetings
        engine.dispose()

    check()
