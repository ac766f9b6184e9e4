"""Checks on a submitted paper file before it is stored: is it a Word document or a PDF we can use?

The type is decided by the file's content (its magic bytes and, for a zip, the main part declared
in ``[Content_Types].xml``), never by its name: a PDF called ``report.docx`` is accepted as a PDF,
because that is what the author meant to send. Every rejection raises
:class:`agenda.errors.PaperRejected` with a message that names the file and says what to do.

Zip-based files are checked for size, member count and compression ratio from the zip's own
directory before anything is inflated, so a zip bomb costs nothing. Nothing here logs or echoes
file contents.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import sys
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from agenda import settings
from agenda.errors import PaperRejected

log = logging.getLogger(__name__)

MAX_PAPER_BYTES = 25 * 1024 * 1024
MAX_BYTES = MAX_PAPER_BYTES  # the name the bot's tests use

# Limits on what a .docx may inflate to. A long report with photos is tens of MB inflated;
# deflated XML rarely beats 20:1, and only large runs of identical bytes reach 100:1.
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_MEMBER_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small members may compress very well; ignore them
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_TEMPLATE_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
)
MACRO_MAINS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
OTHER_OOXML = (
    ("spreadsheetml", "an Excel workbook"),
    ("ms-excel", "an Excel workbook"),
    ("presentationml", "a PowerPoint presentation"),
    ("ms-powerpoint", "a PowerPoint presentation"),
)

# What reading a damaged zip can raise (zlib.error comes straight through from inflating).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    KeyError,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CheckedFile:
    """What a submitted file turned out to be."""

    kind: str  # "docx" | "pdf"
    pages: int | None  # PDF page count; None for Word (it depends on the renderer)
    title: str | None  # the Word document's core title, if the author set one


def max_paper_bytes() -> int:
    """The size limit: ``$BOARDCLERK_MAX_PAPER_MB`` megabytes, else 25 MB."""
    return int(settings.current().max_paper_mb * 1024 * 1024)


def max_paper_pages() -> int:
    """The page limit for PDF papers: ``$BOARDCLERK_MAX_PAPER_PAGES``, else 500."""
    return settings.current().max_paper_pages


def limits_text() -> str:
    """The limits, as told to authors: 'Word or PDF, at most 25 MB and 500 pages'."""
    return f"Word (.docx) or PDF, at most {_mb(max_paper_bytes())} and {max_paper_pages()} pages"


def check_paper_file(file_name: str, data: bytes, *, max_bytes: int | None = None) -> CheckedFile:
    """Accept a Word document (.docx) or a PDF, or raise :class:`PaperRejected` saying why not."""
    name = f"‘{file_name}’"
    limit = max_paper_bytes() if max_bytes is None else max_bytes
    if not data:
        raise PaperRejected(f"{name} is empty.")
    if len(data) > limit:
        raise PaperRejected(
            f"{name} is {_mb(len(data))}; the limit is {_mb(limit)}.",
            hint="Compress the pictures in it, or split off large appendices",
        )
    if data.startswith(ZIP_MAGIC):
        checked = _check_docx(name, data)
    elif PDF_MAGIC in data[:1024]:  # readers allow a little junk before the header
        checked = _check_pdf(name, data)
    elif data.startswith(OLE_MAGIC):
        raise PaperRejected(_ole_problem(name, data))
    else:
        raise PaperRejected(
            f"{name} is not a Word document or PDF (it looks like "
            f"{_looks_like(data)}). Save it as a Word document (.docx) or a PDF "
            "and submit it again."
        )
    log.info(
        "paper file accepted: kind=%s bytes=%d pages=%s", checked.kind, len(data), checked.pages
    )
    return checked


def _mb(size: int) -> str:
    """31.2 MB, 25 MB."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


# ---------------------------------------------------------------------------------------------
# Word


