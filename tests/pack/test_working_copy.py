"""The Word working copy built with the PDF pack reads as the PDF pack does.

Page numbers: every paper's section in the copy restarts at the paper's first page in the PDF
pack, so each paper *starts* on the PDF pack's page by construction, whatever came before it.
Its *last* page matches as long as the paper paginates alike in both, which keeping its own
styles, defaults, theme fonts and page setup makes so for these papers (asserted exactly).
What can still differ, and is not in these papers: a Letter-sized paper (made A4 in the copy,
rendered as Letter for the PDF pack), or a paper with a top margin too small for the copy's
stamp header; then its later pages shift, and the next paper still starts on its own page.
The copy has one page more than the PDF pack before the papers (its contents page, numbered
iii after the front matter's i, ii), so physical page positions differ by that page; printed
numbers, which are what page references use, do not.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from pypdf import PdfReader

from agenda.documents.agenda import Agenda
from agenda.documents.docx_pack import end_bookmark_name
from agenda.documents.frontsheet import HEADING_STYLES, build_front_docx
from agenda.documents.pdf_pack import PageRanges, bookmark_name, is_withheld, stamp_text
from agenda.documents.render import RenderCache, convert_to_pdf
from agenda.filestore import LocalFileStore
from agenda.pack.build import assemble_pack
from tests.support.docx_look import field_results, paragraph_look, paragraphs_between
from tests.support.pack_helpers import (
    PaperSpec,
    agenda_with_papers,
    page_texts,
    simple_pdf,
    stamp_pages,
)

pytestmark = pytest.mark.soffice


def two_column_paper() -> bytes:
    """A newsletter-style paper: black Arial headings over two columns of Georgia text."""
    document = docx.Document()
    for name, font in (("Normal", "Georgia"), ("Heading 1", "Arial")):
        style = document.styles[name]
        style.font.name = font
        style.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme"):
            rfonts.attrib.pop(qn(attr), None)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), "2")
    cols.set(qn("w:space"), "567")
    old = document.sections[0]._sectPr.find(qn("w:cols"))
    old.getparent().replace(old, cols)
    for n in range(1, 7):
        document.add_heading(f"{n}. Neighbourhood news", level=1)
        for _ in range(6):
            document.add_paragraph("Residents met at the community centre to plan events. " * 4)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SPECS = [
    PaperSpec("docx", 3),
    PaperSpec("docx", 2, landscape=True),
    PaperSpec("pdf", data=simple_pdf(3, landscape_pages=(2,))),
    PaperSpec("docx", 4),
    PaperSpec("docx", data=two_column_paper()),
    PaperSpec("docx", 1, exempt=True),
]


@dataclass(frozen=True)
class Built:
    agenda: Agenda
    store: LocalFileStore
    ranges: PageRanges
    pack_pdf: Path
    copy: Path
    copy_pdf: Path  # the copy converted by LibreOffice


def _build(tmp: Path, *, pdf_images: bool = False) -> Built:
    store = LocalFileStore(tmp / "store")
    agenda = agenda_with_papers(store, SPECS)
    built = assemble_pack(
        agenda,
        {e.paper.sha256: store.path(e.paper.sha256) for e in agenda.papers if e.paper},
        private=False,
        formats=("pdf", "docx"),
        front_docx=lambda r: build_front_docx(agenda, r, private=False),
        title="Health and Wellbeing Board, 1 April 2027",
        cache=RenderCache(tmp / "cache"),
        pdf_images=pdf_images,
    )
    assert built.pdf is not None and built.docx is not None
    pack_pdf, copy = tmp / "pack.pdf", tmp / "working-copy.docx"
    pack_pdf.write_bytes(built.pdf)
    copy.write_bytes(built.docx)
    [copy_pdf] = convert_to_pdf([copy], tmp / "out")
    return Built(agenda, store, built.page_ranges, pack_pdf, copy, copy_pdf)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("working-copy"))


def _copy(built: Built) -> DocxDocument:
    return docx.Document(str(built.copy))


def _by_stamp(built: Built) -> dict[str, tuple[int, int]]:
    return {stamp_text(e): built.ranges[e.key] for e in built.agenda.papers}


def test_every_page_reference_carries_the_pdf_packs_page_without_updating_fields(
    pack: Built,
) -> None:
    copy = _copy(pack)
    expected = {}
    for entry in pack.agenda.papers:
        first, last = pack.ranges[entry.key]
        expected[bookmark_name(entry)] = str(first)
        if last != first:
            expected[end_bookmark_name(entry)] = str(last)
    said = {
        instr.split()[1]: result
        for instr, result in field_results(copy)
        if instr.startswith("PAGEREF")
    }
    assert said == expected
    # Nothing for Word to ask about on opening: the results are already right.
    assert copy.settings.element.find(qn("w:updateFields")) is None


def test_libreoffice_puts_every_paper_on_the_pdf_packs_pages(pack: Built) -> None:
    expected = _by_stamp(pack)
    assert stamp_pages(page_texts(pack.pack_pdf), list(expected)) == expected
    copy_texts = page_texts(pack.copy_pdf)
    assert stamp_pages(copy_texts, list(expected)) == expected
    # LibreOffice computes PAGEREF fields as it lays the copy out: the contents page it
    # prints agrees with the results stored in the file.
    contents = next(t for t in copy_texts if "Contents of this working copy" in t)
    printed = {
        m.group(1): (int(m.group(2)), int(m.group(3) or m.group(2)))
        for m in re.finditer(
            r"(Appendix [A-Z])\s+(\d+)(?:\u2013(\d+))?\s*$", contents, re.MULTILINE
        )
    }
    assert printed == expected


def test_each_page_of_a_word_paper_has_the_same_shape_in_both_packs(pack: Built) -> None:
    # (A PDF paper's stand-in pages in the copy are portrait whatever the paper's pages are.)
    word = {stamp_text(e) for e in pack.agenda.papers if e.paper and e.paper.file_kind == "docx"}

    def shapes(pdf: Path) -> dict[str, list[bool]]:
        texts = page_texts(pdf)
        out: dict[str, list[bool]] = {}
        for text, page in zip(texts, PdfReader(pdf).pages, strict=True):
            m = re.search(r"Page (\d+)\s*$", text.rstrip())
            head = text.strip().splitlines()[0].strip() if text.strip() else ""
            if m and head in word:
                out.setdefault(m.group(1), []).append(page.mediabox.width > page.mediabox.height)
        return out

    in_pack, in_copy = shapes(pack.pack_pdf), shapes(pack.copy_pdf)
    assert in_pack == in_copy
    assert any(wide == [True] for wide in in_pack.values())  # landscape pages were compared


def test_authors_headings_keep_their_font_and_colour(pack: Built) -> None:
    copy = _copy(pack)
    checked = 0
    for entry in pack.agenda.papers:
        if (
            entry.paper is None
            or entry.paper.file_kind != "docx"
            or is_withheld(entry, private=False)
        ):
            continue
        submitted = docx.Document(str(pack.store.path(entry.paper.sha256)))
        heading = next(p for p in submitted.paragraphs if p.style.name == "Heading 1")
        in_copy = next(
            p
            for p in paragraphs_between(copy, bookmark_name(entry), end_bookmark_name(entry))
            if p.text == heading.text
        )
        look = paragraph_look(submitted, heading)
        assert (look.font, look.colour) == ("Arial", "000000")  # the samples' black Arial
        assert paragraph_look(copy, in_copy) == look, stamp_text(entry)
        checked += 1
    assert checked == 4


def test_no_heading_of_ours_ends_a_page(pack: Built) -> None:
    copy = _copy(pack)
    ours = [
        p
        for p in copy.paragraphs
        if p.style.name in HEADING_STYLES or p.text == "Contents of this working copy"
    ]
    assert ours and all(p.paragraph_format.keep_with_next for p in ours)
    headings = {" ".join(p.text.split()) for p in ours if p.text.strip()}
    for text in page_texts(pack.copy_pdf):
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"Page [0-9ivx]+", line)]
        assert not body or body[-1] not in headings


def test_contents_columns_are_sized_to_their_content(pack: Built) -> None:
    copy = _copy(pack)
    table = next(t for t in copy.tables if t.rows[0].cells[0].text == "Item")
    widths = [column.width for column in table.columns]
    item, title, paper, pages = widths
    assert item < Mm(20) and pages < Mm(30) and paper < Mm(35)
    assert title > max(item, paper, pages)
    section = next(
        s
        for s in copy.sections
        if any(
            t is not None and getattr(t, "_tbl", None) is table._tbl for t in s.iter_inner_content()
        )
    )
    assert sum(widths) <= section.page_width - section.left_margin - section.right_margin
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_pdf_papers_as_pictures_also_land_on_the_pdf_packs_pages(tmp_path: Path) -> None:
    built = _build(tmp_path, pdf_images=True)
    expected = _by_stamp(built)
    assert stamp_pages(page_texts(built.copy_pdf), list(expected)) == expected
    assert len(docx.Document(io.BytesIO(built.copy.read_bytes())).inline_shapes) == 3


def test_a_two_column_paper_keeps_its_columns(pack: Built) -> None:
    copy = _copy(pack)
    entry = pack.agenda.papers[4]
    body = copy.element.body
    start = next(
        el
        for el in body
        if any(b.get(qn("w:name")) == bookmark_name(entry) for b in el.iter(qn("w:bookmarkStart")))
    )
    sect_pr = next(
        found
        for el in [start, *start.itersiblings()]
        if (found := el if el.tag == qn("w:sectPr") else el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}"))
        is not None
    )
    assert sect_pr.find(qn("w:cols")).get(qn("w:num")) == "2"
