"""Building a meeting's agenda pack: the service the CLI, the bot's worker and the demo call.

:func:`assemble_pack` is the document engine (no database): render the papers (cached),
compute the page ranges, render the front matter with them, then stamp and merge the PDF pack
and compose the DOCX working copy. :func:`build_pack` and :func:`build_supplementary_pack`
add the rest: the clerk's permission, the meeting's agenda, storing the files by sha256, and a
:class:`~agenda.pack.tables.Pack` row per file recording exactly which paper versions went in.

Nothing is half-built: outputs are made in memory and a temporary directory, and stored and
recorded only once every requested format has been built. A bad paper raises a
:class:`~agenda.documents.render.RenderFailed` naming the item and its author.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from agenda.board import audit
from agenda.board.agenda_of import build_agenda
from agenda.board.guard import Piece, check_public, document_pieces
from agenda.board.lookup import get_meeting
from agenda.board.models import ForwardPlanItem, Meeting
from agenda.board.permissions import Actor, require_clerk
from agenda.db.engine import reading, transaction
from agenda.documents.agenda import Agenda, AgendaEntry
from agenda.documents.docx_pack import DocxPart
from agenda.documents.frontsheet import build_front_docx
from agenda.documents.limits import LimitedWordCopy
from agenda.documents.pdf_pack import (
    PackPart,
    PageRanges,
    build_pdf_pack,
    compute_page_ranges,
    is_withheld,
    open_parts,
    stamp_text,
)
from agenda.documents.render import PaperFile, RenderCache, render_document, render_papers
from agenda.documents.sanitize_pdf import active_content, sanitise_pdf
from agenda.documents.tagging import DEFAULT_LANGUAGE
from agenda.documents.words import clock, long_date
from agenda.errors import BoardclerkError, InvalidInput, PapersChanged
from agenda.filestore import FileStore, LocalFileStore, atomic_write
from agenda.pack.renditions import RenditionFile, publish_renditions
from agenda.pack.tables import Pack, PackKind, PackPaper

FORMATS = ("pdf", "docx")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssembledPack:
    pdf: bytes | None
    docx: bytes | None
    page_ranges: PageRanges
    pdf_pages: int | None
    paper_pdfs: Mapping[str, Path] = dataclasses.field(default_factory=dict)  # by sha256


@dataclass(frozen=True)
class IncludedPaper:
    entry_key: str
    stamp: str
    item_id: int | None
    paper_id: int
    version: int
    sha256: str
    withheld: bool  # exempt paper shown as a placeholder (public packs)
    first_page: int | None
    last_page: int | None


@dataclass(frozen=True)
class PackOutput:
    format: str
    file_name: str
    sha256: str
    path: Path  # in the file store
    pages: int | None
    pack_id: int


@dataclass(frozen=True)
class PackResult:
    meeting_ref: str
    kind: str
    private: bool
    outputs: dict[str, PackOutput]
    page_ranges: PageRanges
    papers: tuple[IncludedPaper, ...]
    missing: tuple[str, ...] = ()  # reports whose papers are still outstanding ("to follow")

    def missing_warning(self) -> str | None:
        if not self.missing:
            return None
        return (
            f"Not in the pack, shown as to follow: {'; '.join(self.missing)}. Send a "
            f"supplementary pack when they arrive (boardclerk pack {self.meeting_ref} "
            "--supplementary)."
        )

    renditions: tuple[RenditionFile, ...] = ()  # each public paper's own tagged PDF and HTML


# --------------------------------------------------------------------------------------------
# The engine


def paper_label(entry: AgendaEntry, author: str | None = None) -> str:
    """How a paper is named in error messages: the item, its title and who wrote it."""
    paper = entry.paper
    assert paper is not None
    who = paper.authors or author or entry.lead or "an unnamed author"
    return (
        f"The paper for item {entry.number} ({stamp_text(entry)}) '{paper.title}' by {who}"
        f" ({paper.file_name})"
    )


def assemble_pack(
    agenda: Agenda,
    paper_paths: Mapping[str, Path],
    *,
    private: bool,
    formats: Sequence[str],
    front_docx: Callable[[PageRanges | None], bytes],
    title: str,
    authors: Mapping[str, str] | None = None,
    cache: RenderCache | None = None,
    pdf_images: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> AssembledPack:
    """Build the requested formats of the pack for ``agenda``.

    ``paper_paths`` maps each paper's sha256 to its file. ``front_docx(page_ranges)`` returns
    the frontsheet + agenda Word document. ``authors`` maps entry keys to author names for
    error messages when the paper row names none. ``pdf_images`` shows PDF papers in the
    Word copy as pictures of their pages instead of a page pointing to the PDF pack. The
    papers are rendered (or taken from the cache) even for a Word-only build: the agenda's
    page references are those of the PDF pack, the document of record."""
    formats = _check_formats(formats)
    entries = agenda.papers
    labels = {e.key: paper_label(e, (authors or {}).get(e.key)) for e in entries}
    withheld = {e.key for e in entries if is_withheld(e, private=private)}
    composing: LimitedWordCopy | None = None
    try:
        # The Word copy needs no LibreOffice: compose it (behind a front with placeholder
        # page numbers) while the papers render; the real front is swapped in at the end.
        composing = (
            LimitedWordCopy(  # in a child process, killed if it runs past its time limit
                front_docx(None),
                [
                    DocxPart(
                        e,
                        e.paper.file_kind,
                        None if e.key in withheld else _path(paper_paths, e, labels),
                        labels[e.key],
                    )
                    for e in entries
                    if e.paper is not None
                ],
                private=private,
                title=title,
                pdf_images=pdf_images,
            )
            if "docx" in formats
            else None
        )
        pdfs = render_papers(
            [
                PaperFile(
                    e.paper.sha256, e.paper.file_kind, _path(paper_paths, e, labels), labels[e.key]
                )
                for e in entries
                if e.paper is not None and e.key not in withheld
            ],
            cache=cache,
        )
        parts = [
            PackPart(e, None if e.key in withheld else pdfs[e.paper.sha256])
            for e in entries
            if e.paper is not None
        ]
        readers = open_parts(parts, private=private)
        counts = [(p.entry.key, len(r.pages)) for p, r in zip(parts, readers, strict=True)]
        ranges = compute_page_ranges(counts)
        front = front_docx(ranges)
        pdf = pages = None
        if "pdf" in formats:

            def front_for(r: PageRanges | None) -> bytes:
                # Called once, with these ranges; LibreOffice runs while pages are stamped.
                assert r == ranges
                return render_document(
                    front, label="The agenda front sheet", cache=cache
                ).read_bytes()

            pack = build_pdf_pack(
                front_for, parts, private=private, title=title, readers=readers, language=language
            )
            pdf, pages = _inactive(pack.data), pack.total_pages
        word = composing.finish(front, ranges) if composing is not None else None
    finally:
        if composing is not None:
            composing.close()  # a failed build leaves no assembler running
    return AssembledPack(pdf=pdf, docx=word, page_ranges=ranges, pdf_pages=pages, paper_pdfs=pdfs)


def _inactive(pdf: bytes) -> bytes:
    """The finished PDF pack, checked for active content once more (every part was sanitised
    on its own; this catches anything the merge or a future part type brings in)."""
    found = active_content(pdf)
    if not found:
        return pdf
    log.warning("active content in a built pack (%s); sanitising it", ", ".join(sorted(found)))
    return sanitise_pdf(pdf).data


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InvalidInput(
            f"Unknown pack format {', '.join(unknown) or '(none)'}; use pdf, docx or both."
        )
    return tuple(dict.fromkeys(formats))


def _path(paths: Mapping[str, Path], entry: AgendaEntry, labels: Mapping[str, str]) -> Path:
    assert entry.paper is not None
    try:
        return paths[entry.paper.sha256]
    except KeyError:
        raise BoardclerkError(f"{labels[entry.key]} is missing from the file store.") from None


# --------------------------------------------------------------------------------------------
# The service


def _authors_by_entry(session: Session, agenda: Agenda) -> dict[str, str]:
    ids = [e.item_id for e in agenda.papers if e.item_id is not None]
    if not ids:
        return {}
    items = session.scalars(select(ForwardPlanItem).where(ForwardPlanItem.id.in_(ids)))
    by_id = {i.id: ", ".join(a.label for a in i.authors) for i in items}
    return {
        e.key: by_id[e.item_id] for e in agenda.papers if e.item_id in by_id and by_id[e.item_id]
    }


def pack_file_name(meeting: Meeting, *, kind: str, private: bool, fmt: str) -> str:
    base = f"{meeting.body.key}-{meeting.date.isoformat()}"
    what = "supplementary-pack" if kind == PackKind.SUPPLEMENTARY else "agenda-pack"
    if fmt == "docx":
        what += "-working-copy"
    return f"{base}-{what}{'-private' if private else ''}.{fmt}"


def _title(agenda: Agenda, meeting: Meeting, *, kind: str, private: bool) -> str:
    what = "Supplementary agenda pack" if kind == PackKind.SUPPLEMENTARY else "Agenda pack"
    suffix = " (private: includes exempt information)" if private else ""
    return f"{agenda.body_name}, {meeting.date:%-d %B %Y}: {what}{suffix}"


@dataclass(frozen=True)
class _PackPlan:
    """Everything a build needs from the database, read before rendering. Two plans are
    equal when nothing on the agenda (papers, versions, titles, order) changed."""

    meeting_id: int
    meeting_ref: str
    organisation_id: int
    agenda: Agenda
    kind: str
    private: bool
    note: str | None
    title: str
    file_names: tuple[tuple[str, str], ...]  # (format, file name)
    language: str
    authors: tuple[tuple[str, str], ...]  # (entry key, author names) for error messages


Planner = Callable[[Session], _PackPlan]


def _plan(
    session: Session,
    meeting: Meeting,
    agenda: Agenda,
    *,
    kind: str,
    private: bool,
    note: str | None,
) -> _PackPlan:
    return _PackPlan(
        meeting_id=meeting.id,
        meeting_ref=meeting.ref,
        organisation_id=meeting.body.organisation_id,
        agenda=agenda,
        kind=str(kind),
        private=private,
        note=note,
        title=_title(agenda, meeting, kind=kind, private=private),
        file_names=tuple(
            (fmt, pack_file_name(meeting, kind=kind, private=private, fmt=fmt)) for fmt in FORMATS
        ),
        language=meeting.body.organisation.language,
        authors=tuple(sorted(_authors_by_entry(session, agenda).items())),
    )


def _plan_full(
    session: Session,
    meeting_ref: str,
    *,
    private: bool,
    actor: Actor,
) -> _PackPlan:
    meeting = get_meeting(session, meeting_ref)
    require_clerk(session, meeting.body, actor, "build the agenda pack")
    agenda = build_agenda(session, meeting, private=private)
    kind = PackKind.PRIVATE if private else PackKind.PUBLIC
    return _plan(session, meeting, agenda, kind=kind, private=private, note=None)


def _plan_supplementary(
    session: Session,
    meeting_ref: str,
    *,
    private: bool,
    actor: Actor,
) -> _PackPlan:
    meeting = get_meeting(session, meeting_ref)
    require_clerk(session, meeting.body, actor, "build a supplementary pack")
    packs = list(
        session.scalars(
            select(Pack)
            .where(Pack.meeting_id == meeting.id, Pack.private.is_(private))
            .order_by(Pack.built_at, Pack.id)
        )
    )
    published = [p for p in packs if p.kind != PackKind.SUPPLEMENTARY]
    if not published:
        raise InvalidInput(
            f"No {'private' if private else 'public'} pack has been built for "
            f"{meeting.ref} yet, so there is nothing to supplement.",
            hint=f"build it first: boardclerk pack {meeting.ref}",
        )
    seen = {pp.paper_id for p in packs for pp in p.papers}
    agenda = build_agenda(session, meeting, private=private)
    fresh = tuple(
        e
        for e in agenda.papers
        if e.paper is not None
        and e.paper.paper_id not in seen
        and not is_withheld(e, private=private)
    )
    if not fresh:
        raise InvalidInput(
            f"No paper for {meeting.ref} has arrived or changed since the pack was published."
        )
    tz = meeting.body.organisation.zone
    since = published[-1].built_at.astimezone(tz)
    note = (
        "SUPPLEMENTARY AGENDA PACK: papers received or changed since the agenda pack was "
        f"published on {long_date(since.date())} at {clock(since)}."
    )
    return _plan(
        session,
        meeting,
        dataclasses.replace(agenda, entries=fresh),
        kind=PackKind.SUPPLEMENTARY,
        private=private,
        note=note,
    )


def _planner(
    meeting_ref: str,
    *,
    supplementary: bool,
    private: bool,
    actor: Actor,
) -> Planner:
    plan = _plan_supplementary if supplementary else _plan_full
    return lambda session: plan(session, meeting_ref, private=private, actor=actor)


def build_pack(
    session: Session,
    store: FileStore,
    meeting_ref: str,
    *,
    private: bool,
    formats: Sequence[str] = FORMATS,
    now: dt.datetime,
    actor: Actor,
    cache: RenderCache | None = None,
    pdf_images: bool = False,
) -> PackResult:
    """Build, store and record the agenda pack of ``meeting_ref`` (clerk only), all inside the
    caller's session. Long-running processes use :func:`build_pack_briefly` instead."""
    plan = _plan_full(session, meeting_ref, private=private, actor=actor)
    built = _assemble(plan, store, formats, cache, pdf_images)
    return _record(session, store, plan, built, now=now, actor=actor)