def _check_docx(name: str, data: bytes) -> CheckedFile:
    damaged = (
        f"{name} is damaged and cannot be opened (the file is incomplete or corrupt). "
        "Open it in Word, save it again and submit it again."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as err:
        raise PaperRejected(damaged) from err
    with archive:
        infos = archive.infolist()
        _check_zip_sizes(name, infos)
        main = _main_content_type(archive, damaged)
        if main is None:
            # A zip without [Content_Types].xml is not an Office file at all.
            raise PaperRejected(
                f"{name} is not a Word document or PDF (it looks like a ZIP "
                "archive). Submit the report itself as a .docx or PDF."
            )
        if main in MACRO_MAINS or any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
            raise PaperRejected(
                f"{name} is a macro-enabled Word document. Save it as a plain "
                ".docx (File › Save As › Word Document) and submit it again."
            )
        if main == WORD_TEMPLATE_MAIN:
            raise PaperRejected(
                f"{name} is a Word template (.dotx). Save it as a Word Document "
                "(.docx) and submit it again."
            )
        if main != WORD_MAIN:
            what = next((label for key, label in OTHER_OOXML if key in main), "an Office file")
            raise PaperRejected(
                f"{name} is not a Word document or PDF (it looks like {what}). "
                "Save the report as a Word document (.docx) or a PDF and submit "
                "it again."
            )
        try:
            bad_member = archive.testzip()
        except ZIP_ERRORS as err:
            raise PaperRejected(damaged) from err
        if bad_member is not None:
            raise PaperRejected(damaged)
    return CheckedFile(kind="docx", pages=None, title=_docx_title(data, damaged))


def _check_zip_sizes(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse zip bombs using the sizes the zip declares, before inflating anything.

    ``testzip`` later inflates every member; zipfile stops a member that inflates past its
    declared size ("Bad CRC" / EOF), so a lying directory cannot get past this either."""
    bomb = (
        f"{name} cannot be accepted: it expands to far more data than a report contains, "
        "which is how harmful “zip bomb” files work. If it is a genuine report, save it "
        "again from Word and submit it again."
    )
    if len(infos) > MAX_ZIP_MEMBERS:
        raise PaperRejected(bomb)
    total = 0
    for info in infos:
        total += info.file_size
        big = info.file_size > RATIO_CHECK_FROM_BYTES
        if big and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            raise PaperRejected(bomb)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise PaperRejected(bomb)


_CONTENT_TYPE = re.compile(
    rb'<Override\b[^>]*?PartName="/word/document\.xml"[^>]*?'
    rb'ContentType="([^"]+)"|<Override\b[^>]*?ContentType="([^"]+)"[^>]*?'
    rb'PartName="/word/document\.xml"'
)
_ANY_MAIN = re.compile(rb'ContentType="([^"]*\.main\+xml|[^"]*macroEnabled[^"]*)"')


def _main_content_type(archive: zipfile.ZipFile, damaged: str) -> str | None:
    """The content type of the package's main part, read without an XML parser.

    A regex over a size-capped [Content_Types].xml avoids XML entity expansion attacks."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return None
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        return None
    try:
        xml = archive.read(info)
    except ZIP_ERRORS as err:
        raise PaperRejected(damaged) from err
    found = _CONTENT_TYPE.search(xml)
    if found:
        return (found.group(1) or found.group(2)).decode("ascii", "replace")
    # Word's main part is usually /word/document.xml; otherwise take the first *.main+xml.
    other = _ANY_MAIN.search(xml)
    return other.group(1).decode("ascii", "replace") if other else ""


def _docx_title(data: bytes, damaged: str) -> str | None:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises a mix of KeyError, lxml and zip errors
        raise PaperRejected(damaged) from err
    title = (document.core_properties.title or "").strip()
    return title or None


# ---------------------------------------------------------------------------------------------
# PDF


def _check_pdf(name: str, data: bytes) -> CheckedFile:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    damaged = (
        f"{name} is a damaged PDF and cannot be read. Export it to PDF again and submit it again."
    )
    password = f"{name} is protected with a password. Remove the password and submit it again."
    unreadable = (
        f"{name} is encrypted in a way boardclerk cannot read. Remove the security "
        "settings (or print it to a new PDF) and submit it again."
    )
    # qpdf counts a 20,000-page file's pages ten times faster than pypdf: refuse it first.
    quick = _quick_page_count(data)
    if quick is not None and quick > max_paper_pages():
        _too_many_pages(name, quick)
    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            # Owner-password-only PDFs (printing/editing restricted) open with "".
            if reader.is_encrypted and not reader.decrypt(""):
                raise PaperRejected(password)
            pages = len(reader.pages)
            if pages:
                _ = reader.pages[0].mediabox  # reading a page proves the page tree parses
    except PaperRejected:
        raise
    except FileNotDecryptedError as err:
        raise PaperRejected(password) from err
    except (DependencyError, NotImplementedError) as err:
        # Certificate (public-key) security, DRM handlers, or a cipher pypdf lacks.
        raise PaperRejected(unreadable) from err
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
        zlib.error,
    ) as err:
        raise PaperRejected(damaged) from err
    if pages == 0:
        raise PaperRejected(
            f"{name} is a PDF with no pages. Export it to PDF again and submit it again."
        )
    if pages > max_paper_pages():
        _too_many_pages(name, pages)
    from agenda.documents.sanitize_pdf import inflated_size_problem

    bomb = inflated_size_problem(data)
    if bomb is not None:
        raise PaperRejected(
            f"{name} cannot be accepted: {bomb}, which is how harmful files work. "
            "Print it to a new PDF and submit that instead."
        )
    return CheckedFile(kind="pdf", pages=pages, title=None)


def _too_many_pages(name: str, pages: int) -> None:
    raise PaperRejected(
        f"{name} has {pages} pages; papers can have at most {max_paper_pages()}.",
        hint="Split off large appendices, or send a link to them in the paper",
    )


def _quick_page_count(data: bytes) -> int | None:
    """The page count as qpdf sees it, or None when qpdf cannot open the file (a password, a
    damaged file): pypdf's check then says what is wrong in the author's words."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), password="") as pdf:
            return len(pdf.pages)
    except Exception:  # pikepdf.PdfError, PasswordError, and qpdf's other complaints
        return None


class _ThisThreadOnly(logging.Filter):
    """Drops pypdf's log records while this thread is checking a file: pypdf's warnings about
    damaged files quote bytes of the file, and paper contents must never reach the logs."""

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(self.local, "active", False)


_PYPDF_FILTER = _ThisThreadOnly()


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    # pypdf logs on one logger per module (pypdf._reader, ...); a filter on the parent logger
    # would not see records from its children, so put it on each of them.
    for module in [m for m in sys.modules if m == "pypdf" or m.startswith("pypdf.")]:
        logger = logging.getLogger(module)
        if _PYPDF_FILTER not in logger.filters:
            logger.addFilter(_PYPDF_FILTER)
    _PYPDF_FILTER.local.active = True
    try:
        yield
    finally:
        _PYPDF_FILTER.local.active = False


# ---------------------------------------------------------------------------------------------
# Other files: say what it looks like, so the author knows what went wrong


def _ole_problem(name: str, data: bytes) -> str:
    """Old binary Office files and password-protected Office files share the OLE container."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return f"{name} is protected with a password. Remove the password and submit it again."
    if "WordDocument".encode("utf-16-le") in data:
        return (
            f"{name} is an old-format Word document (.doc). Open it in Word, save it as a "
            "Word Document (.docx) and submit it again."
        )
    if "Workbook".encode("utf-16-le") in data:
        return (
            f"{name} is not a Word document or PDF (it looks like an old-format Excel "
            "workbook). Save the report as a .docx or PDF and submit it again."
        )
    return (
        f"{name} is not a Word document or PDF (it looks like an old-format Office file). "
        "Save it as a Word Document (.docx) or a PDF and submit it again."
    )


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
)


def _looks_like(data: bytes) -> str:
    for magic, label in _SIGNATURES:
        if data.startswith(magic):
            return label
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "a web page, perhaps a sign-in page saved instead of the file"
    if head.startswith(b"<?xml"):
        return "an XML file"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "data of an unknown type"
    return "plain text"
