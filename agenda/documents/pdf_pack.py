"""The published PDF pack: front matter and agenda, then every paper stamped and numbered.

Page numbers are running sums of the papers' page counts, so the page ranges printed in the
agenda are exact by construction. Printed numbers start at 1 on the first paper (the front
sheet is unnumbered, as in the Leicester City packs); page labels make a viewer show the same
numbers. An exempt paper in the public pack is replaced by a one-page placeholder giving the
exemption reason: its file is never opened for the public pack, so none of its text can leak.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from agenda.documents.agenda import AgendaEntry
from agenda.documents.tagging import DEFAULT_LANGUAGE, PdfSource, graft_structure, tag_page
from agenda.errors import BoardclerkError

PageRanges = dict[str, tuple[int, int]]
# Builds the front matter (frontsheet + agenda) as PDF bytes for the given page ranges; None
# asks for placeholders (used only to learn its length when the front itself is numbered).
FrontBuilder = Callable[[PageRanges | None], bytes]

# Stamps, page numbers and placeholders use Liberation Sans (fonts-liberation2, metric-
# compatible with Arial) registered with reportlab, so the font is embedded in the pack:
# Helvetica, reportlab's default, is one of the 14 standard fonts it never embeds.
SANS, SANS_BOLD = "BoardclerkSans", "BoardclerkSans-Bold"
STAMP_FONT = (SANS_BOLD, 11)
FOOTER_FONT = (SANS, 9)
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-sans"),
    Path("/usr/local/share/fonts"),
)
_FONT_FILES = {SANS: "LiberationSans-Regular.ttf", SANS_BOLD: "LiberationSans-Bold.ttf"}


def register_fonts() -> None:
    """Register the embedded stamp fonts with reportlab (once per process)."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file_name in _FONT_FILES.items():
        if name in registered:
            continue
        path = next((d / file_name for d in FONT_DIRS if (d / file_name).exists()), None)
        if path is None:
            raise BoardclerkError(
                f"The font {file_name} is not installed, so the pack's stamps cannot be "
                "drawn in an embedded font.",
                hint="apt-get install fonts-liberation2",
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


@dataclass(frozen=True)
class PackPart:
    """One agenda entry with a paper, and the PDF of that paper (None: not available here)."""

    entry: AgendaEntry
    pdf: Path | None


@dataclass(frozen=True)
class PdfPack:
    data: bytes
    page_ranges: PageRanges  # entry key -> (first, last) printed page number
    front_pages: int
    total_pages: int  # every page of the file, front included


def stamp_text(entry: AgendaEntry) -> str:
    return entry.stamp or f"Agenda Item {entry.number}"


def bookmark_title(entry: AgendaEntry) -> str:
    """What the outline shows: the same words the agenda shows (exempt entries come from the
    public agenda already reduced to what may be published)."""
    return f"{entry.number}. {entry.heading} ({stamp_text(entry)})"


def bookmark_name(entry: AgendaEntry) -> str:
    """An alphanumeric name for links and Word bookmarks: LibreOffice hex-escapes others."""
    name = "".join(c for c in entry.key.upper() if c.isalnum()) or "ITEM"
    return name if name[0].isalpha() else f"ITEM{name}"


def is_withheld(entry: AgendaEntry, *, private: bool) -> bool:
    return entry.exempt and not private


def placeholder_pdf(entry: AgendaEntry) -> bytes:
    """The single public page standing in for an exempt paper, tagged (a heading and
    paragraphs) so that its pages in the tagged pack are read like the rest."""
    register_fonts()
    buf = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buf, pagesize=A4, initialFontName=SANS)  # type: ignore[arg-type]
    c.setTitle("Exempt information")
    tags: list[str] = []

    def begin(tag: str) -> None:
        c.addLiteral(f"/{tag} <</MCID {len(tags)}>> BDC")
        tags.append(tag)

    y = height - 130
    c.setFont(SANS_BOLD, 16)
    begin("H1")
    for line in simpleSplit(f"{entry.number}. {entry.heading}", SANS_BOLD, 16, width - 144):
        c.drawString(72, y, line)
        y -= 22
    c.addLiteral("EMC")
    y -= 16
    c.setFont(SANS_BOLD, 13)
    begin("P")
    c.drawString(72, y, "NOT FOR PUBLICATION")
    c.addLiteral("EMC")
    y -= 26
    body = (
        "This paper contains exempt information. It is not included in the public agenda "
        "pack and will be considered in private, after the press and public have been "
        "excluded."
    )
    reason = entry.exempt_reason or "The reason for exemption has not been recorded."
    c.setFont(SANS, 11)
    for text in (body, f"Reason: {reason}"):
        begin("P")
        for line in simpleSplit(text, SANS, 11, width - 144):
            c.drawString(72, y, line)
            y -= 15
        c.addLiteral("EMC")
        y -= 10
    c.showPage()
    c.save()
    return tag_page(buf.getvalue(), tags)


