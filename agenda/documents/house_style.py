"""House styles: the wording, order, casing and paper-lettering conventions of one organisation.

A style is data, not code: ``templates/styles/<name>/style.yaml`` (schema in
``templates/styles/README.md``) plus an optional ``frontsheet.docx`` a clerk can rebrand in
Word. A style exists iff its ``style.yaml`` exists, so adding one needs no code. Finding and
reading the file, and reporting every problem in it with the file, line and key, is
:mod:`agenda.documents.style_files`, the loader ``minutes.yaml`` shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agenda import settings
from agenda.documents.style_files import (
    STYLE_FILE,
    Reader,
    find,
    names_with,
    read_yaml,
    styles_dir,
)
from agenda.documents.words import DATE_FIELDS, format_moment
from agenda.errors import NotFound
from agenda.kinds import ItemKind

ENV_TEMPLATES_DIR = settings.TEMPLATES_DIR
KINDS = tuple(k.value for k in ItemKind)
INCLUDE_RULES = ("always", "with_previous_meeting", "with_paper")
HEADING_CASES = ("upper", "as_written")

# Which placeholders each kind of text may use; anything else is a typo the clerk should hear about.
DESCRIPTION_FIELDS = frozenset({"lead", "lead_mid", "title", "chair_title"})
PROCEDURAL_FIELDS = frozenset(
    {"previous_date", "future_dates", "venue", "usual_time", "chair_title", "body_name"}
)
STAMP_FIELDS = frozenset({"letter", "number"})
REFERENCE_FIELDS = frozenset({"letter", "number", "first", "last"})
FRONT_FIELDS = frozenset(
    {
        "organisation",
        "ORGANISATION",
        "body_name",
        "BODY_NAME",
        "clerk_name",
        "clerk_email",
        "chair_title",
    }
)
MEMBER_FIELDS = frozenset({"name", "title"})
EXEMPT_FIELDS = frozenset({"reason", "title"})


@dataclass(frozen=True)
class Formats:
    date: str
    time: str
    previous_date: str
    future_date: str
    venue_case: str  # upper | as_written


@dataclass(frozen=True)
class PaperLettering:
    letters: bool  # pack letters A, B, C ... for papers in agenda order
    stamp: str  # printed on each page of a paper: "Appendix {letter}" / "Agenda Item {number}"
    reference: str  # in the agenda: "Appendix {letter} (Pages {first} - {last})"
    reference_single: str  # the same for a one-page paper


@dataclass(frozen=True)
class ProceduralItem:
    key: str  # "apologies", "declarations", "minutes", "future_dates" ...
    heading: str  # natural case; the style's heading_case is applied when printed
    description: str
    include: str = "always"  # always | with_previous_meeting | with_paper
    description_no_dates: str | None = None  # future_dates with no dates known
    description_no_previous: str | None = None  # minutes with no previous meeting
    description_to_follow: str | None = None  # its paper (e.g. the minutes) not yet received


@dataclass(frozen=True)
class PartB:
    exclusion: ProceduralItem  # the resolution to exclude the press and public
    heading: str
    reason_label: str


@dataclass(frozen=True)
class Membership:
    heading: str
    groups: tuple[str, ...]  # printing order; unlisted groups follow in order of appearance
    group_suffix: str  # "Councillors:" (City) vs "Leicestershire County Council" (County)
    ungrouped: str
    line: str  # "{name}, {title}"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Frontsheet:
    title: str
    logo_text: str
    date_label: str
    time_label: str
    location_label: str
    summons: str
    welcome: str
    signoff: str
    webcast: tuple[str, ...]
    public_information_heading: str
    public_information: tuple[Section, ...]
    contact_heading: str
    contact: str
    press: str
    public_session: str
    agenda_heading: str
    private_banner: str
    notices: tuple[Section, ...]


@dataclass(frozen=True)
class Style:
    name: str
    path: Path  # the style's folder (minutes.yaml and Word templates live here)
    display_name: str
    chair_title: str  # "Chair" | "Chairman"
    chair_suffix: str  # "(Chair)"
    vice_chair_suffix: str
    heading_case: str  # upper | as_written
    heading_full_stop: bool
    formats: Formats
    papers: PaperLettering
    descriptions: Mapping[str, str]
    opening: tuple[ProceduralItem, ...]
    closing: tuple[ProceduralItem, ...]
    future_dates_limit: int
    part_b: PartB
    membership: Membership
    frontsheet: Frontsheet

    @property
    def frontsheet_template(self) -> Path | None:
        """The Word document the frontsheet is built on, if the style ships one."""
        path = self.path / "frontsheet.docx"
        return path if path.is_file() else None

    def heading(self, text: str) -> str:
        """A heading as this style prints it: "BETTER CARE FUND" or "Better Care Fund."."""
        text = " ".join(text.split())
        if self.heading_case == "upper":
            text = text.upper()
        if self.heading_full_stop and text and text[-1] not in ".?!":
            text += "."
        return text

    def format_date(self, value: dt.date | dt.datetime, pattern: str | None = None) -> str:
        return format_moment(pattern or self.formats.date, value)

    def format_time(self, value: dt.datetime) -> str:
        return format_moment(self.formats.time, value)

    def venue(self, venue: str | None) -> str:
        venue = venue or ""
        return venue.upper() if self.formats.venue_case == "upper" else venue


# --- filling ---------------------------------------------------------------------------------


def fill(template: str, **values: str) -> str:
    """Fill a style text. Placeholders were checked when the style was loaded."""
    return template.format(**values) if template else ""


# --- loading ---------------------------------------------------------------------------------


def style_names() -> list[str]:
    return names_with(STYLE_FILE)


def style_file(name: str) -> Path:
    path = find(name, STYLE_FILE)
    if path is not None:
        return path
    known = ", ".join(style_names()) or "none"
    raise NotFound(
        f"There is no house style called '{name}'.",
        hint=f"known styles: {known}; a style is a folder with a style.yaml in {styles_dir()}",
    )


def load_style(name: str) -> Style:
    path = style_file(name)
    return parse_style(name, path, read_yaml(path))


def _procedural(r: Reader) -> ProceduralItem:
    item = ProceduralItem(
        key=r.text("key"),
        heading=r.text("heading"),
        description=r.text("description", PROCEDURAL_FIELDS, default=""),
        include=r.choice("include", INCLUDE_RULES, default="always"),
        description_no_dates=r.maybe_text("description_no_dates", PROCEDURAL_FIELDS),
        description_no_previous=r.maybe_text("description_no_previous", PROCEDURAL_FIELDS),
        description_to_follow=r.maybe_text("description_to_follow", PROCEDURAL_FIELDS),
    )
    r.done()
    return item


def _sections(r: Reader, key: str) -> tuple[Section, ...]:
    out = []
    for s in r.items(key):
        out.append(
            Section(
                s.text("heading", FRONT_FIELDS, default=""), s.texts("paragraphs", FRONT_FIELDS)
            )
        )
        s.done()
    return tuple(out)


def parse_style(name: str, file: Path, data: Any) -> Style:
    """Build a :class:`Style` from parsed YAML, or raise ConfigError naming ``file``."""
    r = Reader(file, data, "")
    f = r.sub("formats")
    formats = Formats(
        f.text("date", DATE_FIELDS),
        f.text("time", DATE_FIELDS),
        f.text("previous_date", DATE_FIELDS),
        f.text("future_date", DATE_FIELDS),
        f.choice("venue_case", HEADING_CASES, default="as_written"),
    )
    f.done()
    p = r.sub("papers")
    papers = PaperLettering(
        p.flag("letters"),
        p.text("stamp", STAMP_FIELDS),
        p.text("reference", REFERENCE_FIELDS),
        p.text("reference_single", REFERENCE_FIELDS, default=p.data.get("reference") or ""),
    )
    p.done()
    if not papers.letters and "{letter}" in papers.stamp + papers.reference:
        p.fail("'papers' uses {letter} but 'papers.letters' is false")
    d = r.sub("descriptions")
    descriptions: dict[str, str] = {}
    for kind in KINDS:
        descriptions[kind] = d.text(kind, DESCRIPTION_FIELDS)
        descriptions[f"{kind}_no_lead"] = d.text(
            f"{kind}_no_lead",
            DESCRIPTION_FIELDS - {"lead", "lead_mid"},
            default="To consider {title}.",
        )
    descriptions["exempt_public"] = d.text(
        "exempt_public", EXEMPT_FIELDS, default="Exempt information: {reason}."
    )
    # Said after a report's description while its paper is outstanding: say only what is so.
    descriptions["to_follow"] = d.text("to_follow", {"title"}, default="Report to follow.")
    d.done()
    opening = tuple(_procedural(i) for i in r.items("opening"))
    closing = tuple(_procedural(i) for i in r.items("closing"))
    keys = [i.key for i in opening + closing]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate:
        r.fail(f"procedural key '{duplicate}' is used twice in opening/closing")
    b = r.sub("part_b")
    part_b = PartB(
        _procedural(b.sub("exclusion")), b.text("heading"), b.text("reason_label", default="")
    )
    b.done()
    m = r.sub("membership")
    membership = Membership(
        m.text("heading", FRONT_FIELDS, default=""),
        m.texts("groups"),
        m.text("group_suffix", default=""),
        m.text("ungrouped", default="Members"),
        m.text("line", MEMBER_FIELDS, default="{name}, {title}"),
    )
    m.done()
    fs = r.sub("frontsheet")
    frontsheet = Frontsheet(
        title=fs.text("title", FRONT_FIELDS),
        logo_text=fs.text("logo_text", FRONT_FIELDS, default=""),
        date_label=fs.text("date_label", default="Date:"),
        time_label=fs.text("time_label", default="Time:"),
        location_label=fs.text("location_label", default="Location:"),
        summons=fs.text("summons", FRONT_FIELDS, default=""),
        welcome=fs.text("welcome", FRONT_FIELDS, default=""),
        signoff=fs.text("signoff", FRONT_FIELDS, default=""),
        webcast=fs.texts("webcast", FRONT_FIELDS),
        public_information_heading=fs.text("public_information_heading", FRONT_FIELDS, default=""),
        public_information=_sections(fs, "public_information"),
        contact_heading=fs.text("contact_heading", FRONT_FIELDS, default=""),
        contact=fs.text("contact", FRONT_FIELDS, default=""),
        press=fs.text("press", FRONT_FIELDS, default=""),
        public_session=fs.text("public_session", default=""),
        agenda_heading=fs.text("agenda_heading", default="AGENDA"),
        private_banner=fs.text("private_banner", default=""),
        notices=_sections(fs, "notices"),
    )
    fs.done()
    style = Style(
        name=name,
        path=file.parent,
        display_name=r.text("display_name"),
        chair_title=r.text("chair_title"),
        chair_suffix=r.text("chair_suffix", default=""),
        vice_chair_suffix=r.text("vice_chair_suffix", default=""),
        heading_case=r.choice("heading_case", HEADING_CASES),
        heading_full_stop=r.flag("heading_full_stop", default=False),
        formats=formats,
        papers=papers,
        descriptions=descriptions,
        opening=opening,
        closing=closing,
        future_dates_limit=r.number("future_dates_limit", 6),
        part_b=part_b,
        membership=membership,
        frontsheet=frontsheet,
    )
    r.done()
    return style
