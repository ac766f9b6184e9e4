"""How each house style writes its minutes: ``templates/styles/<name>/minutes.yaml`` as values.

The agenda wording of a style lives next to it in ``style.yaml`` (agenda/documents/house_style.py);
the minutes conventions are kept apart because a clerk may rebrand one without the other. Both
are found and read by :mod:`agenda.documents.style_files`, so a mistake in either is reported the
same way, with the file, line and key. See shared/domain.md section 5 for where every convention
comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agenda.documents.style_files import (
    MINUTES_FILE,
    Reader,
    find,
    names_with,
    read_yaml,
    styles_dir,
)
from agenda.documents.words import DATE_FIELDS
from agenda.errors import ConfigError

LAYOUTS = ("grouped", "table", "list")
APOLOGIES = ("none", "minute", "attendance")
CASES = ("sentence", "upper", "as_written")
CLOSES = ("minute", "block")
LABELS = ("letters", "numbers")

# What the minutes skeleton fills in (agenda/documents/minutes_doc.py); the README lists them.
DOCUMENT_FIELDS = frozenset(
    {
        "body_name",
        "BODY_NAME",
        "organisation",
        "venue",
        "date_long",
        "DATE_LONG",
        "date_plain",
        "time",
        "start_short",
        "previous_date",
        "next_date",
    }
)
OPENING_FIELDS = DOCUMENT_FIELDS | {"lead", "lead_mid", "title"}
ATTENDEE_FIELDS = frozenset({"name", "title"})
CITATION_FIELDS = frozenset({"stamp", "number"})
NUMBER_FIELDS = frozenset({"number"})
DECLARATION_FIELDS = frozenset({"name", "kind_phrase", "number", "title", "interest"})
PLAIN = None  # printed as written: not a pattern, so braces are just braces


@dataclass(frozen=True)
class ProceduralMinute:
    """What a procedural minute says: an optional heading override, fixed sentences, an
    optional draft resolution, and the sentence used when nothing was recorded."""

    heading: str | None = None
    text: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    none: str | None = None
    list_future_dates: bool = False


@dataclass(frozen=True)
class ConfidentialWording:
    """How a style keeps exempt business apart: the confidential (Part B / Part 2) minutes'
    title and page marking, and what the public minutes may say about an exempt item.
    ``{reason}`` is the item's exemption (for a council, the Schedule 12A paragraph);
    ``{reasons}`` all of them; ``{number}`` and ``{title}`` the minute's."""

    title: str = "Confidential minutes (Part B)"
    marking: str = "NOT FOR PUBLICATION — {reasons}"
    heading: str = "PART B — EXEMPT BUSINESS"
    public_title: bool = True  # the public minutes may name the item (as the public agenda does)
    public_heading: str = "Exempt item"  # the heading used when they may not
    public_item: str = (
        "This item was considered in private and is recorded in the confidential minutes "
        "({reason})."
    )
    exclusion_item: str = "Minute {number} {title}: {reason}."


# Square-bracketed text agenda/documents/minutes_doc.py writes for the clerk to replace.
_SKELETON_MARKS = (
    "[Record the discussion.]",
    "[Record what the Board considered.]",
    "[record the decision]",
    "[the presenter]",
    "[time]",
    "[venue]",
    "[dates of future meetings]",
    "[date of previous meeting]",
    "[date to be confirmed]",
    "DRAFT MINUTES —",
)


@dataclass(frozen=True)
class MinutesStyle:
    name: str
    heading: tuple[str, ...]
    date_long: str
    time_format: str
    present_label: str
    layout: str
    chair_marker: str
    invited_label: str | None
    in_attendance_label: str | None
    attendee_format: str
    apologies: str
    apologies_label: str | None
    separator: str | None
    number_pattern: str
    number_digits: int
    heading_case: str
    heading_stop: bool
    citation: str | None
    openings: dict[str, str]
    keyword: str
    that: str
    labels: str
    and_before_last: bool
    declaration_text: str
    declaration_after: str | None
    declaration_kinds: dict[str, str]
    procedural: dict[str, ProceduralMinute]
    close_kind: str
    close_heading: str | None
    close_lines: tuple[str, ...]
    draft_marker: str
    action_placeholder: str
    confidential: ConfidentialWording = field(default_factory=ConfidentialWording)

    def placeholders(self) -> tuple[str, ...]:
        """Text the skeleton leaves for the clerk to replace: approved minutes contain none."""
        marks = [self.draft_marker, self.action_placeholder, *_SKELETON_MARKS]
        worded = [*self.close_lines, *(t for p in self.procedural.values() for t in p.text)]
        worded += list(self.openings.values())
        marks += [m for line in worded for m in re.findall(r"\[[^\]{}]+\]", line)]
        if self.declaration_after and self.declaration_after.startswith("["):
            marks.append(self.declaration_after)
        return tuple(m for m in dict.fromkeys(marks) if m.strip())

    def format_number(self, number: int, suffix: str = "") -> str:
        return self.number_pattern.format(
            number=f"{number:0{self.number_digits}d}{suffix}"
            if self.number_digits
            else f"{number}{suffix}"
        )


