"""The DOCX working copy: the whole pack as one Word file a clerk can edit.

Built with python-docx + docxcompose: the front matter, a contents page whose page numbers are
``PAGEREF`` fields to an alphanumeric bookmark on each paper's first and last paragraph, then
each paper in its own section(s) with its stamp in the header, its page setup kept (landscape
stays landscape, on A4), its lists restarted and its own look: its styles, theme fonts and
document defaults come along under names of its own (:mod:`agenda.documents.docx_styles`),
so a paper paginates as it does in the PDF pack. A PDF paper appears as pages saying where
to find it in the published PDF pack (or as pictures of its pages).

Built with the PDF pack's page ranges, the copy is numbered as the PDF pack: the front matter
and contents i, ii, ...; each paper's first section restarts at the paper's first page in
the PDF pack; every PAGEREF's stored result is the PDF pack's number. A viewer that never
updates fields shows the right pages, and Word's own update gives the same numbers, so the
file does not ask Word to update fields on opening. Built alone (no ranges), the copy numbers
its own pages and asks Word to update its page references. The PDF pack stays the document
of record either way.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Emu, Mm
from docx.styles import BabelFish
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxcompose.composer import Composer
from docxcompose.utils import xpath
from lxml import etree

from agenda.documents.agenda import AgendaEntry
from agenda.documents.docx_styles import PaperLook
from agenda.documents.pdf_pack import PageRanges, bookmark_name, is_withheld, stamp_text
from agenda.documents.sanitize_docx import neutralise_docx
from agenda.errors import BoardclerkError

WORKING_COPY_NOTE = (
    "WORKING COPY. This Word file is for editing. The published PDF pack is the "
    "document of record; page numbers in the agenda refer to the PDF pack, "
    "page numbers on this page refer to this file."
)
NUMBERED_AS_PDF_NOTE = (
    "WORKING COPY. This Word file is for editing. The published PDF pack is the "
    "document of record; every paper here starts on the page it has in the PDF pack, and "
    "page numbers in this file are the PDF pack's."
)
_BOOKMARK_ID_BASE = 90_000
_END_ID_BASE = 95_000


@dataclass(frozen=True)
class DocxPart:
    """An agenda entry with a paper: its file (None when withheld) and the file's kind."""

    entry: AgendaEntry
    kind: str  # "docx" | "pdf"
    path: Path | None
    label: str | None = None  # names the paper (item, title, author) in error messages


# --------------------------------------------------------------------------------------------
# python-docx building blocks (see stack.md 3.1)