def _page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def compute_page_ranges(counts: Sequence[tuple[str, int]], first: int = 1) -> PageRanges:
    """Running sums: (key, pages) in pack order -> key -> (first page, last page)."""
    ranges: PageRanges = {}
    page = first
    for key, pages in counts:
        ranges[key] = (page, page + pages - 1)
        page += pages
    return ranges


def _front_matter(
    front: FrontBuilder, counts: list[tuple[str, int]], *, number_front: bool
) -> tuple[bytes, PageRanges]:
    """Render the front matter with the real page ranges. When the front pages are numbered
    too, the ranges depend on its length: render once with placeholders to learn it, then
    with the numbers, and again if the numbers made it grow (bounded)."""
    if not number_front:
        ranges = compute_page_ranges(counts)
        return front(ranges), ranges
    front_pages = _page_count(front(None))
    for _ in range(4):
        ranges = compute_page_ranges(counts, first=front_pages + 1)
        data = front(ranges)
        pages = _page_count(data)
        if pages == front_pages:
            return data, ranges
        front_pages = pages
    raise BoardclerkError("The agenda's length would not settle while adding page numbers.")


def _stamps(
    sizes: Sequence[tuple[float, float]], headers: Sequence[str], footers: Sequence[str]
) -> PdfReader:
    """One reportlab page per paper page, each the size of the page it will be laid on."""
    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, initialFontName=SANS)  # type: ignore[arg-type]  # the stub says float
    for (w, h), header, footer in zip(sizes, headers, footers, strict=True):
        c.setPageSize((w, h))
        font, size = STAMP_FONT
        text_w = c.stringWidth(header, font, size)
        c.setFillColorRGB(1, 1, 1)  # a white patch keeps the stamp legible over the paper
        c.rect(w - 36 - text_w - 4, h - 34, text_w + 8, size + 8, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, size)
        c.drawRightString(w - 36, h - 30, header)
        font, size = FOOTER_FONT
        fw = c.stringWidth(footer, font, size)
        c.setFillColorRGB(1, 1, 1)
        c.rect(w / 2 - fw / 2 - 4, 14, fw + 8, size + 6, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, size)
        c.drawCentredString(w / 2, 18, footer)
        c.showPage()
    c.save()
    buf.seek(0)
    return PdfReader(buf)


def open_parts(parts: Sequence[PackPart], *, private: bool) -> list[PdfReader]:
    """A reader per part: the paper's PDF, or the placeholder of a withheld exempt paper."""
    readers: list[PdfReader] = []
    for part in parts:
        if is_withheld(part.entry, private=private) or part.pdf is None:
            if not is_withheld(part.entry, private=private):
                raise BoardclerkError(f"No PDF was given for {stamp_text(part.entry)}.")
            readers.append(PdfReader(io.BytesIO(placeholder_pdf(part.entry))))
        else:
            readers.append(PdfReader(part.pdf))
    return readers