def build_supplementary_pack(
    session: Session,
    store: FileStore,
    meeting_ref: str,
    *,
    private: bool,
    formats: Sequence[str] = ("pdf",),
    now: dt.datetime,
    actor: Actor,
    cache: RenderCache | None = None,
) -> PackResult:
    """A pack of the papers that arrived or changed since the meeting's last published pack
    (of the same privacy), with its own agenda listing only them."""
    plan = _plan_supplementary(session, meeting_ref, private=private, actor=actor)
    built = _assemble(plan, store, formats, cache, False)
    return _record(session, store, plan, built, now=now, actor=actor)


def build_pack_briefly(
    engine: Engine,
    store: FileStore,
    meeting_ref: str,
    *,
    private: bool,
    supplementary: bool = False,
    formats: Sequence[str] = FORMATS,
    now: dt.datetime,
    actor: Actor,
    cache: RenderCache | None = None,
    pdf_images: bool = False,
    attempts: int = 3,
) -> PackResult:
    """Build a pack without holding a transaction while it renders: read what the build needs
    (no lock), render outside any transaction, then record the result in one short
    transaction, but only if the agenda is still what was rendered. If a paper arrived or
    changed meanwhile, build again; after ``attempts`` builds the clerk is told."""
    planner = _planner(
        meeting_ref,
        supplementary=supplementary,
        private=private,
        actor=actor,
    )
    for _ in range(attempts):
        with reading(engine) as session:
            plan = planner(session)
        built = _assemble(plan, store, formats, cache, pdf_images)
        with transaction(engine) as session:
            if planner(session) == plan:
                return _record(session, store, plan, built, now=now, actor=actor)
    raise PapersChanged(
        f"The papers for {meeting_ref} kept changing while the pack was being built "
        f"({attempts} builds), so none was kept.",
        hint="build it again once the papers have settled",
    )


