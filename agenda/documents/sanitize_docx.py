"""Neutralising a submitted Word paper before LibreOffice (or the Word pack) reads it.

A .docx can make its reader fetch things: a picture *linked* rather than embedded
(``TargetMode="External"`` relationships to ``file:///etc/...`` or ``http://10.0.0.1/...``),
linked OLE objects, an attached template, sub-documents, frames, mail-merge data sources,
``altChunk`` parts (embedded HTML/RTF that LibreOffice imports, following its ``<img src>``),
and fields that include other files or talk to other programs (INCLUDETEXT, INCLUDEPICTURE,
DDE, DDEAUTO, LINK, IMPORT, DATABASE). LibreOffice follows these while converting, so a paper
could read a server file into the public pack or make the server connect into the council's
network. This module removes all of them and says what it removed, in words for the author.

Decisions (see also ``render.py`` and ``plan/papers.py``):

* The stored paper is the author's file exactly as submitted (its sha256 is what the receipt
  and the audit log name). Every pack is built from :func:`neutralise_docx` of it, applied at
  render and compose time, so even papers stored before this module existed are neutralised.
  The function is deterministic and idempotent.
* Ordinary hyperlinks to ``http``/``https``/``mailto`` addresses are kept in the Word copy:
  they make nothing fetch anything when the document is read or converted; the reader decides
  to click. Hyperlinks to any other scheme (``file:``, ``smb:``, ``javascript:``, UNC paths...)
  are unlinked (their text stays). The PDF sanitiser later removes external links from the
  published PDF pack altogether (see ``sanitize_pdf``).
* Fields that include content are *unlinked* the way Word's Ctrl+Shift+F9 does: the field code
  goes, the last result the author saw stays as plain text (it is the author's own content).

XML is parsed with entity resolution and network access off; nothing here logs paper content.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

# Field instructions that read other files, URLs or programs when the field is updated.
DANGEROUS_FIELDS = frozenset(
    {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "DDE", "DDEAUTO", "LINK", "IMPORT", "DATABASE"}
)
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")

# Removal kinds -> (singular, plural, advice) for the author.
_WORDING: dict[str, tuple[str, str, str]] = {
    "linked-picture": (
        "a linked picture was removed",
        "{n} linked pictures were removed",
        "embed pictures instead (Insert › Pictures, without “Link to File”)",
    ),
    "linked-object": (
        "a linked object (OLE link) was removed",
        "{n} linked objects (OLE links) were removed",
        "paste the content itself instead",
    ),
    "template": (
        "the link to an attached template was removed",
        "{n} links to attached templates were removed",
        "",
    ),
    "subdocument": (
        "a linked sub-document was removed",
        "{n} linked sub-documents were removed",
        "copy its text into the paper",
    ),
    "frame": ("a linked frame was removed", "{n} linked frames were removed", ""),
    "data-source": (
        "a mail-merge data source was removed",
        "{n} mail-merge data sources were removed",
        "",
    ),
    "alt-chunk": (
        "an embedded web or RTF fragment was removed",
        "{n} embedded web or RTF fragments were removed",
        "paste its content as ordinary text",
    ),
    "unsafe-link": (
        "a link to a local file or unusual address was unlinked (its text stays)",
        "{n} links to local files or unusual addresses were unlinked (their text stays)",
        "",
    ),
    "include-field": (
        "a field that includes another file (INCLUDETEXT/INCLUDEPICTURE) was replaced by its "
        "last text",
        "{n} fields that include other files (INCLUDETEXT/INCLUDEPICTURE) were replaced by "
        "their last text",
        "paste the content itself instead",
    ),
    "dde-field": (
        "a field that updates from another program (DDE/LINK) was replaced by its last text",
        "{n} fields that update from other programs (DDE/LINK) were replaced by their last text",
        "",
    ),
    "external": (
        "a link to an outside file was removed",
        "{n} links to outside files were removed",
        "",
    ),
}

_REL_KINDS = {
    "image": "linked-picture",
    "oleObject": "linked-object",
    "package": "linked-object",
    "attachedTemplate": "template",
    "subDocument": "subdocument",
    "frame": "frame",
    "mailMergeSource": "data-source",
    "mailMergeHeaderSource": "data-source",
    "recipientData": "data-source",
    "hyperlink": "unsafe-link",
}


@dataclass(frozen=True)
class NeutralisedDocx:
    """The neutralised file and what was taken out, as ``(kind, count)`` pairs."""

    data: bytes
    removed: tuple[tuple[str, int], ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """One sentence per kind of removal, fit to show the author."""
        return tuple(describe(kind, n) for kind, n in self.removed)


def describe(kind: str, n: int) -> str:
    one, many, advice = _WORDING.get(kind, _WORDING["external"])
    text = one if n == 1 else many.format(n=n)
    return f"{text[0].upper()}{text[1:]}" + (f": {advice}." if advice else ".")


def neutralise_docx(data: bytes) -> NeutralisedDocx:
    """``data`` with every external reference and include/DDE field removed.

    Elements and attributes are matched by local name, so Strict OOXML (other namespace URIs)
    is cleaned too; zip members outside the OOXML folders (an ODF ``content.xml`` smuggled in,
    say, which LibreOffice's type detection might prefer) are dropped. Raises
    ``zipfile.BadZipFile``/``etree.XMLSyntaxError`` on a broken package: callers have already
    checked the file (``filecheck``) and turn these into their own messages."""
    removed: Counter[str] = Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        parts: dict[str, bytes | None] = {}  # None: leave the member out
        dropped_ids: dict[str, set[str]] = {}  # part name -> relationship ids removed
        for info in infos:
            if not _is_ooxml_member(info.filename):
                parts[info.filename] = None
        for info in infos:
            if info.filename.endswith(".rels") and info.filename not in parts:
                new, gone = _clean_rels(source.read(info), removed)
                if gone:
                    parts[info.filename] = new
                    dropped_ids[_rels_owner(info.filename)] = gone
        for info in infos:
            name = info.filename
            if not (name.startswith("word/") and name.endswith(".xml")) or name in parts:
                continue
            raw = source.read(info)
            if not _might_need_cleaning(raw, dropped_ids.get(name)):
                continue
            cleaned = _clean_part(raw, dropped_ids.get(name, set()), removed)
            if cleaned is not None:
                parts[name] = cleaned
        if not parts:
            return NeutralisedDocx(data, ())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                if info.filename not in parts:
                    target.writestr(info, source.read(info))
                elif (body := parts[info.filename]) is not None:
                    target.writestr(info, body)
    return NeutralisedDocx(out.getvalue(), tuple(sorted(removed.items())))


_OOXML_FOLDERS = ("_rels/", "word/", "docProps/", "customXml/")


def _is_ooxml_member(name: str) -> bool:
    return name == "[Content_Types].xml" or name.startswith(_OOXML_FOLDERS)


def _rels_owner(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` -> ``word/document.xml``."""
    folder, _, file = rels_name.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^[\\/]{2}")


def _clean_rels(raw: bytes, removed: Counter[str]) -> tuple[bytes, set[str]]:
    root = etree.fromstring(raw, parser=_PARSER)
    gone: set[str] = set()
    for rel in list(root):
        if not isinstance(rel.tag, str):
            continue
        rel_type = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "").strip()
        # "External" by the spec; any case, or a target with a scheme or a UNC path, is
        # treated as outside the package whatever the mode says.
        external = rel.get("TargetMode", "").lower() == "external" or bool(_SCHEME.match(target))
        if not external:
            if rel_type == "aFChunk":
                gone.add(rel.get("Id", ""))
                root.remove(rel)
            continue
        if rel_type == "hyperlink" and target.lower().startswith(SAFE_LINK_SCHEMES):
            continue  # an ordinary web or e-mail link: nothing fetches it
        removed[_REL_KINDS.get(rel_type, "external")] += 1
        gone.add(rel.get("Id", ""))
        root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), gone


