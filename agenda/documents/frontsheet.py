"""The frontsheet and numbered agenda: the first pages of every pack, as a Word document.

The document is built on the house style's ``frontsheet.docx``, so a clerk who rebrands that
file in Word (logo in the header, fonts, margins, the look of the named "BC ..." paragraph
styles) sees the change in every pack. Only the body is replaced; headers, footers and section
settings of the template are kept, except that the page is forced to A4.

Page references come from the pack builder: ``page_ranges`` maps an entry's key ("item:42",
"proc:minutes") to its first and last pack page. Without them every reference prints as
"(Pages 000 - 000)": as wide as any real reference, so a first render to measure the papers and
a second render with the real numbers paginate alike.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from agenda.documents.agenda import Agenda, AgendaEntry, MemberLine
from agenda.documents.house_style import Style, fill, load_style
from agenda.kinds import Role

PLACEHOLDER_PAGE = "000"
LOGO_TOKEN = "{organisation}"


@dataclass(frozen=True)
class ParaLook:
    size: float = 11
    bold: bool = False
    align: str = "left"  # left | centre | right
    before: float = 0
    after: float = 6
    indent_mm: float = 0
    hanging_mm: float = 0
    keep_with_next: bool = False


# The named paragraph styles the builder writes with. A clerk restyles them in Word; a template
# that lacks one gets it back with these defaults.
PARAGRAPH_STYLES: dict[str, ParaLook] = {
    "BC Logo": ParaLook(size=10, bold=True, align="right", after=0),
    "BC Banner": ParaLook(size=12, bold=True, align="centre", after=12),
    "BC Title": ParaLook(size=16, bold=True, align="centre", before=6, after=12),
    "BC Details": ParaLook(size=12, bold=True, after=4),
    "BC Heading": ParaLook(size=12, bold=True, before=12, after=6, keep_with_next=True),
    "BC Group": ParaLook(size=11, bold=True, before=6, after=2, keep_with_next=True),
    "BC Member": ParaLook(size=11, after=2),
    "BC Text": ParaLook(size=11, after=6),
    "BC Session": ParaLook(
        size=14, bold=True, align="centre", before=0, after=6, keep_with_next=True
    ),
    "BC Item Heading": ParaLook(
        size=11, bold=True, before=10, after=2, indent_mm=12, hanging_mm=12, keep_with_next=True
    ),
    "BC Item Reference": ParaLook(size=11, bold=True, after=2, indent_mm=12, keep_with_next=True),
    "BC Item Text": ParaLook(size=11, after=4, indent_mm=12),
}

# Headings never end a page: kept with what follows even when a clerk's template restyled them
# without "keep with next".
HEADING_STYLES = frozenset(name for name, look in PARAGRAPH_STYLES.items() if look.keep_with_next)

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "centre": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def add_paragraph_styles(
    doc: DocxDocument, *, font: str | None = None, only_missing: bool = True
) -> None:
    """Give ``doc`` every "BC ..." style (those it already has are left as the clerk made them)."""
    existing = {s.name for s in doc.styles}
    for name, look in PARAGRAPH_STYLES.items():
        if only_missing and name in existing:
            continue
        style = (
            doc.styles[name]
            if name in existing
            else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        )
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
        if font:
            style.font.name = font
        style.font.size = Pt(look.size)
        style.font.bold = look.bold
        pf = style.paragraph_format
        pf.alignment = _ALIGN[look.align]
        pf.space_before, pf.space_after = Pt(look.before), Pt(look.after)
        pf.keep_with_next = look.keep_with_next
        if look.indent_mm:
            pf.left_indent = Mm(look.indent_mm)
        if look.hanging_mm:
            pf.first_line_indent = -Mm(look.hanging_mm)


def a4(doc: DocxDocument) -> None:
    for section in doc.sections:
        landscape = (
            section.page_width is not None
            and section.page_height is not None
            and section.page_width > section.page_height
        )
        section.page_width, section.page_height = (
            (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        )


def _open_base(style: Style) -> DocxDocument:
    template = style.frontsheet_template
    doc = Document(str(template)) if template else Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # keep the page setup, drop the sample content
            body.remove(child)
    add_paragraph_styles(doc)
    a4(doc)
    return doc


def _fill_logo(doc: DocxDocument, text: str) -> None:
    """Replace the template's "{organisation}" header placeholder with the style's logo text; a
    clerk who put a logo there instead has no token left and keeps their logo."""
    for section in doc.sections:
        for part in (section.header, section.first_page_header):
            if part.is_linked_to_previous:
                continue
            for p in part.paragraphs:
                for run in p.runs:
                    if LOGO_TOKEN in run.text:
                        run.text = run.text.replace(LOGO_TOKEN, text)


class _Writer:
    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc

    def para(self, text: str, style: str, *, bold_prefix: str | None = None) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if style in HEADING_STYLES:
            p.paragraph_format.keep_with_next = True
        if bold_prefix:
            p.add_run(bold_prefix).bold = True
            p.add_run(" ")
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        return p

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def member_text(style: Style, member: MemberLine) -> str:
    text = fill(style.membership.line, name=member.name, title=member.title or "")
    text = text.strip().rstrip(",").strip()
    suffix = {
        Role.CHAIR.value: style.chair_suffix,
        Role.VICE_CHAIR.value: style.vice_chair_suffix,
    }.get(member.role, "")
    return f"{text} {suffix}" if suffix else text


def group_heading(style: Style, group: str | None) -> str:
    name = group or style.membership.ungrouped
    suffix = style.membership.group_suffix
    return name if not suffix or ":" in name else f"{name}{suffix}"


def page_reference(
    style: Style, entry: AgendaEntry, page_ranges: Mapping[str, tuple[int, int]] | None
) -> str:
    """ "Appendix B (Pages 17 - 80)" / "(Pages 5 - 12)"; placeholders of full width when the
    pages are not known yet."""
    number = entry.number
    letter = entry.letter or ""
    if page_ranges is None:
        return fill(
            style.papers.reference,
            letter=letter,
            number=number,
            first=PLACEHOLDER_PAGE,
            last=PLACEHOLDER_PAGE,
        )
    if entry.key not in page_ranges:
        raise ValueError(f"no page range given for agenda entry {entry.key} ({entry.heading})")
    first, last = page_ranges[entry.key]
    pattern = style.papers.reference_single if first == last else style.papers.reference
    return fill(pattern, letter=letter, number=number, first=str(first), last=str(last))


def _front_values(agenda: Agenda, style: Style) -> dict[str, str]:
    return {
        "organisation": agenda.organisation,
        "ORGANISATION": agenda.organisation.upper(),
        "body_name": agenda.body_name,
        "BODY_NAME": agenda.body_name.upper(),
        "clerk_name": agenda.clerk.name if agenda.clerk else "",
        "clerk_email": agenda.clerk_email or "",
        "chair_title": style.chair_title,
    }


def _write_front(w: _Writer, agenda: Agenda, style: Style, *, private: bool) -> None:
    fs = style.frontsheet
    values = _front_values(agenda, style)
    if private and fs.private_banner:
        w.para(fs.private_banner, "BC Banner")
    w.para(fill(fs.title, **values), "BC Title")
    w.para(style.format_date(agenda.starts_at), "BC Details", bold_prefix=fs.date_label)
    when = style.format_time(agenda.starts_at)
    if agenda.note:
        when += f" ({agenda.note})"
    w.para(when, "BC Details", bold_prefix=fs.time_label)
    if agenda.venue:
        w.para(style.venue(agenda.venue), "BC Details", bold_prefix=fs.location_label)
    for key in ("summons", "welcome", "signoff"):
        text = getattr(fs, key)
        if text:
            w.para(fill(text, **values), "BC Text")
    for line in fs.webcast:
        w.para(fill(line, **values), "BC Text")
    _write_members(w, agenda, style)
    if fs.public_information:
        if fs.public_information_heading:
            w.para(fill(fs.public_information_heading, **values), "BC Heading")
        for section in fs.public_information:
            _write_section(w, section.heading, section.paragraphs, values, "BC Group")
    has_clerk = agenda.clerk is not None
    if fs.contact and (has_clerk or "{clerk_" not in fs.contact):
        if fs.contact_heading:
            w.para(fill(fs.contact_heading, **values), "BC Heading")
        w.para(fill(fs.contact, **values), "BC Text")
    if fs.press:
        w.para(fill(fs.press, **values), "BC Text")


def _write_section(
    w: _Writer,
    heading: str,
    paragraphs: tuple[str, ...],
    values: Mapping[str, str],
    heading_style: str,
) -> None:
    if heading:
        w.para(fill(heading, **values), heading_style)
    for text in paragraphs:
        w.para(fill(text, **values), "BC Text")


def _write_members(w: _Writer, agenda: Agenda, style: Style) -> None:
    if not agenda.members:
        return
    if style.membership.heading:
        w.para(fill(style.membership.heading, **_front_values(agenda, style)), "BC Heading")
    current: object = object()
    for member in agenda.members:
        if member.group != current:
            current = member.group
            w.para(group_heading(style, member.group), "BC Group")
        w.para(member_text(style, member), "BC Member")


def _write_entry(
    w: _Writer,
    style: Style,
    entry: AgendaEntry,
    page_ranges: Mapping[str, tuple[int, int]] | None,
    *,
    private: bool,
) -> None:
    w.para(f"{entry.number}.\t{entry.heading}", "BC Item Heading")
    if entry.paper is not None:
        w.para(page_reference(style, entry, page_ranges), "BC Item Reference")
    if entry.exempt and not private:
        # Title and exemption reason only: nothing of the paper itself goes in the public pack.
        reason = entry.exempt_reason or ""
        w.para(
            fill(style.descriptions["exempt_public"], reason=reason, title=entry.heading),
            "BC Item Text",
        )
        return
    if entry.description:
        w.para(entry.description, "BC Item Text")
    if entry.exempt and entry.exempt_reason:
        w.para(entry.exempt_reason, "BC Item Text", bold_prefix=style.part_b.reason_label or None)


def _write_agenda(
    w: _Writer,
    agenda: Agenda,
    style: Style,
    page_ranges: Mapping[str, tuple[int, int]] | None,
    *,
    private: bool,
) -> None:
    fs = style.frontsheet
    values = _front_values(agenda, style)
    if fs.public_session:
        w.para(fs.public_session, "BC Session")
    if fs.agenda_heading:
        w.para(fs.agenda_heading, "BC Session")
    for notice in fs.notices:
        _write_section(w, notice.heading, notice.paragraphs, values, "BC Group")
    for entry in agenda.part_a:
        _write_entry(w, style, entry, page_ranges, private=private)
    if agenda.part_b:
        w.para(style.part_b.heading, "BC Session").paragraph_format.space_before = Pt(18)
        for entry in agenda.part_b:
            _write_entry(w, style, entry, page_ranges, private=private)


def build_front_docx(
    agenda: Agenda, page_ranges: dict[str, tuple[int, int]] | None, *, private: bool
) -> bytes:
    """The frontsheet and numbered agenda as a .docx file (A4).

    ``private`` prints Part B in full; the public version gives each exempt item's title and
    exemption reason only. A meeting with no papers still gets a complete agenda."""
    style = load_style(agenda.style)
    doc = _open_base(style)
    _fill_logo(
        doc, fill(style.frontsheet.logo_text, **_front_values(agenda, style)) or agenda.organisation
    )
    w = _Writer(doc)
    _write_front(w, agenda, style, private=private)
    w.page_break()
    _write_agenda(w, agenda, style, page_ranges, private=private)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
