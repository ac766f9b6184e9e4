"""PDF papers are bounded: too many pages, or streams that inflate to hundreds of megabytes,
are refused at once with a message that says the limit, before anything expensive runs."""

from __future__ import annotations

import io
import time

import pytest

from agenda.documents.filecheck import check_paper_file
from agenda.errors import PaperRejected
from tests.support import hostile


@pytest.mark.slow  # building the 20,000-page file takes a second or two
def test_a_twenty_thousand_page_pdf_is_refused_quickly_saying_the_limit() -> None:
    pdf = hostile._base_pdf(1)
    for _ in range(19_999):
        pdf.pages.append(pdf.pages[0])
    out = io.BytesIO()
    pdf.save(out)
    started = time.monotonic()
    with pytest.raises(PaperRejected, match="20000 pages; papers can have at most 500"):
        check_paper_file("appendices.pdf", out.getvalue())
    assert time.monotonic() - started < 10  # the unguarded build took 33 s and 600 MB


def test_a_pdf_that_inflates_past_the_limit_is_refused_without_inflating_it() -> None:
    started = time.monotonic()
    with pytest.raises(PaperRejected, match="expands to more than 128 MB"):
        check_paper_file("bomb.pdf", hostile.pdf_inflation_bomb())
    assert time.monotonic() - started < 10