_SUSPECT = re.compile(
    rb"instrText|fldSimple|altChunk|subDoc|attachedTemplate|mailMerge|href|imagedata|src=|"
    rb"sourceFileName|frameset"
)


def _might_need_cleaning(raw: bytes, dropped: set[str] | None) -> bool:
    return bool(dropped) or _SUSPECT.search(raw) is not None


def _field_name(instr: str) -> str:
    return instr.strip().split(" ", 1)[0].split("\\", 1)[0].upper()


_NOT_ELEMENTS = (etree._Comment, etree._ProcessingInstruction, etree._Entity)


def _local(el: etree._Element) -> str:
    return "" if isinstance(el, _NOT_ELEMENTS) else str(etree.QName(el).localname)


def _keys(el: etree._Element) -> list[str]:
    return [str(k) for k in el.attrib]


def _attr(el: etree._Element, local: str) -> str | None:
    """The value of the attribute with this local name, whatever its namespace."""
    for key in _keys(el):
        if key == local or key.endswith("}" + local):
            return str(el.attrib[key])
    return None


def _is_rel_attr(key: str) -> bool:
    return key.startswith("{") and key[1:].split("}", 1)[0].endswith("/relationships")


_POINTERS = frozenset({"altChunk", "subDoc", "attachedTemplate", "mailMerge", "frameset"})
_VML_FILE_ATTRS = frozenset({"href", "althref", "src"})