def add_field(paragraph: Paragraph, instr: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF bm \\h) with ``placeholder`` as cached text."""
    for kind, value in (
        ("begin", None),
        ("instr", f" {instr} "),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        run = OxmlElement("w:r")
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = value
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = value
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run.append(el)
        paragraph._p.append(run)


def add_bookmark(paragraph: Paragraph, name: str, bm_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bm_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bm_id))
    _place_bookmark(paragraph._p, start, end)


def clear_page_number_start(section: Section) -> None:
    """Authors restart page numbering at 1; the pack numbers continuously."""
    pg = section._sectPr.find(qn("w:pgNumType"))
    if pg is not None and pg.get(qn("w:start")) is not None:
        del pg.attrib[qn("w:start")]


def set_a4(section: Section, *, landscape: bool | None = None) -> None:
    """A4 keeping (or setting) the orientation; Letter-sized papers become A4."""
    if landscape is None:
        landscape = bool(
            section.page_width and section.page_height and section.page_width > section.page_height
        )
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)


def _copy_margins(target: Section, source: Section) -> None:
    for attr in (
        "left_margin",
        "right_margin",
        "top_margin",
        "bottom_margin",
        "header_distance",
        "footer_distance",
        "gutter",
    ):
        value = getattr(source, attr)
        if value is not None:
            setattr(target, attr, value)
    _copy_layout(target, source)


# Schema order of w:sectPr's children (after the header/footer references).
_SECTPR_ORDER = (
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
# Page layout of a section besides size and margins: columns, line grid, vertical alignment,
# line numbers, borders, text direction.
_LAYOUT_TAGS = ("w:pgBorders", "w:lnNumType", "w:cols", "w:vAlign", "w:textDirection", "w:docGrid")


def _insert_in_sect_pr(sect_pr: BaseOxmlElement, element: etree._Element, tag: str) -> None:
    """Insert ``element`` (a ``tag``) into ``sect_pr`` where the schema wants it."""
    after = _SECTPR_ORDER[_SECTPR_ORDER.index(tag) + 1 :]
    sect_pr.insert_element_before(cast(BaseOxmlElement, element), *after)


def _copy_layout(target: Section, source: Section) -> None:
    """Give ``target`` the columns, line grid and other layout of ``source`` (docxcompose
    drops a paper's last section properties: a two-column paper would become one column)."""
    for tag in _LAYOUT_TAGS:
        old = target._sectPr.find(qn(tag))
        if old is not None:
            target._sectPr.remove(old)
        new = source._sectPr.find(qn(tag))
        if new is not None:
            _insert_in_sect_pr(target._sectPr, deepcopy(new), tag)


def enable_update_fields_on_open(document: DocxDocument) -> None:
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    document.settings.element.append(el)


def _set_header(section: Section, text: str) -> None:
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.text = text
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in p.runs:
        run.bold = True


def _set_footer_page_x_of_y(section: Section) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.text = ""
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("Page ")
    add_field(p, "PAGE")
    p.add_run(" of ")
    add_field(p, "NUMPAGES")


def _set_footer_page(section: Section) -> None:
    """The PDF pack's footer: "Page n"."""
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    _replace_runs(p, "")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("Page ")
    add_field(p, "PAGE")


_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "v": "urn:schemas-microsoft-com:vml",
}
_RID = qn("r:id")
_STYLE_TAGS = {qn("w:tblStyle"), qn("w:pStyle"), qn("w:rStyle")}
_IMAGE_TAGS = {f"{{{_NS['a']}}}blip", f"{{{_NS['asvg']}}}svgBlip"}
_DIAGRAM_TAG = f"{{{_NS['dgm']}}}relIds"
_SHAPE_TAG = f"{{{_NS['v']}}}imagedata"


