"""The minutes skeleton read back with python-docx, one house style at a time
(conventions: shared/domain.md section 5)."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from agenda.documents.agenda import Agenda, AgendaEntry, AgendaPaper, MemberLine
from agenda.documents.minutes_doc import (
    ApologyLine,
    Attendance,
    Attendee,
    DeclarationLine,
    build_minutes_docx,
    minute_labels,
    plan_minutes,
    resolution_text,
)
from agenda.documents.minutes_style import load_minutes_style

LONDON = ZoneInfo("Europe/London")


def paper(title: str, *recommendations: str) -> AgendaPaper:
    return AgendaPaper(
        paper_id=1,
        version=1,
        sha256="0" * 64,
        file_kind="docx",
        file_name="p.docx",
        title=title,
        presenter=None,
        authors=None,
        executive_summary=None,
        recommendations=tuple(recommendations),
        on_time=True,
    )


def county_agenda() -> Agenda:
    """The County's 16 September 2014 meeting, cut down (000:L1-295)."""
    members = (
        MemberLine("Mr. E. F. White CC", None, "Leicestershire County Council", "chair"),
        MemberLine("Mr. I. D. Ould CC", None, "Leicestershire County Council", "member"),
        MemberLine("Professor Mayur Lakhani", None, "Clinical Commissioning Groups", "member"),
        MemberLine("Gillian Adams", None, "Healthwatch Leicestershire", "member"),
    )
    entries = (
        AgendaEntry("proc:minutes", "1", "Minutes.", "", True, stamp="Agenda Item 1"),
        AgendaEntry("proc:urgent_items", "2", "Urgent Items.", "", True),
        AgendaEntry("proc:declarations", "3", "Declarations of interest.", "", True),
        AgendaEntry(
            "proc:position_statement", "4", "Position Statement by the Chairman.", "", True
        ),
        AgendaEntry(
            "item:7",
            "5",
            "12 Hours in A&E.",
            "",
            False,
            item_id=7,
            kind="report",
            lead="Healthwatch Leicestershire",
            stamp="Agenda Item 5",
            paper=paper(
                "12 Hours in A&E",
                "That the recommendations made by Healthwatch be referred to the "
                "Urgent Care Working Group for consideration.",
            ),
        ),
        AgendaEntry(
            "item:8",
            "6",
            "Better Care Fund.",
            "",
            False,
            item_id=8,
            kind="report",
            lead="Director of Adults and Communities",
            stamp="Agenda Item 6",
            paper=paper(
                "Better Care Fund",
                "The Board is asked to note the report",
                "approve the plan",
                "delegate sign-off to the Chairman",
            ),
        ),
        AgendaEntry("proc:future_dates", "7", "Dates of future meetings.", "", True),
    )
    return Agenda(
        meeting_id=1,
        meeting_ref="hwb:2014-09-16",
        organisation="Leicestershire County Council",
        body_name="Health and Wellbeing Board",
        style="council-agenda-item",
        starts_at=dt.datetime(2014, 9, 16, 14, 0, tzinfo=LONDON),
        venue="County Hall, Glenfield",
        clerk=MemberLine("Cat Tuohy", "Democratic Services", None, "clerk"),
        clerk_email=None,
        members=members,
        entries=entries,
        future_dates=(dt.datetime(2014, 11, 20, 14, 0, tzinfo=LONDON),),
    )