def _procedural(r: Reader) -> ProceduralMinute:
    minute = ProceduralMinute(
        heading=r.maybe_text("heading", PLAIN),
        text=r.texts("text", DOCUMENT_FIELDS, single=True),
        resolved=r.texts("resolved", DOCUMENT_FIELDS, single=True),
        none=r.maybe_text("none", PLAIN),
        list_future_dates=r.flag("list_future_dates", default=False),
    )
    r.done()
    return minute


def parse_minutes_style(name: str, data: Any, path: Path) -> MinutesStyle:
    """Build a :class:`MinutesStyle` from parsed YAML, or raise ConfigError naming ``path``, the
    line and the key."""
    r = Reader(path, data)
    att = r.sub("attendance")
    minute = r.sub("minute", {})
    res = r.sub("resolution", {})
    decl = r.sub("declaration")
    close = r.sub("close")
    conf = r.sub("confidential", {})
    heading = r.texts("heading", DOCUMENT_FIELDS, single=True)
    if not heading:
        r.fail("'heading' is missing", "heading")
    style = MinutesStyle(
        name=name,
        heading=heading,
        date_long=r.text("date_long", DATE_FIELDS),
        time_format=r.text("time_format", DATE_FIELDS),
        present_label=att.text("label", PLAIN),
        layout=att.choice("layout", LAYOUTS),
        chair_marker=att.text("chair_marker", PLAIN),
        invited_label=att.maybe_text("invited_label", PLAIN),
        in_attendance_label=att.maybe_text("in_attendance_label", PLAIN),
        attendee_format=att.text("attendee_format", ATTENDEE_FIELDS, default="{name}, {title}"),
        apologies=r.choice("apologies", APOLOGIES, default="none"),
        apologies_label=r.maybe_text("apologies_label", PLAIN),
        separator=r.maybe_text("separator", PLAIN),
        number_pattern=minute.text("number_pattern", NUMBER_FIELDS, default="{number}."),
        number_digits=minute.number("number_digits", 0),
        heading_case=minute.choice("heading_case", CASES, default="as_written"),
        heading_stop=minute.flag("heading_stop", default=False),
        citation=r.maybe_text("citation", CITATION_FIELDS),
        openings=r.phrases("openings", OPENING_FIELDS),
        keyword=res.text("keyword", PLAIN, default="RESOLVED:"),
        that=res.text("that", PLAIN, default="That"),
        labels=res.choice("labels", LABELS, default="letters"),
        and_before_last=res.flag("and_before_last", default=False),
        declaration_text=decl.text("text", DECLARATION_FIELDS),
        declaration_after=decl.maybe_text("after", PLAIN),
        declaration_kinds=decl.phrases("kinds", PLAIN),
        procedural={key: _procedural(spec) for key, spec in r.subs("procedural").items()},
        close_kind=close.choice("kind", CLOSES),
        close_heading=close.maybe_text("heading", PLAIN),
        close_lines=close.texts("lines", DOCUMENT_FIELDS, single=True)
        or close.texts("text", DOCUMENT_FIELDS, single=True),
        draft_marker=r.text("draft_marker", PLAIN, default="[DRAFT — to be confirmed]"),
        action_placeholder=r.text(
            "action_placeholder", PLAIN, default="Action: …   Owner: …   By: …"
        ),
        confidential=_confidential(conf),
    )
    for block in (att, minute, res, decl, close, conf, r):
        block.done()
    return style


def _confidential(r: Reader) -> ConfidentialWording:
    """The ``confidential:`` wordings; a style without them gets the council defaults."""
    d = ConfidentialWording()
    return ConfidentialWording(
        title=r.text("title", PLAIN, default=d.title),
        marking=r.text("marking", frozenset({"reasons"}), default=d.marking),
        heading=r.text("heading", PLAIN, default=d.heading),
        public_title=r.flag("public_title", default=d.public_title),
        public_heading=r.text("public_heading", PLAIN, default=d.public_heading),
        public_item=r.text("public_item", frozenset({"reason", "title"}), default=d.public_item),
        exclusion_item=r.text(
            "exclusion_item", frozenset({"number", "title", "reason"}), default=d.exclusion_item
        ),
    )


def load_minutes_style(name: str) -> MinutesStyle:
    """The minutes conventions of house style ``name``; ConfigError naming the styles that
    have them when there is no such style."""
    path = find(name, MINUTES_FILE)
    if path is None:
        known = ", ".join(names_with(MINUTES_FILE)) or "none"
        raise ConfigError(
            f"the house style '{name}' has no minutes conventions",
            path=str(styles_dir() / name / MINUTES_FILE),
            hint=f"styles with minutes: {known}",
        )
    return parse_minutes_style(name, read_yaml(path) or {}, path)