class _Composer(Composer):
    """docxcompose's Composer, made fast enough for a 30-paper pack (23 s -> about 1.3 s).

    For every top-level element of every paper, docxcompose runs a dozen XPath queries and
    lists all the master's styles (a python-docx object per style), mostly to find nothing.
    This subclass walks each element once to learn which tags it holds and skips the steps
    that have nothing to do; it brings over a paper's styles once per style; and it renumbers
    bookmark and drawing ids once at the end (:meth:`renumber_all`) instead of per paper."""

    _memo: tuple[object, set[str], bool] = (None, set(), False)

    def _scan(self, element: object) -> tuple[set[str], bool]:
        if self._memo[0] is not element:
            tags: set[str] = set()
            has_rid = False
            for el in element.iter():  # type: ignore[attr-defined]
                tags.add(el.tag)
                has_rid = has_rid or _RID in el.attrib
            self._memo = (element, tags, has_rid)
        return self._memo[1], self._memo[2]

    def insert(self, index: int, doc: DocxDocument, remove_property_fields: bool = True) -> None:
        self._styles_done: set[str] = set()
        self._plain_styles: set[str] = set()
        super().insert(index, doc, remove_property_fields=remove_property_fields)

    def add_referenced_parts(self, src_part, dst_part, element) -> None:  # type: ignore[no-untyped-def]
        if self._scan(element)[1]:
            super().add_referenced_parts(src_part, dst_part, element)

    def add_images(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        if _IMAGE_TAGS & self._scan(element)[0]:
            super().add_images(doc, element)

    def add_diagrams(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        if _DIAGRAM_TAG in self._scan(element)[0]:
            super().add_diagrams(doc, element)

    def add_shapes(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        if _SHAPE_TAG in self._scan(element)[0]:
            super().add_shapes(doc, element)

    def add_footnotes(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        if qn("w:footnoteReference") in self._scan(element)[0]:
            super().add_footnotes(doc, element)

    def add_numberings(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        if qn("w:numId") in self._scan(element)[0]:
            super().add_numberings(doc, element)

    def restart_first_numbering(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        tags = self._scan(element)[0]
        if qn("w:pStyle") not in tags:
            return
        if qn("w:numPr") not in tags:
            # Every paragraph names its style now: remember the styles with no list, rather
            # than let docxcompose look them up again for each paragraph.
            style_id = next(element.iter(qn("w:pStyle"))).get(qn("w:val"))
            if style_id in self._plain_styles:
                return
            style = self.doc.styles.element.get_by_id(style_id)
            if style is None or not xpath(style, ".//w:numId"):
                self._plain_styles.add(style_id)
                return
        super().restart_first_numbering(doc, element)

    def remove_header_and_footer_references(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        if {qn("w:headerReference"), qn("w:footerReference")} & self._scan(element)[0]:
            super().remove_header_and_footer_references(doc, element)

    def _create_style_id_mapping(self, doc) -> None:  # type: ignore[no-untyped-def]
        # As docxcompose, mapping style ids through style names, read straight from the XML.
        self._style_id2name = {
            st.styleId: BabelFish.internal2ui(st.name_val)
            for st in doc.styles.element.style_lst
            if st.name_val
        }
        self._style_name2id = {
            BabelFish.internal2ui(st.name_val): st.styleId
            for st in self.doc.styles.element.style_lst
            if st.name_val
        }
        self._our_style_ids = {st.styleId for st in self.doc.styles.element.style_lst}

    def add_styles(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        """docxcompose's ``add_styles`` for ``preserve_styles=False``, with the master's style
        ids kept in a set instead of listed afresh for every element and style, and with a
        new style's ancestors (``basedOn``) and linked style brought over too: a paper's
        renamed "Heading 1 (Appendix A)" must not fall back on the pack's "Normal"."""
        if not _STYLE_TAGS & self._scan(element)[0]:
            return
        refs = xpath(element, ".//w:tblStyle|.//w:pStyle|.//w:rStyle")
        for style_id in dict.fromkeys(ref.val for ref in refs):
            our_style_id = self.mapped_style_id(style_id)
            if style_id not in self._styles_done:
                self._styles_done.add(style_id)
                if our_style_id not in self._our_style_ids:
                    self._bring_style(doc, style_id)
                else:
                    self._map_style_numbering(doc, style_id, our_style_id)
            if our_style_id != style_id and our_style_id is not None:
                for ref in refs:
                    if ref.val == style_id:
                        ref.val = our_style_id

    def _bring_style(self, doc, style_id: str | None) -> None:  # type: ignore[no-untyped-def]
        """Copy the paper's style ``style_id``, and the styles it is based on or linked to,
        unless the master has them already."""
        if style_id is None or self.mapped_style_id(style_id) in self._our_style_ids:
            return
        source = doc.styles.element.get_by_id(style_id)
        if source is None:
            return
        style = deepcopy(source)
        self.doc.styles.element.append(style)
        self._our_style_ids.add(style.styleId)
        self.add_numberings(doc, style)
        for tag in ("w:basedOn", "w:link"):
            ref = style.find(qn(tag))
            if ref is not None:
                parent = ref.get(qn("w:val"))
                self._bring_style(doc, parent)
                ref.set(qn("w:val"), self.mapped_style_id(parent))

    def _map_style_numbering(self, doc, style_id: str, our_style_id: str) -> None:  # type: ignore[no-untyped-def]
        # A style both documents have: map the paper's list definition onto ours, so lists
        # in that style are not given a second abstract numbering (as docxcompose does).
        style_element = doc.styles.element.get_by_id(style_id)
        if style_element is None:
            return
        num_ids = xpath(style_element, ".//w:numId/@w:val")
        if not num_ids:
            return
        anum_ids = xpath(
            doc.part.numbering_part.element,
            f'.//w:num[@w:numId="{num_ids[0]}"]/w:abstractNumId/@w:val',
        )
        ours = self.doc.styles.element.get_by_id(our_style_id)
        our_num_ids = xpath(ours, ".//w:numId/@w:val") if ours is not None else []
        if not anum_ids or not our_num_ids:
            return
        our_anum_ids = xpath(
            self.numbering_part().element,
            f'.//w:num[@w:numId="{our_num_ids[0]}"]/w:abstractNumId/@w:val',
        )
        if our_anum_ids:
            self.anum_id_mapping[int(anum_ids[0])] = int(our_anum_ids[0])

    # Renumbering ids walks the whole document; once at the end (renumber_all) is enough.
    def renumber_bookmarks(self) -> None:
        pass

    def renumber_docpr_ids(self) -> None:
        pass

    def renumber_nvpicpr_ids(self) -> None:
        pass

    def renumber_all(self) -> None:
        Composer.renumber_bookmarks(self)
        Composer.renumber_docpr_ids(self)
        Composer.renumber_nvpicpr_ids(self)


# --------------------------------------------------------------------------------------------
# The pack


def set_page_numbering(section: Section, *, fmt: str, start: int | None = None) -> None:
    """Number ``section``'s pages in ``fmt`` ("decimal", "lowerRoman"), from ``start`` or on
    from the previous section."""
    sect_pr = section._sectPr
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        _insert_in_sect_pr(sect_pr, pg, "w:pgNumType")
    pg.set(qn("w:fmt"), fmt)
    if start is None:
        pg.attrib.pop(qn("w:start"), "")
    else:
        pg.set(qn("w:start"), str(start))


# Contents table columns: an average character at 11 pt, and a cell's padding either side.
_CHAR = Mm(2.1)
_PADDING = Mm(4)
_PAGES_TEXT = "999\u2013999"  # the widest page range the column must hold


def _text_width(section: Section) -> int:
    width = section.page_width or Mm(210)
    left, right = section.left_margin, section.right_margin
    return int(
        width - (Mm(25.4) if left is None else left) - (Mm(25.4) if right is None else right)
    )


def size_columns(table: Table, columns: Sequence[Sequence[str]], total: int, grow: int) -> None:
    """Fixed column widths fitted to the longest text in each column; column ``grow`` (the
    titles) takes the room left, and wraps."""
    widths = [int(max(len(t) for t in texts) * _CHAR + _PADDING) for texts in columns]
    widths[grow] = max(total - sum(w for i, w in enumerate(widths) if i != grow), int(Mm(40)))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
        for cell in column.cells:
            cell.width = Emu(width)


_Contents = tuple[Paragraph, dict[str, Paragraph], Paragraph | None]


def _contents(master: DocxDocument, parts: Sequence[DocxPart]) -> _Contents:
    """The contents page: its note paragraph, each paper's page cell by entry key, and the
    page column's heading."""
    title = master.add_paragraph("Contents of this working copy", style="Heading 1")
    title.paragraph_format.keep_with_next = True
    note = master.add_paragraph(WORKING_COPY_NOTE)
    for run in note.runs:
        run.italic = True
    if not parts:
        master.add_paragraph("There are no papers for this meeting.")
        return note, {}, None
    table = master.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    header = ("Item", "Title", "Paper", "Page")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    # The header row repeats on every page and no row breaks across two.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    cells: dict[str, Paragraph] = {}
    for part in parts:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        texts = (part.entry.number, part.entry.heading, stamp_text(part.entry))
        for cell, text in zip(row.cells, texts, strict=False):
            cell.text = text
        p = row.cells[3].paragraphs[0]
        add_field(p, f"PAGEREF {bookmark_name(part.entry)} \\h", placeholder="?")
        cells[part.entry.key] = p
    size_columns(
        table,
        [
            ["Item", *(p.entry.number for p in parts)],
            ["Title"],
            ["Paper", *(stamp_text(p.entry) for p in parts)],
            ["Pages", _PAGES_TEXT],
        ],
        _text_width(_last_section(master)),
        grow=1,
    )
    return note, cells, table.rows[0].cells[3].paragraphs[0]


def _fill_page_cell(paragraph: Paragraph, entry: AgendaEntry, first: int, last: int) -> None:
    """ "17–24": PAGEREF fields to the paper's first and last page, their results filled in."""
    _replace_runs(paragraph, "")
    add_field(paragraph, f"PAGEREF {bookmark_name(entry)} \\h", placeholder=str(first))
    if last != first:
        paragraph.add_run("\u2013")
        add_field(paragraph, f"PAGEREF {end_bookmark_name(entry)} \\h", placeholder=str(last))


def end_bookmark_name(entry: AgendaEntry) -> str:
    """The bookmark on a paper's last paragraph (its last page)."""
    return f"{bookmark_name(entry)}END"


def _stand_in(
    master: DocxDocument, part: DocxPart, *, private: bool, bm_id: int
) -> Paragraph | None:
    """The page standing for a withheld exempt paper or a PDF paper."""
    entry = part.entry
    heading = master.add_paragraph(f"{entry.number}. {entry.heading}", style="Heading 1")
    heading.paragraph_format.keep_with_next = True
    add_bookmark(heading, bookmark_name(entry), bm_id)
    if is_withheld(entry, private=private):
        master.add_paragraph("NOT FOR PUBLICATION").runs[0].bold = True
        master.add_paragraph(
            "This paper contains exempt information. It is not included in the public agenda "
            "pack and will be considered in private, after the press and public have been "
            "excluded."
        )
        master.add_paragraph(
            f"Reason: {entry.exempt_reason or 'The reason for exemption has not been recorded.'}"
        )
        return None
    return master.add_paragraph(_where(entry, None))


def _where(entry: AgendaEntry, pdf_page_ranges: PageRanges | None) -> str:
    where = "the published PDF pack"
    if pdf_page_ranges and entry.key in pdf_page_ranges:
        first, last = pdf_page_ranges[entry.key]
        pages = f"page {first}" if first == last else f"pages {first}\u2013{last}"
        where = f"{pages} of the published PDF pack"
    return f"{stamp_text(entry)} is a PDF document: see {where}."


def _stand_in_pages(pointer: Paragraph, entry: AgendaEntry, first: int, last: int) -> None:
    """Give a PDF paper's stand-in as many pages as the paper has in the PDF pack (one page
    per PDF page, each saying which it stands for), so the papers after it start on the same
    pages in both packs; the end bookmark moves to the last of them."""
    after = pointer
    for page in range(first + 1, last + 1):
        after = _paragraph_after(after)
        after.paragraph_format.page_break_before = True
        after.add_run(
            f"{stamp_text(entry)} continued: this page stands for page {page} of the "
            "published PDF pack."
        ).italic = True
    if after is pointer:
        return
    # The stand-in's last paragraph holds the end bookmark, start and end (ours alone).
    name = end_bookmark_name(entry)
    start = next(
        (b for b in pointer._p.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == name), None
    )
    ends = list(pointer._p.iter(qn("w:bookmarkEnd")))
    if start is not None and ends:
        _place_bookmark(after._p, start, ends[-1])


def _replace_runs(paragraph: Paragraph, text: str) -> None:
    """Set a paragraph's text, keeping its bookmarks (``Paragraph.text`` drops them)."""
    for run in list(paragraph._p.iter(qn("w:r"))):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)
    paragraph.add_run(text)


def _paragraph_after(paragraph: Paragraph) -> Paragraph:
    p = cast(CT_P, OxmlElement("w:p"))  # python-docx builds w:p as its CT_P class
    paragraph._p.addnext(p)
    return Paragraph(p, paragraph._parent)


def _place_bookmark(p: BaseOxmlElement, start: etree._Element, end: etree._Element) -> None:
    """Put a bookmark's start at the beginning of paragraph ``p`` (after its properties, as
    the schema wants) and its end at the end."""
    p.insert(1 if p.find(qn("w:pPr")) is not None else 0, start)
    p.append(end)


def _last_section(master: DocxDocument) -> Section:
    return Section(master.element.body.sectPr, master.part)


def _page_images(master: DocxDocument, part: DocxPart, *, bm_id: int, dpi: int = 110) -> int:
    """A PDF paper as one picture per page (pdftoppm), each page in a section of its own
    orientation, so the working copy shows the whole pack. Returns the sections added."""
    assert part.path is not None
    with tempfile.TemporaryDirectory(prefix="boardclerk-pages-") as tmp:
        try:
            subprocess.run(
                [
                    "pdftoppm",
                    "-jpeg",
                    "-jpegopt",
                    "quality=80",
                    "-r",
                    str(dpi),
                    str(part.path),
                    str(Path(tmp) / "page"),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (subprocess.SubprocessError, OSError):
            _stand_in(master, part, private=True, bm_id=bm_id)  # fall back to a pointer page
            return 0
        images = sorted(Path(tmp).glob("page-*.jpg"), key=lambda p: int(p.stem.split("-")[-1]))
        for number, image in enumerate(images):
            picture = DocxImage.from_file(str(image))
            aspect = picture.px_height / picture.px_width
            wide = aspect < 1
            section = (
                _last_section(master) if number == 0 else master.add_section(WD_SECTION.NEW_PAGE)
            )
            set_a4(section, landscape=wide)
            for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
                setattr(section, side, Mm(15))
            section.header_distance = section.footer_distance = Mm(6)
            paragraph = master.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            width, height = section.page_width or Mm(210), section.page_height or Mm(297)
            room_w, room_h = width - Mm(30), height - Mm(42)
            paragraph.add_run().add_picture(str(image), width=int(min(room_w, room_h / aspect)))
            if number == 0:
                add_bookmark(paragraph, bookmark_name(part.entry), bm_id)
        return max(len(images) - 1, 0)


def _bookmark_first_paragraph(sub: DocxDocument, name: str, bm_id: int) -> None:
    body = sub.element.body
    first = body[0] if len(body) else None
    if first is not None and first.tag != qn("w:p") and first.tag != qn("w:sectPr"):
        # A paper opening with a table: the bookmark goes in its first cell, adding no line.
        first = next(first.iter(qn("w:p")), None)
    if first is not None and first.tag == qn("w:p"):
        add_bookmark(Paragraph(cast(CT_P, first), sub._body), name, bm_id)
        return
    p = cast(CT_P, OxmlElement("w:p"))  # python-docx builds w:p as its CT_P class
    body.insert(0, p)
    add_bookmark(Paragraph(p, sub._body), name, bm_id)


def _bookmark_last_paragraph(master: DocxDocument, name: str, bm_id: int) -> None:
    """Bookmark the last paragraph of the body so far (inside a closing table, its last
    cell's): the page a paper ends on."""
    body = master.element.body
    last = next((el for el in reversed(body) if el.tag != qn("w:sectPr")), None)
    if last is not None and last.tag != qn("w:p"):
        paragraphs = list(last.iter(qn("w:p")))
        last = paragraphs[-1] if paragraphs else None
    if last is None:
        last = master.add_paragraph()._p
    add_bookmark(Paragraph(last, master._body), name, bm_id)


class DocxPackBuilder:
    """Composes the working copy in two steps, so the slow part can start before the page
    ranges of the PDF pack are known: ``__init__`` merges every paper behind a front document
    (one with placeholder page numbers will do); :meth:`finish` swaps in the real front
    matter, writes the PDF pack's page ranges into the copy and saves.

    Each paper keeps its own look (:class:`~agenda.documents.docx_styles.PaperLook`): its
    styles, fonts and colours, lists, and page setup. Given the PDF pack's page ranges for
    every paper, the copy is numbered as the PDF pack (front matter i, ii, ...; each paper
    starting on its page in the PDF pack) and every page reference carries that number as its
    result, so the copy reads right in any viewer and Word's own field update agrees."""

    def __init__(
        self,
        front_docx: bytes,
        parts: Sequence[DocxPart],
        *,
        private: bool,
        title: str,
        pdf_images: bool = False,
    ) -> None:
        self.title = title
        self.front_docx = front_docx
        self.parts = parts
        self.pdf_images = pdf_images
        self.private = private
        self.finished = False
        master = docx.Document(io.BytesIO(front_docx))
        self.master = master
        for section in master.sections:
            set_a4(section)
        self.front_elements = _content_elements(master)
        front_sections = len(master.sections)

        contents = master.add_section(WD_SECTION.NEW_PAGE)
        set_a4(contents, landscape=False)
        self.note, self.page_cells, self.pages_heading = _contents(master, parts)

        composer = _Composer(master)
        self.composer = composer
        look = PaperLook(master)
        self.where: dict[str, tuple[AgendaEntry, Paragraph]] = {}
        paper_sections: list[tuple[int, int, AgendaEntry]] = []
        # Counted as we go: master.sections re-scans the whole body on every use.
        count = len(master.sections)
        for n, part in enumerate(parts):
            section = master.add_section(WD_SECTION.NEW_PAGE)
            set_a4(section, landscape=False)  # a clone of the previous paper's last section
            first, count = count, count + 1
            bm_id = _BOOKMARK_ID_BASE + n
            if (
                pdf_images
                and part.kind == "pdf"
                and part.path is not None
                and not is_withheld(part.entry, private=private)
            ):
                count += _page_images(master, part, bm_id=bm_id)
            elif (
                is_withheld(part.entry, private=private) or part.kind != "docx" or part.path is None
            ):
                paragraph = _stand_in(master, part, private=private, bm_id=bm_id)
                if paragraph is not None:
                    self.where[part.entry.key] = (part.entry, paragraph)
            else:
                try:
                    # Never the stored original: its links and include fields are taken out.
                    sub = docx.Document(io.BytesIO(neutralise_docx(part.path.read_bytes()).data))
                    look.prepare(sub, stamp_text(part.entry))
                    _bookmark_first_paragraph(sub, bookmark_name(part.entry), bm_id)
                    composer.append(sub)
                except Exception as exc:  # python-docx / docxcompose on an odd file
                    label = part.label or f"{stamp_text(part.entry)} '{part.entry.heading}'"
                    raise BoardclerkError(
                        f"{label} could not be merged into the Word working copy.",
                        hint="build the PDF pack only (--format pdf), or ask the author to "
                        "re-save the paper in Word",
                    ) from exc
                # docxcompose drops the paper's last sectPr: carry its page setup over.
                subsections = sub.sections
                count += len(subsections) - 1
                last = subsections[-1]
                set_a4(
                    _last_section(master),
                    landscape=bool(
                        last.page_width and last.page_height and last.page_width > last.page_height
                    ),
                )
                _copy_margins(_last_section(master), last)
            _bookmark_last_paragraph(master, end_bookmark_name(part.entry), _END_ID_BASE + n)
            paper_sections.append((first, count, part.entry))
        composer.renumber_all()

        sections = master.sections
        for section in sections:
            clear_page_number_start(section)
        for index in range(front_sections, len(sections)):
            set_a4(sections[index])
        _set_header(sections[front_sections], "")
        _set_footer_page_x_of_y(sections[front_sections])
        for first, end, entry in paper_sections:
            for index in range(first, end):
                _set_header(sections[index], stamp_text(entry))
                # Inner sections of a paper inherit the pack's footer, not the author's.
                sections[index].footer.is_linked_to_previous = True
        # Kept by element, not index: swapping the front matter keeps the papers' sections.
        self.sect_prs = [s._sectPr for s in sections]
        self.contents_sect_pr = sections[front_sections]._sectPr
        self.paper_starts = {
            entry.key: sections[first]._sectPr for first, _, entry in paper_sections
        }

    def finish(
        self, front_docx: bytes | None = None, pdf_page_ranges: PageRanges | None = None
    ) -> bytes:
        """The working copy as bytes, with ``front_docx`` as its front matter when given.

        With a range in ``pdf_page_ranges`` for every paper, the copy is numbered as the PDF
        pack and its page references are filled in from it (see the class docstring). Without
        (a copy built on its own), it numbers its own pages and Word updates the page
        references when the file is opened."""
        if self.finished:
            raise RuntimeError("the working copy is finished already")
        if (
            front_docx is not None
            and front_docx != self.front_docx
            and not self._swap_front(front_docx)
        ):
            # A front matter of another shape (other images, say): compose again behind it.
            self.__init__(  # type: ignore[misc]  # this exact class, composed afresh
                front_docx,
                self.parts,
                private=self.private,
                title=self.title,
                pdf_images=self.pdf_images,
            )
        self.finished = True
        for entry, paragraph in self.where.values():
            _replace_runs(paragraph, _where(entry, pdf_page_ranges))
        numbered = pdf_page_ranges is not None and all(
            p.entry.key in pdf_page_ranges for p in self.parts
        )
        note = NUMBERED_AS_PDF_NOTE if numbered else WORKING_COPY_NOTE
        if numbered:
            assert pdf_page_ranges is not None
            self._number_as_pdf_pack(pdf_page_ranges)
        else:
            enable_update_fields_on_open(self.master)
        self.note.text = note
        for run in self.note.runs:
            run.italic = True
        props = self.master.core_properties
        props.title = f"{self.title} (working copy)"
        props.subject = "Agenda pack: working copy"
        props.keywords = "working copy"
        props.comments = note
        out = io.BytesIO()
        self.composer.save(out)
        return out.getvalue()

    def _number_as_pdf_pack(self, ranges: PageRanges) -> None:
        """Number the copy's pages as the PDF pack's (front matter and contents i, ii, ...;
        each paper from its first page in the PDF pack), give each PDF paper's stand-in as
        many pages as the paper, and fill in every page reference's result."""
        for part in self.parts:
            first, last = ranges[part.entry.key]
            if part.entry.key in self.where:
                _stand_in_pages(self.where[part.entry.key][1], part.entry, first, last)
            if part.entry.key in self.page_cells:
                _fill_page_cell(self.page_cells[part.entry.key], part.entry, first, last)
        starts = {id(sect_pr): ranges[key][0] for key, sect_pr in self.paper_starts.items()}
        in_front = True
        for index, sect_pr in enumerate(self.sect_prs):
            section = Section(sect_pr, self.master.part)
            if id(sect_pr) in starts:
                in_front = False
                set_page_numbering(section, fmt="decimal", start=starts[id(sect_pr)])
            elif in_front:
                set_page_numbering(section, fmt="lowerRoman", start=1 if index == 0 else None)
            else:
                set_page_numbering(section, fmt="decimal")
        # The PDF pack prints "Page n" (no total: the front matter is not counted).
        _set_footer_page(Section(self.contents_sect_pr, self.master.part))
        if self.pages_heading is not None:
            self.pages_heading.text = "Pages"

    def _swap_front(self, front_docx: bytes) -> bool:
        """Replace the front matter's body with that of ``front_docx``, which must come from
        the same template (same parts and relationships: only its text differs)."""
        new = docx.Document(io.BytesIO(front_docx))
        rels = sorted((r.rId, r.reltype, r.target_ref) for r in new.part.rels.values())
        ours = sorted(
            (r.rId, r.reltype, r.target_ref)
            for r in docx.Document(io.BytesIO(self.front_docx)).part.rels.values()
        )
        fresh = _content_elements(new)
        if rels != ours:
            return False
        body = self.master.element.body
        index = body.index(self.front_elements[0]) if self.front_elements else 0
        for element in self.front_elements:
            body.remove(element)
        for offset, element in enumerate(fresh):
            body.insert(index + offset, element)
        self.front_elements = fresh
        self.front_docx = front_docx
        self.composer.renumber_all()
        self.sect_prs = [s._sectPr for s in self.master.sections]
        return True


def _content_elements(document: DocxDocument) -> list[BaseOxmlElement]:
    return [el for el in document.element.body if el.tag != qn("w:sectPr")]


def build_docx_pack(
    front_docx: bytes,
    parts: Sequence[DocxPart],
    *,
    private: bool,
    title: str,
    pdf_page_ranges: PageRanges | None = None,
    pdf_images: bool = False,
) -> bytes:
    """One Word file: front matter, contents with PAGEREF fields, then every paper. PDF papers
    appear as pages pointing to the PDF pack, or with ``pdf_images`` as pictures of their
    pages. With a range in ``pdf_page_ranges`` for every paper the copy is numbered as the
    PDF pack (see :meth:`DocxPackBuilder.finish`)."""
    return DocxPackBuilder(
        front_docx, parts, private=private, title=title, pdf_images=pdf_images
    ).finish(None, pdf_page_ranges)
