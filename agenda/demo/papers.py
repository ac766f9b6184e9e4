"""Realistic sample board papers (Word and PDF) for ``boardclerk demo``, tests and benchmarks.

Three house styles are drawn, following ``shared/domain.md`` section 4:

* ``council-appendix`` — the Leicester City cover table (Subject / Presented to … by / Author),
  EXECUTIVE SUMMARY, RECOMMENDATIONS, then a body with "2." sections and "2.1" paragraphs;
* ``council-agenda-item`` — the Leicestershire County header ("HEALTH AND WELLBEING BOARD:
  20 NOVEMBER 2014" / "REPORT OF …" / TITLE) and paragraphs numbered 1…N across sections;
* ``company-board`` — a generic board paper cover table (Board meeting, Agenda item, Report
  title, Purpose …).

Page counts: the Word generator estimates the height of every block with the real font metrics
of Helvetica (metric-compatible with Arial and Liberation Sans, which LibreOffice substitutes),
fills each page to a safe margin and starts the next block on a new page, so LibreOffice renders
the requested number of pages. The PDF generator draws page by page, so its count is exact.

Bad files for the upload checks (:mod:`agenda.documents.filecheck`) are at the end of this module.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import CharacterStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from agenda.demo.prose import (
    AUTHOR_ROLES,
    IMPACT_HEADINGS,
    ORGANISATIONS,
    SECTION_HEADINGS,
    TOPICS,
    Prose,
    Topic,
    fill_topic_text,
    long_date,
    ordinal,
    person,
)
from agenda.documents.pdf_pack import SANS, SANS_BOLD, register_fonts

STYLES = ("council-appendix", "council-agenda-item", "company-board")

__all__ = [
    "STYLES",
    "SampleReport",
    "make_report_docx",
    "make_report_pdf",
    "sample_reports",
    "sample_report_for",
    "make_macro_docm",
    "make_encrypted_pdf",
    "make_owner_only_pdf",
    "make_corrupt_docx",
    "make_corrupt_pdf",
    "make_zip_bomb_docx",
    "make_fake_pdf_named_docx",
    "make_legacy_doc",
    "make_xlsx",
    "make_html_sign_in_page",
    "make_password_protected_docx",
]


@dataclass
class SampleReport:
    """What a report author types on the cover of a paper."""

    title: str
    author: str  # "Name, Job title, Organisation"; "; " between several
    presenter: str  # "Name, Job title"
    lead: str  # job title of the lead officer
    executive_summary: str  # paragraphs separated by blank lines
    recommendations: list[str]  # verb phrases: "Approve the Better Care Fund plan …"
    meeting_date: dt.date
    body_name: str
    exempt_reason: str | None = None
    topic_index: int = field(default=0, repr=False)  # which prose vocabulary to use


# ---------------------------------------------------------------------------------------------
# Sample report metadata


def sample_reports(
    body_name: str, meeting_date: dt.date, count: int, seed: int = 0
) -> list[SampleReport]:
    """``count`` varied reports for one meeting, deterministic for ``seed``.

    Public reports come first in a shuffled order; when ``count`` is 5 or more the exempt Care
    Home Contract Award is included last, where Part B business sits on an agenda."""
    rng = random.Random(f"reports-{seed}")
    public = [i for i, t in enumerate(TOPICS) if t.exempt_reason is None]
    exempt = [i for i, t in enumerate(TOPICS) if t.exempt_reason is not None]
    rng.shuffle(public)
    n_public = count - 1 if count >= 5 else count
    order = [public[i % len(public)] for i in range(n_public)]
    if count >= 5:
        order += exempt[:1]
    reports = []
    for n, index in enumerate(order):
        rounds = n // len(public) if TOPICS[index].exempt_reason is None else 0
        reports.append(_report_for(TOPICS[index], index, body_name, meeting_date, rng, rounds))
    return reports


def sample_report_for(
    title: str,
    body_name: str,
    meeting_date: dt.date,
    *,
    lead: str | None = None,
    exempt_reason: str | None = None,
    seed: int = 0,
) -> SampleReport:
    """A report whose prose and recommendations fit ``title`` (the nearest topic's vocabulary):
    for papers planned under a given title, as in the demo."""
    probe = SampleReport(
        title=title,
        author="",
        presenter="",
        lead="",
        executive_summary="",
        recommendations=[],
        meeting_date=meeting_date,
        body_name=body_name,
        topic_index=-1,
    )
    topic = _topic_of(probe)
    report = _report_for(
        topic,
        TOPICS.index(topic),
        body_name,
        meeting_date,
        random.Random(f"report-for-{title}-{seed}"),
        0,
    )
    report.title = title
    if lead:
        report.lead = lead
        report.presenter = f"{report.presenter.split(',')[0]}, {lead}"
    report.exempt_reason = exempt_reason
    return report


def _report_for(
    topic: Topic, index: int, body_name: str, meeting_date: dt.date, rng: random.Random, rounds: int
) -> SampleReport:
    title = fill_topic_text(topic.title, meeting_date, rng)
    if rounds:
        title += " – Update" if rounds == 1 else f" – Update {rounds}"
    presenter = f"{person(rng)}, {topic.lead}"
    authors = [
        f"{person(rng)}, {rng.choice(AUTHOR_ROLES)}, {rng.choice(ORGANISATIONS)}"
        for _ in range(rng.choice((1, 1, 2)))
    ]
    prose = Prose(topic, meeting_date, rng)
    summary = "\n\n".join(
        [f"This report presents {topic.subject} to the Board. " + prose.paragraph((1, 2))]
        + [prose.paragraph((2, 3)) for _ in range(rng.randint(1, 2))]
    )
    recs = [fill_topic_text(r, meeting_date, rng) for r in topic.recommendations]
    recs = recs[: rng.randint(max(2, len(recs) - 1), len(recs))]
    return SampleReport(
        title=title,
        author="; ".join(authors),
        presenter=presenter,
        lead=topic.lead,
        executive_summary=summary,
        recommendations=[r[0].upper() + r[1:] for r in recs],
        meeting_date=meeting_date,
        body_name=body_name,
        exempt_reason=topic.exempt_reason,
        topic_index=index,
    )


def _topic_of(report: SampleReport) -> Topic:
    if (
        0 <= report.topic_index < len(TOPICS)
        and TOPICS[report.topic_index].title.split()[0] in report.title
    ):
        return TOPICS[report.topic_index]
    # A report built by hand: borrow the vocabulary of the topic whose title shares most words.
    words = set(report.title.lower().split())
    return max(TOPICS, key=lambda t: len(words & set(t.title.lower().split())))


# ---------------------------------------------------------------------------------------------
# Layout model: blocks with an estimated height, paginated before they are written


FONT = "Arial"  # LibreOffice substitutes Liberation Sans: same metrics as Helvetica
BODY_PT = 11.0
TABLE_PT = 10.0
LINE = 1.17  # line height / font size for Liberation Sans at single spacing
SPACE_AFTER = 6.0
MARGIN_MM = 25.4
FILL = 0.9  # fill each page to this share of its height, then start a new page


@dataclass
class Block:
    kind: str  # para | heading | title | bullets | table | fields | appendix
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # column share, sums to 1
    bold: bool = False
    break_before: bool = False
    landscape: bool = False
    lettered: bool = False  # bullets that carry their own "a)" labels


def _content_box(landscape_page: bool) -> tuple[float, float]:
    w, h = (842.0, 595.3) if landscape_page else (595.3, 842.0)
    margin = MARGIN_MM / 25.4 * 72
    return w - 2 * margin, h - 2 * margin


@functools.lru_cache(maxsize=4096)
def _lines(text: str, width: float, size: float, bold: bool = False) -> int:
    font = "Helvetica-Bold" if bold else "Helvetica"  # (same metrics as the embedded SANS)
    return max(1, len(simpleSplit(text, font, size, width)))


def _height(block: Block, width: float) -> float:
    body = BODY_PT * LINE
    if block.kind in ("para", "title"):
        size = 12.0 if block.kind == "title" else BODY_PT
        return _lines(block.text, width, size, block.bold) * size * LINE + SPACE_AFTER
    if block.kind == "heading":
        return 13.0 * LINE + 12 + 6
    if block.kind == "bullets":
        return sum(_lines(t, width - 36, BODY_PT) * body + SPACE_AFTER for t in block.items)
    if block.kind in ("table", "fields", "appendix"):
        caption = 0.0
        if block.text:
            caption = (
                (13.0 * LINE + 18)
                if block.kind == "appendix"
                else _lines(block.text, width, BODY_PT) * body + SPACE_AFTER
            )
        total = caption + SPACE_AFTER  # the empty paragraph after a table
        size = TABLE_PT if block.kind != "fields" else BODY_PT
        for row in block.rows:
            cells = [
                _lines(text, width * share - 11, size, bold=(block.kind == "fields"))
                for text, share in zip(row, block.widths, strict=True)
            ]
            total += max(cells) * size * LINE + 2
        return total
    raise ValueError(block.kind)


class Paginator:
    """Places blocks on pages; a block that would overflow the page starts the next one."""

    def __init__(self) -> None:
        self.page = 0
        self.used = 0.0

    def place(self, block: Block) -> None:
        width, height = _content_box(block.landscape)
        h = _height(block, width)
        # Keep a heading with at least a few lines of what follows it.
        need = h + (4 * BODY_PT * LINE if block.kind == "heading" else 0)
        block.break_before = block.break_before or (
            self.used > 0 and self.used + need > height * FILL
        )
        if block.break_before:
            self.page += 1
            self.used = 0.0
        self.used += h

    def fits(self, blocks: list[Block], last_page: int) -> bool:
        trial = copy.copy(self)
        for b in blocks:
            trial.place(copy.copy(b))
        return trial.page <= last_page


class Numberer:
    """Section and paragraph numbers: "2." / "2.1" (City, company) or 1…N running (County)."""

    def __init__(self, running: bool) -> None:
        self.running = running
        self.section = 0
        self.para = 0

    def heading(self, title: str) -> Block:
        self.section += 1
        if not self.running:
            self.para = 0
            return Block("heading", f"{self.section}. {title}")
        return Block("heading", title)

    def paragraph(self, text: str) -> Block:
        self.para += 1
        number = f"{self.para}." if self.running else f"{self.section}.{self.para}"
        return Block("para", f"{number}\t{text}")


# ---------------------------------------------------------------------------------------------
# Content per house style


class _Paper:
    """The blocks of one report in one house style."""

    def __init__(self, report: SampleReport, style: str, seed: int) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown house style {style!r}; known: {', '.join(STYLES)}")
        self.report = report
        self.style = style
        self.seed = seed
        self.topic = _topic_of(report)
        self.rng = random.Random(f"{report.title}-{style}-{seed}")
        self.prose = Prose(
            self.topic,
            report.meeting_date,
            self.rng,
            running_numbers=(style == "council-agenda-item"),
        )
        self.numbers = Numberer(running=(style == "council-agenda-item"))

    # -- cover ----------------------------------------------------------------------------

    def head(self, *, compact: bool = False) -> list[Block]:
        """Cover and opening sections; ``compact`` leaves out what a one-page paper can't hold."""
        r = self.report
        blocks = {
            "council-appendix": self._city_cover,
            "council-agenda-item": self._county_cover,
            "company-board": self._company_cover,
        }[self.style](compact)
        num = self.numbers
        county = self.style == "council-agenda-item"
        if county or not compact:
            blocks.append(num.heading("Purpose of report" if county else "Purpose of the report"))
            blocks.append(
                num.paragraph(
                    f"The purpose of this report is to present "
                    f"{self.topic.subject} to the {self._board()} and to seek "
                    f"its views."
                )
            )
        if county:
            summary = r.executive_summary.split("\n\n")
            for para in summary[:1] if compact else summary:
                blocks.append(num.paragraph(para))
            blocks.append(
                num.heading("Recommendation" if len(r.recommendations) == 1 else "Recommendations")
            )
            blocks.append(num.paragraph(f"It is recommended that the {self._board()}:"))
            blocks.append(Block("bullets", items=_lettered(r.recommendations), lettered=True))
            if not compact:
                blocks.append(num.heading("Policy Framework and Previous Decisions"))
                blocks.append(num.paragraph(self.prose.paragraph((2, 3))))
        blocks.append(num.heading("Background"))
        blocks.append(
            num.paragraph(
                "The table below summarises the latest position."
                if compact
                else self.prose.paragraph()
            )
        )
        blocks.append(
            Block(
                "table",
                text=f"Table 1: {self.topic.subject[0].upper()}"
                f"{self.topic.subject[1:]} – key measures",
                rows=self.prose.table_rows(3 if compact else self.rng.randint(3, 4)),
                widths=[0.44, 0.14, 0.14, 0.14, 0.14],
            )
        )
        return blocks

    def _board(self) -> str:
        name = self.report.body_name
        return (
            "Health and Wellbeing Board" if "health and wellbeing board" in name.lower() else name
        )

    def _exempt_blocks(self) -> list[Block]:
        if not self.report.exempt_reason:
            return []
        return [
            Block("para", "NOT FOR PUBLICATION", bold=True),
            Block("para", f"This report is exempt: {self.report.exempt_reason}"),
        ]

    def _city_cover(self, compact: bool) -> list[Block]:
        r = self.report
        d = r.meeting_date
        author_label = "Authors:" if ";" in r.author else "Author:"
        blocks = [
            Block(
                "title",
                f"{r.body_name.upper()} {ordinal(d.day)} {d.strftime('%B')} {d.year}",
                bold=True,
            )
        ]
        blocks += self._exempt_blocks()
        blocks.append(
            Block(
                "fields",
                rows=[
                    ["Subject:", r.title],
                    [f"Presented to the {self._board()} by:", r.presenter],
                    [author_label, r.author.replace("; ", "\n")],
                ],
                widths=[0.36, 0.64],
            )
        )
        blocks.append(Block("para", "EXECUTIVE SUMMARY:", bold=True))
        summary = r.executive_summary.split("\n\n")
        blocks += [Block("para", p) for p in (summary[:1] if compact else summary)]
        blocks.append(Block("para", "RECOMMENDATIONS:", bold=True))
        blocks.append(Block("para", f"The {self._board()} is requested to:"))
        blocks.append(Block("bullets", items=list(r.recommendations)))
        return blocks

    def _county_cover(self, compact: bool) -> list[Block]:
        r = self.report
        lead = r.lead.upper()
        originator = lead if lead.startswith(("THE ", "LEICESTERSHIRE")) else f"THE {lead}"
        blocks = [
            Block(
                "title", f"{self._board().upper()}: {long_date(r.meeting_date).upper()}", bold=True
            ),
            Block("title", f"REPORT OF {originator}", bold=True),
            Block("title", r.title.upper(), bold=True),
        ]
        return blocks + self._exempt_blocks()

    def _company_cover(self, compact: bool) -> list[Block]:
        r = self.report
        decision = any(
            t.split()[0].lower() in ("approve", "agree", "endorse", "delegate")
            for t in r.recommendations
        )
        blocks = [Block("title", r.body_name, bold=True)]
        blocks += self._exempt_blocks()
        blocks.append(
            Block(
                "fields",
                rows=[
                    ["Board meeting", long_date(r.meeting_date)],
                    ["Agenda item", str(self.rng.randint(4, 12))],
                    ["Report title", r.title],
                    ["Lead director", r.lead],
                    ["Presented by", r.presenter],
                    ["Author", r.author.replace("; ", "\n")],
                    ["Purpose", "For decision" if decision else "For information"],
                ],
                widths=[0.3, 0.7],
            )
        )
        blocks.append(Block("heading", "Executive summary"))
        summary = r.executive_summary.split("\n\n")
        blocks += [Block("para", p) for p in (summary[:1] if compact else summary)]
        blocks.append(Block("heading", "Recommendation"))
        blocks.append(Block("para", "The Board is recommended to:"))
        blocks.append(Block("bullets", items=list(r.recommendations)))
        return blocks

    # -- body -----------------------------------------------------------------------------

    def filler(self) -> Iterator[list[Block]]:
        """Endless body text: sections of numbered paragraphs, one candidate chunk at a time."""
        headings = list(SECTION_HEADINGS)
        self.rng.shuffle(headings)
        n = 0
        while True:
            title = (
                headings[n % len(headings)]
                if n < len(headings)
                else f"{headings[n % len(headings)]} ({n // len(headings) + 1})"
            )
            n += 1
            yield [self.numbers.heading(title), self.numbers.paragraph(self.prose.paragraph())]
            for _ in range(self.rng.randint(1, 4)):
                yield [self.numbers.paragraph(self.prose.paragraph())]

    def tail(self, *, appendix_inline: bool, level: int = 0) -> list[Block]:
        """Closing sections; generated from a fresh rng so a trial and the final agree.

        ``level`` 0 is the full set; 1 to 4 leave out more and more for short papers (at 3 and 4
        only an inline appendix of two rows, then one row, is left)."""
        rng = random.Random(f"tail-{self.report.title}-{self.seed}")
        num = self.numbers
        blocks: list[Block] = []
        appendix_title = "Appendix 1 – Action plan"
        if self.style == "council-agenda-item":
            if level == 0:
                blocks.append(num.heading("Resource Implications"))
                blocks.append(
                    num.paragraph(
                        "The costs will be met from existing budgets held by "
                        "the partner organisations. There are no additional "
                        "resource implications for the County Council."
                    )
                )
            if level <= 1:
                blocks.append(num.heading("Timetable for Decisions"))
                blocks.append(
                    num.paragraph(
                        f"A further report will be presented to the Board in "
                        f"{rng.choice(('March', 'June', 'September'))} "
                        f"{self.report.meeting_date.year + 1}."
                    )
                )
            if level == 0:
                blocks.append(Block("heading", "Background papers"))
                blocks.append(Block("para", "None."))
                blocks.append(
                    Block("heading", "Circulation under the Local Issues Alert Procedure")
                )
                blocks.append(Block("para", "The report is relevant to Leicestershire as a whole."))
            if level >= 3:
                return blocks + self._inline_appendix(appendix_inline, rows=5 - level)
            blocks.append(Block("heading", "Officer to Contact"))
            name, _, rest = self.report.author.split(";")[0].partition(", ")
            role = rest.split(", ")[0] or self.report.lead
            email = name.lower().replace(" ", ".").replace("'", "")
            blocks.append(
                Block(
                    "para",
                    f"Name and Job Title: {name}, {role}\n"
                    f"Telephone: 0116 305 {rng.randint(1000, 9999)}\n"
                    f"Email: {email}@leics.gov.uk",
                )
            )
            blocks.append(Block("heading", "List of Appendices"))
            blocks.append(Block("para", appendix_title))
            if level <= 1:
                blocks.append(Block("heading", "Relevant Impact Assessments"))
                for heading, text in IMPACT_HEADINGS[: 2 if level == 0 else 1]:
                    blocks.append(Block("para", heading, bold=True))
                    blocks.append(num.paragraph(text))
        elif level >= 3:
            return blocks + self._inline_appendix(appendix_inline, rows=5 - level)
        else:
            blocks.append(num.heading("Financial, legal and other implications"))
            implications = (
                (
                    "Financial implications",
                    "There are no direct financial implications arising "
                    "from this report beyond those set out in section 2.",
                ),
                (
                    "Legal implications",
                    "The Board is meeting its statutory duty under the Health "
                    "and Social Care Act 2012.",
                ),
                IMPACT_HEADINGS[0],
            )
            for heading, text in implications[: max(1, 3 - level)]:
                blocks.append(num.paragraph(f"{heading}: {text}"))
            if level <= 1:
                blocks.append(num.heading("Summary of appendices"))
                blocks.append(num.paragraph(f"{appendix_title}."))
        return blocks + self._inline_appendix(appendix_inline, rows=3 if level < 2 else 2)

    def _inline_appendix(self, inline: bool, rows: int = 2) -> list[Block]:
        return [self.appendix(rows=rows, wide=False)] if inline else []

    def appendix(self, *, rows: int, wide: bool) -> Block:
        rng_state = self.prose.rng
        self.prose.rng = random.Random(f"appendix-{self.report.title}-{self.seed}")
        widths = (
            [0.04, 0.23, 0.11, 0.14, 0.08, 0.10, 0.15, 0.09, 0.06]
            if wide
            else [0.08, 0.44, 0.2, 0.14, 0.14]
        )
        block = Block(
            "appendix",
            text="Appendix 1 – Action plan",
            rows=self.prose.action_rows(rows, wide=wide),
            widths=widths,
            landscape=wide,
        )
        self.prose.rng = rng_state
        return block

    def appendix_rows_for_one_page(self, wide: bool) -> int:
        width, height = _content_box(wide)
        rows = 2
        while rows < 60:
            block = self.appendix(rows=rows + 1, wide=wide)
            if _height(block, width) + 60 > height * FILL:
                break
            rows += 1
        return rows

    def layout(self, pages: int, landscape_appendix: bool) -> list[Block]:
        """All blocks, with page breaks placed so the paper runs to ``pages`` pages."""
        pages = max(pages, 2 if landscape_appendix else 1)
        # The appendix has a page of its own from three pages up (or when it is landscape).
        inline = pages <= 2 and not landscape_appendix
        last_body_page = pages - 1 if inline else pages - 2
        pag = Paginator()
        blocks = self.head(compact=last_body_page == 0)
        for b in blocks:
            pag.place(b)
        level = 0
        while level < 4:  # the fullest ending that still fits
            trial_numbers = copy.copy(self.numbers)
            fits = pag.fits(self.tail(appendix_inline=inline, level=level), last_body_page)
            self.numbers.__dict__.update(trial_numbers.__dict__)
            if fits:
                break
            level += 1
        chunks = self.filler()
        while True:
            before = copy.copy(self.numbers)
            chunk = next(chunks)
            after = copy.copy(self.numbers)
            tail = self.tail(appendix_inline=inline, level=level)  # a trial: moves the numbers
            self.numbers.__dict__.update(after.__dict__)
            if not pag.fits(chunk + tail, last_body_page):
                self.numbers.__dict__.update(before.__dict__)
                break
            for b in chunk:
                pag.place(b)
            blocks += chunk
        for b in self.tail(appendix_inline=inline, level=level):
            pag.place(b)
            blocks.append(b)
        # The estimate errs on the safe side; a break past the last body page can only add a
        # page, so let such text flow and LibreOffice will usually fit it.
        breaks = 0
        for b in blocks:
            breaks += b.break_before
            if breaks > last_body_page:
                b.break_before = False
        if not inline:
            appendix = self.appendix(
                rows=self.appendix_rows_for_one_page(landscape_appendix), wide=landscape_appendix
            )
            appendix.break_before = True
            blocks.append(appendix)
        return blocks


def _lettered(recommendations: list[str]) -> list[str]:
    """County style: "a) note …;" … "; and" before the last, which ends with a full stop."""
    out = []
    for i, text in enumerate(recommendations):
        end = (
            "."
            if i == len(recommendations) - 1
            else ("; and" if i == len(recommendations) - 2 else ";")
        )
        out.append(f"{'abcdefgh'[i]}) {_lower_first(text)}{end}")
    return out


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text else text


# ---------------------------------------------------------------------------------------------
# Word


def make_report_docx(
    report: SampleReport,
    style: str,
    *,
    pages: int = 3,
    landscape_appendix: bool = False,
    seed: int = 0,
) -> bytes:
    """A real A4 .docx in ``style`` running to about ``pages`` pages when LibreOffice renders it.

    ``pages`` counts the appendix page; ``landscape_appendix`` puts Appendix 1 in its own
    landscape section (so the paper has at least two pages)."""
    paper = _Paper(report, style, seed)
    blocks = paper.layout(pages, landscape_appendix)
    doc = Document()
    _set_up(doc, report)
    for block in blocks:
        _write(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_font(
    style: CharacterStyle, name: str, size: float | None, bold: bool | None = None
) -> None:
    font = style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    # python-docx sets w:ascii/w:hAnsi; theme attributes would still win in Word, so drop them.
    rfonts = style.element.rPr.rFonts
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:cs"), name)


def _set_up(doc: DocxDocument, report: SampleReport) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    # The template's document defaults name theme fonts (Calibri); pin everything to Arial.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rfonts in defaults.iter(qn("w:rFonts")):
            for attr in list(rfonts.attrib):
                rfonts.attrib.pop(attr)
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                rfonts.set(qn(attr), FONT)
    normal = doc.styles["Normal"]
    _set_font(normal, FONT, BODY_PT)
    normal.paragraph_format.space_after = Pt(SPACE_AFTER)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name, size in (("Heading 1", 13.0), ("Heading 2", 12.0)):
        style = doc.styles[name]
        _set_font(style, FONT, size, bold=True)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.line_spacing = 1.0
    props = doc.core_properties
    props.title = report.title
    props.author = report.author.split(",")[0]
    props.subject = report.body_name
    props.created = dt.datetime.combine(
        report.meeting_date - dt.timedelta(days=21), dt.time(9), tzinfo=dt.UTC
    )
    props.comments = ""


def _write(doc: DocxDocument, block: Block) -> None:
    if block.kind == "appendix" and block.landscape:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        block = copy.copy(block)
        block.break_before = False
    if block.kind in ("para", "title"):
        p = doc.add_paragraph(block.text)
        if block.kind == "title":
            p.runs[0].font.size = Pt(12)
        if block.bold:
            p.runs[0].bold = True
        _numbered_indent(p, block.text)
        p.paragraph_format.page_break_before = block.break_before or None
    elif block.kind == "heading":
        p = doc.add_heading(block.text, level=1)
        p.paragraph_format.page_break_before = block.break_before or None
    elif block.kind == "bullets":
        for i, item in enumerate(block.items):
            p = doc.add_paragraph(item, style="Normal" if block.lettered else "List Bullet")
            if block.lettered:
                p.paragraph_format.left_indent = Mm(12)
            if i == 0:
                p.paragraph_format.page_break_before = block.break_before or None
    elif block.kind in ("table", "fields", "appendix"):
        if block.text:
            cap = (
                doc.add_heading(block.text, level=1)
                if block.kind == "appendix"
                else doc.add_paragraph(block.text)
            )
            cap.paragraph_format.keep_with_next = True
            cap.paragraph_format.page_break_before = block.break_before or None
        _table(doc, block)
        doc.add_paragraph()


def _numbered_indent(paragraph: Paragraph, text: str) -> None:
    """Hang "2.1<TAB>text" paragraphs so the number stands out, as council reports do."""
    if re.match(r"^\d+(\.\d+)?\.?\t", text):
        fmt = paragraph.paragraph_format
        fmt.left_indent = Mm(12)
        fmt.first_line_indent = Mm(-12)
        fmt.tab_stops.add_tab_stop(Mm(12))


def _table(doc: DocxDocument, block: Block) -> None:
    section = doc.sections[-1]
    page_w, left, right = section.page_width, section.left_margin, section.right_margin
    assert page_w is not None and left is not None and right is not None  # _set_up set all three
    usable = page_w - left - right
    table = doc.add_table(rows=len(block.rows), cols=len(block.rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    # table.cell(r, c) rescans the whole grid on every call; walk the rows' XML once instead.
    for r, (tr, row) in enumerate(zip(table._tbl.tr_lst, block.rows, strict=True)):
        for c, (tc, text) in enumerate(zip(tr.tc_lst, row, strict=True)):
            cell = _Cell(tc, table)
            cell.width = Emu(int(usable * block.widths[c]))
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            run = para.add_run(text)
            run.font.size = Pt(BODY_PT if block.kind == "fields" else TABLE_PT)
            # Field labels (first column) and table headers (first row) are bold.
            run.bold = (c == 0) if block.kind == "fields" else (r == 0)
    for c, col in enumerate(table.columns):
        col.width = int(usable * block.widths[c])


# ---------------------------------------------------------------------------------------------
# PDF


def make_report_pdf(
    report: SampleReport, style: str, *, pages: int = 3, landscape_pages: int = 0, seed: int = 0
) -> bytes:
    """A real PDF of exactly ``pages`` A4 pages; the last ``landscape_pages`` are landscape."""
    if pages < 1 or not 0 <= landscape_pages <= pages:
        raise ValueError("need pages >= 1 and 0 <= landscape_pages <= pages")
    paper = _Paper(report, style, seed)
    head = paper.head()
    chunks = paper.filler()
    buf = io.BytesIO()
    register_fonts()  # Liberation Sans: Helvetica's metrics, but embedded
    canvas = Canvas(buf, pagesize=A4, invariant=1, initialFontName=SANS)  # type: ignore[arg-type]
    canvas.setTitle(report.title)
    canvas.setAuthor(report.author.split(",")[0])
    canvas.setSubject(report.body_name)
    queue: list[Block] = list(head)
    for page in range(pages):
        wide = page >= pages - landscape_pages
        size = landscape(A4) if wide else A4
        canvas.setPageSize(size)
        margin = 56.0
        y = size[1] - margin
        width = size[0] - 2 * margin
        if wide and page > 0:
            appendix = paper.appendix(rows=8, wide=True)
            appendix.text = (
                f"Appendix 1 – Action plan (page {page - (pages - landscape_pages) + 1}"
                f" of {landscape_pages})"
            )
            _pdf_table(canvas, appendix, margin, y, width)
        else:
            while True:
                if not queue:
                    queue.extend(next(chunks))
                block = queue[0]
                new_y = _pdf_block(canvas, block, margin, y, width, dry_run=True)
                if new_y < margin:
                    break
                y = _pdf_block(canvas, queue.pop(0), margin, y, width)
        canvas.setFont(SANS, 9)
        canvas.drawCentredString(size[0] / 2, 28, f"{page + 1}")
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _pdf_block(
    canvas: Canvas, block: Block, x: float, y: float, width: float, *, dry_run: bool = False
) -> float:
    """Draw one block from the top line ``y`` down; returns the next ``y``."""
    if block.kind in ("table", "fields", "appendix"):
        return _pdf_table(canvas, block, x, y, width, dry_run=dry_run)
    items = block.items if block.kind == "bullets" else [block.text]
    bold = block.bold or block.kind in ("heading", "title")
    size = 13.0 if block.kind == "heading" else 11.0
    font = SANS_BOLD if bold else SANS
    if block.kind == "heading":
        y -= 8
    for item in items:
        indent = 18 if block.kind == "bullets" else 0
        text = item.replace("\t", " ")
        for line in simpleSplit(text, font, size, width - indent):
            y -= size * 1.2
            if not dry_run:
                canvas.setFont(font, size)
                canvas.drawString(x + indent, y, line)
        if block.kind == "bullets" and not block.lettered and not dry_run:
            canvas.drawString(
                x + 4,
                y + size * 1.2 * (len(simpleSplit(text, font, size, width - indent)) - 1),
                "•",
            )
        y -= 5
    return y


def _pdf_table(
    canvas: Canvas, block: Block, x: float, y: float, width: float, *, dry_run: bool = False
) -> float:
    size = 9.0
    if block.text:
        y = _pdf_block(
            canvas,
            Block("heading" if block.kind == "appendix" else "para", block.text),
            x,
            y,
            width,
            dry_run=dry_run,
        )
    for r, row in enumerate(block.rows):
        fonts = [
            (SANS_BOLD if (c == 0 if block.kind == "fields" else r == 0) else SANS)
            for c in range(len(row))
        ]
        cells = [
            simpleSplit(text, font, size, width * share - 6)
            for text, share, font in zip(row, block.widths, fonts, strict=True)
        ]
        height = max(len(c) for c in cells) * size * 1.2 + 5
        if not dry_run:
            cx = x
            for lines, share, font in zip(cells, block.widths, fonts, strict=True):
                canvas.rect(cx, y - height, width * share, height)
                canvas.setFont(font, size)
                for i, line in enumerate(lines):
                    canvas.drawString(cx + 3, y - 2 - size - i * size * 1.2, line)
                cx += width * share
        y -= height
    return y - 8


# ---------------------------------------------------------------------------------------------
# Bad files, for the upload checks


def _example_report() -> SampleReport:
    return sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 1), 1, seed=7)[0]


@functools.cache
def _small_docx() -> bytes:
    return make_report_docx(_example_report(), "council-appendix", pages=1)


@functools.cache
def _small_pdf() -> bytes:
    return make_report_pdf(_example_report(), "council-appendix", pages=2)


def _rezip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in add.items():
            dst.writestr(name, blob)
    return out.getvalue()


def make_macro_docm() -> bytes:
    """A macro-enabled Word document (.docm): macroEnabled main part plus word/vbaProject.bin."""
    data = _small_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    types = types.replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/relationships/'
        'vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    # An OLE compound-file header is what a real vbaProject.bin starts with.
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b'Attribute VB_Name = "Module1"'
    return _rezip(
        data,
        {"[Content_Types].xml": types.encode(), "word/_rels/document.xml.rels": rels.encode()},
        {"word/vbaProject.bin": vba},
    )


def _encrypted(user_password: str, owner_password: str, algorithm: str = "RC4-128") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_small_pdf())))
    # RC4-128 is what older exporters write; AES-256 (what Word writes now) needs cryptography.
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_encrypted_pdf(user_password: str = "secret", *, algorithm: str = "RC4-128") -> bytes:
    """A PDF that needs a password to open. ``algorithm``: pypdf's, e.g. "AES-256"."""
    return _encrypted(user_password, "owner-" + user_password, algorithm)


