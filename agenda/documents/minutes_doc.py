"""The minutes skeleton: a Word document the clerk only has to fill with what was said.

Pure: takes an :class:`~agenda.documents.agenda.Agenda`, a :class:`~agenda.documents.minutes_style.MinutesStyle`
and what members sent in (apologies, declarations) and returns .docx bytes. Numbers come from
the caller (agenda/minutes/service.py allocates them once per meeting).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from agenda.documents.agenda import Agenda, AgendaEntry, MemberLine
from agenda.documents.minutes_style import MinutesStyle
from agenda.documents.words import format_moment, lead_forms, letter_for, long_date
from agenda.kinds import InterestKind

PLACEHOLDER = "[Record the discussion.]"
NO_LEAD = "[the presenter]"
NO_PAPER = (
    "No report on {title} was received before the meeting. [Record what the Board considered.]"
)


@dataclass(frozen=True)
class Attendee:
    """Someone at the meeting who is not a member: invited, substituting, or officers."""

    name: str
    title: str | None = None
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class Attendance:
    """Who to list as present. Without it the skeleton lists every member who sent no
    apologies, and the clerk as "in attendance"."""

    present: tuple[MemberLine, ...]
    invited: tuple[Attendee, ...] = ()
    in_attendance: tuple[Attendee, ...] = ()


@dataclass(frozen=True)
class ApologyLine:
    name: str
    title: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class DeclarationLine:
    name: str
    interest: str
    kind: str = InterestKind.OTHER.value
    entry_key: str | None = None  # AgendaEntry.key, e.g. "item:42"
    item_id: int | None = None


@dataclass(frozen=True)
class PlannedMinute:
    """One minute of the skeleton before it is numbered. ``role`` says how its body is
    written: a procedural key ("declarations", "minutes" ...), "item", "apologies" or "close"."""

    role: str
    heading: str
    entry: AgendaEntry | None = None


# Procedural keys as the agenda styles spell them → the minutes.yaml key that words them.
_ALIASES = {
    "urgent": ("urgent_items", "urgent_business", "any_other_business"),
    "position": ("position_statement",),
    "dates": ("future_dates",),
    "apologies": ("apologies",),
}
# When an entry carries no recognisable key, its heading tells what it is.
_HEADING_WORDS = (
    ("apolog", "apologies"),
    ("declaration", "declarations"),
    ("minutes", "minutes"),
    ("urgent", "urgent"),
    ("any other business", "urgent"),
    ("position statement", "position"),
    ("dates of future", "dates"),
    ("date of next", "dates"),
    ("questions from", "questions"),
    ("announcements", "announcements"),
    ("matters arising", "matters_arising"),
    ("exclusion of the press", "exclusion"),
    ("exclude the press", "exclusion"),
)


def _style_key(key: str, style: MinutesStyle) -> str | None:
    if key in style.procedural:
        return key
    for canonical, names in _ALIASES.items():
        group = (canonical, *names)
        if key in group:
            return next((k for k in group if k in style.procedural), None)
    return None


def procedural_role(entry: AgendaEntry, style: MinutesStyle) -> str | None:
    """Which procedural minute ``entry`` is, in ``style``'s words; None for substantive
    business and for procedural items the style has no wording for."""
    prefix, _, rest = entry.key.partition(":")
    candidates: list[str] = []
    if rest and prefix in ("proc", "procedural", "p"):
        candidates.append(rest)
    elif not rest and entry.procedural:
        candidates.append(prefix)
    if entry.procedural or not entry.item_id:
        heading = entry.heading.lower()
        candidates += [role for word, role in _HEADING_WORDS if word in heading]
    for candidate in candidates:
        found = _style_key(candidate, style)
        if found:
            return found
    return None


def _is_apologies(role: str | None) -> bool:
    return role is not None and (role == "apologies" or "apolog" in role)


def minute_heading(text: str, style: MinutesStyle) -> str:
    text = " ".join(text.split()).rstrip(".").rstrip()
    if style.heading_case == "upper":
        text = text.upper()
    elif style.heading_case == "sentence" and text[:1].islower():
        text = text[0].upper() + text[1:]
    return f"{text}." if style.heading_stop else text


def plan_minutes(agenda: Agenda, style: MinutesStyle) -> list[PlannedMinute]:
    """One minute per agenda entry, in agenda order, plus what the style adds: an apologies
    minute where the style minutes apologies but the agenda has no such item, and a
    "close of meeting" minute. Its length is the size of the meeting's number block."""
    planned: list[PlannedMinute] = []
    has_apologies = False
    for entry in agenda.entries:
        role = procedural_role(entry, style)
        if role is None:
            planned.append(PlannedMinute("item", minute_heading(entry.heading, style), entry))
            continue
        has_apologies = has_apologies or _is_apologies(role)
        override = style.procedural[role].heading
        planned.append(PlannedMinute(role, minute_heading(override or entry.heading, style), entry))
    if style.apologies == "minute" and not has_apologies and "apologies" in style.procedural:
        spec = style.procedural["apologies"]
        at = next((i for i, m in enumerate(planned) if m.role == "declarations"), 0)
        planned.insert(
            at,
            PlannedMinute(
                "apologies", minute_heading(spec.heading or "Apologies for absence", style)
            ),
        )
    if style.close_kind == "minute":
        planned.append(
            PlannedMinute("close", minute_heading(style.close_heading or "Close of meeting", style))
        )
    return planned


