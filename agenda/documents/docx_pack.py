"""The DOCX working copy: the whole pack as one Word file a clerk can edit.

Built with python-docx + docxcompose: the front matter, a contents page whose page numbers are
``PAGEREF`` fields to an alphanumeric bookmark per item (Word and LibreOffice compute them
from this file's own pagination), then each paper in its own section(s) with its stamp in the
header, its page setup kept (landscape stays landscape, on A4) and its lists restarted. A PDF
paper appears as a page saying where to find it in the published PDF pack. The merge applies
the front document's styles, so this file paginates differently from the PDF pack: it is
marked as the working copy and the PDF pack stays the document of record.
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
from docx.shared import Mm
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph
from docxcompose.composer import Composer
from docxcompose.utils import xpath

from agenda.documents.agenda import AgendaEntry
from agenda.documents.pdf_pack import PageRanges, bookmark_name, is_withheld, stamp_text
from agenda.errors import BoardclerkError

WORKING_COPY_NOTE = (
    "WORKING COPY. This Word file is for editing. The published PDF pack is the "
    "document of record; page numbers in the agenda refer to the PDF pack, "
    "page numbers on this page refer to this file."
)
_BOOKMARK_ID_BASE = 90_000


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
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


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
        if qn("w:pStyle") in self._scan(element)[0]:
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

    def add_linked_styles(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        super().add_linked_styles(doc, element)
        self._our_style_ids = {st.styleId for st in self.doc.styles.element.style_lst}

    def add_styles(self, doc, element) -> None:  # type: ignore[no-untyped-def]
        """docxcompose's ``add_styles`` for ``preserve_styles=False``, with the master's style
        ids kept in a set instead of listed afresh for every element and style."""
        if not _STYLE_TAGS & self._scan(element)[0]:
            return
        refs = xpath(element, ".//w:tblStyle|.//w:pStyle|.//w:rStyle")
        for style_id in dict.fromkeys(ref.val for ref in refs):
            our_style_id = self.mapped_style_id(style_id)
            if style_id not in self._styles_done:
                self._styles_done.add(style_id)
                if our_style_id not in self._our_style_ids:
                    style_element = doc.styles.element.get_by_id(style_id)
                    if style_element is not None:
                        style_element = deepcopy(style_element)
                        self.doc.styles.element.append(style_element)
                        self._our_style_ids.add(style_element.styleId)
                        self.add_numberings(doc, style_element)
                        self.add_linked_styles(doc, style_element)
                else:
                    self._map_style_numbering(doc, style_id, our_style_id)
            if our_style_id != style_id and our_style_id is not None:
                for ref in refs:
                    if ref.val == style_id:
                        ref.val = our_style_id

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


def _contents(master: DocxDocument, parts: Sequence[DocxPart]) -> None:
    master.add_paragraph("Contents of this working copy", style="Heading 1")
    note = master.add_paragraph(WORKING_COPY_NOTE)
    for run in note.runs:
        run.italic = True
    if not parts:
        master.add_paragraph("There are no papers for this meeting.")
        return
    table = master.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Item", "Title", "Paper", "Page"), strict=True):
        cell.text = text
    for part in parts:
        row = table.add_row().cells
        row[0].text = part.entry.number
        row[1].text = part.entry.heading
        row[2].text = stamp_text(part.entry)
        p = row[3].paragraphs[0]
        add_field(p, f"PAGEREF {bookmark_name(part.entry)} \\h", placeholder="?")


def _stand_in(
    master: DocxDocument, part: DocxPart, *, private: bool, bm_id: int
) -> Paragraph | None:
    """The page standing for a withheld exempt paper or a PDF paper."""
    entry = part.entry
    heading = master.add_paragraph(f"{entry.number}. {entry.heading}", style="Heading 1")
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
            page_w, page_h = section.page_width, section.page_height
            assert page_w is not None and page_h is not None  # set_a4 has just set both
            room_w, room_h = page_w - Mm(30), page_h - Mm(42)
            paragraph.add_run().add_picture(str(image), width=int(min(room_w, room_h / aspect)))
            if number == 0:
                add_bookmark(paragraph, bookmark_name(part.entry), bm_id)
        return max(len(images) - 1, 0)


def _bookmark_first_paragraph(sub: DocxDocument, name: str, bm_id: int) -> None:
    body = sub.element.body
    first = body[0] if len(body) else None
    if isinstance(first, CT_P):
        add_bookmark(Paragraph(first, sub._body), name, bm_id)
        return
    # The paper opens with a table (or is empty): put the bookmark in a paragraph before it.
    p = cast(CT_P, OxmlElement("w:p"))  # python-docx builds w:p as its CT_P class
    body.insert(0, p)
    add_bookmark(Paragraph(p, sub._body), name, bm_id)


class DocxPackBuilder:
    """Composes the working copy in two steps, so the slow part can start before the page
    ranges of the PDF pack are known: ``__init__`` merges every paper behind a front document
    (one with placeholder page numbers will do); :meth:`finish` swaps in the real front
    matter, writes the PDF pack's page ranges into the PDF papers' stand-in pages and saves."""

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
        master = docx.Document(io.BytesIO(front_docx))
        self.master = master
        for section in master.sections:
            set_a4(section)
        self.front_elements = _content_elements(master)
        front_sections = len(master.sections)

        contents = master.add_section(WD_SECTION.NEW_PAGE)
        set_a4(contents, landscape=False)
        _contents(master, parts)

        composer = _Composer(master)
        self.composer = composer
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
                    sub = docx.Document(str(part.path))
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

    def finish(
        self, front_docx: bytes | None = None, pdf_page_ranges: PageRanges | None = None
    ) -> bytes:
        """The working copy as bytes, with ``front_docx`` as its front matter when given."""
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
        for entry, paragraph in self.where.values():
            paragraph.text = _where(entry, pdf_page_ranges)
        props = self.master.core_properties
        props.title = f"{self.title} (working copy)"
        props.subject = "Agenda pack: working copy"
        props.keywords = "working copy"
        props.comments = WORKING_COPY_NOTE
        enable_update_fields_on_open(self.master)
        out = io.BytesIO()
        self.composer.save(out)
        return out.getvalue()

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
    appear as a page pointing to the PDF pack, or with ``pdf_images`` as pictures of their
    pages."""
    return DocxPackBuilder(
        front_docx, parts, private=private, title=title, pdf_images=pdf_images
    ).finish(None, pdf_page_ranges)