def city_agenda() -> Agenda:
    """The City's 3 April 2017 agenda, cut down (004:L167-215)."""
    members = (
        MemberLine(
            "Ruth Tennant", "Director of Public Health, Leicester City Council", None, "member"
        ),
        MemberLine(
            "Councillor Rory Palmer", "Deputy City Mayor, Leicester City Council", None, "chair"
        ),
        MemberLine(
            "John Adler",
            "Chief Executive, University Hospitals of Leicester NHS Trust",
            None,
            "member",
        ),
        MemberLine(
            "Sue Lock", "Managing Director, Leicester Clinical Commissioning Group", None, "member"
        ),
    )
    entries = (
        AgendaEntry("proc:apologies", "1", "APOLOGIES FOR ABSENCE", "", True),
        AgendaEntry("proc:declarations", "2", "DECLARATIONS OF INTEREST", "", True),
        AgendaEntry(
            "proc:minutes",
            "3",
            "MINUTES OF THE PREVIOUS MEETING",
            "",
            True,
            letter="A",
            stamp="Appendix A",
        ),
        AgendaEntry(
            "item:21",
            "4",
            "Health, Wellbeing and Prevention Strategy",
            "",
            False,
            item_id=21,
            kind="report",
            lead="Director of Public Health",
            letter="B",
            stamp="Appendix B",
            paper=paper(
                "Health, Wellbeing and Prevention Strategy",
                "The Board is recommended to endorse the draft strategy",
                "note the consultation timetable",
            ),
        ),
        AgendaEntry(
            "item:22",
            "5",
            "Impact of Brexit on the LLR NHS and Care Workforce",
            "",
            False,
            item_id=22,
            kind="discussion",
        ),
        AgendaEntry("proc:future_dates", "6", "DATES OF FUTURE MEETINGS", "", True),
    )
    return Agenda(
        meeting_id=2,
        meeting_ref="hwb:2017-04-03",
        organisation="Leicester City Council",
        body_name="Health and Wellbeing Board",
        style="council-appendix",
        starts_at=dt.datetime(2017, 4, 3, 14, 0, tzinfo=LONDON),
        venue="Meeting Room G.01, City Hall",
        clerk=MemberLine(
            "Graham Carey", "Democratic Services, Leicester City Council", None, "clerk"
        ),
        clerk_email=None,
        members=members,
        entries=entries,
    )


def read(data: bytes) -> tuple[list[str], list[list[str]]]:
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    return paragraphs, tables


def after(paragraphs: list[str], heading: str, n: int = 6) -> list[str]:
    i = paragraphs.index(heading)
    return paragraphs[i + 1 : i + 1 + n]


def test_county_skeleton_follows_the_county_minutes():
    data = build_minutes_docx(
        county_agenda(),
        load_minutes_style("council-agenda-item"),
        first_minute_number=122,
        previous_meeting_date=dt.date(2014, 7, 17),
    )
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    paras, _ = read(data)
    assert paras[0] == (
        "Minutes of a meeting of the Health and Wellbeing Board held at County Hall, "
        "Glenfield on Tuesday, 16 September 2014."
    )
    # PRESENT, grouped by organisation, chair marked in the County's words.
    assert paras[1:4] == [
        "PRESENT",
        "Leicestershire County Council",
        "Mr. E. F. White CC (In the Chair)",
    ]
    assert "Clinical Commissioning Groups" in paras
    assert paras.index("In attendance") < paras.index("122. Minutes.")
    assert "Cat Tuohy, Democratic Services" in paras
    # Sentence-case headings ending in a full stop, numbered from 122, no apologies minute.
    headings = [p for p in paras if p[:3].isdigit()]
    assert headings == [
        "122. Minutes.",
        "123. Urgent Items.",
        "124. Declarations of interest.",
        "125. Position Statement by the Chairman.",
        "126. 12 Hours in A&E.",
        "127. Better Care Fund.",
        "128. Dates of future meetings.",
    ]
    assert not any("pologies" in p for p in paras)
    assert after(paras, "122. Minutes.", 1) == [
        "The minutes of the meeting held on 17 July 2014 were taken as read, confirmed and signed."
    ]
    assert after(paras, "124. Declarations of interest.", 2)[1] == "No such declarations were made."
    # The paper cited by its stamp, a draft RESOLVED seeded from the recommendation.
    item = after(paras, "126. 12 Hours in A&E.", 5)
    assert item[0] == (
        "The Board considered a report of Healthwatch Leicestershire which [summarise "
        "the purpose of the report]. A copy of the report marked ‘Agenda Item 5’ is "
        "filed with these minutes."
    )
    assert item[2] == "RESOLVED: [DRAFT — to be confirmed]"
    assert item[3] == (
        "That the recommendations made by Healthwatch be referred to the Urgent Care "
        "Working Group for consideration."
    )
    assert item[4].startswith("Action: …") and "Owner: …" in item[4] and "By: …" in item[4]
    # Several recommendations are lettered (a), (b), (c); the last ends with a full stop.
    bcf = after(paras, "127. Better Care Fund.", 6)
    assert bcf[0].startswith(
        "The Board considered a report of the Director of Adults and Communities"
    )
    assert bcf[3:6] == [
        "(a) That the Board note the report;",
        "(b) That the Board approve the plan;",
        "(c) That the Board delegate sign-off to the Chairman.",
    ]
    # The County's close: time range, date, CHAIRMAN; no close-of-meeting minute.
    assert paras[-4:] == ["2.00 - [time closed]", "16 September 2014", "", "CHAIRMAN"]
    assert "Thursday 20 November 2014" in paras


