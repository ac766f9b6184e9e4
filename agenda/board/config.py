"""The configuration file (``boardclerk.yaml``): parsing and validation.

Every problem is reported with the file and line it is on and a hint, all at once, before
anything is written. The format is a published interface (see DESIGN.md); extend, don't rename.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from agenda import yamlfile
from agenda.board.due import validate_rule
from agenda.board.models import ItemKind, Role
from agenda.documents.house_style import style_names
from agenda.documents.tagging import DEFAULT_LANGUAGE, LANGUAGE
from agenda.errors import BoardclerkError, ConfigError
from agenda.kinds import AccessibilityPolicy
from agenda.yamlfile import Located as _Node

SUBDIVISIONS = ("ENG", "WLS", "SCT", "NIR")
DEADLINE_KEYS = ("papers_due", "publication", "remind_authors", "remind_chair", "escalate")
TOP_KEYS = (
    "organisation",
    "timezone",
    "holidays",
    "closure_days",
    "slack_team",
    "language",
    "bodies",
    "forward_plan",
)
BODY_KEYS = (
    "id",
    "name",
    "style",
    "channel",
    "clerk",
    "deadlines",
    "members",
    "next_minute_number",
    "meetings",
    "accessibility",
)
PERSON_KEYS = ("name", "role", "title", "group", "slack", "email")
MEETING_KEYS = ("date", "time", "venue", "status", "note")
ITEM_KEYS = (
    "key",
    "body",
    "meeting",
    "title",
    "kind",
    "lead",
    "authors",
    "exempt",
    "exempt_reason",
)
SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
BODY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# ---------------------------------------------------------------------------------------------
# The parsed configuration: plain values.


@dataclass(frozen=True)
class PersonConfig:
    name: str
    role: str = Role.MEMBER.value
    title: str | None = None
    group: str | None = None
    slack: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class MeetingConfig:
    date: dt.date
    time: dt.time
    venue: str | None = None
    status: str = "scheduled"
    note: str | None = None


@dataclass(frozen=True)
class BodyConfig:
    id: str
    name: str
    style: str
    channel: str | None
    clerk: PersonConfig | None
    deadlines: dict[str, Any]
    members: tuple[PersonConfig, ...]
    next_minute_number: int | None
    meetings: tuple[MeetingConfig, ...]
    accessibility: str = AccessibilityPolicy.WARN.value  # warn | require


@dataclass(frozen=True)
class AuthorConfig:
    slack: str | None = None
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ItemConfig:
    key: str
    body: str
    meeting: dt.date
    title: str
    kind: str
    lead: str | None
    authors: tuple[AuthorConfig, ...]
    exempt: bool
    exempt_reason: str | None


@dataclass(frozen=True)
class BoardConfig:
    path: str
    organisation: str
    timezone: str
    holiday_country: str
    holiday_subdivision: str | None
    closure_days: tuple[dt.date, ...]
    slack_team: str | None
    bodies: tuple[BodyConfig, ...]
    forward_plan: tuple[ItemConfig, ...] = field(default=())
    language: str = DEFAULT_LANGUAGE  # of the published documents (BCP 47, PDF /Lang)


# ---------------------------------------------------------------------------------------------
# YAML with line numbers.


class _Problems:
    """Collects every problem so the clerk can fix them all in one go."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[tuple[int | None, str, str | None]] = []

    def add(self, line: int | None, message: str, hint: str | None = None) -> None:
        self.items.append((line, message, hint))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        line, message, hint = self.items[0]
        if len(self.items) > 1:
            rest = "\n".join(
                f"  {self.path}:{ln}: {msg}" + (f" ({h})" if h else "")
                for ln, msg, h in self.items[1:]
            )
            message = (
                f"{message}"
                + (f" ({hint})" if hint else "")
                + f"\n{len(self.items) - 1} more problem(s):\n{rest}"
            )
            hint = None
        err = ConfigError(message, path=self.path, line=line, hint=hint)
        err.problems = list(self.items)  # type: ignore[attr-defined]
        raise err


def _line(node: Any, key: str | None = None) -> int | None:
    if isinstance(node, _Node):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    return None


