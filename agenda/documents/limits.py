"""Time limits for the build steps that are plain Python (Word assembly): a thread cannot be
stopped, so the step runs in a child process that is killed when its time is up. LibreOffice
has its own limit (:mod:`agenda.documents.render`).

Children come from a *forkserver* (a clean single-threaded process started once, with the
document libraries already imported), so a step costs a fork, not an interpreter start, and
forking never copies a worker's threads or locks.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from agenda import settings
from agenda.documents.docx_pack import DocxPackBuilder, DocxPart
from agenda.documents.pdf_pack import PageRanges
from agenda.errors import BoardclerkError

_context: Any = None


class StepTimedOut(BoardclerkError):
    """A build step ran past its time limit and was stopped."""


def word_timeout() -> float:
    return settings.current().word_timeout


def _forkserver() -> Any:
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["agenda.documents.docx_pack"])
        _context = ctx
    return _context


def _compose(
    conn: Connection, front: bytes, parts: Sequence[DocxPart], options: dict[str, Any]
) -> None:
    try:
        builder = DocxPackBuilder(front, parts, **options)
        real_front, ranges = conn.recv()
        conn.send(("ok", builder.finish(real_front, ranges)))
    except BoardclerkError as err:
        conn.send(("refused", str(err)))
    except Exception as err:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", f"{type(err).__name__}: {err}"))


class LimitedWordCopy:
    """:class:`DocxPackBuilder` in a child process: started at once (it runs while the papers
    render), finished with the real front matter, killed if the whole takes longer than
    ``timeout`` seconds. The error names the largest Word paper, the likely culprit."""

    def __init__(
        self,
        front_docx: bytes,
        parts: Sequence[DocxPart],
        *,
        private: bool,
        title: str,
        pdf_images: bool = False,
        timeout: float | None = None,
    ) -> None:
        self.parts = parts
        self.timeout = word_timeout() if timeout is None else timeout
        self.deadline = time.monotonic() + self.timeout
        options = {"private": private, "title": title, "pdf_images": pdf_images}
        self.conn, child = multiprocessing.Pipe()
        self.proc = _forkserver().Process(
            target=_compose, args=(child, front_docx, list(parts), options), daemon=True
        )
        self.proc.start()
        child.close()

    def finish(self, front_docx: bytes, ranges: PageRanges) -> bytes:
        try:
            self.conn.send((front_docx, ranges))
            if not self.conn.poll(max(self.deadline - time.monotonic(), 0.0)):
                raise StepTimedOut(
                    f"The Word working copy could not be assembled within {self.timeout:g} "
                    f"seconds{self._culprit()}, so the build was stopped.",
                    hint="ask the author for a simpler file, or build the PDF pack only",
                )
            status, value = self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            raise RuntimeError("the Word assembly process died") from None
        finally:
            self.close()
        if status == "refused":
            raise BoardclerkError(value)
        if status == "error":
            raise RuntimeError(f"Word assembly failed: {value}")
        assert isinstance(value, bytes)
        return value

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def _culprit(self) -> str:
        sizes = [
            (p.path.stat().st_size, p.label or p.entry.heading)
            for p in self.parts
            if p.path is not None and p.kind == "docx" and p.path.exists()
        ]
        if not sizes:
            return ""
        size, label = max(sizes)
        return f" (the largest Word paper is {label}, {size / 1e6:.1f} MB)"
