"""The frontsheet and agenda read back from the Word file as a clerk would print them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from sqlalchemy import Engine

from agenda.board.agenda_of import build_agenda
from agenda.db.engine import transaction
from agenda.documents.agenda import Agenda
from agenda.documents.frontsheet import build_front_docx
from agenda.documents.house_style import ENV_TEMPLATES_DIR, load_style
from tests.support.agenda_builders import CONTRACT_REASON, SECRET, Board, add_meeting, hwb


def agenda_for(
    engine: Engine, *, private: bool, style: str = "council-appendix", **kwargs: bool
) -> tuple[Agenda, Board]:
    with transaction(engine) as session:
        board = hwb(session, style=style, **kwargs)
        return build_agenda(session, board.meeting, private=private), board


def lines(data: bytes) -> list[str]:
    """Every paragraph's text, a line break inside a paragraph splitting it."""
    doc = Document(io.BytesIO(data))
    return [line for p in doc.paragraphs for line in p.text.split("\n") if line.strip()]


def all_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def ranges_for(agenda: Agenda) -> dict[str, tuple[int, int]]:
    pages = [(1, 16), (17, 80), (81, 96), (97, 98)]
    return {e.key: pages[i] for i, e in enumerate(agenda.papers)}


def test_city_frontsheet_has_date_membership_summons_and_contact(sqlite_engine: Engine) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False)
    text = lines(build_front_docx(agenda, ranges_for(agenda), private=False))
    assert "HEALTH AND WELLBEING BOARD" in text
    assert "Date: THURSDAY, 3 APRIL 2014" in text
    assert "Time: 9:30 am (please note change of start time)" in text
    assert (
        "Location: THE COUNCIL CHAMBER - FIRST FLOOR, TOWN HALL, TOWN HALL SQUARE, LEICESTER"
        in text
    )
    members = text[text.index("MEMBERS OF THE BOARD") + 1 :]
    assert members[:6] == [
        "Councillors:",
        "Councillor Rory Palmer, Deputy City Mayor (Chair)",
        "Councillor Rita Patel, Assistant City Mayor",
        "City Council Officers:",
        "Deb Watson, Strategic Director, Adult Social Care and Health",
        "NHS Representatives:",
    ]
    assert "Councillor Gone Away, Former member" not in text
    assert (
        "Members of the Board are summoned to attend the above meeting to consider the items "
        "of business listed overleaf."
    ) in text
    assert "Members of the public and the press are welcome to attend." in text
    assert "This meeting will be webcast live at the following link:-" in text
    assert any("please contact Graham Carey" in t and "graham.carey@example.org" in t for t in text)
    assert (
        text.index("PUBLIC SESSION")
        < text.index("AGENDA")
        < text.index("1.\tAPOLOGIES FOR ABSENCE")
    )


def test_city_agenda_prints_appendix_letters_with_page_ranges(sqlite_engine: Engine) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False)
    text = lines(build_front_docx(agenda, ranges_for(agenda), private=False))
    minutes = text.index("3.\tMINUTES OF THE PREVIOUS MEETING")
    assert text[minutes + 1] == "Appendix A (Pages 1 - 16)"
    assert text[minutes + 2].startswith(
        "The minutes of the previous meeting of the Board held on 30 January 2014"
    )
    bcf = text.index("4.\tBETTER CARE FUND")
    assert text[bcf + 1] == "Appendix B (Pages 17 - 80)"
    assert text[bcf + 2] == (
        "The Strategic Director Adult Social Care and Health to submit a report "
        "on Better Care Fund."
    )
    assert (
        text[text.index("5.\tJOINT HEALTH AND WELLBEING STRATEGY") + 1]
        == "Appendix C (Pages 81 - 96)"
    )
    peer = text.index("7.\tPEER CHALLENGE REVIEW FEEDBACK")
    assert (
        text[peer + 1] == "The Chair to provide a verbal update on Peer Challenge Review Feedback."
    )
    dates = text.index("9.\tDATES OF FUTURE MEETINGS")
    assert text[dates + 2 : dates + 4] == ["Thursday 3 July 2014", "Thursday 9 October 2014"]


def test_without_page_ranges_references_are_placeholders_of_the_same_width(
    sqlite_engine: Engine,
) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False)
    text = lines(build_front_docx(agenda, None, private=False))
    references = [t for t in text if t.startswith("Appendix ")]
    assert references == [f"Appendix {x} (Pages 000 - 000)" for x in "ABCD"]


