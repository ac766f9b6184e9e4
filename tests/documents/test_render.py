"""Rendering papers to PDF: LibreOffice batches, the cache, and refusing bad files."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from agenda.demo import papers as samples
from agenda.documents import render
from agenda.documents.render import (
    SANITISER_GENERATION,
    PaperFile,
    RenderCache,
    RenderFailed,
    render_papers,
)
from agenda.errors import PaperRejected
from agenda.filestore import sha256_of
from tests.support.pack_helpers import PaperSpec, all_text, sample_bytes

pytestmark = pytest.mark.soffice


def _paper(
    tmp: Path, data: bytes, kind: str, label: str = "Appendix B 'Better Care Fund' by Jane Smith"
) -> PaperFile:
    sha = sha256_of(data)
    path = tmp / f"{sha}.{kind}"
    path.write_bytes(data)
    return PaperFile(sha, kind, path, label)


def _with_header(text: str) -> bytes:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = text
    d.sections[0].footer.paragraphs[0].text = "Author footer page x"
    d.add_paragraph("The body of the report.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_word_paper_is_rendered_without_its_own_header_and_cached_by_sha(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDCLERK_DATA_DIR", str(tmp_path / "data"))
    paper = _paper(tmp_path, _with_header("Draft v3 author header"), "docx")
    [(sha, pdf)] = render_papers([paper]).items()
    # The cache key names the sanitiser generation, so renders made before a change are redone.
    expected = f"{paper.sha256}.tagged.{SANITISER_GENERATION}.pdf"
    assert pdf == tmp_path / "data" / "render-cache" / expected
    text = all_text(pdf)
    assert "The body of the report." in text
    assert "author header" not in text and "Author footer" not in text


def test_unchanged_papers_are_not_rendered_again(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache")
    papers = [
        _paper(tmp_path, sample_bytes(PaperSpec("docx", 2), i), "docx", f"paper {i}")
        for i in range(3)
    ]
    render.reset_stats()
    render_papers(papers, cache=cache)
    assert render.stats.documents_rendered == 3
    assert (
        render.stats.soffice_calls <= render.render_workers()
    )  # one call per worker, not per paper
    calls = render.stats.soffice_calls
    changed = _paper(tmp_path, sample_bytes(PaperSpec("docx", 3), 7), "docx", "late paper")
    render_papers(papers + [changed], cache=cache)
    assert render.stats.soffice_calls == calls + 1
    assert render.stats.documents_rendered == 4
    assert render.stats.cache_hits == 3


def test_many_word_papers_keep_their_page_counts(tmp_path: Path) -> None:
    papers = [
        _paper(
            tmp_path, sample_bytes(PaperSpec("docx", n, landscape=n == 2), n), "docx", f"paper {n}"
        )
        for n in (1, 2, 3)
    ]
    pdfs = render_papers(papers, cache=RenderCache(tmp_path / "cache"))
    counts = [len(PdfReader(pdfs[p.sha256]).pages) for p in papers]
    assert counts[0] >= 1 and counts[2] >= counts[0]
    widths = [
        (p.mediabox.width > p.mediabox.height) for p in PdfReader(pdfs[papers[1].sha256]).pages
    ]
    assert widths[-1] and not widths[0]  # the landscape appendix stays landscape


def test_owner_password_pdf_goes_in_and_user_password_pdf_is_refused(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache")
    owner_only = _paper(tmp_path, samples.make_owner_only_pdf(), "pdf")
    [(_, pdf)] = render_papers([owner_only], cache=cache).items()
    assert not PdfReader(pdf).is_encrypted and len(PdfReader(pdf).pages) >= 1
    locked = _paper(
        tmp_path, samples.make_encrypted_pdf(), "pdf", "Appendix C 'Pharmacy Needs' by Sam Patel"
    )
    with pytest.raises(PaperRejected) as err:
        render_papers([locked], cache=cache)
    assert "Appendix C 'Pharmacy Needs' by Sam Patel" in str(err.value)
    assert "password" in str(err.value)


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (b"", "docx", "empty"),
        (b"", "pdf", "empty"),
        (samples.make_corrupt_docx(), "docx", "not a readable Word document"),
        (samples.make_corrupt_pdf(), "pdf", "damaged PDF"),
    ],
)
def test_bad_files_are_refused_naming_the_paper(
    tmp_path: Path, data: bytes, kind: str, words: str
) -> None:
    paper = _paper(tmp_path, data, kind)
    with pytest.raises(RenderFailed) as err:
        render_papers([paper], cache=RenderCache(tmp_path / "cache"))
    assert str(err.value).startswith("Appendix B 'Better Care Fund' by Jane Smith")
    assert words in str(err.value)
    assert not list((tmp_path / "cache").glob("*.pdf"))


def test_a_render_that_hangs_is_stopped_and_names_the_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDCLERK_RENDER_TIMEOUT", "0.2")  # less than LibreOffice's start-up
    papers = [
        _paper(tmp_path, _with_header(f"h{i}"), "docx", f"Agenda Item {i} by Author {i}")
        for i in (4, 5)
    ]
    with pytest.raises(RenderFailed) as err:
        render_papers(papers, cache=RenderCache(tmp_path / "cache"), workers=1)
    assert "Agenda Item 4 by Author 4" in str(err.value)
    assert "longer than 0.2 seconds" in str(err.value)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())
