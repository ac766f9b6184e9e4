"""The demo runs the meeting loop with an exempt item, and no public file it writes carries
the exempt business: its paper's recommendations and what the confidential minutes record
are planted phrases, looked for in every public artefact of both meetings."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from agenda.board.models import ForwardPlanItem, Paper
from agenda.db.engine import make_engine, transaction
from agenda.demo.approved import EXEMPT_DISCUSSION
from agenda.demo.run import run_demo


def _flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def pdf_text(path: Path) -> str:
    """What a reader of the PDF sees: its text (poppler), properties and bookmarks."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    reader = PdfReader(str(path))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    marks: list[str] = []

    def walk(nodes: list) -> None:  # type: ignore[type-arg]
        for node in nodes:
            walk(node) if isinstance(node, list) else marks.append(str(node.title))

    walk(reader.outline)
    return "\n".join([text, meta, *marks])


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in doc.sections for p in s.header.paragraphs + s.footer.paragraphs]
    core = doc.core_properties
    parts += [core.title or "", core.subject or "", core.keywords or "", core.comments or ""]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    run_demo(out, echo=lines.append)
    return out, lines


def planted(out: Path) -> list[str]:
    """The exempt business: what the confidential minutes record and the exempt paper's
    recommendations and file name."""
    engine = make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}")
    with transaction(engine) as s:
        rows = s.scalars(
            select(Paper)
            .join(ForwardPlanItem, ForwardPlanItem.id == Paper.item_id)
            .where(ForwardPlanItem.exempt.is_(True), ForwardPlanItem.procedural_key.is_(None))
        ).all()
        phrases = [str(r) for p in rows for r in p.recommendations]
        names = [p.file_name for p in rows]
    engine.dispose()
    assert phrases, "the demo has an exempt paper with recommendations"
    return [EXEMPT_DISCUSSION, "Oakfield Residential Care", *phrases, *names]


def public_files(out: Path) -> list[Path]:
    secret = ("-private", "part-b", "confidential")
    return [
        p
        for p in sorted(out.iterdir())
        if p.suffix in (".pdf", ".docx") and not any(m in p.name for m in secret)
    ]


def test_the_demo_files_both_parts_and_builds_the_next_meetings_packs(demo):
    out, lines = demo
    names = {p.name for p in out.iterdir()}
    assert sum(n.endswith("-agenda-pack.pdf") for n in names) == 2  # both meetings, public
    assert any("part-b-approved" in n for n in names)
    assert any("only in the private pack" in line for line in lines)
    assert sum(line.startswith("Published:") for line in lines) == 2


def test_no_public_artefact_the_demo_writes_carries_the_exempt_business(demo):
    out, lines = demo
    phrases = planted(out)
    files = public_files(out)
    assert len(files) >= 7  # two public packs, two working copies, draft and approved minutes
    for path in files:
        text = _flat(pdf_text(path) if path.suffix == ".pdf" else docx_text(path))
        for phrase in phrases:
            assert _flat(phrase) not in text, f"{path.name} carries exempt text: {phrase!r}"
        for phrase in phrases:
            assert _flat(phrase) not in _flat(path.name)
    notices = _flat("\n".join(line for line in lines if line.startswith(("Published", "  In"))))
    assert not any(_flat(p) in notices for p in phrases)


def test_the_private_pack_and_confidential_minutes_do_carry_it(demo):
    """The planted phrases are real: the private side has them (so their absence above means
    something)."""
    out, _ = demo
    secret_minutes = next(p for p in out.iterdir() if p.name.endswith("part-b-approved.docx"))
    assert _flat(EXEMPT_DISCUSSION) in _flat(docx_text(secret_minutes))
    private_next = sorted(out.glob("*-agenda-pack-private.pdf"))[-1]
    assert _flat("Oakfield Residential Care") in _flat(pdf_text(private_next))
    first_private = sorted(out.glob("*-agenda-pack-private.pdf"))[0]
    recommendation = planted(out)[2]
    assert _flat(recommendation) in _flat(pdf_text(first_private))


def test_the_demos_approved_minutes_read_like_real_ones(demo):
    out, _ = demo
    approved = next(p for p in out.iterdir() if p.name.endswith("-minutes-approved.docx"))
    text = docx_text(approved)
    for placeholder in ("[Record the discussion.]", "[DRAFT", "DRAFT MINUTES", "Action: …"):
        assert placeholder not in text
    assert "RESOLVED:" in text and "Members" in text


def test_the_demo_pdf_files_are_real_documents(demo):
    out, _ = demo
    for path in public_files(out):
        if path.suffix == ".pdf":
            assert len(PdfReader(io.BytesIO(path.read_bytes())).pages) > 1