def test_city_skeleton_follows_the_city_minutes():
    data = build_minutes_docx(
        city_agenda(),
        load_minutes_style("council-appendix"),
        first_minute_number=48,
        apologies=[
            ApologyLine("Sue Lock", "Managing Director, Leicester Clinical Commissioning Group")
        ],
        declarations=[
            DeclarationLine(
                "Councillor Rory Palmer", "as a trustee of a local hospice", "other", item_id=21
            )
        ],
        previous_meeting_date=dt.date(2016, 12, 15),
    )
    paras, table = read(data)
    assert paras[:2] == [
        "Minutes of the Meeting of the HEALTH AND WELLBEING BOARD",
        "Held: MONDAY, 3 APRIL 2017 at 2.00pm",
    ]
    # The chair first with "(Chair)" under the name, the rest by surname; apologies left out.
    assert table == [
        ["Councillor Rory Palmer\n(Chair)", "– Deputy City Mayor, Leicester City Council."],
        ["John Adler", "– Chief Executive, University Hospitals of Leicester NHS Trust."],
        ["Ruth Tennant", "– Director of Public Health, Leicester City Council."],
    ]
    assert "Graham Carey – Democratic Services, Leicester City Council" in paras
    assert "* * * * * * * *" in paras
    headings = [p for p in paras if p[:2].isdigit()]
    assert headings == [
        "48. APOLOGIES FOR ABSENCE",
        "49. DECLARATIONS OF INTEREST",
        "50. MINUTES OF THE PREVIOUS MEETING",
        "51. HEALTH, WELLBEING AND PREVENTION STRATEGY",
        "52. IMPACT OF BREXIT ON THE LLR NHS AND CARE WORKFORCE",
        "53. DATES OF FUTURE MEETINGS",
        "54. CLOSE OF MEETING",
    ]
    assert after(paras, "48. APOLOGIES FOR ABSENCE", 2) == [
        "Apologies for absence were received from:-",
        "Sue Lock\tManaging Director, Leicester Clinical Commissioning Group",
    ]
    decl = after(paras, "49. DECLARATIONS OF INTEREST", 2)
    assert decl[1] == (
        "Councillor Rory Palmer declared an Other Disclosable Interest in respect of "
        "item 4, Health, Wellbeing and Prevention Strategy, as a trustee of a local hospice."
    )
    assert after(paras, "50. MINUTES OF THE PREVIOUS MEETING", 2) == [
        "RESOLVED: [DRAFT — to be confirmed]",
        "that the Minutes of the previous meeting of the Board held on 15 December 2016 be "
        "confirmed as a correct record.",
    ]
    item = after(paras, "51. HEALTH, WELLBEING AND PREVENTION STRATEGY", 5)
    # No citation of the paper in the City's minutes, numbered 1) 2) with "; and".
    assert item[0] == (
        "The Director of Public Health submitted a report on Health, Wellbeing and "
        "Prevention Strategy."
    )
    assert not any("filed with these minutes" in p for p in paras)
    assert item[3:5] == [
        "1) that the Board endorse the draft strategy; and",
        "2) that the Board note the consultation timetable.",
    ]
    assert paras[-1] == "The Chair declared the meeting closed at [time]."
    assert "CHAIRMAN" not in paras


