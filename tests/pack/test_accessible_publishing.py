"""What a public pack build publishes, read back as an assistive technology (or a checker such
as PAC) would: each paper's own tagged PDF, its web page, and the pack's language, title and
embedded fonts."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image
from sqlalchemy import select

from agenda.board.permissions import Actor
from agenda.db.engine import make_engine, transaction
from agenda.documents.render import RenderCache
from agenda.documents.tagging import pdf_facts, unembedded_fonts
from agenda.filestore import LocalFileStore
from agenda.pack.build import build_pack
from agenda.pack.tables import PaperRendition
from tests.support import factories
from tests.support.pack_helpers import exempt_docx

pytestmark = pytest.mark.soffice

CLERK = Actor.slack("U0CLERK01")
NOW = dt.datetime(2027, 3, 24, 12, 0, tzinfo=dt.UTC)
REF = "hwb:2027-04-01"
LANGUAGE = "cy-GB"  # not the default, so the test shows the configuration is used
ALT = "Bar chart: delayed discharges fell from 40 to 25 a week"


def _accessible_docx() -> bytes:
    d = docx.Document()
    d.core_properties.title = "Report template"  # the author's, replaced by the item's
    d.add_heading("Better Care Fund plan", 1)
    d.add_paragraph("The plan pays for care at home and in the community. " * 20)
    d.add_heading("Spending by year", 2)
    table = d.add_table(rows=3, cols=2)
    for row, (year, spend) in enumerate([("Year", "Spend"), ("2026", "£1m"), ("2027", "£2m")]):
        table.cell(row, 0).text, table.cell(row, 1).text = year, spend
    table.rows[0]._tr.get_or_add_trPr().append(etree.Element(qn("w:tblHeader")))
    picture = io.BytesIO()
    Image.new("RGB", (60, 40), (0, 90, 160)).save(picture, "PNG")
    d.add_picture(io.BytesIO(picture.getvalue()))
    d.inline_shapes[0]._inline.docPr.set("descr", ALT)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _pdf_with_embedded_font() -> bytes:
    from reportlab.pdfgen import canvas

    from agenda.documents.pdf_pack import SANS, register_fonts

    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, initialFontName=SANS)
    c.setTitle("PNA")
    for page in range(2):
        c.setFont(SANS, 12)
        c.drawString(72, 700, f"Pharmacy needs assessment, page {page + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _paper(session, store, item, data: bytes, kind: str):  # type: ignore[no-untyped-def]
    from agenda.board.models import Paper

    paper = Paper(
        item=item,
        meeting_id=item.meeting_id,
        version=1,
        title=item.title,
        file_name=f"paper.{kind}",
        file_kind=kind,
        file_size=len(data),
        sha256=store.put(data),
        submitted_by="U0AUTH001",
        submitted_at=NOW,
        recommendations=[],
    )
    session.add(paper)
    session.flush()
    return paper


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> dict[str, object]:
    """One public build (LibreOffice is slow: built once for the module's tests)."""
    root = tmp_path_factory.mktemp("a11y")
    shutil.copy(sqlite_template, root / "bc.db")
    engine = make_engine(f"sqlite:///{root}/bc.db")
    store = LocalFileStore(root / "data")
    with transaction(engine) as session:
        org = factories.organisation(session)
        org.language = LANGUAGE
        body = factories.body(session, org)
        meeting = factories.meeting(session, body, dt.date(2027, 4, 1))
        bcf = factories.item(session, meeting, title="Better Care Fund")
        _paper(session, store, bcf, _accessible_docx(), "docx")
        pna = factories.item(session, meeting, title="Pharmacy Needs Assessment")
        _paper(session, store, pna, _pdf_with_embedded_font(), "pdf")
        contract = factories.item(session, meeting, title="Care Home Contract Award")
        contract.exempt, contract.exempt_reason = True, "Paragraph 3 of Schedule 12A"
        _paper(session, store, contract, exempt_docx(), "docx")
    with transaction(engine) as session:
        result = build_pack(
            session,
            store,
            REF,
            private=False,
            formats=("pdf",),
            now=NOW,
            actor=CLERK,
            cache=RenderCache(root / "data" / "render-cache"),
        )
    with transaction(engine) as session:
        rows = [
            (r.format, r.file_name, r.language) for r in session.scalars(select(PaperRendition))
        ]
    return {"result": result, "rows": rows}


def _renditions(published: dict[str, object]) -> dict[str, Path]:
    result = published["result"]
    return {r.file_name: r.path for r in result.renditions}  # type: ignore[attr-defined]


def test_each_public_paper_is_published_on_its_own_and_never_the_exempt_one(
    published: dict[str, object],
) -> None:
    names = sorted(_renditions(published))
    assert names == [
        "hwb-2027-04-01-item-3-v1.html",
        "hwb-2027-04-01-item-3-v1.pdf",
        "hwb-2027-04-01-item-4-v1.pdf",
    ], names
    assert sorted(published["rows"]) == sorted(  # type: ignore[call-overload]
        (n.rsplit(".", 1)[1], n, LANGUAGE) for n in names
    )


def test_a_word_papers_own_pdf_is_tagged_with_language_title_and_embedded_fonts(
    published: dict[str, object],
) -> None:
    facts = pdf_facts(_renditions(published)["hwb-2027-04-01-item-3-v1.pdf"])
    assert facts.tagged and facts.marked
    assert facts.language == LANGUAGE
    assert facts.title == "Better Care Fund"  # the item's, not the author's "Report template"
    assert facts.display_doc_title
    assert facts.unembedded_fonts == ()
    with pikepdf.open(_renditions(published)["hwb-2027-04-01-item-3-v1.pdf"]) as pdf:
        tree = pdf.Root.StructTreeRoot
        assert "/K" in tree  # the structure LibreOffice wrote survived setting language/title
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == "Better Care Fund"


def test_a_pdf_papers_own_copy_gets_the_language_and_title(published: dict[str, object]) -> None:
    facts = pdf_facts(_renditions(published)["hwb-2027-04-01-item-4-v1.pdf"])
    assert facts.language == LANGUAGE and facts.title == "Pharmacy Needs Assessment"


def test_the_web_page_keeps_headings_table_header_rows_and_alt_text(
    published: dict[str, object],
) -> None:
    page = _renditions(published)["hwb-2027-04-01-item-3-v1.html"].read_text()
    assert f'<html lang="{LANGUAGE}">' in page
    assert "<title>Better Care Fund</title>" in page
    assert "<h1>Better Care Fund plan</h1>" in page and "<h2>Spending by year</h2>" in page
    assert re.search(r"<thead><tr><th>(<p>)?Year", page)
    assert f'alt="{ALT}"' in page
    assert "<font" not in page and "style=" not in page  # clean, not a copy of the look


def test_the_pack_keeps_language_title_bookmarks_page_labels_and_embeds_its_stamp_fonts(
    published: dict[str, object],
) -> None:
    result = published["result"]
    path = result.outputs["pdf"].path  # type: ignore[attr-defined]
    facts = pdf_facts(path)
    assert facts.language == LANGUAGE and facts.display_doc_title
    # The papers' structure trees are grafted back after merging: the pack is tagged, and a
    # screen reader finds the Word paper's heading and table through the structure.
    assert facts.tagged and facts.marked
    structure = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "H1" in structure and '"Better Care Fund plan"' in structure
    assert "Table" in structure and "TH" in structure
    # The exempt paper's placeholder page is tagged too: a heading and its reason.
    assert '"NOT FOR PUBLICATION"' in structure
    assert facts.title and "Agenda pack" in facts.title
    with pikepdf.open(path) as pdf:
        assert "/PageLabels" in pdf.Root
        with pdf.open_outline() as outline:
            assert [o.title for o in outline.root][0] == "Agenda"
        # Stamps and page numbers are pagination artifacts: screen readers skip them.
        stamped = pdf.pages[-1]
        last = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(stamped))
        assert b"/Artifact" in last and b"/Pagination" in last
    # The stamps, page numbers, placeholder and front sheet all embed their fonts.
    assert unembedded_fonts(path) == ()
    names = _stamp_fonts(path)
    assert names and all("LiberationSans" in n for n in names), names


def _stamp_fonts(path: Path) -> set[str]:
    with pikepdf.open(path) as pdf:
        form = pdf.pages[-1].Resources.XObject.BcStamp
        return {str(f.BaseFont) for f in form.Resources.Font.values()}
