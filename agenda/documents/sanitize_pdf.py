"""Taking active content out of PDFs before they are published (pikepdf, which wraps qpdf).

A submitted PDF can carry JavaScript (``/OpenAction``, page and form ``/AA`` additional
actions, ``/Names/JavaScript``), actions that launch programs, submit forms or open other
files (``/Launch``, ``/SubmitForm``, ``/ImportData``, ``/GoToR``, ``/GoToE``), embedded files
(``/EmbeddedFiles``, file-attachment annotations), multimedia and XFA forms, and links to
outside addresses (``/URI``). Residents download the public pack, so all of these go.
Internal links (``/GoTo``, ``/Dest``) and bookmarks stay, as do harmless named actions such as
"next page". :func:`sanitise_pdf` says what it removed, in words for the author, and
:func:`active_content` is the independent check (used on the final pack and by the tests).

External web links are removed from published PDFs as the issue asks (the visible text stays);
that also covers the links LibreOffice writes for hyperlinks in Word papers.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

# Action types that run code, leave the document or change what the reader's machine does.
BAD_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/URI",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/RichMediaExecute",
        "/ResetForm",
    }
)
BAD_ANNOTATIONS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"})
_ACTION_KIND = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "form",
    "/ImportData": "form",
    "/ResetForm": "form",
    "/GoToR": "other-file",
    "/GoToE": "other-file",
    "/URI": "web-link",
}
_WORDING = {
    "javascript": ("JavaScript", "it would run in readers' PDF viewers"),
    "launch": ("an action that starts another program", ""),
    "form": ("a form action that sends or loads data", ""),
    "other-file": ("a link that opens another file", ""),
    "web-link": ("links to web addresses (their text stays)", ""),
    "embedded-file": ("an embedded file", "attach it as a separate paper instead"),
    "media": ("embedded multimedia", ""),
    "xfa": ("an interactive (XFA) form layer", "print the form to PDF instead"),
    "open-action": ("an action run when the file is opened", ""),
}

# A paper's streams may not inflate past this (a "flate bomb" of zeros is tiny on disk).
MAX_STREAM_BYTES = 128 * 1024 * 1024
MAX_TOTAL_INFLATED = 512 * 1024 * 1024


class UnsafePdf(Exception):
    """The PDF could not be made safe (or fails the final check). Message fit for users."""


@dataclass(frozen=True)
class SanitisedPdf:
    data: bytes
    removed: tuple[tuple[str, int], ...]

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(describe(kind) for kind, _ in self.removed)


def describe(kind: str) -> str:
    what, advice = _WORDING.get(kind, (kind, ""))
    text = f"{what[0].upper()}{what[1:]} {'were' if what.startswith('links') else 'was'} removed"
    return text + (f": {advice}." if advice else ".")


def sanitise_pdf(source: bytes | Path) -> SanitisedPdf:
    """The PDF with its active content removed, unencrypted, plus what was removed.

    Owner-password-only PDFs open with the empty password; callers refuse user-password PDFs
    before this (``filecheck``). Raises :class:`UnsafePdf` if active content survives."""
    removed: Counter[str] = Counter()
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    with pikepdf.open(stream, password="") as pdf:
        _scrub_document(pdf, removed)
        out = io.BytesIO()
        pdf.save(out, encryption=False, deterministic_id=True)
    data = out.getvalue()
    remaining = active_content(data)
    if remaining:
        raise UnsafePdf(
            "The PDF still contains active content after cleaning ("
            + ", ".join(sorted(remaining))
            + "). Print it to a new PDF and submit that instead."
        )
    return SanitisedPdf(data, tuple(sorted(removed.items())))


def _scrub_document(pdf: Pdf, removed: Counter[str]) -> None:
    root = pdf.Root
    if "/OpenAction" in root:
        action = root.OpenAction
        # An OpenAction may just be "open at page 1" (a destination array): harmless.
        if isinstance(action, Dictionary):
            removed[_kind_of(action) or "open-action"] += 1
        del root["/OpenAction"]
    if "/AA" in root:
        removed["javascript"] += 1
        del root["/AA"]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key, kind in (("/JavaScript", "javascript"), ("/EmbeddedFiles", "embedded-file")):
            if key in names:
                removed[kind] += 1
                del names[key]
    acroform = root.get("/AcroForm")
    if isinstance(acroform, Dictionary) and "/XFA" in acroform:
        removed["xfa"] += 1
        del acroform["/XFA"]
    for page in pdf.pages:
        if "/AA" in page.obj:
            removed["javascript"] += 1
            del page.obj["/AA"]
        annots = page.obj.get("/Annots")
        if isinstance(annots, Array):
            kept = Array()
            for annot in annots:
                if _keep_annotation(annot, removed):
                    kept.append(annot)
            page.obj.Annots = kept
    outlines = root.get("/Outlines")
    if isinstance(outlines, Dictionary):
        _scrub_outline(outlines, removed, seen=set())
    # Anything else reachable (form fields, widgets referenced only from the AcroForm, objects
    # we did not think of): a generic sweep over every object in the file.
    for obj in pdf.objects:
        if isinstance(obj, Dictionary | Stream):
            _scrub_dict(obj if isinstance(obj, Dictionary) else obj.stream_dict, removed)


def _kind_of(action: object) -> str | None:
    """The removal kind of the worst action in a chain (``/Next``), or None if all are fine."""
    seen: set[int] = set()
    for step in _chain(action, seen):
        s = str(step.get("/S", ""))
        if s in BAD_ACTIONS or "/JS" in step:
            return _ACTION_KIND.get(s, "media" if s not in ("/JavaScript",) else "javascript")
    return None


def _chain(action: object, seen: set[int]) -> Iterator[Dictionary]:
    if isinstance(action, Dictionary):
        key = action.objgen[0] if action.is_indirect else id(action)
        if key in seen:
            return
        seen.add(key)
        yield action
        nxt = action.get("/Next")
        if isinstance(nxt, Array):
            for item in nxt:
                yield from _chain(item, seen)
        else:
            yield from _chain(nxt, seen)


def _keep_annotation(annot: object, removed: Counter[str]) -> bool:
    if not isinstance(annot, Dictionary):
        return True
    subtype = str(annot.get("/Subtype", ""))
    if subtype in BAD_ANNOTATIONS:
        removed["embedded-file" if subtype == "/FileAttachment" else "media"] += 1
        return False
    if "/AA" in annot:
        removed["javascript"] += 1
        del annot["/AA"]
    if "/A" in annot:
        kind = _kind_of(annot.A)
        if kind is not None:
            removed[kind] += 1
            if subtype == "/Link":
                return False  # a link that only did something bad is no link at all
            del annot["/A"]
    return True


def _scrub_outline(node: Dictionary, removed: Counter[str], seen: set[tuple[int, int]]) -> None:
    item = node.get("/First")
    while isinstance(item, Dictionary):
        if item.objgen in seen:
            return
        seen.add(item.objgen)
        if "/A" in item:
            kind = _kind_of(item.A)
            if kind is not None:
                removed[kind] += 1
                del item["/A"]  # the bookmark stays (its title), without the action
        _scrub_outline(item, removed, seen)
        item = item.get("/Next")


def _scrub_dict(obj: Dictionary, removed: Counter[str], depth: int = 0) -> None:
    if depth > 32:
        return
    for key in ("/AA", "/OpenAction"):
        if key in obj:
            removed["javascript" if key == "/AA" else "open-action"] += 1
            del obj[key]
    if "/A" in obj:
        kind = _kind_of(obj.A)
        if kind is not None:
            removed[kind] += 1
            del obj["/A"]
    if str(obj.get("/S", "")) in BAD_ACTIONS or "/JS" in obj:
        # An action object on its own (reached through /Next or a name tree we missed):
        # make it a no-op named action so nothing refers to code.
        removed[_ACTION_KIND.get(str(obj.get("/S", "")), "javascript")] += 1
        for key in list(obj.keys()):
            if key not in ("/Type",):
                del obj[key]
        obj.S = Name.Named
        obj.N = Name.NextPage
    if "/EF" in obj:
        removed["embedded-file"] += 1
        del obj["/EF"]
    if "/EmbeddedFiles" in obj:
        removed["embedded-file"] += 1
        del obj["/EmbeddedFiles"]
    if "/JavaScript" in obj and isinstance(obj.get("/JavaScript"), Dictionary):
        removed["javascript"] += 1
        del obj["/JavaScript"]
    for key in list(obj.keys()):
        value = obj.get(key)
        if isinstance(value, Dictionary) and not value.is_indirect:
            _scrub_dict(value, removed, depth + 1)


# ---------------------------------------------------------------------------------------------
# The independent check


_ACTIVE_KEYS = ("/JS", "/AA", "/OpenAction", "/EmbeddedFiles", "/EF", "/XFA")


def active_content(source: bytes | Path | Pdf) -> set[str]:
    """The kinds of active content anywhere in the PDF (empty when clean): keys such as
    ``/JS``/``/AA``/``/OpenAction``/``/EmbeddedFiles`` and action types such as ``/Launch``,
    ``/URI`` or ``/JavaScript``, found by walking every object in the file."""
    if isinstance(source, Pdf):
        return _active_in(source)
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    with pikepdf.open(stream, password="") as pdf:
        return _active_in(pdf)


def _active_in(pdf: Pdf) -> set[str]:
    found: set[str] = set()
    for obj in pdf.objects:
        if isinstance(obj, Stream):
            _active_walk(obj.stream_dict, found, 0)
        elif isinstance(obj, Dictionary | Array):
            _active_walk(obj, found, 0)
    return found


def _active_walk(obj: object, found: set[str], depth: int) -> None:
    if depth > 32:
        return
    if isinstance(obj, Dictionary):
        for key in _ACTIVE_KEYS:
            if key in obj:
                found.add(key)
        action = str(obj.get("/S", ""))
        if action in BAD_ACTIONS:
            found.add(action)
        if "/JavaScript" in obj:
            found.add("/JavaScript")
        if str(obj.get("/Subtype", "")) in BAD_ANNOTATIONS:
            found.add(str(obj.get("/Subtype")))
        children: object = [obj.get(str(k)) for k in obj]
    elif isinstance(obj, Array):
        children = list(obj)
    else:
        return
    for child in children:  # type: ignore[attr-defined]
        if isinstance(child, Dictionary | Array) and not child.is_indirect:
            _active_walk(child, found, depth + 1)


# ---------------------------------------------------------------------------------------------
# Bounded inflation


def inflated_size_problem(data: bytes) -> str | None:
    """Why the PDF's streams are unreasonable, or None: any Flate stream inflating past
    :data:`MAX_STREAM_BYTES`, or all of them together past :data:`MAX_TOTAL_INFLATED`. Checked
    with a bounded decompressor, so a bomb costs at most the limit in time and memory."""
    total = 0
    try:
        with pikepdf.open(io.BytesIO(data), password="") as pdf:
            for obj in pdf.objects:
                if not isinstance(obj, Stream):
                    continue
                filters = obj.stream_dict.get("/Filter")
                names = [str(f) for f in filters] if isinstance(filters, Array) else [str(filters)]
                if not names or names[0] != "/FlateDecode":
                    continue
                size = _bounded_inflate(obj.read_raw_bytes(), MAX_STREAM_BYTES)
                total += size
                if size > MAX_STREAM_BYTES or total > MAX_TOTAL_INFLATED:
                    return (
                        "it contains a part that expands to more than "
                        f"{MAX_STREAM_BYTES // (1024 * 1024)} MB when opened"
                    )
    except pikepdf.PdfError:
        return None  # unreadable structure is reported by the PDF check itself
    return None


def _bounded_inflate(raw: bytes, limit: int) -> int:
    """How many bytes ``raw`` inflates to, counting at most ``limit + 1``."""
    inflater = zlib.decompressobj()
    size = 0
    chunk = raw
    try:
        while chunk and size <= limit:
            out = inflater.decompress(chunk, 1024 * 1024)
            size += len(out)
            chunk = inflater.unconsumed_tail
            if not out and not chunk:
                break
    except zlib.error:
        return size  # damaged streams are the renderer's concern, not a size problem
    return size
