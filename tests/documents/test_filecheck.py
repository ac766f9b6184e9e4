"""A submitted paper file is accepted only if it is a usable Word document or PDF; anything else
is refused with a message that names the file and tells the author what to do."""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.demo import papers as samples
from agenda.documents.filecheck import (
    MAX_PAPER_BYTES,
    CheckedFile,
    check_paper_file,
    max_paper_bytes,
)
from agenda.errors import ConfigError, PaperRejected

MEETING = dt.date(2027, 4, 1)


@pytest.fixture(scope="module")
def report() -> samples.SampleReport:
    return samples.sample_reports("Health and Wellbeing Board", MEETING, 3, seed=2)[0]


@pytest.fixture(scope="module")
def docx(report: samples.SampleReport) -> bytes:
    return samples.make_report_docx(report, "council-appendix", pages=2)


@pytest.fixture(scope="module")
def pdf(report: samples.SampleReport) -> bytes:
    return samples.make_report_pdf(report, "council-agenda-item", pages=5, landscape_pages=1)


def _refusal(file_name: str, data: bytes, **kw: int) -> str:
    with pytest.raises(PaperRejected) as info:
        check_paper_file(file_name, data, **kw)
    return info.value.message


# -- accepted ---------------------------------------------------------------------------------


def test_a_word_report_is_accepted_with_its_title(
    docx: bytes, report: samples.SampleReport
) -> None:
    assert check_paper_file("strategy.docx", docx) == CheckedFile(
        kind="docx", pages=None, title=report.title
    )


def test_a_pdf_report_is_accepted_with_its_page_count(pdf: bytes) -> None:
    assert check_paper_file("strategy.pdf", pdf) == CheckedFile(kind="pdf", pages=5, title=None)


def test_the_content_not_the_name_decides_the_kind(docx: bytes) -> None:
    assert check_paper_file("report.docx", samples.make_fake_pdf_named_docx()).kind == "pdf"
    assert check_paper_file("report.pdf", docx).kind == "docx"
    assert check_paper_file("report", docx).kind == "docx"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_with_only_an_owner_password_is_accepted(algorithm: str) -> None:
    checked = check_paper_file("restricted.pdf", samples.make_owner_only_pdf(algorithm=algorithm))
    assert checked == CheckedFile(kind="pdf", pages=2, title=None)


def test_a_word_document_without_a_title_has_none(report: samples.SampleReport) -> None:
    report = samples.SampleReport(**{**report.__dict__, "title": "x"})
    data = samples.make_report_docx(report, "company-board", pages=1)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode().replace("<dc:title>x</dc:title>", "")
    assert (
        check_paper_file("x.docx", _rezip(data, {"docProps/core.xml": core.encode()})).title is None
    )


# -- refused ----------------------------------------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    assert _refusal("report.docx", b"") == "‘report.docx’ is empty."


def test_a_file_over_the_limit_is_refused_with_its_size() -> None:
    data = b"%PDF-1.7\n" + b"0" * int(31.2 * 1024 * 1024)
    assert _refusal("x.docx", data) == "‘x.docx’ is 31.2 MB; the limit is 25 MB."
    assert "the limit is 1 MB" in _refusal("x.pdf", data[: 2 * 1024 * 1024], max_bytes=1024 * 1024)


def test_the_limit_can_be_set_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, pdf: bytes
) -> None:
    assert max_paper_bytes() == MAX_PAPER_BYTES == 25 * 1024 * 1024
    monkeypatch.setenv("BOARDCLERK_MAX_PAPER_MB", "0.005")
    assert "the limit is 0 MB" in _refusal("x.pdf", pdf)
    monkeypatch.setenv("BOARDCLERK_MAX_PAPER_MB", "40")
    assert max_paper_bytes() == 40 * 1024 * 1024
    monkeypatch.setenv("BOARDCLERK_MAX_PAPER_MB", "lots")
    with pytest.raises(ConfigError, match="BOARDCLERK_MAX_PAPER_MB"):
        check_paper_file("x.pdf", pdf)


@pytest.mark.parametrize("name", ["budget.docm", "budget.docx"])
def test_a_macro_enabled_word_document_is_refused(name: str) -> None:
    assert _refusal(name, samples.make_macro_docm()) == (
        f"‘{name}’ is a macro-enabled Word document. Save it as a plain .docx "
        "(File › Save As › Word Document) and submit it again."
    )


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_that_needs_a_password_to_open_is_refused(algorithm: str) -> None:
    assert _refusal("x.pdf", samples.make_encrypted_pdf(algorithm=algorithm)) == (
        "‘x.pdf’ is protected with a password. Remove the password and submit it again."
    )


