"""Reading Word files back as a reader sees them: a style's effective font, size and colour,
the paragraphs of one paper in a composed pack, and the cached results of fields."""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from agenda.documents.docx_styles import theme_fonts


@dataclass(frozen=True)
class Look:
    font: str | None
    size_pt: float | None
    colour: str | None  # RRGGBB as Word writes it, or None (automatic)
    bold: bool


def _chain(document: DocxDocument, style_id: str | None) -> list[etree._Element]:
    """The style ``style_id`` and the styles it is based on, nearest first."""
    styles = document.styles.element
    chain: list[etree._Element] = []
    while style_id and all(s.styleId != style_id for s in chain):
        style = styles.get_by_id(style_id)
        if style is None:
            break
        chain.append(style)
        style_id = style.basedOn_val
    return chain


def _default(document: DocxDocument, kind: str, tag: str) -> etree._Element | None:
    """``tag`` in the document defaults' w:rPr (``kind`` "r") or w:pPr ("p")."""
    return document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn(f'w:{kind}PrDefault')}/{qn(f'w:{kind}Pr')}/{tag}"
    )


def _first(document: DocxDocument, style_id: str | None, tag: str) -> etree._Element | None:
    """The nearest ``tag`` in the run properties of the style chain, then the defaults."""
    for style in _chain(document, style_id):
        found = style.find(f"{qn('w:rPr')}/{tag}")
        if found is not None:
            return found
    return _default(document, "r", tag)


def style_look(document: DocxDocument, style_id: str | None) -> Look:
    """What text in paragraph style ``style_id`` looks like in ``document`` (Latin text)."""
    fonts = _first(document, style_id, qn("w:rFonts"))
    font = None
    if fonts is not None:
        theme = fonts.get(qn("w:asciiTheme"))
        font = theme_fonts(document).get(theme) if theme else fonts.get(qn("w:ascii"))
    size = _first(document, style_id, qn("w:sz"))
    colour = _first(document, style_id, qn("w:color"))
    bold = _first(document, style_id, qn("w:b"))
    return Look(
        font=font,
        size_pt=int(size.get(qn("w:val"))) / 2 if size is not None else None,
        colour=colour.get(qn("w:val")) if colour is not None else None,
        bold=bold is not None and bold.get(qn("w:val"), "true") not in ("0", "false"),
    )


def style_spacing(document: DocxDocument, style_id: str | None) -> dict[str, str]:
    """The spacing (before, after, line, lineRule) of paragraph style ``style_id``: each
    attribute from the nearest style that sets it, then the document defaults, then Word's
    own default (none)."""
    tag = qn("w:spacing")
    found = [s.find(f"{qn('w:pPr')}/{tag}") for s in _chain(document, style_id)]
    found.append(_default(document, "p", tag))
    spacing: dict[str, str] = {}
    for element in reversed([el for el in found if el is not None]):
        spacing.update({etree.QName(k).localname: v for k, v in element.attrib.items()})
    return spacing


def paragraph_look(document: DocxDocument, paragraph: Paragraph) -> Look:
    """The look of ``paragraph``'s style (the default paragraph style when it names none)."""
    ppr = paragraph._p.pPr
    style_id = ppr.style if ppr is not None else None
    if style_id is None:
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        style_id = default.style_id if default is not None else None
    return style_look(document, style_id)


def paragraphs_between(document: DocxDocument, start: str, end: str) -> list[Paragraph]:
    """The body's paragraphs from the one holding bookmark ``start`` to the one holding
    ``end`` (a paper in the working copy: ITEM100 .. ITEM100END)."""
    out: list[Paragraph] = []
    inside = False
    for p in document.element.body.iter(qn("w:p")):
        names = {b.get(qn("w:name")) for b in p.iter(qn("w:bookmarkStart"))}
        inside = inside or start in names
        if inside:
            out.append(Paragraph(p, document._body))
        if end in names:
            break
    return out


def field_results(document: DocxDocument) -> list[tuple[str, str]]:
    """Every complex field in the body: (instruction, cached result text)."""
    results: list[tuple[str, str]] = []
    stack: list[list[str]] = []  # per open field: [instruction, result, state]
    for el in document.element.body.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if el.tag == qn("w:fldChar"):
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append(["", "", "instr"])
            elif kind == "separate" and stack:
                stack[-1][2] = "result"
            elif kind == "end" and stack:
                instr, result, _ = stack.pop()
                results.append((" ".join(instr.split()), result))
        elif stack and el.tag == qn("w:instrText") and stack[-1][2] == "instr":
            stack[-1][0] += el.text or ""
        elif stack and el.tag == qn("w:t") and stack[-1][2] == "result":
            stack[-1][1] += el.text or ""
    return results
