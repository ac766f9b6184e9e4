"""Each paper keeps its own look in the Word working copy: fonts, sizes and colours of its
styles, its theme's fonts and its document defaults, whatever the front sheet's styles are."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from agenda.documents.agenda import Agenda
from agenda.documents.docx_pack import DocxPart, build_docx_pack, end_bookmark_name
from agenda.documents.frontsheet import build_front_docx
from agenda.documents.pdf_pack import bookmark_name
from agenda.filestore import LocalFileStore
from tests.support.docx_look import (
    Look,
    paragraph_look,
    paragraphs_between,
    style_look,
    style_spacing,
)
from tests.support.pack_helpers import PaperSpec, agenda_with_papers

HEADING = "5. Consultation and engagement"
BODY = "Residents were asked for their views in a survey open for six weeks."


def _saved(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pin_font(style: object, name: str, size: float, colour: RGBColor, bold: bool) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name, font.size, font.bold = name, Pt(size), bold
    font.color.rgb = colour
    rfonts = style.element.rPr.rFonts  # type: ignore[attr-defined]
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _write(document: DocxDocument) -> bytes:
    document.add_heading(HEADING, level=1)
    for _ in range(3):
        document.add_paragraph(BODY)
    return _saved(document)


def arial_paper() -> bytes:
    """An author's paper: black Arial headings, Georgia text."""
    document = docx.Document()
    _pin_font(document.styles["Normal"], "Georgia", 11, RGBColor(0x33, 0x33, 0x33), False)
    _pin_font(document.styles["Heading 1"], "Arial", 14, RGBColor(0, 0, 0), True)
    return _write(document)


def themed_paper() -> bytes:
    """A paper whose headings use its theme's heading font, which its theme makes Georgia."""
    document = docx.Document()
    theme = document.part.part_related_by(RT.THEME)
    theme._blob = re.sub(  # type: ignore[attr-defined]
        rb'(<a:majorFont>\s*<a:latin typeface=")[^"]*"', rb'\1Georgia"', theme.blob
    )
    return _write(document)


def big_defaults_paper() -> bytes:
    """A paper whose 14 pt text comes from its document defaults, not from a style."""
    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}").set(qn("w:val"), "28")
    return _write(document)


def _copy(tmp: Path, papers: list[bytes]) -> tuple[Agenda, list[bytes], DocxDocument]:
    store = LocalFileStore(tmp / "store")
    agenda = agenda_with_papers(store, [PaperSpec("docx", data=data) for data in papers])
    parts = [DocxPart(e, "docx", store.path(e.paper.sha256)) for e in agenda.papers if e.paper]
    data = build_docx_pack(
        build_front_docx(agenda, None, private=False), parts, private=False, title="t"
    )
    return agenda, papers, docx.Document(io.BytesIO(data))


def _looks_in_copy(copy: DocxDocument, agenda: Agenda, text: str) -> list[Look]:
    """For each paper in order: the look of its first paragraph reading ``text``."""
    looks = []
    for entry in agenda.papers:
        paragraphs = paragraphs_between(copy, bookmark_name(entry), end_bookmark_name(entry))
        looks.append(paragraph_look(copy, next(p for p in paragraphs if p.text == text)))
    return looks


def _look_in_paper(data: bytes, text: str) -> Look:
    paper = docx.Document(io.BytesIO(data))
    return paragraph_look(paper, next(p for p in paper.paragraphs if p.text == text))


def test_authors_black_arial_headings_stay_black_arial_in_the_working_copy(
    tmp_path: Path,
) -> None:
    agenda, papers, copy = _copy(tmp_path, [arial_paper(), arial_paper()])
    submitted = _look_in_paper(papers[0], HEADING)
    assert submitted == Look(font="Arial", size_pt=14, colour="000000", bold=True)
    assert _looks_in_copy(copy, agenda, HEADING) == [submitted, submitted]
    assert _looks_in_copy(copy, agenda, BODY) == [_look_in_paper(papers[0], BODY)] * 2
    # The pack's own heading style is another one, and is left as it was.
    pack_heading = style_look(copy, copy.styles["Heading 1"].style_id)
    assert pack_heading.font != "Arial" and pack_heading.colour != "000000"
    # The paper's styles came over under names of their own, once for both (same template).
    names = {s.name for s in copy.styles}
    assert {"Heading 1 (Appendix A)", "Normal (Appendix A)"} <= names
    assert not any(name.endswith("(Appendix B)") for name in names)


def test_a_papers_theme_fonts_are_its_own_themes(tmp_path: Path) -> None:
    agenda, papers, copy = _copy(tmp_path, [themed_paper(), arial_paper()])
    assert _look_in_paper(papers[0], HEADING).font == "Georgia"
    assert [look.font for look in _looks_in_copy(copy, agenda, HEADING)] == ["Georgia", "Arial"]
    assert style_look(copy, copy.styles["Heading 1"].style_id).font != "Georgia"


def test_text_sized_by_a_papers_document_defaults_keeps_its_size(tmp_path: Path) -> None:
    agenda, papers, copy = _copy(tmp_path, [big_defaults_paper()])
    assert _look_in_paper(papers[0], BODY).size_pt == 14
    assert [look.size_pt for look in _looks_in_copy(copy, agenda, BODY)] == [14]
    assert style_look(copy, copy.styles["Normal"].style_id).size_pt != 14


def no_defaults_paper() -> bytes:
    """A paper with no document defaults at all (as some converters write them): Word's own
    defaults apply, single spacing and no space after paragraphs."""
    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.getparent().remove(defaults)
    return _write(document)


def test_the_packs_document_defaults_do_not_leak_into_a_paper(tmp_path: Path) -> None:
    agenda, papers, copy = _copy(tmp_path, [no_defaults_paper()])
    pack_normal = copy.styles["Normal"].style_id
    assert style_spacing(copy, pack_normal).get("after") == "200"  # the front sheet's
    paper = docx.Document(io.BytesIO(papers[0]))
    assert style_spacing(paper, "Normal").get("after", "0") == "0"
    [entry] = agenda.papers
    body = next(
        p
        for p in paragraphs_between(copy, bookmark_name(entry), end_bookmark_name(entry))
        if p.text == BODY
    )
    spacing = style_spacing(copy, body._p.pPr.style)
    assert (spacing["after"], spacing["line"]) == ("0", "240")
