"""The accessibility check at submission: what it finds in Word and PDF papers, and that it
answers within its limit on big or odd files without ever raising."""

from __future__ import annotations

import io
import time

import docx
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from agenda.documents.accessibility import TIME_LIMIT, check_paper


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def _save(d: docx.document.Document) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _good_docx() -> docx.document.Document:
    d = docx.Document()
    d.core_properties.title = "Better Care Fund"
    d.add_heading("Better Care Fund", 1)
    d.add_paragraph("The fund pays for care at home. " * 20)
    table = d.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "Year"
    table.rows[1].cells[0].text = "2026"
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(etree.SubElement(tr_pr, qn("w:tblHeader")))
    return d


def _codes(data: bytes, kind: str = "docx") -> set[str]:
    return {f.code for f in check_paper(data, kind).findings}


def test_a_well_made_word_paper_passes() -> None:
    report = check_paper(_save(_good_docx()), "docx")
    assert report.passed and report.complete, report.lines()
    assert report.summary() == "accessible"


def test_an_image_without_alt_text_is_reported_with_the_way_to_fix_it_in_word() -> None:
    d = _good_docx()
    d.add_picture(io.BytesIO(_png()))
    report = check_paper(_save(d), "docx")
    [line] = report.lines()
    assert "1 image has no alternative text" in line
    assert "View Alt Text" in line


def test_an_image_with_alt_text_passes() -> None:
    d = _good_docx()
    d.add_picture(io.BytesIO(_png()))
    d.inline_shapes[0]._inline.docPr.set("descr", "A red rectangle")
    assert "image-alt" not in _codes(_save(d))


def test_big_bold_text_instead_of_headings_is_reported() -> None:
    d = docx.Document()
    d.core_properties.title = "Budget"
    run = d.add_paragraph().add_run("Introduction")
    run.bold, run.font.size = True, Pt(16)
    d.add_paragraph("Some words of the paper. " * 10)
    report = check_paper(_save(d), "docx")
    [finding] = [f for f in report.findings if f.code == "no-headings"]
    assert "big or bold text" in finding.problem
    assert "Heading 1" in finding.fix


def test_tables_without_header_row_or_with_merged_cells_are_reported() -> None:
    d = _good_docx()
    table = d.add_table(rows=3, cols=3)
    table.cell(1, 0).merge(table.cell(1, 1))
    assert {"table-header", "table-merged"} <= _codes(_save(d))


def test_no_title_and_click_here_links_are_reported() -> None:
    d = _good_docx()
    d.core_properties.title = ""
    p = d.add_paragraph("For details ")
    link = etree.SubElement(p._p, qn("w:hyperlink"))
    r = etree.SubElement(link, qn("w:r"))
    etree.SubElement(r, qn("w:t")).text = "click here"
    report = check_paper(_save(d), "docx")
    assert {"no-title", "vague-link"} <= {f.code for f in report.findings}
    assert any("'click here'" in line for line in report.lines())


def test_a_scanned_pdf_with_no_text_layer_is_reported() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Scanned letter")
    for _ in range(3):
        c.drawImage(ImageReader(io.BytesIO(_png())), 0, 0, *A4)
        c.showPage()
    c.save()
    report = check_paper(buf.getvalue(), "pdf")
    assert {"scanned", "untagged"} <= {f.code for f in report.findings}
    assert report.complete


def test_a_paper_with_200_images_is_checked_within_the_limit() -> None:
    d = _good_docx()
    png = _png()
    for _ in range(200):
        d.add_picture(io.BytesIO(png))
    data = _save(d)
    started = time.monotonic()
    report = check_paper(data, "docx")
    assert time.monotonic() - started < TIME_LIMIT
    assert report.complete
    assert any("200 images have no alternative text" in line for line in report.lines())


def test_a_400_page_pdf_is_checked_within_the_limit() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Long appendix")
    for i in range(400):
        c.drawString(72, 700, f"Appendix page {i + 1}")
        c.showPage()
    c.save()
    started = time.monotonic()
    report = check_paper(buf.getvalue(), "pdf")
    assert time.monotonic() - started < TIME_LIMIT
    assert report.complete and {f.code for f in report.findings} == {"untagged"}


def test_a_word_file_with_no_text_is_reported_not_refused() -> None:
    d = docx.Document()
    d.core_properties.title = "Empty"
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    report = check_paper(_save(d), "docx")
    assert report.complete and "no-text" in {f.code for f in report.findings}


def test_a_file_the_check_cannot_read_gives_an_incomplete_report_not_an_error() -> None:
    report = check_paper(b"%PDF-1.7\n garbage that pypdf cannot repair", "pdf")
    assert not report.complete
    assert "could not finish" in report.lines()[-1]


def test_the_check_stops_at_its_time_limit_and_says_what_it_checked() -> None:
    d = _good_docx()
    for _ in range(50):
        d.add_picture(io.BytesIO(_png()))
    report = check_paper(_save(d), "docx", time_limit=0.0)
    assert not report.complete
    assert "longer than" in (report.note or "")
