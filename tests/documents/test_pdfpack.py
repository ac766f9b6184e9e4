"""The published PDF pack, read back with pdftotext and pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from agenda.documents.agenda import Agenda
from agenda.documents.frontsheet import build_front_docx
from agenda.documents.pdf_pack import PackPart, PageRanges, PdfPack, build_pdf_pack
from agenda.documents.render import RenderCache, convert_to_pdf
from agenda.filestore import LocalFileStore
from tests.support.pack_helpers import (
    EXEMPT_REASON,
    EXEMPT_WORDS,
    PaperSpec,
    agenda_references,
    agenda_with_papers,
    all_text,
    page_texts,
    printed_page_numbers,
    simple_pdf,
    stamp_pages,
)

pytestmark = pytest.mark.soffice


def _front(agenda: Agenda, tmp: Path, *, private: bool):  # type: ignore[no-untyped-def]
    def build(ranges: PageRanges | None) -> bytes:
        source = tmp / "front.docx"
        source.write_bytes(build_front_docx(agenda, ranges, private=private))
        [pdf] = convert_to_pdf([source], tmp / "front-out")
        return pdf.read_bytes()

    return build


def _pack(
    tmp: Path, specs: list[PaperSpec], *, private: bool, **kw: object
) -> tuple[Path, PdfPack, Agenda]:
    store = LocalFileStore(tmp / "store")
    agenda = agenda_with_papers(store, specs)
    from agenda.documents.render import PaperFile, render_papers

    shown = [e for e in agenda.papers if private or not e.exempt]
    pdfs = render_papers(
        [
            PaperFile(e.paper.sha256, e.paper.file_kind, store.path(e.paper.sha256), e.heading)
            for e in shown
            if e.paper
        ],
        cache=RenderCache(tmp / "cache"),
    )
    parts = [
        PackPart(e, pdfs.get(e.paper.sha256) if (private or not e.exempt) else None)
        for e in agenda.papers
        if e.paper
    ]
    pack = build_pdf_pack(
        _front(agenda, tmp, private=private),
        parts,
        private=private,
        title="Health and Wellbeing Board, 1 April 2027: Agenda pack",
        **kw,
    )
    out = tmp / ("private.pdf" if private else "public.pdf")
    out.write_bytes(pack.data)
    return out, pack, agenda


MIXED = [
    PaperSpec("docx", 3),
    PaperSpec("pdf", 2, landscape=True),
    PaperSpec("docx", 2, landscape=True),
    PaperSpec("pdf", 1),
    PaperSpec("docx", 2, exempt=True),
]


@pytest.fixture(scope="module")
def public_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfPack, Agenda]:
    return _pack(tmp_path_factory.mktemp("public"), MIXED, private=False)


@pytest.fixture(scope="module")
def private_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfPack, Agenda]:
    return _pack(tmp_path_factory.mktemp("private"), MIXED, private=True)


@pytest.mark.parametrize("which", ["public_pack", "private_pack"])
def test_every_agenda_page_reference_is_the_page_where_that_papers_stamp_appears(
    which: str, request: pytest.FixtureRequest
) -> None:
    path, pack, agenda = request.getfixturevalue(which)
    texts = page_texts(path)
    said = agenda_references(texts, pack.front_pages)
    stamps = [e.stamp for e in agenda.papers]
    assert set(said) == set(stamps)
    assert stamp_pages(texts[pack.front_pages :], stamps) == said
    assert {e.stamp: pack.page_ranges[e.key] for e in agenda.papers} == said


def test_page_numbers_run_on_from_the_first_paper_and_labels_match_them(public_pack) -> None:  # type: ignore[no-untyped-def]
    path, pack, _ = public_pack
    reader = PdfReader(path)
    printed = printed_page_numbers(page_texts(path))[pack.front_pages :]
    assert printed == list(range(1, len(reader.pages) - pack.front_pages + 1))
    assert reader.page_labels[pack.front_pages :] == [str(n) for n in printed]
    assert reader.page_labels[: pack.front_pages] == ["i", "ii", "iii", "iv"][: pack.front_pages]


def test_each_paper_has_one_bookmark_at_its_first_page(private_pack) -> None:  # type: ignore[no-untyped-def]
    path, pack, agenda = private_pack
    reader = PdfReader(path)
    marks = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert marks.pop("Agenda") == 0
    assert len(marks) == len(agenda.papers)
    for entry in agenda.papers:
        [(title, index)] = [(t, i) for t, i in marks.items() if f"({entry.stamp})" in t]
        assert entry.heading in title
        assert index == pack.front_pages + pack.page_ranges[entry.key][0] - 1


def test_landscape_pages_stay_landscape_with_the_stamp_upright(tmp_path: Path) -> None:
    rotated = simple_pdf(3, landscape_pages=(2,), rotate=(3,), text="Turned table")
    path, pack, agenda = _pack(tmp_path, [PaperSpec("pdf", data=rotated)], private=False)
    reader = PdfReader(path)
    first = pack.front_pages
    shapes = []
    for page in reader.pages[first : first + 3]:
        box = page.cropbox
        turned = (page.rotation or 0) % 180 == 90
        width, height = (box.height, box.width) if turned else (box.width, box.height)
        shapes.append("landscape" if width > height else "portrait")
    assert shapes == ["portrait", "landscape", "landscape"]
    texts = page_texts(path)[first:]
    # the stamp reads left to right at the top of every page, rotated one included
    assert all(t.strip().splitlines()[0].strip() == "Appendix A" for t in texts)


def test_public_pack_has_a_placeholder_and_no_text_of_the_exempt_paper(public_pack) -> None:  # type: ignore[no-untyped-def]
    path, pack, agenda = public_pack
    text = all_text(path)
    for word in EXEMPT_WORDS:
        assert word not in text
    reader = PdfReader(path)
    everything = " ".join([str(reader.metadata)] + [o.title for o in reader.outline])
    for word in EXEMPT_WORDS:
        assert word not in everything
    for word in EXEMPT_WORDS:  # nor anywhere in the file's bytes (metadata, fonts subsets...)
        assert word.encode() not in path.read_bytes()
    [exempt] = [e for e in agenda.papers if e.exempt]
    first, last = pack.page_ranges[exempt.key]
    assert first == last
    page = page_texts(path)[pack.front_pages + first - 1]
    assert "NOT FOR PUBLICATION" in page
    assert " ".join(EXEMPT_REASON.split()[:6]) in " ".join(page.split())


def test_private_pack_contains_the_exempt_paper_in_full(private_pack) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = private_pack
    text = all_text(path)
    assert all(word in text for word in EXEMPT_WORDS)


def test_page_of_total_footer(tmp_path: Path) -> None:
    path, pack, _ = _pack(
        tmp_path, [PaperSpec("pdf", 2), PaperSpec("pdf", 1)], private=False, page_of_total=True
    )
    texts = page_texts(path)[pack.front_pages :]
    assert [t.strip().splitlines()[-1].strip() for t in texts] == [
        "Page 1 of 3",
        "Page 2 of 3",
        "Page 3 of 3",
    ]


def test_a_meeting_with_no_papers_still_gets_its_agenda(tmp_path: Path) -> None:
    path, pack, _ = _pack(tmp_path, [], private=False)
    reader = PdfReader(path)
    assert len(reader.pages) == pack.front_pages >= 1
    assert "APOLOGIES FOR ABSENCE" in all_text(path)


def test_numbered_front_matter_is_rendered_until_its_length_settles(tmp_path: Path) -> None:
    """When the front pages are numbered too, page ranges depend on the agenda's length: a
    front that grows once the real numbers are in is rendered again until it settles."""
    import io

    from reportlab.pdfgen import canvas

    calls: list[PageRanges | None] = []

    def front(ranges: PageRanges | None) -> bytes:
        calls.append(ranges)
        buf = io.BytesIO()
        c = canvas.Canvas(buf)
        for _ in range(1 if ranges is None else 2):  # the real numbers need a second page
            c.drawString(72, 700, f"Agenda {ranges}")
            c.showPage()
        c.save()
        return buf.getvalue()

    store = LocalFileStore(tmp_path / "store")
    agenda = agenda_with_papers(
        store, [PaperSpec("pdf", data=simple_pdf(2)), PaperSpec("pdf", data=simple_pdf(1))]
    )
    parts = [PackPart(e, store.path(e.paper.sha256)) for e in agenda.papers if e.paper]
    pack = build_pdf_pack(front, parts, private=False, title="t", number_front=True)
    assert calls[0] is None and len(calls) == 3
    assert pack.front_pages == 2
    assert list(pack.page_ranges.values()) == [(3, 4), (5, 5)]
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.data)
    texts = page_texts(path)
    assert stamp_pages(texts, [e.stamp for e in agenda.papers]) == {
        "Appendix A": (3, 4),
        "Appendix B": (5, 5),
    }
    assert PdfReader(path).page_labels == ["1", "2", "3", "4", "5"]
