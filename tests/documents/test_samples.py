"""The sample papers look like the real thing: house-style covers, numbered paragraphs, tables,
an appendix, and the length that was asked for (read back with python-docx, pypdf and LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from pypdf import PdfReader

from agenda.demo import papers as samples
from agenda.demo.papers import SampleReport, make_report_docx, make_report_pdf, sample_reports

MEETING = dt.date(2027, 4, 1)
BOARD = "Leicester City Health and Wellbeing Board"

COVER_FIELDS = {
    "council-appendix": [
        "LEICESTER CITY HEALTH AND WELLBEING BOARD 1st April 2027",
        "Subject:",
        "Presented to the Health and Wellbeing Board by:",
        "Author",
        "EXECUTIVE SUMMARY:",
        "RECOMMENDATIONS:",
        "The Health and Wellbeing Board is requested to:",
    ],
    "council-agenda-item": [
        "HEALTH AND WELLBEING BOARD: 1 APRIL 2027",
        "REPORT OF THE ",
        "Purpose of report",
        "Background",
        "Recommendations",
        "It is recommended that the Health and Wellbeing Board:",
        "Officer to Contact",
        "List of Appendices",
    ],
    "company-board": [
        "Board meeting",
        "Agenda item",
        "Report title",
        "Purpose",
        "For ",
        "Executive summary",
        "Recommendation",
        "The Board is recommended to:",
    ],
}


def _report(n: int = 0, seed: int = 0) -> SampleReport:
    return sample_reports(BOARD, MEETING, 11, seed=seed)[n]


def _all_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


# -- the reports themselves ------------------------------------------------------------------


def test_sample_reports_are_varied_realistic_and_repeatable() -> None:
    reports = sample_reports(BOARD, MEETING, 11, seed=3)
    assert reports == sample_reports(BOARD, MEETING, 11, seed=3)
    assert [r.title for r in reports] != [
        r.title for r in sample_reports(BOARD, MEETING, 11, seed=4)
    ]
    assert len({r.title for r in reports}) == 11
    assert any("Better Care Fund" in r.title for r in reports)
    for r in reports:
        assert 2 <= len(r.recommendations) <= 4
        assert all(rec[0].isupper() for rec in r.recommendations)
        assert r.presenter.endswith(r.lead) and r.author and r.executive_summary
        assert r.meeting_date == MEETING and r.body_name == BOARD


def test_an_exempt_care_home_contract_award_comes_last_in_a_full_meeting() -> None:
    reports = sample_reports(BOARD, MEETING, 6, seed=1)
    assert reports[-1].title == "Care Home Contract Award"
    assert "Schedule 12A" in (reports[-1].exempt_reason or "")
    assert all(r.exempt_reason is None for r in reports[:-1])
    assert all(r.exempt_reason is None for r in sample_reports(BOARD, MEETING, 3, seed=1))


def test_more_reports_than_topics_still_have_distinct_titles() -> None:
    titles = [r.title for r in sample_reports(BOARD, MEETING, 25, seed=2)]
    assert len(set(titles)) == 25


# -- Word -------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", samples.STYLES)
def test_word_report_has_the_house_style_cover(style: str) -> None:
    report = _report(1)
    data = make_report_docx(report, style, pages=3)
    text = _all_text(data)
    for field in COVER_FIELDS[style]:
        assert field in text, f"{style}: {field!r} missing"
    if style == "council-agenda-item":
        assert report.title.upper() in text
    else:
        assert report.title in text
    for rec in report.recommendations:
        assert rec[1:] in text
    assert Document(io.BytesIO(data)).core_properties.title == report.title


@pytest.mark.parametrize("style", samples.STYLES)
def test_word_report_has_numbered_paragraphs_a_table_and_an_appendix(style: str) -> None:
    doc = Document(io.BytesIO(make_report_docx(_report(2), style, pages=4, seed=5)))
    paragraphs = [p.text for p in doc.paragraphs]
    if style == "council-agenda-item":
        numbers = [int(m.group(1)) for t in paragraphs if (m := re.match(r"(\d+)\.\t", t))]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 8
    else:
        assert "2. Background" in paragraphs
        assert any(t.startswith("2.1\t") for t in paragraphs)
        assert any(re.match(r"[3-9]\.2\t", t) for t in paragraphs)
    assert len(doc.tables) >= 2
    assert any(
        p.text == "Appendix 1 – Action plan" and p.style.name == "Heading 1" for p in doc.paragraphs
    )
    assert doc.tables[-1].rows[0].cells[1].text == "Action"


@pytest.mark.parametrize("style", samples.STYLES)
def test_word_report_is_a4_portrait(style: str) -> None:
    doc = Document(io.BytesIO(make_report_docx(_report(0), style, pages=2)))
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)


def test_landscape_appendix_is_a_wide_table_in_its_own_landscape_section() -> None:
    doc = Document(
        io.BytesIO(
            make_report_docx(_report(3), "council-appendix", pages=3, landscape_appendix=True)
        )
    )
    first, last = doc.sections[0], doc.sections[-1]
    assert first.orientation == WD_ORIENT.PORTRAIT and first.page_width < first.page_height
    assert last.orientation == WD_ORIENT.LANDSCAPE and last.page_width > last.page_height
    header = [cell.text for cell in doc.tables[-1].rows[0].cells]
    assert header[:3] == ["Ref", "Action", "Lead"] and header[-1] == "RAG"
    assert all(col.width and col.width > Mm(8) for col in doc.tables[-1].columns)


def test_exempt_report_is_marked_not_for_publication() -> None:
    exempt = sample_reports(BOARD, MEETING, 6)[-1]
    for style in samples.STYLES:
        text = _all_text(make_report_docx(exempt, style, pages=2))
        assert "NOT FOR PUBLICATION" in text and "Schedule 12A" in text


def test_seeds_give_different_prose_for_the_same_report() -> None:
    report = _report(4)
    one = _all_text(make_report_docx(report, "council-appendix", seed=1))
    two = _all_text(make_report_docx(report, "council-appendix", seed=2))
    assert one != two
    assert one == _all_text(make_report_docx(report, "council-appendix", seed=1))


def test_a_hand_made_report_borrows_matching_vocabulary() -> None:
    report = SampleReport(
        title="Winter Pressures Update",
        author="Sam Patel, Analyst, ICB",
        presenter="Jo Bloggs, Chief Operating Officer",
        lead="Chief Operating Officer",
        executive_summary="Winter is coming.",
        recommendations=["Note the plan"],
        meeting_date=MEETING,
        body_name="Health and Wellbeing Board",
    )
    text = _all_text(make_report_docx(report, "company-board"))
    assert "Winter Pressures Update" in text and "winter" in text.lower()


def test_an_unknown_house_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown house style"):
        make_report_docx(_report(), "council-minutes")


# -- PDF --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pages", "landscape_pages"), [(1, 0), (2, 0), (3, 1), (6, 2), (2, 2)])
@pytest.mark.parametrize("style", samples.STYLES)
def test_pdf_report_has_exactly_the_pages_asked_for(
    style: str, pages: int, landscape_pages: int
) -> None:
    report = _report(5)
    reader = PdfReader(
        io.BytesIO(make_report_pdf(report, style, pages=pages, landscape_pages=landscape_pages))
    )
    assert len(reader.pages) == pages
    wide = [p.mediabox.width > p.mediabox.height for p in reader.pages]
    assert wide == [False] * (pages - landscape_pages) + [True] * landscape_pages
    first = reader.pages[0].extract_text()
    assert (report.title.upper() if style == "council-agenda-item" else report.title) in first
    assert COVER_FIELDS[style][1] in first
    assert reader.metadata is not None and reader.metadata.title == report.title


def test_pdf_landscape_pages_carry_the_appendix_table() -> None:
    reader = PdfReader(
        io.BytesIO(make_report_pdf(_report(6), "council-appendix", pages=4, landscape_pages=1))
    )
    last = reader.pages[-1].extract_text()
    assert "Appendix 1" in last and "Action" in last and "RAG" in last


def test_pdf_page_arguments_are_checked() -> None:
    with pytest.raises(ValueError):
        make_report_pdf(_report(), "company-board", pages=0)
    with pytest.raises(ValueError):
        make_report_pdf(_report(), "company-board", pages=2, landscape_pages=3)


# -- rendered by LibreOffice ------------------------------------------------------------------

RENDERED = [
    (style, pages, landscape)
    for style in samples.STYLES
    for pages, landscape in ((1, False), (3, False), (5, True))
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int, bool], Path]:
    """Render the sample papers to PDF in one soffice call (one start-up is the slow part)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("rendered")
    files = {}
    for n, (style, pages, landscape) in enumerate(RENDERED):
        path = out / f"paper{n}.docx"
        path.write_bytes(
            make_report_docx(
                _report(n % 11, seed=n), style, pages=pages, landscape_appendix=landscape, seed=n
            )
        )
        files[(style, pages, landscape)] = path
    profile = out / "profile"  # our own profile: a shared one makes parallel runs fail
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files.values()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {key: path.with_suffix(".pdf") for key, path in files.items()}