def minute_labels(first: int, count: int, allocated: int | None, style: MinutesStyle) -> list[str]:
    """Printed numbers for ``count`` minutes from ``first``. Minutes beyond the ``allocated``
    block (the agenda grew after later meetings took their numbers) are lettered on the last
    allocated number — 135a, 135b — so no number is ever used twice."""
    allocated = count if allocated is None else allocated
    labels = []
    for i in range(count):
        if i < allocated or allocated == 0:
            labels.append(style.format_number(first + i))
        else:
            extra = i - allocated
            labels.append(style.format_number(first + allocated - 1, _letters(extra)))
    return labels


def _letters(index: int) -> str:
    """0 -> a, 26 -> aa: minute suffixes and resolution labels."""
    return letter_for(index).lower()


# -- words -------------------------------------------------------------------------------


_VERBS = {
    "note",
    "notes",
    "approve",
    "agree",
    "endorse",
    "receive",
    "support",
    "consider",
    "comment",
    "delegate",
    "request",
    "ask",
    "confirm",
    "adopt",
    "accept",
    "authorise",
    "authorize",
    "recommend",
    "welcome",
    "refer",
    "thank",
    "review",
    "ratify",
}
_ASKED = re.compile(
    r"^(?:the\s+)?(?:health and wellbeing\s+)?(?:board|committee|members?)\s+"
    r"(?:is|are)\s+(?:asked|recommended|requested|invited)\s+to\s*:?\s*",
    re.I,
)
_LABEL = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[).]\s+", re.I)


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


def resolution_text(recommendation: str, that: str) -> str:
    """A paper's recommendation as a draft resolution: "The Board is asked to note the
    report" → "That the Board note the report"."""
    text = _LABEL.sub("", " ".join(recommendation.split())).rstrip(" .;")
    if asked := _ASKED.match(text):
        return f"{that} the Board {text[asked.end() :]}"
    if text.lower().startswith("that "):
        return f"{that} {text[5:]}"
    if text.split(" ", 1)[0].lower() in _VERBS:
        return f"{that} the Board {_lower_first(text)}"
    return f"{that} {_lower_first(text)}"


def resolutions(recommendations: Sequence[str], style: MinutesStyle) -> list[str]:
    """Labelled, punctuated resolution lines as the style sets them out."""
    items = [resolution_text(r, style.that) for r in recommendations if r.strip()]
    if not items:
        return [f"{style.that} [record the decision]."]
    if len(items) == 1:
        return [items[0] + "."]
    out = []
    for i, text in enumerate(items):
        label = f"({_letters(i)})" if style.labels == "letters" else f"{i + 1})"
        if i == len(items) - 1:
            end = "."
        elif i == len(items) - 2 and style.and_before_last:
            end = "; and"
        else:
            end = ";"
        out.append(f"{label} {text}{end}")
    return out


# -- the document ------------------------------------------------------------------------


def _drop_theme_fonts(style: Any) -> None:
    # The default template's heading styles name theme fonts, which win over font.name.
    fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)


