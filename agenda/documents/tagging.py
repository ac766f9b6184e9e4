"""What makes a published PDF accessible beyond its tags: its language, its title shown in the
viewer's title bar, and fonts embedded, plus reading those facts back from a file.

LibreOffice writes the structure tree (tagged export, :mod:`agenda.documents.render`) but
takes the language from the Word file (often en-US whatever the author wrote in) and the title
from the author's document properties (often empty or "Report template"). The published copy
gets both from boardclerk: the organisation's ``language:`` and the item's title.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf

DEFAULT_LANGUAGE = "en-GB"
# BCP 47 as PDF /Lang and Word use it: en, en-GB, cy-GB, zh-Hant-TW.
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def finish_pdf(data: bytes, *, title: str, language: str) -> bytes:
    """``data`` with /Lang, the title (Info and XMP, as PDF/UA asks) and DisplayDocTitle set.
    The structure tree and everything else are kept as they are."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        root.Lang = pikepdf.String(language)
        prefs = root.get("/ViewerPreferences")
        if not isinstance(prefs, pikepdf.Dictionary):
            prefs = pdf.make_indirect(pikepdf.Dictionary())
            root.ViewerPreferences = prefs
        prefs.DisplayDocTitle = True
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [language]
        pdf.docinfo["/Title"] = title
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class PdfFacts:
    """What a reader of the file (or a checker like PAC) finds about its accessibility."""

    tagged: bool  # a StructTreeRoot
    marked: bool  # MarkInfo /Marked true
    language: str | None
    title: str | None
    display_doc_title: bool
    unembedded_fonts: tuple[str, ...]

    @property
    def accessible(self) -> bool:
        return (
            self.tagged
            and self.marked
            and bool(self.language)
            and bool(self.title)
            and self.display_doc_title
            and not self.unembedded_fonts
        )


def pdf_facts(path: Path) -> PdfFacts:
    """Read the accessibility facts of the PDF at ``path`` (fonts through ``pdffonts``)."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        mark = root.get("/MarkInfo")
        prefs = root.get("/ViewerPreferences")
        lang = root.get("/Lang")
        title = pdf.docinfo.get("/Title")
        facts = PdfFacts(
            tagged="/StructTreeRoot" in root,
            marked=isinstance(mark, pikepdf.Dictionary) and bool(mark.get("/Marked", False)),
            language=str(lang) if lang is not None else None,
            title=str(title) if title is not None else None,
            display_doc_title=isinstance(prefs, pikepdf.Dictionary)
            and bool(prefs.get("/DisplayDocTitle", False)),
            unembedded_fonts=unembedded_fonts(path),
        )
    return facts


def unembedded_fonts(path: Path) -> tuple[str, ...]:
    """Fonts of the PDF that are not embedded, as ``pdffonts`` (poppler-utils) lists them."""
    tool = shutil.which("pdffonts")
    if tool is None:
        raise RuntimeError("pdffonts (poppler-utils) is not installed")
    out = subprocess.run(
        [tool, str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    missing = []
    for line in out.splitlines()[2:]:
        # name type [type] encoding emb sub uni object ID: 'emb' is the 5th field from the end.
        fields = line.split()
        if len(fields) >= 7 and fields[-5] == "no":
            missing.append(fields[0])
    return tuple(missing)