def _with_note(front: bytes, note: str | None) -> bytes:
    if not note:
        return front
    document = docx.Document(io.BytesIO(front))
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    first.insert_paragraph_before(note).runs[0].bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _assemble(
    plan: _PackPlan,
    store: FileStore,
    formats: Sequence[str],
    cache: RenderCache | None,
    pdf_images: bool,
) -> AssembledPack:
    """The slow part: no database here."""
    formats = _check_formats(formats)
    if cache is None and isinstance(store, LocalFileStore):
        cache = RenderCache(store.root / "render-cache")  # = BOARDCLERK_DATA_DIR/render-cache
    agenda = plan.agenda
    paths = {
        e.paper.sha256: store.path(e.paper.sha256) for e in agenda.papers if e.paper is not None
    }
    return assemble_pack(
        agenda,
        paths,
        private=plan.private,
        formats=formats,
        front_docx=lambda ranges: _with_note(
            build_front_docx(agenda, ranges, private=plan.private), plan.note
        ),
        title=plan.title,
        authors=dict(plan.authors),
        cache=cache,
        pdf_images=pdf_images,
        language=plan.language,
    )


def _record(
    session: Session,
    store: FileStore,
    plan: _PackPlan,
    built: AssembledPack,
    *,
    now: dt.datetime,
    actor: Actor,
) -> PackResult:
    """Every format built: check a public pack, then store the files and record them."""
    agenda, private = plan.agenda, plan.private
    meeting = session.get(Meeting, plan.meeting_id)
    assert meeting is not None
    if not private:
        _guard_public(session, store, meeting, built, kind=plan.kind)
    included = tuple(
        IncludedPaper(
            entry_key=e.key,
            stamp=stamp_text(e),
            item_id=e.item_id,
            paper_id=e.paper.paper_id,
            version=e.paper.version,
            sha256=e.paper.sha256,
            withheld=is_withheld(e, private=private),
            first_page=built.page_ranges[e.key][0],
            last_page=built.page_ranges[e.key][1],
        )
        for e in agenda.papers
        if e.paper is not None
    )
    names = dict(plan.file_names)
    outputs: dict[str, PackOutput] = {}
    for fmt, data, pages in (("pdf", built.pdf, built.pdf_pages), ("docx", built.docx, None)):
        if data is None:
            continue
        sha = store.put(data)
        row = Pack(
            meeting_id=plan.meeting_id,
            kind=plan.kind,
            private=private,
            format=fmt,
            sha256=sha,
            file_name=names[fmt],
            pages=pages,
            built_at=now,
            built_by=actor.id,
        )
        for paper in included:
            row.papers.append(
                PackPaper(
                    paper_id=paper.paper_id,
                    item_id=paper.item_id,
                    version=paper.version,
                    sha256=paper.sha256,
                    entry_key=paper.entry_key,
                    stamp=paper.stamp,
                    first_page=paper.first_page if fmt == "pdf" else None,
                    last_page=paper.last_page if fmt == "pdf" else None,
                    withheld=paper.withheld,
                )
            )
        session.add(row)
        session.flush()
        outputs[fmt] = PackOutput(fmt, names[fmt], sha, store.path(sha), pages, row.id)
    renditions = (
        publish_renditions(session, store, meeting, agenda, built.paper_pdfs, now=now)
        if not private and built.pdf is not None
        else ()
    )
    audit.record(
        session,
        actor=actor,
        action="pack.built",
        at=now,
        organisation_id=plan.organisation_id,
        subject=plan.meeting_ref,
        kind=plan.kind,
        private=private,
        files={f: o.sha256 for f, o in outputs.items()},
        papers=[[p.paper_id, p.version] for p in included],
    )
    missing = tuple(
        f"item {e.number} '{e.heading.rstrip('.')}'"
        for e in agenda.entries
        if not e.procedural and e.kind in (None, "report") and e.paper is None
    )
    return PackResult(
        plan.meeting_ref,
        plan.kind,
        private,
        outputs,
        built.page_ranges,
        included,
        missing,
        renditions=renditions,
    )