class _Writer:
    def __init__(self, style: MinutesStyle) -> None:
        self.style = style
        self.doc: DocxDocument = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)  # Document() is US Letter
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.2))
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(4)
        for name in ("Title", "Heading 2"):
            heading = self.doc.styles[name]
            heading.font.name = "Arial"
            heading.font.color.rgb = RGBColor(0, 0, 0)
            heading.font.size = Pt(14 if name == "Title" else 11)
            heading.font.bold = True
            heading.paragraph_format.space_before = Pt(10 if name == "Heading 2" else 0)
            _drop_theme_fonts(heading)

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        indent: float | None = None,
        style: str | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
    ) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
        if indent is not None:
            p.paragraph_format.left_indent = Cm(indent)
        if align is not None:
            p.alignment = align
        return p

    def resolved(self, lines: Sequence[str]) -> None:
        p = self.doc.add_paragraph()
        p.add_run(self.style.keyword).bold = True
        marker = p.add_run(f" {self.style.draft_marker}")
        marker.italic = True
        for line in lines:
            self.para(line, indent=1.0)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _fields(agenda: Agenda, style: MinutesStyle, previous_date: dt.date | None) -> dict[str, str]:
    when = agenda.starts_at
    date_long = format_moment(style.date_long, when.date())
    future = [d for d in agenda.future_dates]
    return {
        "body_name": agenda.body_name,
        "BODY_NAME": agenda.body_name.upper(),
        "organisation": agenda.organisation,
        "venue": agenda.venue or "[venue]",
        "date_long": date_long,
        "DATE_LONG": date_long.upper(),
        "date_plain": long_date(when.date()),
        "time": format_moment(style.time_format, when),
        "start_short": format_moment("{hour}.{minute}", when),
        "previous_date": long_date(previous_date)
        if previous_date
        else "[date of previous meeting]",
        "next_date": (
            format_moment(style.date_long, future[0].date())
            + " at "
            + format_moment(style.time_format, future[0])
        )
        if future
        else "[date to be confirmed]",
    }


def _surname(name: str) -> str:
    words = [w.strip(",.") for w in name.split()]
    words = [w for w in words if w and w.upper() not in {"GP", "CC", "MBE", "OBE", "CBE", "QC"}]
    return (words[-1] if words else name).lower()


def _with_title(fmt: str, name: str, title: str | None, on_behalf_of: str | None = None) -> str:
    line = fmt.format(name=name, title=title) if title else name
    if on_behalf_of:
        line += f" – attending on behalf of {on_behalf_of}"
    return line


def default_attendance(agenda: Agenda, apologies: Sequence[ApologyLine]) -> Attendance:
    """Every member who sent no apologies is present; the clerk is in attendance."""
    away = {a.name.casefold() for a in apologies}
    present = tuple(
        m for m in agenda.members if m.role != "clerk" and m.name.casefold() not in away
    )
    clerk: tuple[Attendee, ...] = ()
    if agenda.clerk is not None:
        clerk = (Attendee(agenda.clerk.name, agenda.clerk.title or "Clerk"),)
    return Attendance(present=present, in_attendance=clerk)


def _write_attendance(w: _Writer, attendance: Attendance, apologies: Sequence[ApologyLine]) -> None:
    style = w.style
    w.para(style.present_label, bold=True)
    chairs = [m for m in attendance.present if m.role == "chair"]
    others = [m for m in attendance.present if m.role != "chair"]
    if style.layout == "grouped":
        groups: dict[str, list[MemberLine]] = {}
        for member in [*chairs, *others]:
            groups.setdefault(member.group or "Members", []).append(member)
        for group, members in groups.items():
            w.para(group, bold=True)
            for m in members:
                w.para(f"{m.name} {style.chair_marker}" if m.role == "chair" else m.name)
    elif style.layout == "table":
        rows = [*chairs, *sorted(others, key=lambda m: (_surname(m.name), m.name))]
        table = w.doc.add_table(rows=0, cols=2)
        for m in rows:
            cells = table.add_row().cells
            cells[0].text = f"{m.name}\n{style.chair_marker}" if m.role == "chair" else m.name
            cells[1].text = f"– {m.title.rstrip('.')}." if m.title else ""
    else:
        for m in [*chairs, *others]:
            name = f"{m.name} {style.chair_marker}" if m.role == "chair" else m.name
            w.para(_with_title(style.attendee_format, name, m.title))
    if attendance.invited and style.invited_label:
        w.para(style.invited_label, bold=True)
        for a in attendance.invited:
            w.para(_with_title(style.attendee_format, a.name, a.title, a.on_behalf_of))
    elif attendance.invited:  # the style has no heading for them: they are simply in attendance
        attendance = Attendance(
            attendance.present, (), (*attendance.invited, *attendance.in_attendance)
        )
    if attendance.in_attendance and style.in_attendance_label:
        w.para(style.in_attendance_label, bold=True)
        for a in attendance.in_attendance:
            w.para(_with_title(style.attendee_format, a.name, a.title, a.on_behalf_of))
    if style.apologies == "attendance":
        w.para(style.apologies_label or "Apologies:", bold=True)
        for away in apologies:
            w.para(_with_title(style.attendee_format, away.name, away.title))
        if not apologies:
            w.para("None.")


