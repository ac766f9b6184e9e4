"""The publication guard: nothing public may carry exempt business.

Before a public artefact is written or posted (the public pack PDF and its Word working copy,
a supplementary pack, the public minutes, the publish notice), its text, bookmarks, document
properties and file name are checked against every exempt paper and every confidential
(Part B) minute of the body, across all its meetings (filed confidential minutes are exempt
papers of the meeting that confirms them). It lives in board/ because both the minutes wing
(filing approved minutes) and the pack wing (packs, publishing) call it. A hit raises
:class:`PublicationBlocked`, naming what matched and where, before anything is stored.

Matching is by distinctive phrases, not single words: the exempt text is cut into runs of
:data:`PHRASE_WORDS` consecutive words ("shingles"), and a public artefact that shares any run
leaks. What the public is allowed to know about an exempt item (its title, its exemption
paragraph, who presents it) is taken out first, and so is text the body's public papers also
carried before the exempt text existed (report cover labels, standard "legal implications"
sentences): an exempt paper naturally repeats the body's ordinary wording, and what was public
first cannot have been copied from it. Public text that came later is not excused, nor a paper
that repeats most of an exempt one (:data:`COPY_SHARE`), nor the minutes of previous meetings
(the road by which Part B once reached a public pack): those are how leaks happen.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from agenda.board.models import Body, ForwardPlanItem, Meeting, Paper
from agenda.clock import as_utc
from agenda.errors import BoardclerkError
from agenda.filestore import FileStore
from agenda.kinds import CONFIDENTIAL_MINUTES_KEY, MINUTES_KEY

PHRASE_WORDS = 8  # a run this long is a sentence fragment, not a coincidence of common words
COPY_SHARE = 0.5  # a "public" paper sharing this much of an exempt paper's phrases is a copy
_WORD = re.compile(r"[a-z0-9£$%]+(?:['’][a-z]+)?")
Shingle = tuple[str, ...]


class PublicationBlocked(BoardclerkError):
    """A public artefact would carry exempt (Part B / confidential) text: nothing was written."""


@dataclass(frozen=True)
class Piece:
    """One place in a public artefact: ``where`` says it for the clerk ("page 3 of x.pdf")."""

    where: str
    text: str


@dataclass(frozen=True)
class Leak:
    where: str
    source: str
    phrase: str

    def describe(self) -> str:
        return f'{self.where}: "{self.phrase}" (from {self.source})'


@dataclass
class ExemptCorpus:
    """The distinctive phrases of a body's exempt papers and confidential minutes."""

    phrases: dict[Shingle, str] = field(default_factory=dict)  # shingle -> source label
    file_names: dict[str, str] = field(default_factory=dict)  # lower-case name -> source

    def check(self, pieces: Iterable[Piece]) -> list[Leak]:
        leaks: list[Leak] = []
        for piece in pieces:
            lowered = piece.text.lower()
            for name, source in self.file_names.items():
                if name in lowered:
                    leaks.append(Leak(piece.where, source, name))
            leaks += self._phrase_leaks(piece)
        return leaks

    def _phrase_leaks(self, piece: Piece) -> list[Leak]:
        words = words_of(piece.text)
        hits = [
            i
            for i in range(len(words) - PHRASE_WORDS + 1)
            if tuple(words[i : i + PHRASE_WORDS]) in self.phrases
        ]
        leaks: list[Leak] = []
        start = end = None
        for i in hits:  # merge overlapping runs into one quoted phrase
            if start is not None and end is not None and i <= end:
                end = i + PHRASE_WORDS
                continue
            if start is not None and end is not None:
                leaks.append(self._leak(piece, words, start, end))
            start, end = i, i + PHRASE_WORDS
        if start is not None and end is not None:
            leaks.append(self._leak(piece, words, start, end))
        return leaks

    def _leak(self, piece: Piece, words: Sequence[str], start: int, end: int) -> Leak:
        source = self.phrases[tuple(words[start : start + PHRASE_WORDS])]
        return Leak(piece.where, source, " ".join(words[start:end]))


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def shingles(text: str) -> set[Shingle]:
    words = words_of(text)
    return {tuple(words[i : i + PHRASE_WORDS]) for i in range(len(words) - PHRASE_WORDS + 1)}