def _check_keys(node: _Node, allowed: tuple[str, ...], where: str, problems: _Problems) -> None:
    for key in node:
        if key not in allowed:
            close = [a for a in allowed if a.startswith(str(key)[:3])]
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
            problems.add(_line(node, str(key)), f"unknown key '{key}' in {where}", hint)


def _text(
    node: _Node, key: str, where: str, problems: _Problems, *, required: bool = False
) -> str | None:
    value = node.get(key)
    if value is None:
        if required:
            problems.add(_line(node), f"{where} has no '{key}'", f"add '{key}: …'")
        return None
    if isinstance(value, (dict, list)):
        problems.add(_line(node, key), f"'{key}' in {where} should be text")
        return None
    text = str(value).strip()
    if required and not text:
        problems.add(_line(node, key), f"'{key}' in {where} is empty")
    return text or None


def _date(value: Any, line: int | None, what: str, problems: _Problems) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.add(
            line,
            f"{what} '{value}' is not a date that exists",
            "write dates as YYYY-MM-DD, e.g. 2027-04-01",
        )
        return None


def _time(value: Any, line: int | None, problems: _Problems) -> dt.time | None:
    if value is None:
        return dt.time(10, 0)
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 09:30 as the base-60 number 570.
        value = f"{value // 60:02d}:{value % 60:02d}"
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})\s*(am|pm)?", str(value).strip().lower())
    if match:
        hour, minute = int(match[1]), int(match[2])
        if match[3] == "pm" and hour < 12:
            hour += 12
        if match[3] == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    problems.add(line, f"time '{value}' is not a time of day", 'write it as "09:30" or "2:00 pm"')
    return None


# ---------------------------------------------------------------------------------------------
# Validation.


def _person(
    node: Any, where: str, problems: _Problems, *, default_role: str
) -> PersonConfig | None:
    if not isinstance(node, _Node):
        problems.add(
            None,
            f"{where} should be a block with at least a name",
            "e.g. {name: Deb Watson, title: Strategic Director}",
        )
        return None
    _check_keys(node, PERSON_KEYS, where, problems)
    name = _text(node, "name", where, problems, required=True)
    role = _text(node, "role", where, problems) or default_role
    roles = [r.value for r in Role]
    if role not in roles:
        problems.add(
            _line(node, "role"),
            f"role '{role}' of {name or where} is not known",
            f"use one of {', '.join(roles)}",
        )
    slack = _text(node, "slack", where, problems)
    if slack and not SLACK_ID.match(slack):
        problems.add(
            _line(node, "slack"),
            f"'{slack}' is not a Slack user id",
            "Slack user ids look like U0123ABCD (profile › ⋮ › Copy member ID)",
        )
    if not name:
        return None
    return PersonConfig(
        name=name,
        role=role,
        title=_text(node, "title", where, problems),
        group=_text(node, "group", where, problems),
        slack=slack,
        email=_text(node, "email", where, problems),
    )


def _deadlines(
    node: Any, where: str, problems: _Problems, validate_rule: Callable[..., None] | None
) -> dict[str, Any]:
    if node is None:
        return {}
    if not isinstance(node, _Node):
        problems.add(None, f"'deadlines' of {where} should be a block")
        return {}
    _check_keys(node, DEADLINE_KEYS, f"the deadlines of {where}", problems)
    rules: dict[str, Any] = {}
    for key, value in node.items():
        if key not in DEADLINE_KEYS:
            continue
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if validate_rule is None:
                continue
            try:
                validate_rule(str(text), key=key)
            except BoardclerkError as err:
                problems.add(
                    _line(node, key),
                    f"deadline rule '{text}' ({key}) of {where}: {err.message}",
                    err.hint,
                )
        rules[key] = [str(t) for t in value] if isinstance(value, list) else str(value)
    return rules