def test_city_skeleton_adds_an_apologies_minute_when_the_agenda_has_none():
    agenda = city_agenda()
    agenda = Agenda(**{**agenda.__dict__, "entries": agenda.entries[1:]})
    style = load_minutes_style("council-appendix")
    roles = [m.role for m in plan_minutes(agenda, style)]
    assert roles[:2] == ["apologies", "declarations"]
    paras, _ = read(build_minutes_docx(agenda, style, first_minute_number=42))
    assert "42. APOLOGIES FOR ABSENCE" in paras
    assert after(paras, "42. APOLOGIES FOR ABSENCE", 1) == ["There were no apologies for absence."]
    assert "43. DECLARATIONS OF INTEREST" in paras
    assert after(paras, "43. DECLARATIONS OF INTEREST", 2)[1] == "No such declarations were made."


def test_company_board_lists_apologies_with_attendance_and_signs_off():
    agenda = city_agenda()
    agenda = Agenda(
        **{**agenda.__dict__, "style": "company-board", "body_name": "Board of Directors"}
    )
    attendance = Attendance(
        present=(
            MemberLine("Councillor Rory Palmer", None, None, "chair"),
            MemberLine("John Adler", "Chief Executive", None, "member"),
        ),
        invited=(Attendee("Kate Shields", "Director of Strategy", on_behalf_of="John Adler"),),
        in_attendance=(Attendee("Graham Carey", "Company Secretary"),),
    )
    paras, tables = read(
        build_minutes_docx(
            agenda,
            load_minutes_style("company-board"),
            first_minute_number=1,
            apologies=[ApologyLine("Sue Lock", "Managing Director")],
            attendance=attendance,
        )
    )
    assert paras[:2] == [
        "Minutes of the meeting of the Board of Directors",
        "held at Meeting Room G.01, City Hall on Monday 3 April 2017 at 2.00 pm",
    ]
    assert tables == []
    assert "Councillor Rory Palmer (Chair)" in paras
    # No heading for invited attendees in this style: they are listed as in attendance.
    assert after(paras, "In attendance:", 2) == [
        "Kate Shields, Director of Strategy – attending on behalf of John Adler",
        "Graham Carey, Company Secretary",
    ]
    assert after(paras, "Apologies:", 1) == ["Sue Lock, Managing Director"]
    assert paras.index("Apologies:") < paras.index("1. Apologies for absence")
    assert paras[-1].startswith("Signed: ")


def test_minutes_beyond_an_allocated_block_are_lettered_not_renumbered():
    style = load_minutes_style("council-agenda-item")
    assert minute_labels(135, 3, 3, style) == ["135.", "136.", "137."]
    assert minute_labels(135, 4, 2, style) == ["135.", "136.", "136a.", "136b."]
    assert load_minutes_style("council-appendix").format_number(7) == "7."  # no padding


def test_minute_numbers_are_zero_padded_only_when_the_style_asks():
    from dataclasses import replace

    style = load_minutes_style("council-appendix")
    assert style.number_digits == 0 and style.format_number(7) == "7."
    assert replace(style, number_digits=3).format_number(7) == "007."


@pytest.mark.parametrize(
    ("recommendation", "expected"),
    [
        ("The Board is asked to note the report.", "That the Board note the report"),
        ("That the Board approves the plan", "That the Board approves the plan"),
        ("a) Endorse the strategy;", "That the Board endorse the strategy"),
        ("NHS England be informed of the decision", "That NHS England be informed of the decision"),
    ],
)
def test_recommendations_become_draft_resolutions(recommendation, expected):
    assert resolution_text(recommendation, "That") == expected


def test_a_style_without_minutes_conventions_is_named():
    from agenda.errors import ConfigError

    with pytest.raises(ConfigError, match="no minutes conventions"):
        load_minutes_style("no-such-style")