def build_pdf_pack(
    front: FrontBuilder,
    parts: Sequence[PackPart],
    *,
    private: bool,
    title: str,
    page_of_total: bool = False,
    number_front: bool = False,
    readers: Sequence[PdfReader] | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> PdfPack:
    """Assemble the pack. ``parts`` are the agenda entries with papers, in agenda order
    (``readers``, from :func:`open_parts`, saves opening them again).

    Exempt entries become placeholders unless ``private``. ``page_of_total`` prints "Page n of
    N" instead of "Page n". ``number_front`` numbers the front matter too (pages then start at
    1 on the front sheet). ``language`` is the pack's /Lang.

    The merged pack keeps the language, the title shown in the title bar, bookmarks and page
    labels; pypdf drops the structure trees when merging, so they are grafted back afterwards
    (:func:`~agenda.documents.tagging.graft_structure`). Each public paper is also published
    as its own tagged PDF (:mod:`agenda.pack.renditions`)."""
    readers = list(readers) if readers is not None else open_parts(parts, private=private)
    counts = [(p.entry.key, len(r.pages)) for p, r in zip(parts, readers, strict=True)]
    with ThreadPoolExecutor(1) as pool:
        if number_front:
            front_data, ranges = _front_matter(front, counts, number_front=True)
            front_job = None
        else:
            # Pages are numbered from the first paper, so the ranges are known now: render
            # the front matter (LibreOffice, another process) while the papers are stamped.
            ranges = compute_page_ranges(counts)
            front_job = pool.submit(front, ranges)
        writer = PdfWriter()
        starts: list[int] = []
        page_entries: list[AgendaEntry] = []
        for part, reader in zip(parts, readers, strict=True):
            starts.append(len(writer.pages))
            writer.append(reader, import_outline=False)
            page_entries += [part.entry] * len(reader.pages)
        first_number = 1
        if front_job is None:
            first_number = len(PdfReader(io.BytesIO(front_data)).pages) + 1
        _stamp_pages(writer, page_entries, first_number=first_number, page_of_total=page_of_total)
        if front_job is not None:
            front_data = front_job.result()
    front_reader = PdfReader(io.BytesIO(front_data))
    front_pages = len(front_reader.pages)
    writer.merge(0, front_reader, import_outline=False)
    writer.add_outline_item(title="Agenda", page_number=0)
    for part, start in zip(parts, starts, strict=True):
        writer.add_outline_item(title=bookmark_title(part.entry), page_number=front_pages + start)
        writer.add_named_destination(bookmark_name(part.entry), front_pages + start)
    paper_pages = writer.pages[front_pages:]

    if number_front:
        writer.set_page_label(0, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)
    else:
        writer.set_page_label(0, front_pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
        if paper_pages:
            last = len(writer.pages) - 1
            writer.set_page_label(front_pages, last, style=PageLabelStyle.DECIMAL, start=1)
    writer.add_metadata({"/Title": title, "/Producer": "boardclerk", "/Creator": "boardclerk"})
    writer.page_mode = "/UseOutlines"
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    prefs = writer.create_viewer_preferences()
    prefs[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    out = io.BytesIO()
    writer.write(out)
    sources: list[tuple[PdfSource, int]] = [(front_data, 0)]
    for part, start in zip(parts, starts, strict=True):
        if is_withheld(part.entry, private=private):
            sources.append((placeholder_pdf(part.entry), front_pages + start))
        elif part.pdf is not None:
            sources.append((part.pdf, front_pages + start))
    data = graft_structure(out.getvalue(), sources)
    return PdfPack(data, ranges, front_pages, len(writer.pages))


def _stamp_pages(
    writer: PdfWriter,
    page_entries: Sequence[AgendaEntry],
    *,
    first_number: int,
    page_of_total: bool,
) -> None:
    """Stamp every page of ``writer`` (the papers, in order) with its entry's stamp and its
    printed page number."""
    pages = writer.pages
    if not len(pages):
        return
    last_number = first_number + len(pages) - 1
    sizes, headers, footers = [], [], []
    for i, (page, entry) in enumerate(zip(pages, page_entries, strict=True)):
        if page.rotation % 360:
            page.transfer_rotation_to_content()  # /Rotate pages: keep the stamp upright
        box = page.cropbox
        sizes.append((float(box.width), float(box.height)))
        headers.append(stamp_text(entry))
        n = first_number + i
        footers.append(f"Page {n} of {last_number}" if page_of_total else f"Page {n}")
    stamps = _stamps(sizes, headers, footers)
    overlay = _Overlay(writer)
    for page, stamp in zip(pages, stamps.pages, strict=True):
        box = page.cropbox
        overlay.apply(page, stamp, float(box.left), float(box.bottom))


class _Overlay:
    """Lays a stamp page over a pack page as a Form XObject.

    ``PageObject.merge_page`` parses and rewrites the whole content stream of the page (slow
    on LibreOffice output: most of a 300-page build). Here the page's own streams are left
    untouched: the contents become ``[q] + original streams + [Q, draw the stamp]``, which
    also protects the stamp from any graphics state the paper leaves behind. The stamp is
    drawn as a pagination artifact, so screen readers skip it and the paper's tags (in the
    paper's own tagged PDF) are not disturbed."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.save = self._stream(b"q\n")
        self.calls: dict[tuple[float, float], IndirectObject] = {}

    def _stream(self, data: bytes) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.writer._add_object(stream)

    def _form(self, stamp: PageObject) -> IndirectObject:
        form = DecodedStreamObject()
        # reportlab writes the stamp's page as one content stream and one resource dictionary.
        contents = cast(StreamObject, stamp["/Contents"].get_object())
        resources = cast(DictionaryObject, stamp["/Resources"].get_object())
        form.set_data(contents.get_data())
        box = stamp.mediabox
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [
                        FloatObject(0),
                        FloatObject(0),
                        FloatObject(box.width),
                        FloatObject(box.height),
                    ]
                ),
                NameObject("/Resources"): resources.clone(self.writer),
            }
        )
        return self.writer._add_object(form)

    def apply(self, page: PageObject, stamp: PageObject, x0: float, y0: float) -> None:
        if (x0, y0) not in self.calls:
            self.calls[(x0, y0)] = self._stream(
                f"Q\n/Artifact <</Type /Pagination>> BDC\n"
                f"q 1 0 0 1 {x0:g} {y0:g} cm /BcStamp Do Q\nEMC\n".encode()
            )
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/BcStamp")] = self._form(stamp)
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        streams: list[PdfObject] = []
        if contents is not None:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                streams = list(resolved)
            else:
                streams = [
                    contents
                    if isinstance(contents, IndirectObject)
                    else self.writer._add_object(resolved)
                ]
        page[NameObject("/Contents")] = ArrayObject([self.save, *streams, self.calls[(x0, y0)]])
