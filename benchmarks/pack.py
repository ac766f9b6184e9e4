"""Agenda pack build times: 30 papers (~300 pages, Word and PDF mixed, some landscape).

Prints, in seconds:
* floor   — LibreOffice alone converting the same Word papers (one soffice call);
* cold    — the whole pack (PDF pack + DOCX working copy) with an empty render cache;
* rebuild — the same after one Word paper changed (the others come from the cache);
and the ratios cold/floor (target ≤ 1.3 on 2 cores) and rebuild (target < 5 s).

Accessibility (``--accessibility-only`` runs just these):
* tagged  — LibreOffice's tagged PDF/UA export over its plain export of the same Word papers
            (target ≤ 1.10x);
* check   — the accessibility check at submission on a 50-page Word and PDF paper
            (target < 2 s).

Run: /work/venv/bin/python benchmarks/pack.py [--papers 30] [--pages 10] [--accessibility-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from agenda.demo import papers as samples
from agenda.documents import render
from agenda.documents.accessibility import check_paper
from agenda.documents.agenda import Agenda, AgendaEntry, AgendaPaper
from agenda.documents.frontsheet import build_front_docx
from agenda.documents.render import RenderCache, convert_to_pdf
from agenda.filestore import LocalFileStore
from agenda.pack.build import assemble_pack

MEETING = dt.date(2027, 4, 1)


def make_papers(store: LocalFileStore, count: int, pages: int) -> list[tuple[str, str, bytes]]:
    """(kind, title, bytes): two Word papers for every PDF one; every fourth has a landscape
    appendix or landscape page."""
    reports = samples.sample_reports("Health and Wellbeing Board", MEETING, count, seed=1)
    papers = []
    for i, report in enumerate(reports):
        landscape = i % 4 == 1
        if i % 3 == 2:
            data = samples.make_report_pdf(
                report,
                "council-appendix",
                pages=pages,
                landscape_pages=1 if landscape else 0,
                seed=i,
            )
            papers.append(("pdf", report.title, data))
        else:
            data = samples.make_report_docx(
                report, "council-appendix", pages=pages, landscape_appendix=landscape, seed=i
            )
            papers.append(("docx", report.title, data))
    return papers


def make_agenda(store: LocalFileStore, papers: list[tuple[str, str, bytes]]) -> Agenda:
    entries = [
        AgendaEntry(
            key="proc:apologies",
            number="1",
            heading="APOLOGIES FOR ABSENCE",
            description="",
            procedural=True,
        )
    ]
    for i, (kind, title, data) in enumerate(papers):
        letter = chr(ord("A") + i) if i < 26 else "Z" + chr(ord("A") + i - 26)
        paper = AgendaPaper(
            paper_id=i + 1,
            version=1,
            sha256=store.put(data),
            file_kind=kind,
            file_name=f"paper{i}.{kind}",
            title=title,
            presenter=None,
            authors=f"Author {i}",
            executive_summary=None,
            recommendations=(),
            on_time=True,
        )
        entries.append(
            AgendaEntry(
                key=f"item:{i + 1}",
                number=str(i + 2),
                heading=title.upper(),
                description=f"The Director to submit a report on {title}.",
                procedural=False,
                item_id=i + 1,
                kind="report",
                letter=letter,
                stamp=f"Appendix {letter}",
                paper=paper,
            )
        )
    return Agenda(
        meeting_id=1,
        meeting_ref="hwb:2027-04-01",
        organisation="Leicester City Council",
        body_name="Health and Wellbeing Board",
        style="council-appendix",
        starts_at=dt.datetime(2027, 4, 1, 9, 30, tzinfo=ZoneInfo("Europe/London")),
        venue="City Hall",
        clerk=None,
        clerk_email=None,
        members=(),
        entries=tuple(entries),
    )


def build(
    agenda: Agenda, store: LocalFileStore, cache: RenderCache, formats: tuple[str, ...]
) -> tuple[float, int]:
    paths = {e.paper.sha256: store.path(e.paper.sha256) for e in agenda.papers if e.paper}
    start = time.perf_counter()
    pack = assemble_pack(
        agenda,
        paths,
        private=False,
        formats=formats,
        front_docx=lambda r: build_front_docx(agenda, r, private=False),
        title="Benchmark pack",
        cache=cache,
    )
    return time.perf_counter() - start, pack.pdf_pages or 0


def one_round(
    root: Path,
    store: LocalFileStore,
    papers: list[tuple[str, str, bytes]],
    words: list[Path],
    pages: int,
    n: int,
) -> dict[str, float]:
    """floor, cold build and rebuild after one changed Word paper, on fresh caches."""
    agenda = make_agenda(store, papers)
    start = time.perf_counter()
    convert_to_pdf(words, root / f"floor-{n}", workers=1)
    floor = time.perf_counter() - start

    cache = RenderCache(root / f"cache-{n}")
    render.reset_stats()
    cold, _ = build(agenda, store, cache, ("pdf", "docx"))
    cold_calls = render.stats.soffice_calls

    # One Word paper changes: a new version with different bytes, same length.
    changed = next(i for i, p in enumerate(papers) if p[0] == "docx")
    report = samples.sample_reports("Health and Wellbeing Board", MEETING, len(papers), seed=1)[
        changed
    ]
    edited = list(papers)
    edited[changed] = (
        "docx",
        papers[changed][1],
        samples.make_report_docx(report, "council-appendix", pages=pages, seed=100 + n),
    )
    render.reset_stats()
    rebuild, _ = build(make_agenda(store, edited), store, cache, ("pdf", "docx"))
    return {
        "floor": floor,
        "cold": cold,
        "rebuild": rebuild,
        "cold_calls": cold_calls,
        "rebuild_rendered": render.stats.documents_rendered,
    }


def tagged_cost(root: Path, words: list[Path], rounds: int) -> list[float]:
    """Tagged over untagged export time of the same Word papers, one soffice call each way,
    alternating which goes first so neither is favoured by a warm disk cache."""
    ratios = []
    for n in range(rounds):
        times = {}
        for tagged in (n % 2 == 0, n % 2 != 0):
            start = time.perf_counter()
            convert_to_pdf(words, root / f"tag-{n}-{tagged}", workers=1, tagged=tagged)
            times[tagged] = time.perf_counter() - start
        ratios.append(times[True] / times[False])
    return ratios


def check_times(pages: int = 50) -> dict[str, float]:
    """Seconds the submission check takes on a ``pages``-page Word and PDF paper (worst of 3)."""
    report = samples.sample_reports("Health and Wellbeing Board", MEETING, 1, seed=7)[0]
    papers = {
        "docx": samples.make_report_docx(report, "council-appendix", pages=pages),
        "pdf": samples.make_report_pdf(report, "council-appendix", pages=pages),
    }
    worst = {}
    for kind, data in papers.items():
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            result = check_paper(data, kind)
            runs.append(time.perf_counter() - start)
            assert result.complete, result.note
        worst[kind] = max(runs)
    return worst


def accessibility(root: Path, words: list[Path], rounds: int) -> None:
    convert_to_pdf(words[:2], root / "warm-a11y", workers=1)
    ratios = sorted(tagged_cost(root, words, rounds))
    print(
        f"tagged  PDF/UA export over plain export, {len(words)} Word papers, {rounds} rounds: "
        f"min {ratios[0]:.2f}x  median {statistics.median(ratios):.2f}x   (target <= 1.10x)"
    )
    times = check_times()
    print(
        f"check   accessibility check of a 50-page paper: Word {times['docx']:.2f} s, "
        f"PDF {times['pdf']:.2f} s   (target < 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=30)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--accessibility-only", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        root = Path(tmp)
        store = LocalFileStore(root / "store")
        papers = make_papers(store, args.papers, args.pages)
        words = [root / f"w{i}.docx" for i, p in enumerate(papers) if p[0] == "docx"]
        for path, (_, _, data) in zip(words, [p for p in papers if p[0] == "docx"], strict=True):
            path.write_bytes(data)
        if args.accessibility_only:
            accessibility(root, words, args.rounds)
            return
        # Warm LibreOffice's profiles so first-start costs are not counted anywhere.
        convert_to_pdf(words[:2], root / "warm", workers=2)
        _, total_pages = build(
            make_agenda(store, papers), store, RenderCache(root / "c0"), ("pdf",)
        )
        word_pages = sum(len(PdfReader(p).pages) for p in convert_to_pdf(words, root / "count"))
        rounds = [one_round(root, store, papers, words, args.pages, n) for n in range(args.rounds)]
        accessibility(root, words, args.rounds)

    def stat(key: str) -> str:
        values = sorted(r[key] for r in rounds)
        return f"min {values[0]:6.2f} s  median {statistics.median(values):6.2f} s"

    ratios = sorted(r["cold"] / r["floor"] for r in rounds)
    print(
        f"papers: {len(papers)} ({len(words)} Word, {len(papers) - len(words)} PDF); "
        f"pack: {total_pages} pages ({word_pages} from Word papers); {args.rounds} rounds; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"floor   LibreOffice alone, {len(words)} Word papers in 1 call: {stat('floor')}")
    print(
        f"cold    PDF pack + DOCX working copy ({rounds[0]['cold_calls']:.0f} soffice calls): "
        f"{stat('cold')}"
    )
    print(
        f"        cold / floor per round: min {ratios[0]:.2f}x  median "
        f"{statistics.median(ratios):.2f}x   (target <= 1.3x)"
    )
    print(
        f"rebuild one Word paper changed ({rounds[0]['rebuild_rendered']:.0f} document "
        f"rendered): {stat('rebuild')}   (target < 5 s)"
    )


if __name__ == "__main__":
    main()
