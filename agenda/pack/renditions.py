"""Every public paper published on its own, next to the pack: its own tagged PDF and, for a
Word paper, a web page.

The pack carries the papers' structure trees (grafted back after merging), but pages of an
untagged PDF paper stay untagged there, and a public site links single papers: these are the
copies to link. Each is recorded per paper version (:class:`PaperRendition`) and stored by sha256.
Exempt papers never get one: their files are not opened for anything public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.models import Meeting
from agenda.documents.agenda import Agenda, AgendaEntry
from agenda.documents.pdf_pack import is_withheld
from agenda.documents.sanitize_docx import neutralise_docx
from agenda.documents.tagging import finish_pdf
from agenda.documents.webpage import paper_html
from agenda.filestore import FileStore
from agenda.pack.tables import PaperRendition


@dataclass(frozen=True)
class RenditionFile:
    """A stored rendition: what to call it and where it is."""

    paper_id: int
    format: str  # pdf | html
    file_name: str
    sha256: str
    path: Path


def rendition_name(meeting: Meeting, entry: AgendaEntry, fmt: str) -> str:
    assert entry.paper is not None
    key = "".join(c if c.isalnum() else "-" for c in str(entry.number)).strip("-") or entry.key
    return f"{meeting.body.key}-{meeting.date.isoformat()}-item-{key}-v{entry.paper.version}.{fmt}"


def publish_renditions(
    session: Session,
    store: FileStore,
    meeting: Meeting,
    agenda: Agenda,
    paper_pdfs: Mapping[str, Path],
    *,
    now: dt.datetime,
) -> tuple[RenditionFile, ...]:
    """Store and record the tagged PDF (every public paper) and the web page (Word papers) of
    each paper in the public ``agenda``. ``paper_pdfs`` maps a paper's sha256 to its rendered
    PDF (the render cache). Renditions already recorded are brought up to date."""
    language = meeting.body.organisation.language
    files: list[RenditionFile] = []
    for entry in agenda.papers:
        paper = entry.paper
        if paper is None or is_withheld(entry, private=False) or paper.sha256 not in paper_pdfs:
            continue
        outputs = {
            "pdf": finish_pdf(
                paper_pdfs[paper.sha256].read_bytes(), title=paper.title, language=language
            )
        }
        if paper.file_kind == "docx":
            outputs["html"] = paper_html(
                # The neutralised copy: mammoth must not follow linked pictures either.
                neutralise_docx(store.get(paper.sha256)).data,
                title=paper.title,
                language=language,
            ).encode()
        for fmt, data in outputs.items():
            sha = store.put(data)
            name = rendition_name(meeting, entry, fmt)
            row = session.scalar(
                select(PaperRendition).where(
                    PaperRendition.paper_id == paper.paper_id, PaperRendition.format == fmt
                )
            )
            if row is None:
                row = PaperRendition(paper_id=paper.paper_id, format=fmt)
                session.add(row)
            row.sha256, row.file_name, row.language, row.built_at = sha, name, language, now
            files.append(RenditionFile(paper.paper_id, fmt, name, sha, store.path(sha)))
    session.flush()
    return tuple(files)