def _guard_public(
    session: Session, store: FileStore, meeting: Meeting, built: AssembledPack, *, kind: str
) -> None:
    """Stop a public pack (PDF, Word working copy, their bookmarks, properties and names)
    that carries exempt text of the body, before anything is stored."""
    pieces: list[Piece] = []
    for fmt, data in (("pdf", built.pdf), ("docx", built.docx)):
        if data is not None:
            name = pack_file_name(meeting, kind=kind, private=False, fmt=fmt)
            pieces += document_pieces(name, data)
    what = "supplementary pack" if kind == PackKind.SUPPLEMENTARY else "agenda pack"
    check_public(session, store, meeting.body, pieces, what=f"the public {what} of {meeting.ref}")


def write_outputs(result: PackResult, out_dir: Path) -> list[Path]:
    """Copy a built pack's files, and its papers' own tagged PDFs and web pages, into
    ``out_dir``, each appearing whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, Path]] = [(o.file_name, o.path) for o in result.outputs.values()]
    files += [(r.file_name, r.path) for r in result.renditions]
    return [atomic_write(out_dir / name, path.read_bytes()) for name, path in files]


__all__ = [
    "AssembledPack",
    "IncludedPaper",
    "PackOutput",
    "PackResult",
    "assemble_pack",
    "build_pack",
    "build_pack_briefly",
    "build_supplementary_pack",
    "pack_file_name",
    "paper_label",
    "write_outputs",
]