def _clean_part(raw: bytes, dropped: set[str], removed: Counter[str]) -> bytes | None:
    root = etree.fromstring(raw, parser=_PARSER)
    changed = False
    # Elements whose only job is to point at something removed or outside.
    for el in [e for e in root.iter() if _local(e) in _POINTERS]:
        tag = _local(el)
        if tag == "altChunk":
            removed["alt-chunk"] += 1
        elif tag == "mailMerge":
            removed["data-source"] += (
                1 if not any(_local(c) == "dataSource" for c in el) else 0
            )  # a connect string with no relationship
        _drop(el)
        changed = True
    for el in root.iter():
        if isinstance(el, _NOT_ELEMENTS):
            continue
        for key in [k for k in _keys(el) if _is_rel_attr(k) and el.attrib[k] in dropped]:
            del el.attrib[key]
            changed = True
        # VML pictures and fills can name a file directly, with no relationship at all.
        if str(el.tag).startswith(
            ("{urn:schemas-microsoft-com:vml}", "{urn:schemas-microsoft-com:office")
        ):
            for key in [k for k in _keys(el) if k.rsplit("}", 1)[-1] in _VML_FILE_ATTRS]:
                if _local(el) == "imagedata" and not any(_is_rel_attr(k) for k in _keys(el)):
                    removed["linked-picture"] += 1
                del el.attrib[key]
                changed = True
    # Pictures and objects left with nothing embedded are empty frames or dead links.
    for el in list(root.iter()):
        local = _local(el)
        has_rel = any(_is_rel_attr(k) for k in _keys(el)) if local else False
        if local == "blip" and not has_rel:
            drawing = next((a for a in el.iterancestors() if _local(a) == "drawing"), None)
            if drawing is not None:
                _drop(drawing)
                changed = True
        elif local in ("imagedata", "OLEObject") and not has_rel:
            _drop(el)
            changed = True
    changed |= _unlink_simple_fields(root, removed)
    changed |= _unlink_complex_fields(root, removed)
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _count_field(name: str, removed: Counter[str]) -> None:
    removed["include-field" if name.startswith(("INCLUDE", "IMPORT")) else "dde-field"] += 1


def _unlink_simple_fields(root: etree._Element, removed: Counter[str]) -> bool:
    """``<w:fldSimple w:instr="INCLUDETEXT ...">result runs</w:fldSimple>`` -> the runs."""
    changed = False
    for simple in [e for e in root.iter() if _local(e) == "fldSimple"]:
        name = _field_name(_attr(simple, "instr") or "")
        if name not in DANGEROUS_FIELDS:
            continue
        _count_field(name, removed)
        parent = simple.getparent()
        if parent is None:
            continue
        index = parent.index(simple)
        for offset, child in enumerate(list(simple)):
            parent.insert(index + offset, child)
        parent.remove(simple)
        changed = True
    return changed


@dataclass
class _Field:
    runs: list[etree._Element]
    instr: list[str] = dataclasses.field(default_factory=list)
    separated: bool = False


def _unlink_complex_fields(root: etree._Element, removed: Counter[str]) -> bool:
    """Fields spelt with ``w:fldChar`` begin/separate/end runs and ``w:instrText``.

    Fields nest; for a dangerous field every run from its ``begin`` to its ``separate`` (the
    instruction, including any fields nested in it) and its ``end`` run are removed, and the
    result runs in between stay. A field with no ``separate`` loses everything up to ``end``.
    Deleted instruction text (``w:delInstrText``, tracked changes) counts as instruction."""
    stack: list[_Field] = []
    doomed: list[etree._Element] = []
    for run in [e for e in root.iter() if _local(e) == "r"]:
        children = {_local(c): c for c in run}
        char = children.get("fldChar")
        kind = _attr(char, "fldCharType") if char is not None else None
        # A run belongs to the instruction of every open field still reading its instruction
        # (so a field nested in a dangerous field's instruction goes with it).
        for open_field in stack:
            if not open_field.separated:
                open_field.runs.append(run)
        if kind == "begin":
            stack.append(_Field(runs=[run]))
            continue
        if not stack:
            continue
        top = stack[-1]
        for tag in ("instrText", "delInstrText"):
            text = children.get(tag)
            if text is not None and not top.separated:
                top.instr.append(text.text or "")
        if kind == "separate":
            top.separated = True
        elif kind == "end":
            stack.pop()
            name = _field_name("".join(top.instr))
            if name in DANGEROUS_FIELDS:
                _count_field(name, removed)
                doomed.extend(top.runs)
                doomed.append(run)
    # Fields never closed: a dangerous one still must not survive.
    for open_field in stack:
        if _field_name("".join(open_field.instr)) in DANGEROUS_FIELDS:
            _count_field(_field_name("".join(open_field.instr)), removed)
            doomed.extend(open_field.runs)
    for run in dict.fromkeys(doomed):  # each once, in order
        _drop(run)
    return bool(doomed)