def _meetings(node: Any, where: str, problems: _Problems) -> list[MeetingConfig]:
    if node is None:
        return []
    if not isinstance(node, list):
        problems.add(None, f"'meetings' of {where} should be a list")
        return []
    meetings: list[MeetingConfig] = []
    seen: set[dt.date] = set()
    for entry in node:
        if not isinstance(entry, _Node):
            problems.add(None, f"a meeting of {where} should be a block with a date")
            continue
        _check_keys(entry, MEETING_KEYS, f"a meeting of {where}", problems)
        date = (
            _date(entry.get("date"), _line(entry, "date"), "meeting date", problems)
            if "date" in entry
            else None
        )
        if "date" not in entry:
            problems.add(_line(entry), f"a meeting of {where} has no date", "add date: YYYY-MM-DD")
        time = _time(entry.get("time"), _line(entry, "time"), problems)
        status = _text(entry, "status", where, problems) or "scheduled"
        if status not in ("scheduled", "cancelled"):
            problems.add(
                _line(entry, "status"),
                f"meeting status '{status}' is not known",
                "use scheduled or cancelled",
            )
        if date and date in seen:
            problems.add(
                _line(entry, "date"),
                f"{where} has two meetings on {date}",
                "a body meets at most once a day; remove one",
            )
        if date and time:
            seen.add(date)
            meetings.append(
                MeetingConfig(
                    date=date,
                    time=time,
                    venue=_text(entry, "venue", where, problems),
                    status=status,
                    note=_text(entry, "note", where, problems),
                )
            )
    return meetings


def _body(
    node: Any,
    problems: _Problems,
    styles: list[str] | None,
    validate_rule: Callable[..., None] | None,
) -> BodyConfig | None:
    if not isinstance(node, _Node):
        problems.add(None, "each entry under 'bodies' should be a block")
        return None
    body_id = _text(node, "id", "a body", problems, required=True)
    where = f"body '{body_id}'" if body_id else "a body"
    _check_keys(node, BODY_KEYS, where, problems)
    if body_id and not BODY_ID.match(body_id):
        problems.add(
            _line(node, "id"),
            f"body id '{body_id}' can't be used in commands",
            "use lower-case letters, digits, - and _, e.g. hwb",
        )
    name = _text(node, "name", where, problems, required=True)
    style = _text(node, "style", where, problems, required=True)
    if style and styles is not None and style not in styles:
        problems.add(
            _line(node, "style"),
            f"house style '{style}' of {where} does not exist",
            f"known styles: {', '.join(styles) or 'none'}",
        )
    clerk = None
    if node.get("clerk") is not None:
        clerk = _person(node["clerk"], f"the clerk of {where}", problems, default_role="clerk")
        if clerk and clerk.role != Role.CLERK.value:
            problems.add(
                _line(node, "clerk"),
                f"the clerk of {where} has role '{clerk.role}'",
                "leave role out for the clerk",
            )
    members: list[PersonConfig] = []
    raw_members = node.get("members") or []
    if not isinstance(raw_members, list):
        problems.add(_line(node, "members"), f"'members' of {where} should be a list")
        raw_members = []
    names: dict[str, int | None] = {clerk.name: _line(node, "clerk")} if clerk else {}
    for entry in raw_members:
        person = _person(entry, f"a member of {where}", problems, default_role="member")
        if person is None:
            continue
        if person.name in names:
            problems.add(
                _line(entry),
                f"{person.name} is named twice in {where}",
                f"first named on line {names[person.name]}; keep one entry",
            )
            continue
        names[person.name] = _line(entry)
        members.append(person)
    chairs = [m for m in members if m.role == Role.CHAIR.value]
    if len(chairs) > 1:
        problems.add(
            _line(node, "members"),
            f"{where} has {len(chairs)} chairs",
            "mark one member role: chair and others vice-chair",
        )
    nmn = node.get("next_minute_number")
    if nmn is not None and (not isinstance(nmn, int) or isinstance(nmn, bool) or nmn < 1):
        problems.add(
            _line(node, "next_minute_number"),
            f"next_minute_number of {where} should be a whole number from 1",
        )
        nmn = None
    meetings = _meetings(node.get("meetings"), where, problems)
    deadlines = _deadlines(node.get("deadlines"), where, problems, validate_rule)
    policy = _text(node, "accessibility", where, problems) or AccessibilityPolicy.WARN.value
    if policy not in {p.value for p in AccessibilityPolicy}:
        problems.add(
            _line(node, "accessibility"),
            f"accessibility '{policy}' of {where} is not known",
            "use warn (accept papers and list what to fix) or require (refuse failing papers)",
        )
    if not (body_id and name and style):
        return None
    return BodyConfig(
        id=body_id,
        name=name,
        style=style,
        channel=_text(node, "channel", where, problems),
        clerk=clerk,
        deadlines=deadlines,
        members=tuple(members),
        next_minute_number=nmn,
        meetings=tuple(meetings),
        accessibility=policy,
    )