def test_a_password_protected_word_document_is_refused() -> None:
    assert _refusal("x.docx", samples.make_password_protected_docx()) == (
        "‘x.docx’ is protected with a password. Remove the password and submit it again."
    )


def test_a_damaged_word_document_is_refused() -> None:
    message = _refusal("x.docx", samples.make_corrupt_docx())
    assert message.startswith("‘x.docx’ is damaged and cannot be opened")


def test_a_word_document_with_broken_xml_is_refused(docx: bytes) -> None:
    broken = _rezip(docx, {"word/document.xml": b"<w:document><w:body><w:p>"})
    assert _refusal("x.docx", broken).startswith("‘x.docx’ is damaged")


@pytest.mark.parametrize("data", [samples.make_corrupt_pdf(), b"%PDF-1.4\n%%EOF\n"])
def test_a_damaged_pdf_is_refused(data: bytes) -> None:
    assert _refusal("x.pdf", data).startswith("‘x.pdf’ is a damaged PDF")


def test_a_truncated_pdf_is_refused(pdf: bytes) -> None:
    assert "damaged PDF" in _refusal("x.pdf", pdf[: len(pdf) // 3])


def test_a_zip_bomb_is_refused_without_inflating_it() -> None:
    message = _refusal("x.docx", samples.make_zip_bomb_docx())
    assert message.startswith("‘x.docx’ cannot be accepted: it expands to far more data")


def test_an_old_word_97_document_is_refused_with_how_to_convert_it() -> None:
    assert _refusal("minutes.doc", samples.make_legacy_doc()) == (
        "‘minutes.doc’ is an old-format Word document (.doc). Open it in Word, save it as a "
        "Word Document (.docx) and submit it again."
    )


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (samples.make_xlsx(), "an Excel workbook"),
        (samples.make_html_sign_in_page(), "a web page"),
        (b"Minutes of the meeting\nPresent: all\n", "plain text"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "a PNG image"),
        (b"{\\rtf1\\ansi Report}", "a Rich Text (RTF) document"),
        (bytes(range(256)) * 4, "data of an unknown type"),
    ],
)
def test_a_file_that_is_not_a_report_is_refused_saying_what_it_looks_like(
    data: bytes, looks_like: str
) -> None:
    message = _refusal("x.docx", data)
    assert message.startswith(f"‘x.docx’ is not a Word document or PDF (it looks like {looks_like}")


def test_a_plain_zip_archive_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("report.docx", b"inner")
    assert "(it looks like a ZIP archive)" in _refusal("papers.zip", out.getvalue())


def test_a_word_template_is_refused(docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        types = (
            z.read("[Content_Types].xml")
            .decode()
            .replace("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml")
        )
    message = _refusal("x.dotx", _rezip(docx, {"[Content_Types].xml": types.encode()}))
    assert "is a Word template (.dotx)" in message


def test_refusals_and_logs_never_repeat_the_file_contents(
    caplog: pytest.LogCaptureFixture, docx: bytes, pdf: bytes
) -> None:
    secret = b"CONFIDENTIAL salary figures for the chief executive"
    caplog.set_level(logging.DEBUG)
    assert "salary" not in _refusal("x.docx", secret)
    check_paper_file("ok.docx", docx)
    # A wrong startxref pointer makes pypdf log warnings (some quote the file); not here.
    damaged = re.sub(rb"startxref\n\d+", b"startxref\n1", pdf)
    assert check_paper_file("damaged.pdf", damaged).pages == 5
    assert "salary" not in caplog.text and "Purpose" not in caplog.text
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


# -- anything at all is either accepted or refused cleanly -----------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_refused_cleanly(data: bytes) -> None:
    with pytest.raises(PaperRejected):
        check_paper_file("x.docx", data)


@functools.cache
def _good(which: str) -> bytes:
    report = samples.sample_reports("Health and Wellbeing Board", MEETING, 1, seed=9)[0]
    if which == "docx":
        return samples.make_report_docx(report, "company-board", pages=1)
    return samples.make_report_pdf(report, "company-board", pages=2)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.floats(min_value=0, max_value=1),
    junk=st.binary(min_size=1, max_size=64),
    which=st.sampled_from(["docx", "pdf"]),
)
def test_damaged_copies_of_good_files_never_crash_the_check(
    position: float, junk: bytes, which: str
) -> None:
    good = _good(which)
    at = int(position * (len(good) - 1))
    damaged = good[:at] + junk + good[at + len(junk) :]
    try:
        checked = check_paper_file(f"x.{which}", damaged)
    except PaperRejected as err:
        assert err.message.startswith("‘x.")
    else:
        assert checked.kind == which


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()
