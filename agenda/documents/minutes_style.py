"""How each house style writes its minutes: ``templates/styles/<name>/minutes.yaml`` as values.

The agenda wording of a style lives next to it in ``style.yaml`` (agenda/styles.py); the minutes
conventions are kept apart because a clerk may rebrand one without the other. See
shared/domain.md section 5 for where every convention comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from agenda.documents.house_style import styles_dir
from agenda.errors import ConfigError

LAYOUTS = ("grouped", "table", "list")
APOLOGIES = ("none", "minute", "attendance")
CASES = ("sentence", "upper", "as_written")
CLOSES = ("minute", "block")


BUNDLED = Path(__file__).resolve().parents[2] / "templates" / "styles"


def _search_path() -> list[Path]:
    """Where minutes.yaml is looked for: the styles folder in force (which a clerk may point
    elsewhere, agenda/styles.py), then the bundled styles, so a rebranded style.yaml alone
    still gets the shipped minutes conventions."""
    return list(dict.fromkeys([styles_dir(), BUNDLED]))


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
    extra: dict[str, Any] = field(default_factory=dict)

    def format_number(self, number: int, suffix: str = "") -> str:
        return self.number_pattern.format(
            number=f"{number:0{self.number_digits}d}{suffix}"
            if self.number_digits
            else f"{number}{suffix}"
        )


def _choice(value: Any, allowed: tuple[str, ...], what: str, path: Path) -> str:
    if value not in allowed:
        raise ConfigError(
            f"{what} must be one of {', '.join(allowed)}, not {value!r}", path=str(path)
        )
    return str(value)


def _lines(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _procedural(raw: dict[str, Any]) -> dict[str, ProceduralMinute]:
    out: dict[str, ProceduralMinute] = {}
    for key, spec in (raw or {}).items():
        spec = spec or {}
        out[str(key)] = ProceduralMinute(
            heading=spec.get("heading"),
            text=_lines(spec.get("text")),
            resolved=_lines(spec.get("resolved")),
            none=spec.get("none"),
            list_future_dates=bool(spec.get("list_future_dates", False)),
        )
    return out


def parse_minutes_style(name: str, raw: dict[str, Any], path: Path) -> MinutesStyle:
    try:
        att = raw["attendance"]
        minute = raw["minute"]
        res = raw["resolution"]
        decl = raw["declaration"]
        close = raw["close"]
        return MinutesStyle(
            name=name,
            heading=_lines(raw["heading"]),
            date_long=raw["date_long"],
            time_format=raw["time_format"],
            present_label=att["label"],
            layout=_choice(att["layout"], LAYOUTS, "attendance.layout", path),
            chair_marker=att["chair_marker"],
            invited_label=att.get("invited_label"),
            in_attendance_label=att.get("in_attendance_label"),
            attendee_format=att.get("attendee_format", "{name}, {title}"),
            apologies=_choice(raw.get("apologies", "none"), APOLOGIES, "apologies", path),
            apologies_label=raw.get("apologies_label"),
            separator=raw.get("separator"),
            number_pattern=minute.get("number_pattern", "{number}."),
            number_digits=int(minute.get("number_digits", 0)),
            heading_case=_choice(
                minute.get("heading_case", "as_written"), CASES, "minute.heading_case", path
            ),
            heading_stop=bool(minute.get("heading_stop", False)),
            citation=raw.get("citation"),
            openings=dict(raw.get("openings") or {}),
            keyword=res.get("keyword", "RESOLVED:"),
            that=res.get("that", "That"),
            labels=_choice(
                res.get("labels", "letters"), ("letters", "numbers"), "resolution.labels", path
            ),
            and_before_last=bool(res.get("and_before_last", False)),
            declaration_text=decl["text"],
            declaration_after=decl.get("after"),
            declaration_kinds=dict(decl.get("kinds") or {}),
            procedural=_procedural(raw.get("procedural") or {}),
            close_kind=_choice(close.get("kind"), CLOSES, "close.kind", path),
            close_heading=close.get("heading"),
            close_lines=_lines(close.get("lines") or close.get("text")),
            draft_marker=raw.get("draft_marker", "[DRAFT — to be confirmed]"),
            action_placeholder=raw.get("action_placeholder", "Action: …   Owner: …   By: …"),
        )
    except KeyError as missing:
        raise ConfigError(
            f"the minutes style has no {missing.args[0]!r} setting", path=str(path)
        ) from None


def load_minutes_style(name: str, root: Path | None = None) -> MinutesStyle:
    """The minutes conventions of house style ``name``; ConfigError naming the styles that
    have them when there is no such style."""
    dirs = [root] if root is not None else _search_path()
    for base in dirs:
        path = base / name / "minutes.yaml"
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                raw = yaml.safe_load(fh) or {}
            return parse_minutes_style(name, raw, path)
    known = sorted({p.parent.name for base in dirs for p in base.glob("*/minutes.yaml")})
    raise ConfigError(
        f"the house style '{name}' has no minutes conventions",
        path=str(dirs[0] / name / "minutes.yaml"),
        hint=f"styles with minutes: {', '.join(known) or 'none'}",
    )
