"""Keeping each paper's look when it is composed into the Word working copy.

docxcompose brings a paper's styles over by *name*, and where the pack already has a style of
that name (every paper has "Normal" and "Heading 1") the pack's wins: authors' black Arial
headings came out as the front sheet's blue Calibri ones. And what a paper inherits from
outside its styles (its document defaults, its theme's fonts) is the pack's after the merge.

:class:`PaperLook` prepares a paper, in memory, before it is composed:

1. theme fonts and colours are written out as the values the paper's own theme gives them
   (the pack has another theme);
2. the paper's document defaults are folded into its root paragraph styles, with neutral
   values for what the pack's defaults set and the paper's do not;
3. every paragraph names its style (an unstyled paragraph would take the pack's "Normal");
4. each style whose name the pack already uses is renamed for the paper, "Heading 1
   (Appendix A)", everywhere the paper refers to it. Papers with identical styles (same
   template) share one set of renamed styles instead of adding a set each.

The composer then copies the renamed styles as new ones (with the styles they are based on).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from copy import deepcopy

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.styles import BabelFish
from lxml import etree

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# rFonts theme attribute -> (explicit attribute, font scheme side)
_THEME_FONT_ATTRS = {
    qn("w:asciiTheme"): qn("w:ascii"),
    qn("w:hAnsiTheme"): qn("w:hAnsi"),
    qn("w:eastAsiaTheme"): qn("w:eastAsia"),
    qn("w:cstheme"): qn("w:cs"),
}
# Attributes naming a theme colour, and the literal attribute Word writes alongside.
_THEME_COLOUR_ATTRS = {
    qn("w:themeColor"): qn("w:val"),
    qn("w:themeFill"): qn("w:fill"),
}
_THEME_MODIFIERS = (
    qn("w:themeShade"),
    qn("w:themeTint"),
    qn("w:themeFillShade"),
    qn("w:themeFillTint"),
)


def _tags(names: str) -> tuple[str, ...]:
    return tuple(qn(f"w:{name}") for name in names.split())


# Schema order of the children of w:rPr and w:pPr (ECMA-376 CT_RPr / CT_PPrBase): Word rejects
# property elements out of order.
_RPR_ORDER = _tags(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
_PPR_ORDER = _tags(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)

# What Word uses for a property no default sets: written where the pack's document defaults
# set something the paper's do not, so the pack's value does not leak into the paper.
_TNR = "Times New Roman"
_NEUTRAL: dict[str, dict[str, str]] = {
    qn("w:rFonts"): {qn("w:ascii"): _TNR, qn("w:hAnsi"): _TNR, qn("w:cs"): _TNR},
    qn("w:sz"): {qn("w:val"): "20"},
    qn("w:szCs"): {qn("w:val"): "20"},
    qn("w:spacing"): {
        qn("w:before"): "0",
        qn("w:after"): "0",
        qn("w:line"): "240",
        qn("w:lineRule"): "auto",
    },
    qn("w:ind"): {qn("w:left"): "0", qn("w:right"): "0"},
    qn("w:color"): {qn("w:val"): "auto"},
}
# On/off properties: where only the pack's defaults turn one on, the paper gets it turned off.
_ON_OFF = set(
    _tags(
        "b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint vanish "
        "keepNext keepLines pageBreakBefore widowControl contextualSpacing"
    )
)
# Properties whose attributes Word inherits one by one (the others are taken whole).
_BY_ATTRIBUTE = {qn("w:rFonts"), qn("w:spacing"), qn("w:ind")}
# Theme names of the font scheme slots.
_FONT_SLOTS = {"Ascii": "latin", "HAnsi": "latin", "EastAsia": "ea", "Bidi": "cs"}
_STYLE_REFS = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
_STYLE_LINKS = (qn("w:basedOn"), qn("w:next"), qn("w:link"))
_NUMBERING_STYLE_REFS = (qn("w:pStyle"), qn("w:styleLink"), qn("w:numStyleLink"))
_PARTS_WITH_STYLE_REFS = (RT.FOOTNOTES, RT.ENDNOTES, RT.COMMENTS)


def _insert_ordered(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Insert ``child`` into ``parent`` (a w:rPr or w:pPr) where the schema wants it."""
    rank = order.index(child.tag) if child.tag in order else len(order)
    for index, existing in enumerate(parent):
        if existing.tag in order and order.index(existing.tag) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _xml_parts(document: DocxDocument) -> Iterator[etree._Element]:
    """The XML of every part of ``document`` that holds run or paragraph properties."""
    yield document.element
    yield document.styles.element
    numbering = _numbering_element(document)
    if numbering is not None:
        yield numbering
    for reltype in _PARTS_WITH_STYLE_REFS:
        element = _related_element(document, reltype)
        if element is not None:
            yield element