def _declarations_for(
    entry: AgendaEntry, declarations: Sequence[DeclarationLine]
) -> list[DeclarationLine]:
    return [
        d
        for d in declarations
        if (d.entry_key and d.entry_key == entry.key)
        or (d.item_id is not None and d.item_id == entry.item_id)
    ]


def _write_declarations(
    w: _Writer, agenda: Agenda, declarations: Sequence[DeclarationLine], none_text: str | None
) -> None:
    style = w.style
    by_entry = [(e, d) for e in agenda.entries for d in _declarations_for(e, declarations)]
    placed = {id(d) for _, d in by_entry}
    loose = [d for d in declarations if id(d) not in placed]
    for entry, d in by_entry:
        w.para(
            style.declaration_text.format(
                name=d.name,
                kind_phrase=style.declaration_kinds.get(d.kind, d.kind),
                number=entry.number,
                title=entry.heading.rstrip("."),
                interest=d.interest.rstrip("."),
            )
        )
    for d in loose:  # the item has left the agenda since: keep the declaration, unplaced
        w.para(
            f"{d.name} declared {style.declaration_kinds.get(d.kind, d.kind)}: "
            f"{d.interest.rstrip('.')}."
        )
    if declarations and style.declaration_after:
        w.para(style.declaration_after, italic=True)
    if not declarations and none_text:
        w.para(none_text)


def _write_item(w: _Writer, entry: AgendaEntry, fields: dict[str, str]) -> None:
    style = w.style
    title = entry.heading.rstrip(".")
    if entry.paper is not None and entry.paper.title:
        title = entry.paper.title
    kind = entry.kind or "report"
    opening = style.openings.get(kind) or style.openings.get("report") or ""
    if kind == "report" and entry.paper is None:
        # Say only what happened: no paper arrived, so nobody "submitted a report".
        opening = style.openings.get("report_not_received") or NO_PAPER
    lead = entry.lead or (entry.paper.presenter if entry.paper else None)
    lead_start, lead_mid = lead_forms(lead) if lead else (NO_LEAD, NO_LEAD)
    text = opening.format(lead=lead_start, lead_mid=lead_mid, title=title, **fields)
    if style.citation and entry.stamp and entry.paper is not None:
        text += " " + style.citation.format(stamp=entry.stamp, number=entry.number)
    w.para(text)
    if entry.exempt and entry.exempt_reason:
        w.para(f"Exempt information: {entry.exempt_reason}.", italic=True)
    w.para(PLACEHOLDER, italic=True)
    recommendations = entry.paper.recommendations if entry.paper else ()
    w.resolved(resolutions(recommendations, style))
    w.para(style.action_placeholder, italic=True)


PARTS = ("public", "confidential")


def has_exempt_business(agenda: Agenda) -> bool:
    """Whether the meeting took exempt (Part B) business, which needs confidential minutes."""
    return any(e.exempt for e in agenda.entries)


def exempt_reasons(agenda: Agenda) -> list[str]:
    """The exemptions of the meeting's Part B items, each once, in agenda order."""
    return list(
        dict.fromkeys(e.exempt_reason or "exempt information" for e in agenda.entries if e.exempt)
    )


