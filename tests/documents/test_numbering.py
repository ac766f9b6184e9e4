"""Agenda numbering follows each house style: procedural items in the style's order and wording,
the clerk's order for business, letters or "Agenda Item N" stamps, Part B last."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from agenda.board.agenda_of import build_agenda
from agenda.db.engine import transaction
from agenda.documents.agenda import AgendaEntry, AgendaPaper
from agenda.documents.house_style import ENV_TEMPLATES_DIR, load_style
from agenda.documents.numbering import (
    ProceduralFacts,
    SubstantiveItem,
    describe,
    letter_for,
    number_entries,
)
from tests.support.agenda_builders import CONTRACT_REASON, add_meeting, hwb

LONDON = ZoneInfo("Europe/London")


def paper(paper_id: int) -> AgendaPaper:
    return AgendaPaper(
        paper_id=paper_id,
        version=1,
        sha256="0" * 64,
        file_kind="docx",
        file_name="report.docx",
        title=f"Paper {paper_id}",
        presenter=None,
        authors=None,
        executive_summary=None,
        recommendations=(),
        on_time=True,
    )


FACTS = ProceduralFacts(
    previous_meeting=dt.date(2014, 9, 16),
    future_dates=(
        dt.datetime(2015, 1, 22, 14, 0, tzinfo=LONDON),
        dt.datetime(2015, 3, 12, 14, 0, tzinfo=LONDON),
    ),
    venue="County Hall, Glenfield",
    starts_at=dt.datetime(2014, 11, 20, 14, 0, tzinfo=LONDON),
    body_name="Health and Wellbeing Board",
    filled={"minutes": SubstantiveItem(100, "Minutes", paper=paper(100))},
)
BUSINESS = [
    SubstantiveItem(
        1,
        "Healthwatch Leicestershire Annual Report",
        lead="Healthwatch Leicestershire",
        paper=paper(1),
    ),
    SubstantiveItem(
        2, "Better Care Fund", lead="Director of Adults and Communities", paper=paper(2)
    ),
    SubstantiveItem(3, "Winter Pressures", kind="presentation", lead="Director of Public Health"),
]


def by_number(entries: list[AgendaEntry]) -> list[tuple[str, str]]:
    return [(e.number, e.heading) for e in entries]


def test_county_minutes_are_item_one_and_papers_are_stamped_with_their_item_number() -> None:
    entries = number_entries(load_style("council-agenda-item"), FACTS, BUSINESS)
    assert by_number(entries)[:4] == [
        ("1", "Minutes."),
        ("2", "Urgent Items."),
        ("3", "Declarations of interest."),
        ("4", "Position Statement by the Chairman."),
    ]
    assert entries[0].stamp == "Agenda Item 1" and entries[0].item_id == 100
    assert [(e.number, e.stamp) for e in entries[4:7]] == [
        ("5", "Agenda Item 5"),
        ("6", "Agenda Item 6"),
        ("7", None),
    ]
    assert all(e.letter is None for e in entries)
    assert entries[-1].heading == "Dates of future meetings."
    assert "Thursday 22 January\nThursday 12 March" in entries[-1].description


def test_city_order_letters_the_minutes_appendix_a_and_papers_b_onwards() -> None:
    entries = number_entries(load_style("council-appendix"), FACTS, BUSINESS)
    assert by_number(entries)[:5] == [
        ("1", "APOLOGIES FOR ABSENCE"),
        ("2", "DECLARATIONS OF INTEREST"),
        ("3", "MINUTES OF THE PREVIOUS MEETING"),
        ("4", "HEALTHWATCH LEICESTERSHIRE ANNUAL REPORT"),
        ("5", "BETTER CARE FUND"),
    ]
    assert [(e.letter, e.stamp) for e in entries[2:6]] == [
        ("A", "Appendix A"),
        ("B", "Appendix B"),
        ("C", "Appendix C"),
        (None, None),
    ]
    assert entries[2].description == (
        "The minutes of the previous meeting of the Board held on 16 September 2014 are attached "
        "and the Board is asked to confirm them as a correct record."
    )
    assert [e.heading for e in entries[-3:]] == [
        "QUESTIONS FROM MEMBERS OF THE PUBLIC",
        "DATES OF FUTURE MEETINGS",
        "ANY OTHER URGENT BUSINESS",
    ]


def test_company_board_letters_papers_in_agenda_order() -> None:
    entries = number_entries(load_style("company-board"), FACTS, BUSINESS)
    assert [e.heading for e in entries[:5]] == [
        "Welcome and apologies for absence",
        "Declarations of interest",
        "Minutes of the previous meeting",
        "Matters arising and action log",
        "Chair's report",
    ]
    assert [e.stamp for e in entries if e.stamp] == ["Paper A", "Paper B", "Paper C"]
    assert entries[-1].heading == "Date of next meeting"


def test_descriptions_follow_the_style_patterns() -> None:
    city = load_style("council-appendix")
    assert describe(
        city,
        SubstantiveItem(
            1,
            "the Draft Health, Wellbeing and Prevention Strategy",
            lead="Director of Public Health",
        ),
    ) == (
        "The Director of Public Health to submit a report on the Draft Health, Wellbeing and "
        "Prevention Strategy."
    )
    assert describe(
        city,
        SubstantiveItem(
            2, "the feedback received on the Peer Challenge Review", kind="verbal", lead="The Chair"
        ),
    ) == (
        "The Chair to provide a verbal update on the feedback received on the Peer Challenge Review."
    )
    assert describe(
        city,
        SubstantiveItem(
            3,
            "Leicester City CCG's 2 Year Operational Plan",
            kind="presentation",
            lead="Managing Director, Leicester City CCG",
        ),
    ) == (
        "The Managing Director, Leicester City CCG to give a presentation on Leicester City CCG's 2 "
        "Year Operational Plan."
    )  # 002:L109
    assert describe(
        city,
        SubstantiveItem(
            6, "the Draft Operational Plan 2014/15", lead="David Sharp, Director, NHS England"
        ),
    ) == (
        "David Sharp, Director, NHS England to submit a report on the Draft Operational Plan "
        "2014/15."
    )  # 002:L117
    assert describe(
        city,
        SubstantiveItem(7, "patient experience of discharge", lead="Healthwatch Leicestershire"),
    ) == ("Healthwatch Leicestershire to submit a report on patient experience of discharge.")
    assert describe(
        city,
        SubstantiveItem(
            4, "the possible impact of Brexit on the LLR NHS and Care workforce", kind="discussion"
        ),
    ) == ("To discuss the possible impact of Brexit on the LLR NHS and Care workforce.")
    county = load_style("council-agenda-item")
    assert describe(county, SubstantiveItem(5, "BCF", lead="Director of Public Health")) == (
        "Report of the Director of Public Health."
    )


def test_exempt_business_comes_after_the_exclusion_resolution() -> None:
    business = [
        *BUSINESS[:1],
        SubstantiveItem(
            9,
            "Care Home Contract Award",
            lead="Director of Adult Social Care",
            exempt=True,
            exempt_reason=CONTRACT_REASON,
            paper=paper(9),
        ),
        *BUSINESS[1:],
    ]
    entries = number_entries(load_style("council-appendix"), FACTS, business, private=False)
    headings = [e.heading for e in entries]
    exclusion = headings.index("EXCLUSION OF THE PRESS AND PUBLIC")
    assert headings[exclusion + 1 :] == ["CARE HOME CONTRACT AWARD"]
    assert exclusion > headings.index("ANY OTHER URGENT BUSINESS")
    assert "Schedule 12A" in entries[exclusion].description
    exempt = entries[-1]
    assert (exempt.part, exempt.exempt, exempt.exempt_reason) == ("B", True, CONTRACT_REASON)
    assert exempt.paper is not None and exempt.letter == "D" and exempt.stamp == "Appendix D"
    assert CONTRACT_REASON in exempt.description and "Director" not in exempt.description
    private = number_entries(load_style("council-appendix"), FACTS, business, private=True)
    assert [(e.number, e.letter) for e in private] == [(e.number, e.letter) for e in entries]
    assert private[-1].description.startswith(
        "The Director of Adult Social Care to submit a report"
    )


def test_no_exempt_business_means_no_exclusion_resolution() -> None:
    entries = number_entries(load_style("council-appendix"), FACTS, BUSINESS)
    assert all(e.part == "A" for e in entries)
    assert "EXCLUSION OF THE PRESS AND PUBLIC" not in [e.heading for e in entries]


def test_a_first_meeting_has_no_minutes_item_in_the_city_style() -> None:
    first = ProceduralFacts(starts_at=dt.datetime(2014, 4, 3, 9, 30, tzinfo=LONDON))
    entries = number_entries(load_style("council-appendix"), first, [])
    assert "MINUTES OF THE PREVIOUS MEETING" not in [e.heading for e in entries]
    assert next(e for e in entries if e.key == "proc:future_dates").description.startswith(
        "To note that the dates of future meetings"
    )


def test_letters_run_past_z() -> None:
    assert [letter_for(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


def test_city_agenda_from_the_database(engine: Engine) -> None:
    with transaction(engine) as session:
        board = hwb(session)
        agenda = build_agenda(session, board.meeting, private=True)
    items = board.items
    assert [(e.number, e.heading, e.letter) for e in agenda.entries] == [
        ("1", "APOLOGIES FOR ABSENCE", None),
        ("2", "DECLARATIONS OF INTEREST", None),
        ("3", "MINUTES OF THE PREVIOUS MEETING", "A"),
        ("4", "BETTER CARE FUND", "B"),
        ("5", "JOINT HEALTH AND WELLBEING STRATEGY", "C"),
        ("6", "LEICESTER CITY CLINICAL COMMISSIONING GROUP - 2 YEAR PLAN", None),
        ("7", "PEER CHALLENGE REVIEW FEEDBACK", None),
        ("8", "QUESTIONS FROM MEMBERS OF THE PUBLIC", None),
        ("9", "DATES OF FUTURE MEETINGS", None),
        ("10", "ANY OTHER URGENT BUSINESS", None),
        ("11", "EXCLUSION OF THE PRESS AND PUBLIC", None),
        ("12", "CARE HOME CONTRACT AWARD", "D"),
    ]
    minutes = agenda.entries[2]
    assert minutes.key == "proc:minutes" and minutes.item_id == items["minutes"].id
    assert "held on 30 January 2014" in minutes.description
    bcf = agenda.entries[3]
    assert bcf.key == f"item:{items['bcf'].id}"
    assert bcf.paper is not None and bcf.paper.version == 2
    assert bcf.paper.title == "Better Care Fund: Final Plan"
    assert bcf.description == (
        "The Strategic Director Adult Social Care and Health to submit a "
        "report on Better Care Fund."
    )
    dates = agenda.entries[8].description
    assert "Thursday 3 July 2014\nThursday 9 October 2014" in dates and "May" not in dates
    assert [d.date() for d in agenda.future_dates] == [dt.date(2014, 7, 3), dt.date(2014, 10, 9)]
    assert agenda.previous_meeting == dt.date(2014, 1, 30)
    assert agenda.starts_at.hour == 9 and agenda.starts_at.utcoffset() == dt.timedelta(hours=1)
    assert agenda.meeting_ref == "hwb:2014-04-03"
    assert agenda.note == "please note change of start time"


def test_members_are_grouped_in_the_style_order_with_the_clerk_apart(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        agenda = build_agenda(session, hwb(session).meeting, private=False)
    assert [(m.group, m.name) for m in agenda.members] == [
        ("Councillors", "Councillor Rory Palmer"),
        ("Councillors", "Councillor Rita Patel"),
        ("City Council Officers", "Deb Watson"),
        ("NHS Representatives", "Professor Azhar Farooqi"),
        ("Healthwatch / Other Representatives", "Philip Parkinson"),
    ]
    assert agenda.clerk is not None and agenda.clerk.name == "Graham Carey"
    assert agenda.clerk_email == "graham.carey@example.org"


def test_a_meeting_with_no_business_still_gets_an_agenda(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        board = hwb(session, exempt=False, papers=False)
        lonely = add_meeting(session, board.body, dt.date(2015, 1, 15))
        agenda = build_agenda(session, lonely, private=False)
    assert [e.number for e in agenda.entries] == [str(n) for n in range(1, len(agenda.entries) + 1)]
    assert agenda.papers == () and agenda.part_b == ()
    assert "held on 9 October 2014" in agenda.entries[2].description


def test_county_agenda_from_the_database(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        agenda = build_agenda(
            session, hwb(session, style="council-agenda-item").meeting, private=False
        )
    stamps = [(e.number, e.heading, e.stamp) for e in agenda.entries if e.stamp]
    assert stamps == [
        ("1", "Minutes.", "Agenda Item 1"),
        ("5", "Better Care Fund.", "Agenda Item 5"),
        ("6", "Joint Health and Wellbeing Strategy.", "Agenda Item 6"),
        ("11", "Care Home Contract Award.", "Agenda Item 11"),
    ]


def test_a_fourth_style_numbers_agendas_with_no_code(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    styles = tmp_path / "templates" / "styles"
    shutil.copytree(load_style("company-board").path, styles / "parish-council")
    path = styles / "parish-council" / "style.yaml"
    text = path.read_text()
    text = text.replace('stamp: "Paper {letter}"', 'stamp: "Enclosure {letter}"')
    text = text.replace("heading_case: as_written", "heading_case: upper")
    text = text.replace(
        "opening:\n  - key: apologies",
        "opening:\n  - key: prayers\n"
        "    heading: Prayers\n    description: The Vicar to lead prayers.\n"
        "  - key: apologies",
        1,
    )
    path.write_text(text)
    monkeypatch.setenv(ENV_TEMPLATES_DIR, str(tmp_path / "templates"))
    with transaction(sqlite_engine) as session:
        agenda = build_agenda(session, hwb(session, style="parish-council").meeting, private=False)
    assert agenda.entries[0].heading == "PRAYERS"
    assert agenda.entries[0].description == "The Vicar to lead prayers."
    assert [e.stamp for e in agenda.papers] == [
        "Enclosure A",
        "Enclosure B",
        "Enclosure C",
        "Enclosure D",
    ]