def _authors(value: Any, line: int | None, problems: _Problems) -> tuple[AuthorConfig, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    authors: list[AuthorConfig] = []
    for entry in value:
        if isinstance(entry, _Node):
            _check_keys(entry, ("name", "slack", "email"), "an author", problems)
            slack = _text(entry, "slack", "an author", problems)
            authors.append(
                AuthorConfig(
                    slack=slack,
                    name=_text(entry, "name", "an author", problems),
                    email=_text(entry, "email", "an author", problems),
                )
            )
        elif SLACK_ID.match(str(entry)):
            authors.append(AuthorConfig(slack=str(entry)))
        elif "@" in str(entry):
            authors.append(AuthorConfig(email=str(entry)))
        else:
            authors.append(AuthorConfig(name=str(entry)))
    return tuple(authors)


def _item(node: Any, bodies: dict[str, BodyConfig], problems: _Problems) -> ItemConfig | None:
    if not isinstance(node, _Node):
        problems.add(None, "each entry under 'forward_plan' should be a block")
        return None
    title = _text(node, "title", "a forward plan item", problems, required=True)
    where = f"forward plan item '{title}'" if title else "a forward plan item"
    _check_keys(node, ITEM_KEYS, where, problems)
    body_id = _text(node, "body", where, problems, required=True)
    body = bodies.get(body_id or "")
    if body_id and body is None:
        problems.add(
            _line(node, "body"),
            f"{where} is for body '{body_id}', which is not in the file",
            f"bodies: {', '.join(bodies) or 'none'}",
        )
    meeting = None
    if "meeting" not in node:
        problems.add(_line(node), f"{where} has no meeting", "add meeting: YYYY-MM-DD")
    else:
        meeting = _date(node["meeting"], _line(node, "meeting"), f"meeting of {where}", problems)
    if meeting and body and meeting not in {m.date for m in body.meetings}:
        dates = ", ".join(m.date.isoformat() for m in body.meetings) or "none"
        problems.add(
            _line(node, "meeting"),
            f"{where} is planned for {meeting}, but the "
            f"{body.name} has no meeting that day in this file",
            f"its meetings: {dates}",
        )
    kind = _text(node, "kind", where, problems) or ItemKind.REPORT.value
    kinds = [k.value for k in ItemKind]
    if kind not in kinds:
        problems.add(
            _line(node, "kind"),
            f"kind '{kind}' of {where} is not known",
            f"use one of {', '.join(kinds)}",
        )
    exempt = node.get("exempt", False)
    if not isinstance(exempt, bool):
        problems.add(_line(node, "exempt"), f"'exempt' of {where} should be true or false")
        exempt = False
    reason = _text(node, "exempt_reason", where, problems)
    if exempt and not reason:
        problems.add(
            _line(node, "exempt"),
            f"{where} is exempt but gives no exempt_reason",
            'e.g. exempt_reason: "Paragraph 3 of Part 1 of Schedule 12A to the '
            'Local Government Act 1972"',
        )
    key = _text(node, "key", where, problems) or (title or "")
    if not (title and body and meeting):
        return None
    return ItemConfig(
        key=key,
        body=body.id,
        meeting=meeting,
        title=title,
        kind=kind,
        lead=_text(node, "lead", where, problems),
        authors=_authors(node.get("authors"), _line(node, "authors"), problems),
        exempt=exempt,
        exempt_reason=reason,
    )


def parse_config(
    text: str,
    path: str = "boardclerk.yaml",
    *,
    styles: list[str] | None = None,
    validate_rule: Callable[..., None] | None = None,
) -> BoardConfig:
    """Parse and validate configuration text; raise :class:`ConfigError` listing every problem."""
    problems = _Problems(path)
    if len(text) > yamlfile.MAX_FILE_BYTES:
        raise ConfigError(
            f"the file is larger than {yamlfile.MAX_FILE_BYTES // (1024 * 1024)} MB; "
            "a configuration file is a few kilobytes",
            path=path,
        )
    try:
        root = yamlfile.load(text)
    except ConfigError as err:
        raise ConfigError(
            err.message.split(": ", 1)[-1], path=path, line=err.line, hint=err.hint
        ) from None
    except RecursionError:
        raise ConfigError(
            "the settings are nested too deeply", path=path, hint="write the values out flat"
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(err, "problem", None) or str(err)
        raise ConfigError(
            f"this is not valid YAML: {what}",
            path=path,
            line=line,
            hint="check the indentation and that text with ':' is quoted",
        ) from None
    if not isinstance(root, _Node):
        raise ConfigError(
            "the file should be a block of settings starting with 'organisation:'",
            path=path,
            line=1,
            hint="run 'boardclerk init' for a sample",
        )
    _check_keys(root, TOP_KEYS, "the file", problems)
    organisation = _text(root, "organisation", "the file", problems, required=True)
    timezone = _text(root, "timezone", "the file", problems) or "Europe/London"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(
            _line(root, "timezone"),
            f"timezone '{timezone}' is not known",
            "use an IANA name such as Europe/London",
        )
    holidays_node = root.get("holidays") or _Node()
    country: str = "GB"
    subdivision: str | None = "ENG"
    if isinstance(holidays_node, _Node):
        _check_keys(holidays_node, ("country", "subdivision"), "'holidays'", problems)
        country = str(holidays_node.get("country", "GB"))
        subdivision = holidays_node.get("subdivision", "ENG" if country == "GB" else None)
        if country == "GB" and subdivision not in SUBDIVISIONS:
            problems.add(
                _line(holidays_node, "subdivision"),
                f"subdivision '{subdivision}' is not part of GB",
                f"use one of {', '.join(SUBDIVISIONS)}",
            )
    language = _text(root, "language", "the file", problems) or DEFAULT_LANGUAGE
    if not LANGUAGE.match(language):
        problems.add(
            _line(root, "language"),
            f"language '{language}' is not a language tag",
            "use a tag such as en-GB or cy-GB",
        )
    closures: list[dt.date] = []
    for value in root.get("closure_days") or []:
        day = _date(value, _line(root, "closure_days"), "closure day", problems)
        if day:
            closures.append(day)
    bodies: dict[str, BodyConfig] = {}
    raw_bodies = root.get("bodies") or []
    if not isinstance(raw_bodies, list) or not raw_bodies:
        problems.add(
            _line(root, "bodies"),
            "the file lists no bodies",
            "add a 'bodies:' list with at least one board or committee",
        )
        raw_bodies = []
    for node in raw_bodies:
        body = _body(node, problems, styles, validate_rule)
        if body is None:
            continue
        if body.id in bodies:
            problems.add(
                _line(node, "id"), f"body id '{body.id}' is used twice", "give each body its own id"
            )
            continue
        bodies[body.id] = body
    items: list[ItemConfig] = []
    keys: set[tuple[str, str]] = set()
    for node in root.get("forward_plan") or []:
        item = _item(node, bodies, problems)
        if item is None:
            continue
        if (item.body, item.key) in keys:
            problems.add(
                _line(node),
                f"forward plan item '{item.title}' is listed twice for '{item.body}'",
                "give one of them a distinct 'key:' or title",
            )
            continue
        keys.add((item.body, item.key))
        items.append(item)
    problems.raise_if_any()
    return BoardConfig(
        path=path,
        organisation=organisation or "",
        timezone=timezone,
        holiday_country=country,
        holiday_subdivision=subdivision,
        closure_days=tuple(closures),
        slack_team=_text(root, "slack_team", "the file", problems),
        bodies=tuple(bodies.values()),
        forward_plan=tuple(items),
        language=language,
    )


def load_config(path: str | Path) -> BoardConfig:
    """Read and validate the configuration file at ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "the configuration file does not exist",
            path=str(path),
            hint="run 'boardclerk init' to write a sample",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError("the file is not UTF-8 text", path=str(path)) from None
    return parse_config(text, str(path), styles=style_names(), validate_rule=validate_rule)
