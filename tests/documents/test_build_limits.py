"""The Word working copy is assembled under a time limit (issue 13: one 3.4 MB paper kept a
build assembling for over 413 s); past it the build stops and names the likely paper."""

from __future__ import annotations

import time
from pathlib import Path

import docx
import pytest

from agenda.documents.docx_pack import DocxPart
from agenda.documents.frontsheet import build_front_docx
from agenda.documents.limits import LimitedWordCopy, StepTimedOut
from agenda.filestore import LocalFileStore
from tests.support.pack_helpers import PaperSpec, agenda_with_papers


def _parts(tmp_path: Path) -> tuple[bytes, list[DocxPart]]:
    store = LocalFileStore(tmp_path)
    agenda = agenda_with_papers(store, [PaperSpec("docx", 2), PaperSpec("docx", 3)])
    parts = [
        DocxPart(e, e.paper.file_kind, store.path(e.paper.sha256), f"Item {e.number} by Jo Bloggs")
        for e in agenda.papers
        if e.paper
    ]
    return build_front_docx(agenda, None, private=False), parts


def test_word_assembly_in_its_own_process_gives_the_working_copy(tmp_path: Path) -> None:
    front, parts = _parts(tmp_path)
    data = LimitedWordCopy(front, parts, private=False, title="Board", timeout=120).finish(
        front, {}
    )
    document = docx.Document(__import__("io").BytesIO(data))
    assert len(document.paragraphs) > 10


def test_word_assembly_past_its_time_limit_is_stopped_and_names_the_paper(tmp_path: Path) -> None:
    front, parts = _parts(tmp_path)
    copy = LimitedWordCopy(front, parts, private=False, title="Board", timeout=0.05)
    started = time.monotonic()
    with pytest.raises(StepTimedOut, match=r"within 0.05 seconds.*Item \d by Jo Bloggs"):
        copy.finish(front, {})
    assert time.monotonic() - started < 5
    assert not copy.proc.is_alive()