def build_minutes_docx(
    agenda: Agenda,
    minutes_style: MinutesStyle,
    *,
    first_minute_number: int,
    apologies: Sequence[ApologyLine] = (),
    declarations: Sequence[DeclarationLine] = (),
    attendance: Attendance | None = None,
    previous_meeting_date: dt.date | None = None,
    allocated: int | None = None,
    part: str = "public",
) -> bytes:
    """The minutes skeleton of ``agenda`` in ``minutes_style`` as .docx bytes.

    Minutes come in two parts, as councils keep them. ``part="public"`` is the public minutes:
    every minute, but an exempt item only by its number, its public title (where the style
    allows) and its exemption, after the resolution excluding the press and public that lists
    each exempt item with its paragraph. ``part="confidential"`` is the Part B (Part 2)
    minutes: the exempt items in full, every page marked not for publication with the
    exemptions. Both share one numbering. ``allocated`` is the size of the meeting's number
    block when it is smaller than the skeleton (see :func:`minute_labels`)."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    style = minutes_style
    words = style.confidential
    w = _Writer(style)
    fields = _fields(agenda, style, previous_meeting_date or agenda.previous_meeting)
    planned = plan_minutes(agenda, style)
    labels = minute_labels(first_minute_number, len(planned), allocated, style)
    exempt = [(label, m) for label, m in zip(labels, planned, strict=True) if _exempt(m)]
    header = w.doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if part == "confidential":
        marking = words.marking.format(reasons="; ".join(exempt_reasons(agenda)))
        header.text = f"{marking}\nDRAFT MINUTES — {agenda.body_name}, {fields['date_plain']}"
        for line in style.heading:
            w.para(line.format(**fields), style="Title")
        w.para(words.title, style="Title")
        w.para(marking, bold=True)
        w.para(words.heading, bold=True)
        for label, minute in exempt:
            w.para(f"{label} {minute.heading}", style="Heading 2")
            assert minute.entry is not None
            _write_item(w, minute.entry, fields)
        return w.to_bytes()

    header.text = f"DRAFT MINUTES — {agenda.body_name}, {fields['date_plain']} — not yet confirmed"
    for line in style.heading:
        w.para(line.format(**fields), style="Title")
    _write_attendance(w, attendance or default_attendance(agenda, apologies), apologies)
    if style.separator:
        w.para(style.separator, align=WD_ALIGN_PARAGRAPH.CENTER)

    for label, minute in zip(labels, planned, strict=True):
        if _exempt(minute):
            assert minute.entry is not None
            _write_public_exempt(w, label, minute.entry)
            continue
        w.para(f"{label} {minute.heading}", style="Heading 2")
        if minute.role == "item":
            assert minute.entry is not None
            _write_item(w, minute.entry, fields)
        elif minute.role == "close":
            for line in style.close_lines:
                w.para(line.format(**fields))
        else:
            _write_procedural(w, agenda, minute.role, fields, apologies, declarations)
        if minute.role == "exclusion":
            for item_label, item in exempt:
                assert item.entry is not None
                w.para(
                    words.exclusion_item.format(
                        number=item_label.rstrip("."),
                        title=_public_title(item.entry, style),
                        reason=item.entry.exempt_reason or "exempt information",
                    ),
                    indent=1.0,
                )

    if style.close_kind == "block":
        w.para()
        for line in style.close_lines:
            w.para(line.format(**fields))
    return w.to_bytes()


def _exempt(minute: PlannedMinute) -> bool:
    return minute.role == "item" and minute.entry is not None and minute.entry.exempt


def _public_title(entry: AgendaEntry, style: MinutesStyle) -> str:
    """What the public minutes may call an exempt item: its title as the public agenda shows
    it, or the style's neutral heading when the style keeps even the title private."""
    if style.confidential.public_title:
        return entry.heading.rstrip(".")
    return style.confidential.public_heading


def _write_public_exempt(w: _Writer, label: str, entry: AgendaEntry) -> None:
    """An exempt item in the public minutes: number, public title, exemption; nothing else."""
    style = w.style
    w.para(f"{label} {minute_heading(_public_title(entry, style), style)}", style="Heading 2")
    w.para(
        style.confidential.public_item.format(
            reason=entry.exempt_reason or "exempt information", title=_public_title(entry, style)
        ),
        italic=True,
    )


def _write_procedural(
    w: _Writer,
    agenda: Agenda,
    role: str,
    fields: dict[str, str],
    apologies: Sequence[ApologyLine],
    declarations: Sequence[DeclarationLine],
) -> None:
    style = w.style
    spec = style.procedural.get(role)
    if spec is None:
        w.para(PLACEHOLDER, italic=True)
        return
    quiet = role == "apologies" and not apologies and style.apologies != "attendance"
    for line in () if quiet else spec.text:  # "received from:-" needs someone to follow it
        w.para(line.format(**fields))
    if role == "apologies" and style.apologies != "attendance":
        for a in apologies:
            w.para(f"{a.name}\t{a.title}" if a.title else a.name)
        if not apologies and spec.none:
            w.para(spec.none)
    elif role == "declarations":
        _write_declarations(w, agenda, declarations, spec.none)
    if spec.list_future_dates:
        for when in agenda.future_dates:
            w.para(format_moment("{Weekday} {day} {Month} {year}", when.date()), indent=1.0)
        if not agenda.future_dates:
            w.para("[dates of future meetings]", italic=True)
    if spec.resolved:
        w.resolved([line.format(**fields) for line in spec.resolved])
