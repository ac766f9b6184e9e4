"""Helpers for the pack tests: papers, agendas built directly, and reading packs back."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from agenda.demo import papers as samples
from agenda.documents.agenda import Agenda, AgendaEntry, AgendaPaper
from agenda.filestore import LocalFileStore

# Words that occur only in the exempt paper: none may appear in a public pack.
EXEMPT_WORDS = ("Quokkavale", "Marlowgate", "Zephyrine")
EXEMPT_REASON = "Paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"
MEETING_DATE = dt.date(2027, 4, 1)


def exempt_docx() -> bytes:
    d = docx.Document()
    d.core_properties.title = "Quokkavale contract award"
    d.add_paragraph("Quokkavale residential care: tenders from Marlowgate Care Limited", "Title")
    for i in range(30):
        d.add_paragraph(f"Zephyrine pricing schedule line {i}: Marlowgate bid of £{i}1,000.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def exempt_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Quokkavale Marlowgate Zephyrine")
    for page in range(2):
        c.drawString(72, 700, f"Quokkavale tenders page {page + 1}: Marlowgate, Zephyrine.")
        c.showPage()
    c.save()
    return buf.getvalue()


def simple_pdf(
    pages: int,
    *,
    landscape_pages: tuple[int, ...] = (),
    rotate: tuple[int, ...] = (),
    text: str = "Plain PDF paper",
) -> bytes:
    """A PDF paper; pages listed in ``rotate`` are portrait pages with /Rotate 90 (they show
    landscape)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for page in range(1, pages + 1):
        c.setPageSize(landscape(A4) if page in landscape_pages else A4)
        c.drawString(72, 400, f"{text} page {page}")
        c.showPage()
    c.save()
    if not rotate:
        return buf.getvalue()
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    for page in rotate:
        writer.pages[page - 1].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class PaperSpec:
    """A paper to put on a test agenda."""

    kind: str = "docx"  # docx | pdf
    pages: int = 2
    landscape: bool = False  # docx: landscape appendix; pdf: last page landscape
    exempt: bool = False
    data: bytes | None = None  # use these bytes instead of a generated sample


def sample_bytes(spec: PaperSpec, index: int) -> bytes:
    if spec.data is not None:
        return spec.data
    if spec.exempt:
        return exempt_docx() if spec.kind == "docx" else exempt_pdf()
    report = samples.sample_reports("Health and Wellbeing Board", MEETING_DATE, 4, seed=index)[
        index % 4
    ]
    if spec.kind == "docx":
        return samples.make_report_docx(
            report,
            "council-appendix",
            pages=spec.pages,
            landscape_appendix=spec.landscape,
            seed=index,
        )
    return samples.make_report_pdf(
        report,
        "council-appendix",
        pages=spec.pages,
        landscape_pages=1 if spec.landscape else 0,
        seed=index,
    )


def agenda_with_papers(
    store: LocalFileStore, specs: list[PaperSpec], *, style: str = "council-appendix"
) -> Agenda:
    """An agenda as agenda.documents.numbering would give it: apologies, one item per paper (letters A,
    B ... or Agenda Item N stamps), exempt ones in Part B, and a closing item."""
    entries = [
        AgendaEntry(
            key="proc:apologies",
            number="1",
            heading="APOLOGIES FOR ABSENCE",
            description="",
            procedural=True,
        )
    ]
    public = [(i, s) for i, s in enumerate(specs) if not s.exempt]
    exempt = [(i, s) for i, s in enumerate(specs) if s.exempt]
    closing = AgendaEntry(
        key="proc:urgent_business",
        number="",
        heading="ANY OTHER URGENT BUSINESS",
        description="",
        procedural=True,
    )
    ordered = public + [(-1, None)] + exempt
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    number = 1
    for index, spec in ordered:
        number += 1
        if spec is None:
            entries.append(dataclass_replace(closing, number=str(number)))
            continue
        data = sample_bytes(spec, index)
        sha = store.put(data)
        letter = next(letters) if style == "council-appendix" else None
        stamp = f"Appendix {letter}" if letter else f"Agenda Item {number}"
        title = "Quokkavale Contract Award" if spec.exempt else f"Report number {index + 1}"
        paper = AgendaPaper(
            paper_id=100 + index,
            version=1,
            sha256=sha,
            file_kind=spec.kind,
            file_name=f"paper{index + 1}.{spec.kind}",
            title=title,
            presenter=None,
            authors=f"Author {index + 1}",
            executive_summary=None,
            recommendations=(),
            on_time=True,
        )
        heading = "CONTRACT AWARD" if spec.exempt else f"REPORT NUMBER {index + 1}"
        entries.append(
            AgendaEntry(
                key=f"item:{100 + index}",
                number=str(number),
                heading=heading,
                description=(
                    "This item contains exempt information and is not for publication."
                    if spec.exempt
                    else f"The Director to submit report {index + 1}."
                ),
                procedural=False,
                part="B" if spec.exempt else "A",
                item_id=100 + index,
                kind="report",
                lead="The Director",
                exempt=spec.exempt,
                exempt_reason=EXEMPT_REASON if spec.exempt else None,
                letter=letter,
                stamp=stamp,
                paper=paper,
            )
        )
    return Agenda(
        meeting_id=1,
        meeting_ref="hwb:2027-04-01",
        organisation="Leicester City Council",
        body_name="Health and Wellbeing Board",
        style=style,
        starts_at=dt.datetime(2027, 4, 1, 9, 30, tzinfo=ZoneInfo("Europe/London")),
        venue="City Hall",
        clerk=None,
        clerk_email=None,
        members=(),
        entries=tuple(entries),
    )


def dataclass_replace(entry: AgendaEntry, **changes: object) -> AgendaEntry:
    import dataclasses

    return dataclasses.replace(entry, **changes)  # type: ignore[arg-type]


# --- reading packs back ------------------------------------------------------------------------


def page_texts(pdf: Path) -> list[str]:
    """pdftotext, one page at a time (``-f N -l N``)."""
    pages = len(PdfReader(pdf).pages)
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def all_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


REFERENCE = re.compile(r"(Appendix [A-Z]|Agenda Item \d+)\s*\(Pages? (\d+)(?: - (\d+))?\)")
FOOTER = re.compile(r"Page (\d+)(?: of \d+)?\s*$")


def agenda_references(texts: list[str], front_pages: int) -> dict[str, tuple[int, int]]:
    """What the agenda says: stamp -> (first, last) page."""
    front = "\n".join(texts[:front_pages])
    return {
        m.group(1): (int(m.group(2)), int(m.group(3) or m.group(2)))
        for m in REFERENCE.finditer(front)
    }


def printed_page_numbers(texts: list[str]) -> list[int | None]:
    out: list[int | None] = []
    for text in texts:
        m = FOOTER.search(text.rstrip())
        out.append(int(m.group(1)) if m else None)
    return out


def stamp_pages(texts: list[str], stamps: list[str]) -> dict[str, tuple[int, int]]:
    """For each stamp: the printed numbers of the first and last page whose first line (the
    stamp at top right) carries it."""
    numbers = printed_page_numbers(texts)
    found: dict[str, tuple[int, int]] = {}
    for text, number in zip(texts, numbers, strict=True):
        head = text.strip().splitlines()[0] if text.strip() else ""
        for stamp in stamps:
            if re.search(rf"{re.escape(stamp)}\s*$", head) and number is not None:
                first = found.get(stamp, (number, number))[0]
                found[stamp] = (first, number)
    return found