def make_owner_only_pdf(*, algorithm: str = "RC4-128") -> bytes:
    """A PDF anyone can open (empty user password) with editing restricted by an owner password."""
    return _encrypted("", "owner-secret", algorithm)


def make_corrupt_docx() -> bytes:
    """Starts like a zip (PK\\x03\\x04) but is cut short: no central directory."""
    data = _small_docx()
    return data[: len(data) // 2]


def make_corrupt_pdf() -> bytes:
    """Starts with %PDF- but has no objects, cross-reference table or trailer."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"this is not really a PDF \x00\x01\x02\n" * 40


@functools.cache
def make_zip_bomb_docx(uncompressed_mb: int = 210) -> bytes:
    """A docx-looking zip whose media member inflates to ``uncompressed_mb`` MB of zeros.

    The file itself stays around 200 KB. The zeros are deflated once per MB and the pieces
    repeated (each ends on a full flush, so they are independent), which takes milliseconds
    instead of compressing 200 MB."""
    members: list[tuple[str, bytes, int, int]] = []  # name, deflated, size, crc
    with zipfile.ZipFile(io.BytesIO(_small_docx())) as src:
        for info in src.infolist():
            raw = src.read(info.filename)
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append(
                (info.filename, comp.compress(raw) + comp.flush(), len(raw), zlib.crc32(raw))
            )
    mb = b"\x00" * (1024 * 1024)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = comp.compress(mb) + comp.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(uncompressed_mb):
        crc = zlib.crc32(mb, crc)
    members.append(
        (
            "word/media/image1.bin",
            piece * uncompressed_mb + comp.flush(),
            len(mb) * uncompressed_mb,
            crc,
        )
    )
    return _zip_from_deflated(members)


def _zip_from_deflated(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip file (no zip64) from members that are already raw-deflated."""
    out = io.BytesIO()
    central = []
    for name, data, size, crc in members:
        offset = out.tell()
        fname = name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(fname), 0)
        out.write(struct.pack("<4s5HIIIHH", b"PK\x03\x04", *fields) + fname + data)
        central.append(
            struct.pack("<4s6HIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + fname
        )
    start = out.tell()
    out.write(b"".join(central))
    out.write(
        struct.pack(
            "<4s4HIIH",
            b"PK\x05\x06",
            0,
            0,
            len(members),
            len(members),
            out.tell() - start,
            start,
            0,
        )
    )
    return out.getvalue()


def make_fake_pdf_named_docx() -> bytes:
    """PDF bytes, for a test that names them ``report.docx``."""
    return _small_pdf()


def make_legacy_doc() -> bytes:
    """An old binary Word 97-2003 file: an OLE compound file holding a WordDocument stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    body = b"\x00" * 486 + "WordDocument".encode("utf-16-le") + b"\x00" * 1024
    return header + body


def make_password_protected_docx() -> bytes:
    """What Word writes for a docx with "Encrypt with Password": an OLE file, not a zip."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    body = (
        b"\x00" * 486
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 1024
    )
    return header + body


def make_xlsx() -> bytes:
    """A minimal Excel workbook (a zip declaring a spreadsheetml main part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def make_html_sign_in_page() -> bytes:
    """What Slack returns instead of the file when the token lacks files:read."""
    return (
        b'<!DOCTYPE html>\n<html lang="en-GB"><head><title>Slack</title></head>'
        b"<body><h1>Sign in to your workspace</h1></body></html>\n"
    )