@pytest.mark.soffice
@pytest.mark.parametrize(("style", "pages", "landscape"), RENDERED)
def test_word_report_renders_to_about_the_pages_asked_for(
    rendered: dict[tuple[str, int, bool], Path], style: str, pages: int, landscape: bool
) -> None:
    reader = PdfReader(rendered[(style, pages, landscape)])
    assert abs(len(reader.pages) - pages) <= 1
    first, last = reader.pages[0], reader.pages[-1]
    assert first.mediabox.width < first.mediabox.height
    assert (last.mediabox.width > last.mediabox.height) == landscape
    assert "Appendix 1" in last.extract_text()


# -- bad files --------------------------------------------------------------------------------


def test_bad_file_makers_produce_what_they_say() -> None:
    import zipfile

    docm = zipfile.ZipFile(io.BytesIO(samples.make_macro_docm()))
    assert "macroEnabled.main+xml" in docm.read("[Content_Types].xml").decode()
    assert "word/vbaProject.bin" in docm.namelist()
    assert PdfReader(io.BytesIO(samples.make_encrypted_pdf())).is_encrypted
    owner_only = PdfReader(io.BytesIO(samples.make_owner_only_pdf()))
    assert owner_only.is_encrypted and owner_only.decrypt("") and len(owner_only.pages) == 2
    corrupt = samples.make_corrupt_docx()
    assert corrupt.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(io.BytesIO(corrupt))
    bomb = samples.make_zip_bomb_docx()
    infos = zipfile.ZipFile(io.BytesIO(bomb)).infolist()
    assert len(bomb) < 1024 * 1024 and sum(i.file_size for i in infos) > 200 * 1024 * 1024
    assert samples.make_fake_pdf_named_docx().startswith(b"%PDF-")
