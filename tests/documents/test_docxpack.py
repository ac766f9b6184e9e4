"""The DOCX working copy: opens in python-docx, converts in LibreOffice, page references right."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from agenda.documents.docx_pack import DocxPart, build_docx_pack
from agenda.documents.frontsheet import build_front_docx
from agenda.documents.render import convert_to_pdf
from agenda.filestore import LocalFileStore
from tests.support.pack_helpers import (
    EXEMPT_WORDS,
    PaperSpec,
    agenda_with_papers,
    all_text,
    page_texts,
)

pytestmark = pytest.mark.soffice

SPECS = [
    PaperSpec("docx", 2),
    PaperSpec("docx", 2, landscape=True),
    PaperSpec("pdf", 2),
    PaperSpec("docx", 1, exempt=True),
]
PDF_RANGES = {"item:102": (17, 24)}


def _build(tmp: Path, *, private: bool) -> tuple[Path, Path]:
    store = LocalFileStore(tmp / "store")
    agenda = agenda_with_papers(store, SPECS)
    parts = [
        DocxPart(e, e.paper.file_kind, store.path(e.paper.sha256)) for e in agenda.papers if e.paper
    ]
    data = build_docx_pack(
        build_front_docx(agenda, None, private=private),
        parts,
        private=private,
        title="Health and Wellbeing Board, 1 April 2027",
        pdf_page_ranges=PDF_RANGES,
    )
    path = tmp / "working-copy.docx"
    path.write_bytes(data)
    [pdf] = convert_to_pdf([path], tmp / "out")
    return path, pdf


@pytest.fixture(scope="module")
def public_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _build(tmp_path_factory.mktemp("wc-public"), private=False)


def test_working_copy_opens_in_python_docx_and_is_marked_as_such(public_copy) -> None:  # type: ignore[no-untyped-def]
    path, _ = public_copy
    document = docx.Document(str(path))
    assert "working copy" in document.core_properties.title
    assert any(p.text.startswith("WORKING COPY") for p in document.paragraphs)
    names = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    assert {"ITEM100", "ITEM101", "ITEM102", "ITEM103"} <= names
    fields = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert sum("PAGEREF ITEM" in f for f in fields) == 4
    for section in document.sections:
        assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}


def test_contents_page_numbers_are_where_each_papers_header_first_appears(public_copy) -> None:  # type: ignore[no-untyped-def]
    _, pdf = public_copy
    texts = page_texts(pdf)
    contents = next(t for t in texts if "Contents of this working copy" in t)
    said = {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"(Appendix [A-D])\s+(\d+)\s*$", contents, re.MULTILINE)
    }
    assert set(said) == {"Appendix A", "Appendix B", "Appendix C", "Appendix D"}
    for stamp, page in said.items():
        first = next(
            i
            for i, t in enumerate(texts, 1)
            if t.strip() and t.strip().splitlines()[0].strip() == stamp
        )
        assert first == page, stamp


def test_each_paper_keeps_its_page_setup_and_the_pdf_paper_says_where_it_is(public_copy) -> None:  # type: ignore[no-untyped-def]
    _, pdf = public_copy
    reader = PdfReader(pdf)
    texts = page_texts(pdf)
    landscape = [i for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert landscape and all(
        texts[i].strip().splitlines()[0].strip() == "Appendix B" for i in landscape
    )
    text = " ".join(all_text(pdf).split())
    assert "Appendix C is a PDF document: see pages 17\u201324 of the published PDF pack." in text
    assert re.search(r"Page \d+ of \d+", text)


def test_public_working_copy_has_no_exempt_text_but_the_private_one_does(
    public_copy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path, pdf = public_copy
    text = all_text(pdf)
    assert "NOT FOR PUBLICATION" in text
    assert not any(word in text for word in EXEMPT_WORDS)
    assert not any(word.encode() in path.read_bytes() for word in EXEMPT_WORDS)
    _, private_pdf = _build(tmp_path, private=True)
    assert all(word in all_text(private_pdf) for word in EXEMPT_WORDS)


def test_lists_restart_in_each_paper(tmp_path: Path) -> None:
    def numbered() -> bytes:
        d = docx.Document()
        for n in range(3):
            d.add_paragraph(f"recommendation {n}", style="List Number")
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()

    store = LocalFileStore(tmp_path / "store")
    agenda = agenda_with_papers(
        store, [PaperSpec("docx", data=numbered()), PaperSpec("docx", data=numbered())]
    )
    parts = [DocxPart(e, "docx", store.path(e.paper.sha256)) for e in agenda.papers if e.paper]
    path = tmp_path / "wc.docx"
    path.write_bytes(
        build_docx_pack(
            build_front_docx(agenda, None, private=False), parts, private=False, title="t"
        )
    )
    [pdf] = convert_to_pdf([path], tmp_path / "out")
    text = all_text(pdf)
    assert len(re.findall(r"1\.\s+recommendation 0", text)) == 2


def test_pdf_paper_can_appear_as_pictures_of_its_pages(tmp_path: Path) -> None:
    from tests.support.pack_helpers import simple_pdf

    store = LocalFileStore(tmp_path / "store")
    agenda = agenda_with_papers(
        store, [PaperSpec("docx", 1), PaperSpec("pdf", data=simple_pdf(3, landscape_pages=(2,)))]
    )
    parts = [
        DocxPart(e, e.paper.file_kind, store.path(e.paper.sha256)) for e in agenda.papers if e.paper
    ]
    path = tmp_path / "wc.docx"
    path.write_bytes(
        build_docx_pack(
            build_front_docx(agenda, None, private=False),
            parts,
            private=False,
            title="t",
            pdf_images=True,
        )
    )
    document = docx.Document(str(path))
    assert len(document.inline_shapes) == 3
    [pdf] = convert_to_pdf([path], tmp_path / "out")
    reader = PdfReader(pdf)
    texts = page_texts(pdf)
    pages = [i for i, t in enumerate(texts) if t.strip().startswith("Appendix B")]
    assert len(pages) == 3
    shapes = [reader.pages[i].mediabox.width > reader.pages[i].mediabox.height for i in pages]
    assert shapes == [False, True, False]
    contents = next(t for t in texts if "Contents of this working copy" in t)
    assert re.search(rf"Appendix B\s+{pages[0] + 1}\s*$", contents, re.MULTILINE)