def _related_element(document: DocxDocument, reltype: str) -> etree._Element | None:
    try:
        part = document.part.part_related_by(reltype)
    except KeyError:
        return None
    return getattr(part, "element", None)


def _numbering_element(document: DocxDocument) -> etree._Element | None:
    return _related_element(document, RT.NUMBERING)


# --------------------------------------------------------------------------------------------
# 1. Theme fonts and colours


def theme_fonts(document: DocxDocument) -> dict[str, str]:
    """The paper's theme fonts by theme name ("minorHAnsi" -> "Calibri"); empty without a
    theme."""
    try:
        blob = document.part.part_related_by(RT.THEME).blob
    except KeyError:
        return {}
    root = etree.fromstring(blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    fonts: dict[str, str] = {}
    for side in ("major", "minor"):
        scheme = root.find(f".//{_A}fontScheme/{_A}{side}Font")
        if scheme is None:
            continue
        for slot, tag in _FONT_SLOTS.items():
            el = scheme.find(f"{_A}{tag}")
            typeface = el.get("typeface") if el is not None else None
            if typeface:
                fonts[f"{side}{slot}"] = typeface
    return fonts


def resolve_theme(document: DocxDocument) -> None:
    """Write theme fonts and theme colours out as the values of the paper's own theme."""
    fonts = theme_fonts(document)
    for root in _xml_parts(document):
        # Without a theme of its own the paper's theme fonts are whatever Word falls back
        # on: leave them be.
        for rfonts in root.iter(qn("w:rFonts")) if fonts else ():
            for theme_attr, attr in _THEME_FONT_ATTRS.items():
                name = str(rfonts.attrib.pop(theme_attr, ""))
                if name and name in fonts:
                    rfonts.set(attr, fonts[name])
        for el in root.iter(qn("w:color"), qn("w:shd"), qn("w:u")):
            for theme_attr, literal in _THEME_COLOUR_ATTRS.items():
                if el.tag == qn("w:u"):
                    literal = qn("w:color")  # w:u's w:val is the kind of line
                # Word writes the computed colour next to the theme reference: keep that.
                if theme_attr in el.attrib and el.get(literal) not in (None, "auto"):
                    del el.attrib[theme_attr]
                    for modifier in _THEME_MODIFIERS:
                        el.attrib.pop(modifier, "")


# --------------------------------------------------------------------------------------------
# 2. Document defaults


def _defaults(document: DocxDocument, kind: str) -> etree._Element | None:
    """The w:rPr (kind "r") or w:pPr ("p") of the document defaults."""
    return document.styles.element.find(f"{_W}docDefaults/{_W}{kind}PrDefault/{_W}{kind}Pr")


def _fold(
    target: etree._Element,
    ours: etree._Element | None,
    theirs: etree._Element | None,
    order: tuple[str, ...],
) -> None:
    """Give ``target`` (a style's w:rPr or w:pPr) what the paper's defaults (``ours``) give it,
    and neutral values for what the pack's defaults (``theirs``) would otherwise give it."""
    for default in ours if ours is not None else ():
        existing = target.find(default.tag)
        if existing is None:
            _insert_ordered(target, deepcopy(default), order)
        elif default.tag in _BY_ATTRIBUTE:
            for attr, value in default.attrib.items():
                if attr not in existing.attrib:
                    existing.set(attr, value)
    for default in theirs if theirs is not None else ():
        existing = target.find(default.tag)
        if default.tag in _ON_OFF:
            if existing is None:  # the pack turns it on by default; the paper did not
                off = OxmlElement(default.tag.replace(_W, "w:"))
                off.set(qn("w:val"), "0")
                _insert_ordered(target, off, order)
            continue
        neutral = _NEUTRAL.get(default.tag, {})
        # (the pack's theme fonts count as its fonts)
        wanted = {
            attr: neutral[attr]
            for attr in (_THEME_FONT_ATTRS.get(str(a), str(a)) for a in default.attrib)
            if attr in neutral and (existing is None or attr not in existing.attrib)
        }
        if not wanted:
            continue
        if existing is None:
            existing = OxmlElement(default.tag.replace(_W, "w:"))
            _insert_ordered(target, existing, order)
        for attr, value in wanted.items():
            existing.set(attr, value)


def fold_defaults(paper: DocxDocument, pack: DocxDocument) -> None:
    """Fold the paper's document defaults into its root paragraph styles, so it no longer
    depends on the document defaults (the pack's, once composed)."""
    paper_r, paper_p = _defaults(paper, "r"), _defaults(paper, "p")
    pack_r, pack_p = _defaults(pack, "r"), _defaults(pack, "p")
    for style in paper.styles.element.style_lst:
        if style.type != WD_STYLE_TYPE.PARAGRAPH or style.basedOn_val is not None:
            continue
        _fold(style.get_or_add_pPr(), paper_p, pack_p, _PPR_ORDER)
        _fold(style.get_or_add_rPr(), paper_r, pack_r, _RPR_ORDER)


# --------------------------------------------------------------------------------------------
# 3. Unstyled paragraphs


def name_unstyled_paragraphs(paper: DocxDocument) -> None:
    """Give every paragraph without a style the paper's default paragraph style by name, and
    take the "default" mark off the paper's styles (the pack has its own defaults)."""
    default = paper.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    if default is not None:
        ppr_tag, style_tag = qn("w:pPr"), qn("w:pStyle")
        for p in paper.element.body.iter(qn("w:p")):
            # Plain lxml: python-docx's accessors cost more than the rest of this module.
            ppr = p[0] if len(p) and p[0].tag == ppr_tag else None
            if ppr is None:
                ppr = OxmlElement("w:pPr")
                p.insert(0, ppr)
            elif len(ppr) and ppr[0].tag == style_tag:
                continue
            ref = OxmlElement("w:pStyle")
            ref.set(qn("w:val"), default.style_id)
            ppr.insert(0, ref)
    for style in paper.styles.element.style_lst:
        style.attrib.pop(qn("w:default"), None)


# --------------------------------------------------------------------------------------------
# 4. Renaming


def _style_id_for(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]", "", name) or "Style"
    style_id, n = base, 1
    while style_id in taken:
        n += 1
        style_id = f"{base}{n}"
    return style_id


def _ui_name(style: etree._Element) -> str | None:
    name = style.name_val  # type: ignore[attr-defined]
    return BabelFish.internal2ui(name) if name else None


def _rename_refs(elements: Iterable[etree._Element], ids: dict[str, str]) -> None:
    tags = {*_STYLE_REFS, *_NUMBERING_STYLE_REFS, *_STYLE_LINKS}
    for root in elements:
        for ref in root.iter(*tags):
            value = ref.get(qn("w:val"))
            if value in ids:
                ref.set(qn("w:val"), ids[value])


class PaperLook:
    """Prepares the papers of one pack (see the module docstring). ``pack`` is the document
    they will be composed into; its style names are the ones a paper must not reuse."""

    def __init__(self, pack: DocxDocument) -> None:
        self.pack = pack
        self.names = {n for s in pack.styles.element.style_lst if (n := _ui_name(s))}
        self.ids = {s.styleId for s in pack.styles.element.style_lst}
        # Style sets already seen (by content) -> their renames: old id -> (new id, new name)
        self.renames: dict[str, dict[str, tuple[str, str]]] = {}

    def prepare(self, paper: DocxDocument, label: str) -> None:
        """Make ``paper`` keep its look once composed; ``label`` ("Appendix A") tells its
        renamed styles apart."""
        resolve_theme(paper)
        fold_defaults(paper, self.pack)
        name_unstyled_paragraphs(paper)
        signature = self._signature(paper)
        if signature not in self.renames:
            self.renames[signature] = self._plan(paper, label)
        renames = self.renames[signature]
        ids = {old: new_id for old, (new_id, _) in renames.items()}
        for style in paper.styles.element.style_lst:
            if style.styleId in renames:
                new_id, new_name = renames[style.styleId]
                style.styleId = new_id
                style.name_val = new_name
        _rename_refs(_xml_parts(paper), ids)

    @staticmethod
    def _signature(paper: DocxDocument) -> str:
        digest = hashlib.sha256(etree.tostring(paper.styles.element))
        numbering = _numbering_element(paper)
        if numbering is not None:
            digest.update(etree.tostring(numbering))
        return digest.hexdigest()

    def _plan(self, paper: DocxDocument, label: str) -> dict[str, tuple[str, str]]:
        renames: dict[str, tuple[str, str]] = {}
        for style in paper.styles.element.style_lst:
            name = _ui_name(style)
            if name is None:
                continue
            if name in self.names or style.styleId in self.ids:
                new_name, n = f"{name} ({label})", 1
                while new_name in self.names:
                    n += 1
                    new_name = f"{name} ({label}, {n})"
                new_id = _style_id_for(new_name, self.ids)
                renames[style.styleId] = (new_id, new_name)
                name = new_name
                self.ids.add(new_id)
            else:
                self.ids.add(style.styleId)
            self.names.add(name)
        return renames
