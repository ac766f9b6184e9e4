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
from collections.abc import Iterator, Sequence
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


# --------------------------------------------------------------------------------------------
# Keeping the papers' structure through the merge

PdfSource = bytes | Path


def graft_structure(pack: bytes, sources: Sequence[tuple[PdfSource, int]]) -> bytes:
    """``pack`` with the structure trees of ``sources`` grafted back in.

    pypdf merges pages and drops each paper's structure tree (and the pages' /StructParents).
    The pages' content streams, with their marked-content ids, survive untouched (the stamp
    overlay only wraps them), so the trees can be carried over: each source tree is copied
    under one /Document element, its page references pointed at the pack's pages (the source
    starts at page index ``first``), and its parent tree keys shifted past those before it.
    Link annotations' entries (OBJR) are left out: the pack re-creates its own links.
    Untagged sources (an author's PDF, a placeholder) add nothing; their pages stay untagged.
    """
    with pikepdf.open(io.BytesIO(pack)) as out:
        root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = out.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root)
        )
        kids = pikepdf.Array()
        nums: list[tuple[int, pikepdf.Object]] = []
        role_map = pikepdf.Dictionary()
        next_key = 0
        targets = [page.obj for page in out.pages]
        for source, first in sources:
            with pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
                tree = pdf.Root.get("/StructTreeRoot")
                if not isinstance(tree, pikepdf.Dictionary) or "/K" not in tree:
                    continue
                index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
                top = _as_list(tree.K)
                for element in top:
                    if isinstance(element, pikepdf.Dictionary):
                        element.P = pikepdf.Name.Null  # not the source root: set below
                _detach(top, index)
                entries = _number_tree(tree.get("/ParentTree"))
                copied = [_copy(out, pdf, e) for e in top]
                shift = next_key
                for key, value in entries:
                    nums.append((key + shift, _copy(out, pdf, value)))
                    next_key = max(next_key, key + shift + 1)
                for i, page in enumerate(pdf.pages):
                    parents = page.obj.get("/StructParents")
                    if parents is not None and first + i < len(targets):
                        target = targets[first + i]
                        target.StructParents = int(parents) + shift
                        target.Tabs = pikepdf.Name.S  # tab order follows the structure
                for element in copied:
                    _attach(element, targets, first)
                    if isinstance(element, pikepdf.Dictionary):
                        element.P = document
                    kids.append(element)
                roles = tree.get("/RoleMap")
                if isinstance(roles, pikepdf.Dictionary):
                    for name, value in roles.items():
                        role_map[name] = value  # names
        if not len(kids):
            return pack
        document.K = kids
        root.K = document
        flat = pikepdf.Array()
        for key, value in sorted(nums, key=lambda kv: kv[0]):
            flat.append(key)
            flat.append(value)
        root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=flat))
        root.ParentTreeNextKey = next_key
        if len(role_map):
            root.RoleMap = role_map
        out.Root.StructTreeRoot = root
        out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        result = io.BytesIO()
        out.save(result)
    return result.getvalue()


def tag_page(data: bytes, tags: Sequence[str]) -> bytes:
    """A one-page PDF whose content is marked with MCIDs 0, 1, ... given a structure tree:
    a /Document of one element per MCID, of the type in ``tags`` ("H1", "P")."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root)
        )
        elements = [
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem,
                    S=pikepdf.Name(f"/{tag}"),
                    P=document,
                    Pg=page,
                    K=mcid,
                )
            )
            for mcid, tag in enumerate(tags)
        ]
        document.K = pikepdf.Array(elements)
        root.K = document
        root.ParentTree = pdf.make_indirect(
            pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Array(elements)]))
        )
        root.ParentTreeNextKey = 1
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        page.StructParents = 0
        page.Tabs = pikepdf.Name.S
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """``obj`` of ``source`` copied into ``out`` (objects it shares with earlier copies from
    the same source are copied once); scalars as they are."""
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Array):
        return obj
    if not obj.is_indirect:
        obj = source.make_indirect(obj)
    return out.copy_foreign(obj)


def _as_list(k: pikepdf.Object) -> list[pikepdf.Object]:
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _number_tree(node: pikepdf.Object | None) -> list[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a number tree (/Nums leaves under /Kids)."""
    if not isinstance(node, pikepdf.Dictionary):
        return []
    pairs: list[tuple[int, pikepdf.Object]] = []
    if "/Nums" in node:
        flat = list(node.Nums)
        pairs += [(int(flat[i]), flat[i + 1]) for i in range(0, len(flat) - 1, 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid)
    return pairs


def _is_objr(obj: object) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.OBJR


def _elements(start: Sequence[pikepdf.Object]) -> Iterator[pikepdf.Dictionary]:
    """Every dictionary of a structure (sub)tree once, parents before children, following /K
    only. The caller may rewrite an element's /K when it is yielded: the new one is followed."""
    stack = list(start)
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        yield obj
        k = obj.get("/K")
        if isinstance(k, pikepdf.Array):
            stack.extend(k)
        elif isinstance(k, pikepdf.Dictionary):
            stack.append(k)


def _detach(elements: list[pikepdf.Object], index: dict[tuple[int, int], int]) -> None:
    """In the (in-memory) source: page references become page numbers, so copying the tree
    does not copy the source's pages; link references (OBJR) are dropped."""
    for obj in _elements(elements):
        page = obj.get("/Pg")
        if isinstance(page, pikepdf.Dictionary):
            obj.Pg = index.get(page.objgen, -1)
        k = obj.get("/K")
        if isinstance(k, pikepdf.Array):
            keep = [kid for kid in k if not _is_objr(kid)]
            if len(keep) != len(k):
                obj.K = pikepdf.Array(keep)
        elif _is_objr(k):
            del obj.K


def _attach(element: pikepdf.Object, targets: Sequence[pikepdf.Object], first: int) -> None:
    """In the pack: page numbers left by :func:`_detach` become the pack's pages."""
    for obj in _elements([element]):
        page = obj.get("/Pg")
        if isinstance(page, int):
            if page >= 0 and first + page < len(targets):
                obj.Pg = targets[first + page]
            else:
                del obj.Pg