def test_a_missing_page_range_is_an_error_not_a_wrong_number(sqlite_engine: Engine) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False)
    ranges = ranges_for(agenda)
    del ranges[agenda.papers[1].key]
    with pytest.raises(ValueError, match="BETTER CARE FUND"):
        build_front_docx(agenda, ranges, private=False)


def test_public_agenda_gives_exempt_items_title_and_reason_only(sqlite_engine: Engine) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False)
    data = build_front_docx(agenda, ranges_for(agenda), private=False)
    text = lines(data)
    exclusion = text.index("11.\tEXCLUSION OF THE PRESS AND PUBLIC")
    assert "Schedule 12A" in text[exclusion + 1]
    assert text[exclusion + 2] == "PRIVATE SESSION"
    assert text[exclusion + 3 :] == [
        "12.\tCARE HOME CONTRACT AWARD",
        "Appendix D (Pages 97 - 98)",
        f"This item contains exempt information and is not for publication: {CONTRACT_REASON}.",
    ]
    whole = all_text(data)
    for secret in (SECRET, "Contract award recommendation", "Director of Adult Social Care"):
        assert secret not in whole
    assert "NOT FOR PUBLICATION: this agenda" not in whole


def test_private_agenda_shows_part_b_in_full(sqlite_engine: Engine) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=True)
    text = lines(build_front_docx(agenda, ranges_for(agenda), private=True))
    assert text[0].startswith("NOT FOR PUBLICATION")
    item = text.index("12.\tCARE HOME CONTRACT AWARD")
    assert text[item + 2] == (
        "The Director of Adult Social Care to submit a report on Care Home Contract Award."
    )
    assert text[item + 3] == f"Exempt information: {CONTRACT_REASON}"


def test_county_agenda_prints_page_ranges_without_letters(sqlite_engine: Engine) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False, style="council-agenda-item")
    text = lines(build_front_docx(agenda, ranges_for(agenda), private=False))
    assert (
        "Date: Thursday, 3 April 2014" in text
        and "Time: 9.30 am (please note change of start time)" in text
    )
    assert text[text.index("1.\tMinutes.") + 1] == "(Pages 1 - 16)"
    assert text[text.index("5.\tBetter Care Fund.") + 1] == "(Pages 17 - 80)"
    assert "Councillor Rory Palmer (Chairman)" in text
    assert not any(
        "summoned" in t or "webcast" in t for t in text
    )  # not in the seeds: not invented


def test_a_meeting_with_no_papers_still_gets_a_valid_agenda(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        board = hwb(session, exempt=False, papers=False)
        lonely = add_meeting(session, board.body, dt.date(2015, 1, 15), venue=None)
        agenda = build_agenda(session, lonely, private=False)
    text = lines(build_front_docx(agenda, {}, private=False))
    assert "1.\tAPOLOGIES FOR ABSENCE" in text
    assert not any(t.startswith("Appendix") or "Location:" in t for t in text)


def test_frontsheet_is_a4_and_keeps_the_templates_rebranding(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    styles = tmp_path / "templates" / "styles"
    shutil.copytree(load_style("council-appendix").path, styles / "council-appendix")
    template = styles / "council-appendix" / "frontsheet.docx"
    doc = Document(str(template))
    doc.styles["BC Item Heading"].font.name = "Caladea"  # the clerk's rebranding in Word
    doc.sections[0].header.paragraphs[0].runs[0].text = "Leicester City Council crest"
    doc.sections[0].left_margin = Mm(30)
    doc.save(str(template))
    monkeypatch.setenv(ENV_TEMPLATES_DIR, str(tmp_path / "templates"))
    agenda, _ = agenda_for(sqlite_engine, private=False)
    built = Document(io.BytesIO(build_front_docx(agenda, None, private=False)))
    section = built.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(1)
    assert built.styles["BC Item Heading"].font.name == "Caladea"
    assert section.header.paragraphs[0].text == "Leicester City Council crest"
    assert "BC Title (sample text)" not in all_text(build_front_docx(agenda, None, private=False))


def test_shipped_template_header_names_the_organisation(sqlite_engine: Engine) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False, style="company-board")
    built = Document(io.BytesIO(build_front_docx(agenda, None, private=False)))
    assert built.sections[0].header.paragraphs[0].text == "Leicester City Council"


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_frontsheet_converts_to_pdf_with_libreoffice(sqlite_engine: Engine, tmp_path: Path) -> None:
    agenda, _ = agenda_for(sqlite_engine, private=False)
    source = tmp_path / "front.docx"
    source.write_bytes(build_front_docx(agenda, ranges_for(agenda), private=False))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "front.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Appendix B (Pages 17 - 80)" in text and "THURSDAY, 3 APRIL 2014" in text
