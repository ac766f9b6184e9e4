"""Search across the published documents: every public paper, pack and approved minutes,
with the meeting of each hit and a snippet of the text around it.

The text comes from the stored files (PDF text layer, Word text), read once per file and
cached (:func:`agenda.board.guard.stored_text`). This first version scans the public files at
query time, so it needs no index and cannot drift from what is published; a full-text index
(SQLite FTS5 / PostgreSQL) can replace :func:`search` behind the same signature. Any query is
taken as plain words: quotes, operators and very long input give results or none, never an
error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from agenda.board.guard import stored_text, words_of
from agenda.filestore import FileStore
from agenda.public import query
from agenda.public.views import MeetingSummary, PublicFile

MAX_QUERY = 200  # characters of a query that are read; the rest is ignored
MAX_TERMS = 12
MAX_RESULTS = 50
SNIPPET = 90  # characters either side of the first hit


@dataclass(frozen=True)
class Hit:
    meeting: MeetingSummary
    file: PublicFile
    snippet: str


def terms_of(text: str) -> list[str]:
    return list(dict.fromkeys(words_of(text[:MAX_QUERY])))[:MAX_TERMS]


def _snippet(text: str, term: str) -> str:
    flat = " ".join(text.split())
    found = re.search(re.escape(term), flat, re.IGNORECASE)
    if found is None:
        return flat[: 2 * SNIPPET]
    start, end = max(0, found.start() - SNIPPET), found.end() + SNIPPET
    return ("… " if start else "") + flat[start:end] + (" …" if end < len(flat) else "")


def search(session: Session, store: FileStore, text: str) -> list[Hit]:
    """Published documents containing every word of ``text``, newest meeting first."""
    terms = terms_of(text)
    if not terms:
        return []
    _, meetings, _ = query.every_page(session)
    hits: list[Hit] = []
    seen: set[str] = set()
    for key, date in sorted(meetings, key=lambda m: m[1], reverse=True):
        page = query.meeting_page(session, store, key, date)
        for file in page.files():
            if file.sha256 in seen:
                continue
            body = stored_text(store, file.sha256, file.file_name)
            words = set(words_of(body))
            if all(t in words for t in terms):
                seen.add(file.sha256)
                hits.append(Hit(page.meeting, file, _snippet(body, terms[0])))
                if len(hits) >= MAX_RESULTS:
                    return hits
    return hits


__all__ = ["Hit", "search", "terms_of"]
