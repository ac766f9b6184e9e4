"""LibreOffice does not outlive a worker killed with kill -9 (issue 13: its children kept
running): the launcher dies with the worker and the rest of its group is reaped on start."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from agenda.demo.papers import make_report_docx, sample_reports
from agenda.documents import render

pytestmark = pytest.mark.soffice


def _renderers(owner: int) -> list[int]:
    marker = f"lo_profile_{owner}_".encode()
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _render_for_ever(folder: str) -> None:
    import datetime as dt

    report = sample_reports("Board", dt.date(2027, 4, 1), 1, seed=1)[0]
    docs = []
    for n in range(40):  # enough work that LibreOffice is still busy when we are killed
        path = Path(folder) / f"paper{n}.docx"
        path.write_bytes(make_report_docx(report, "council-appendix", pages=4, seed=n))
        docs.append(path)
    render.convert_to_pdf(docs, Path(folder) / "out", labels=[p.name for p in docs], workers=1)


def test_renderers_of_a_killed_worker_are_gone_after_the_next_start(tmp_path: Path) -> None:
    worker = multiprocessing.get_context("spawn").Process(
        target=_render_for_ever, args=(str(tmp_path),)
    )
    worker.start()
    deadline = time.monotonic() + 60
    while not _renderers(worker.pid or 0):
        assert time.monotonic() < deadline, "LibreOffice never started"
        time.sleep(0.05)
    time.sleep(1.0)  # soffice.bin is up and converting
    os.kill(worker.pid or 0, signal.SIGKILL)
    worker.join(10)
    render.reap_stray_renderers()  # what a worker does when it starts
    deadline = time.monotonic() + 10
    while _renderers(worker.pid or 0):
        assert time.monotonic() < deadline, "LibreOffice outlived the killed worker"
        time.sleep(0.1)