# -- reading documents ----------------------------------------------------------------------


def document_pieces(file_name: str, data: bytes, *, label: str | None = None) -> list[Piece]:
    """Everything a reader of ``file_name`` can see: its text page by page (PDF) or part by
    part (Word: body, tables, headers and footers), its bookmarks, its document properties
    and its name. Unreadable files give only the name (the file check judges them)."""
    label = label or file_name
    spaced = re.sub(r"[-_.]+", " ", file_name)
    pieces = [Piece(f"the file name {file_name}", f"{file_name}\n{spaced}")]
    try:
        if file_name.lower().endswith(".pdf") or data[:5] == b"%PDF-":
            pieces += _pdf_pieces(label, data)
        elif file_name.lower().endswith(".docx"):
            pieces += _docx_pieces(label, data)
    except Exception:  # noqa: BLE001 - a file that cannot be read has no text to leak here
        pass
    return pieces


def _pdf_pieces(label: str, data: bytes) -> list[Piece]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pieces = [
        Piece(f"page {n} of {label}", page.extract_text() or "")
        for n, page in enumerate(reader.pages, 1)
    ]
    meta = reader.metadata
    props = " | ".join(str(v) for v in (meta.values() if meta else ()) if v)
    if props:
        pieces.append(Piece(f"the document properties of {label}", props))
    titles: list[str] = []

    def walk(outline: Sequence[object]) -> None:
        for node in outline:
            if isinstance(node, list):
                walk(node)
            else:
                titles.append(str(getattr(node, "title", "") or ""))

    walk(reader.outline)
    pieces += [Piece(f"the bookmark '{t}' of {label}", t) for t in titles if t]
    return pieces


def _docx_pieces(label: str, data: bytes) -> list[Piece]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in doc.paragraphs)
    tables = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    margins = "\n".join(
        p.text
        for s in doc.sections
        for part in (s.header, s.footer, s.first_page_header, s.even_page_header)
        for p in part.paragraphs
    )
    core = doc.core_properties
    props = " | ".join(
        v for v in (core.title, core.subject, core.keywords, core.comments, core.category) if v
    )
    names = [
        str(el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name", ""))
        for el in doc.element.body.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bookmarkStart"
        )
    ]
    return [
        Piece(f"the text of {label}", body),
        Piece(f"the tables of {label}", tables),
        Piece(f"the page headers and footers of {label}", margins),
        Piece(f"the document properties of {label}", props),
        Piece(f"the bookmarks of {label}", " | ".join(n.replace("_", " ") for n in names)),
    ]


_TEXTS: dict[str, str] = {}  # sha256 -> text: stored files never change, so read each once


def stored_text(store: FileStore, sha256: str, file_name: str) -> str:
    if sha256 not in _TEXTS:
        if not store.exists(sha256):
            return ""
        if len(_TEXTS) > 512:
            _TEXTS.clear()
        pieces = document_pieces(file_name, store.get(sha256))[1:]
        _TEXTS[sha256] = "\n".join(p.text for p in pieces)
    return _TEXTS[sha256]


# -- the body's exempt material -------------------------------------------------------------


def _papers(session: Session, body: Body) -> list[tuple[Paper, ForwardPlanItem]]:
    rows = session.execute(
        select(Paper, ForwardPlanItem)
        .join(ForwardPlanItem, ForwardPlanItem.id == Paper.item_id)
        .where(ForwardPlanItem.body_id == body.id)
        .order_by(Paper.id)
    ).all()
    return [(p, i) for p, i in rows]


def _is_exempt(paper: Paper, item: ForwardPlanItem) -> bool:
    return bool(item.exempt or paper.exempt_reason)


def _public_facts(item: ForwardPlanItem, paper: Paper | None) -> set[Shingle]:
    """What the public may know about an exempt item: the public agenda shows these."""
    facts = [item.title, item.exempt_reason or "", item.lead or ""]
    if paper is not None:
        facts += [paper.title or "", paper.exempt_reason or "", paper.presenter or ""]
        facts += [paper.authors or ""]
    return {s for fact in facts for s in shingles(fact)}


