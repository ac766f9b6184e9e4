"""The accessibility check run on every submitted paper, like Word's own checker.

It finds what most often makes a council paper fail WCAG 2.2 AA (images without alternative
text, big bold text instead of headings, tables without a header row or with merged cells, no
document title, "click here" links, a scanned PDF with no text) and says, for each, the
one-line way to fix it in Word. The author reads it on the receipt at the moment of
submitting, when it costs a minute.

The check never loses a submission: it works within a time limit, reports what it could
check, and turns any failure of its own into "could not finish" rather than an error.
Word files are read as XML straight from the zip (no python-docx: a 200-image paper is
checked in milliseconds); PDFs through pypdf, looking at page resources, not extracting text.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

TIME_LIMIT = 5.0  # seconds; a 50-page paper takes well under one (benchmarks/pack.py)
MAX_XML_BYTES = 50_000_000  # an XML part bigger than this is not parsed (zip bombs)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_V = "{urn:schemas-microsoft-com:vml}"
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

VAGUE_LINKS = {"click here", "here", "click", "link", "this link", "read more", "more", "this"}
_SHOWS_TEXT = re.compile(rb"[)\]>]\s*(?:Tj|TJ|'|\")")  # a string, then a text-showing operator
PLACEHOLDER_TITLES = {"untitled", "document", "title", "report", "anonymous"}
BIG_TEXT = 28  # half-points: 14 pt and over, bold, short, is being used as a heading


@dataclass(frozen=True)
class Finding:
    """One thing to fix: what is wrong (counted) and how to fix it in Word."""

    code: str
    problem: str
    fix: str

    def line(self) -> str:
        return f"{self.problem} Fix: {self.fix}"


@dataclass
class Report:
    """The result of the check. ``complete`` is False when the time limit or a damaged file
    stopped it; ``checked`` names what it did look at."""

    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    complete: bool = True
    note: str | None = None  # why it did not finish

    @property
    def passed(self) -> bool:
        return not self.findings

    def add(self, code: str, problem: str, fix: str) -> None:
        self.findings.append(Finding(code, problem, fix))

    def lines(self) -> list[str]:
        """What the receipt says, one line each."""
        out = [f"• {f.line()}" for f in self.findings]
        if not self.complete:
            out.append(
                f"• The check could not finish ({self.note}); it checked: "
                f"{', '.join(self.checked) or 'nothing'}."
            )
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "findings": [
                {"code": f.code, "problem": f.problem, "fix": f.fix} for f in self.findings
            ],
            "checked": list(self.checked),
            "complete": self.complete,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        return cls(
            findings=[Finding(f["code"], f["problem"], f["fix"]) for f in data.get("findings", [])],
            checked=list(data.get("checked", [])),
            complete=bool(data.get("complete", True)),
            note=data.get("note"),
        )

    def summary(self) -> str:
        """A few words for readiness and ``status``."""
        if self.findings:
            n = len(self.findings)
            text = f"{n} accessibility {'issue' if n == 1 else 'issues'}"
        else:
            text = "accessible"
        return text if self.complete else f"{text} (check incomplete)"


class _OutOfTime(Exception):
    pass


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise _OutOfTime


def check_paper(data: bytes, kind: str, *, time_limit: float = TIME_LIMIT) -> Report:
    """Check a submitted paper (``kind`` "docx" or "pdf", as the file check found it)."""
    report = Report()
    deadline = _Deadline(time_limit)
    try:
        if kind == "docx":
            _check_docx(data, report, deadline)
        elif kind == "pdf":
            _check_pdf(data, report, deadline)
        else:
            report.complete, report.note = False, f"'{kind}' files are not checked"
    except _OutOfTime:
        report.complete, report.note = False, f"it took longer than {time_limit:g} seconds"
    except Exception as exc:  # a damaged file must never lose the submission
        report.complete = False
        report.note = f"the file could not be read ({type(exc).__name__})"
    return report


# --------------------------------------------------------------------------------------------
# Word


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(f"{name} is too big to check")
    return etree.fromstring(archive.read(info), parser=_PARSER)


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{_W}t"))


def _heading_styles(styles: etree._Element | None) -> set[str]:
    """Ids of paragraph styles that are headings: named "heading n"/"Title", or carrying an
    outline level (a house style's own "Report Heading")."""
    ids: set[str] = set()
    if styles is None:
        return ids
    for style in styles.iter(f"{_W}style"):
        sid = style.get(f"{_W}styleId") or ""
        name_el = style.find(f"{_W}name")
        name = (name_el.get(f"{_W}val") if name_el is not None else "") or ""
        if (
            re.match(r"(?i)^(heading \d|title)$", name)
            or re.match(r"(?i)^heading\d$", sid)
            or style.find(f"{_W}pPr/{_W}outlineLvl") is not None
        ):
            ids.add(sid)
    return ids


def _check_docx(data: bytes, report: Report, deadline: _Deadline) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = _xml(archive, "word/document.xml")
        if document is None:
            raise ValueError("no word/document.xml")
        body = document.find(f"{_W}body")
        if body is None:
            raise ValueError("no document body")
        deadline.check()
        _docx_title(_xml(archive, "docProps/core.xml"), report)
        _docx_images(body, report, deadline)
        words = _docx_headings(
            body, _heading_styles(_xml(archive, "word/styles.xml")), report, deadline
        )
        _docx_tables(body, report, deadline)
        _docx_links(body, report)
        _docx_text_as_images(body, words, report)


def _docx_title(core: etree._Element | None, report: Report) -> None:
    report.checked.append("title")
    title = core.find(f"{_DC}title") if core is not None else None
    if not _real_title(title.text if title is not None else None):
        report.add(
            "no-title",
            "The document has no title.",
            "in Word, File > Info > Properties > Title, type the paper's title, then save.",
        )


def _real_title(title: str | None) -> bool:
    """A title a listener can use: not empty, not a producer's stand-in ("untitled",
    "Microsoft Word - report3.docx")."""
    text = (title or "").strip()
    return (
        bool(text)
        and text.lower() not in PLACEHOLDER_TITLES
        and not text.startswith("Microsoft Word - ")
    )


def _drawings(body: etree._Element) -> Iterator[etree._Element]:
    yield from body.iter(f"{_WP}docPr")


def _docx_images(body: etree._Element, report: Report, deadline: _Deadline) -> None:
    report.checked.append("images")
    missing = 0
    for i, pr in enumerate(_drawings(body)):
        if i % 50 == 0:
            deadline.check()
        if (pr.get("descr") or "").strip() or (pr.get("title") or "").strip():
            continue
        if any(el.tag == _DECORATIVE and el.get("val") in ("1", "true") for el in pr.iter()):
            continue  # marked decorative: screen readers skip it, as they should
        missing += 1
    for shape in body.iter(f"{_V}shape"):
        if shape.find(f"{_V}imagedata") is not None and not (shape.get("alt") or "").strip():
            missing += 1
    if missing:
        report.add(
            "image-alt",
            f"{missing} {'image has' if missing == 1 else 'images have'} no alternative text.",
            "in Word, right-click each image > View Alt Text, and describe what it shows "
            "(or tick 'Mark as decorative').",
        )


def _docx_headings(
    body: etree._Element, headings: set[str], report: Report, deadline: _Deadline
) -> int:
    """Flags a paper that uses no heading style; returns its word count."""
    report.checked.append("headings")
    used = False
    fake = 0
    words = 0
    for i, p in enumerate(body.iter(f"{_W}p")):
        if i % 200 == 0:
            deadline.check()
        text = _text(p).strip()
        words += len(text.split())
        style = p.find(f"{_W}pPr/{_W}pStyle")
        if (style is not None and style.get(f"{_W}val") in headings) or p.find(
            f"{_W}pPr/{_W}outlineLvl"
        ) is not None:
            used = True
        elif text and len(text) < 120 and _looks_like_heading(p):
            fake += 1
    if not used and words:
        bold = f" ({fake} short lines are big or bold text instead)" if fake else ""
        report.add(
            "no-headings",
            f"The document uses no heading styles{bold}.",
            "in Word, put the cursor in each heading and pick Heading 1, 2 or 3 on the Home tab "
            "(Styles).",
        )
    return words


def _looks_like_heading(p: etree._Element) -> bool:
    runs = [r for r in p.iter(f"{_W}r") if _text(r).strip()]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(f"{_W}rPr")
        if rpr is None:
            return False
        bold = rpr.find(f"{_W}b")
        size = rpr.find(f"{_W}sz")
        is_bold = bold is not None and bold.get(f"{_W}val") not in ("0", "false")
        big = size is not None and int(size.get(f"{_W}val") or 0) >= BIG_TEXT
        if not (is_bold or big):
            return False
    return True


def _docx_tables(body: etree._Element, report: Report, deadline: _Deadline) -> None:
    report.checked.append("tables")
    no_header = merged = 0
    for table in body.iter(f"{_W}tbl"):
        deadline.check()
        rows = table.findall(f"{_W}tr")
        if len(rows) < 2:
            continue  # a one-row box is layout, not data
        if rows[0].find(f"{_W}trPr/{_W}tblHeader") is None:
            no_header += 1
        spans = [
            el
            for el in table.iter(f"{_W}gridSpan", f"{_W}vMerge")
            if el.tag == f"{_W}vMerge" or int(el.get(f"{_W}val") or 1) > 1
        ]
        if spans:
            merged += 1
    if no_header:
        report.add(
            "table-header",
            f"{no_header} {'table has' if no_header == 1 else 'tables have'} no header row.",
            "in Word, click in the table's first row > Table Layout > Repeat Header Rows.",
        )
    if merged:
        report.add(
            "table-merged",
            f"{merged} {'table has' if merged == 1 else 'tables have'} merged or split cells.",
            "in Word, select the merged cells > Table Layout > Split Cells, so each cell has "
            "one row and one column heading.",
        )


def _docx_links(body: etree._Element, report: Report) -> None:
    report.checked.append("links")
    vague = [
        text
        for link in body.iter(f"{_W}hyperlink")
        if (text := " ".join(_text(link).split()).lower().strip(" .:")) in VAGUE_LINKS
    ]
    if vague:
        report.add(
            "vague-link",
            f"{len(vague)} {'link says' if len(vague) == 1 else 'links say'} only '{vague[0]}'.",
            "in Word, retype the link's text to say where it goes, e.g. 'the 2026 budget "
            "report', not 'click here'.",
        )


def _docx_text_as_images(body: etree._Element, words: int, report: Report) -> None:
    report.checked.append("text as images")
    images = sum(1 for _ in _drawings(body))
    if words == 0:
        report.add(
            "no-text",
            "The document has no text" + (" (only pictures, perhaps of text)." if images else "."),
            "in Word, type the text itself rather than pasting pictures or scans of it.",
        )
    elif images and words < 20 * images and words < 100:
        report.add(
            "text-as-images",
            "The document is mostly pictures; any that show text cannot be read aloud.",
            "in Word, type the text itself rather than pasting pictures of it.",
        )


# --------------------------------------------------------------------------------------------
# PDF


def _check_pdf(data: bytes, report: Report, deadline: _Deadline) -> None:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    root = reader.root_object
    report.checked.append("title")
    info = reader.metadata
    if not _real_title(info.title if info else None):
        report.add(
            "no-title",
            "The PDF has no title.",
            "in Word, File > Info > Properties > Title, type the paper's title, then save as "
            "PDF again.",
        )
    report.checked.append("tags")
    if "/StructTreeRoot" not in root:
        report.add(
            "untagged",
            "The PDF is not tagged, so screen readers cannot follow its headings and tables.",
            "in Word, File > Save As > PDF > Options, tick 'Document structure tags for "
            "accessibility' (or send the Word file instead).",
        )
    report.checked.append("text layer")
    pictures = total = 0
    for page in reader.pages:
        deadline.check()
        total += 1
        fonts, form_fonts, images = _page_resources(page.get("/Resources"))
        if images and not (form_fonts or (fonts and _shows_text(page))):
            pictures += 1
    if pictures and pictures == total:
        report.add(
            "scanned",
            "The PDF is a scan: it has no text, only pictures of pages.",
            "send the Word file it was made from (or, in Word, File > Save As > PDF), not a scan.",
        )
    elif pictures:
        report.add(
            "text-as-images",
            f"{pictures} of {total} pages are pictures with no text (scans or images of text).",
            "in Word, put the text itself in the document instead of a scan or picture, then "
            "save as PDF again.",
        )


def _shows_text(page: Any) -> bool:
    """Whether the page's content shows any text: some producers list fonts in every page's
    resources (and even select one) whether the page has text or not."""
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    return bool(_SHOWS_TEXT.search(data))


def _page_resources(resources: Any) -> tuple[bool, bool, bool]:
    """Whether a page lists fonts, draws forms that list fonts (a form with fonts counts as
    text), and draws images (directly or in its forms, one level down)."""
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject):
        return False, False, False
    fonts = bool(resources.get("/Font"))
    form_fonts = images = False
    for obj in _xobjects(resources):
        subtype = obj.get("/Subtype")
        if subtype == "/Image":
            images = True
        elif subtype == "/Form":
            inner = obj.get("/Resources")
            inner = inner.get_object() if inner is not None else None
            if isinstance(inner, DictionaryObject):
                form_fonts = form_fonts or bool(inner.get("/Font"))
                images = images or any(x.get("/Subtype") == "/Image" for x in _xobjects(inner))
    return fonts, form_fonts, images


def _xobjects(resources: DictionaryObject) -> Iterator[DictionaryObject]:
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    if isinstance(xobjects, DictionaryObject):
        for ref in xobjects.values():
            obj = ref.get_object()
            if isinstance(obj, DictionaryObject):
                yield obj