def _sibling_public_minutes(
    session: Session, store: FileStore, item: ForwardPlanItem
) -> set[Shingle]:
    siblings = session.scalars(
        select(Paper)
        .join(ForwardPlanItem, ForwardPlanItem.id == Paper.item_id)
        .where(
            ForwardPlanItem.meeting_id == item.meeting_id,
            ForwardPlanItem.procedural_key == MINUTES_KEY,
        )
    )
    return {s for p in siblings for s in shingles(stored_text(store, p.sha256, p.file_name))}


def exempt_corpus(session: Session, store: FileStore, body: Body) -> ExemptCorpus:
    """Every exempt paper (all versions) of ``body`` as phrases. Approved confidential (Part B)
    minutes are among them: they are filed as an exempt paper of the next meeting."""
    corpus = ExemptCorpus()
    allowed: set[Shingle] = set()
    public_texts: list[tuple[dt.datetime, set[Shingle]]] = []
    exempt_texts: list[tuple[str, dt.datetime, set[Shingle]]] = []
    for paper, item in _papers(session, body):
        text = stored_text(store, paper.sha256, paper.file_name)
        if not _is_exempt(paper, item):
            if item.procedural_key != MINUTES_KEY:  # minutes: the road a leak once took
                public_texts.append((as_utc(paper.submitted_at), shingles(text)))
            continue
        meeting = session.get(Meeting, paper.meeting_id) if paper.meeting_id else item.meeting
        where = f" ({meeting.ref})" if meeting is not None else ""
        source = f"the exempt paper for #{item.id} '{item.title}'{where}"
        extra = [paper.executive_summary or "", *(str(r) for r in paper.recommendations or ())]
        exempt_texts.append(
            (source, as_utc(paper.submitted_at), shingles("\n".join([text, *extra])))
        )
        allowed |= _public_facts(item, paper)
        if item.procedural_key == CONFIDENTIAL_MINUTES_KEY:
            # Confidential minutes share their style's formula sentences (the meeting's name,
            # "a copy of the report ... is filed") with the public minutes filed beside them,
            # which were checked against the exempt papers when they were filed.
            allowed |= _sibling_public_minutes(session, store, item)
        if len(words_of(paper.file_name.rsplit(".", 1)[0])) >= 3:  # distinctive names only
            corpus.file_names[paper.file_name.lower()] = source
    for item in session.scalars(
        select(ForwardPlanItem).where(
            ForwardPlanItem.body_id == body.id,
            or_(ForwardPlanItem.exempt.is_(True), ForwardPlanItem.exempt_reason.is_not(None)),
        )
    ):
        allowed |= _public_facts(item, None)
    for source, since, secret in exempt_texts:
        # Text a public paper carried before this exempt text existed cannot have been copied
        # from it: it is the body's ordinary wording. A public paper that came later, or that
        # repeats most of it (COPY_SHARE), is not excused.
        ordinary: set[Shingle] = set()
        for at, public in public_texts:
            if at < since and len(public & secret) < COPY_SHARE * len(secret):
                ordinary |= public
        for s in secret - allowed - ordinary:
            corpus.phrases.setdefault(s, source)
    return corpus


def check_public(
    session: Session,
    store: FileStore,
    body: Body,
    pieces: Iterable[Piece],
    *,
    what: str,
    corpus: ExemptCorpus | None = None,
) -> None:
    """Raise :class:`PublicationBlocked` if any of ``pieces`` (of the public ``what``) carries
    exempt text of ``body``. Call it before anything is stored or posted."""
    corpus = corpus or exempt_corpus(session, store, body)
    leaks = corpus.check(pieces)
    if not leaks:
        return
    shown = "; ".join(leak.describe() for leak in leaks[:5])
    more = f" (and {len(leaks) - 5} more)" if len(leaks) > 5 else ""
    raise PublicationBlocked(
        f"Stopped: {what} would publish exempt information. {shown}{more}. Nothing was "
        "written or published.",
        hint="take the exempt text out of the public document (or check the item is marked "
        "exempt only if it really is) and try again",
    )


__all__ = [
    "ExemptCorpus",
    "Leak",
    "Piece",
    "PublicationBlocked",
    "check_public",
    "document_pieces",
    "exempt_corpus",
    "shingles",
]
