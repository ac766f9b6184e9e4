"""Deadline rules as clerks write them in the configuration: "10 working days before",
"5 clear days before", "on due", "1 working day after due", "3 days before".

A rule is relative to an anchor: the meeting, the papers-due date ("due") or the publication
date. A rule that names no anchor uses the one its setting implies (papers_due and publication
are relative to the meeting, author reminders to the due date). Pure: no database, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from agenda.deadlines.workdays import WorkCalendar
from agenda.errors import InvalidInput

Anchor = Literal["meeting", "due", "publication"]
Unit = Literal["working", "clear", "calendar", "on"]

ACCEPTED_FORMS = (
    '"N working days before", "N working days before due", "N working days after due", '
    '"N clear days before", "N days before", "on due", "on publication", "on meeting" '
    "(anchors: meeting, due, publication)"
)

MAX_DAYS = 366

_ANCHOR_WORDS: dict[str, Anchor] = {
    "meeting": "meeting",
    "the meeting": "meeting",
    "due": "due",
    "the due date": "due",
    "due date": "due",
    "deadline": "due",
    "the deadline": "due",
    "papers due": "due",
    "publication": "publication",
    "the publication date": "publication",
    "publication date": "publication",
    "publication day": "publication",
}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
}

_RELATIVE = re.compile(
    r"^(?P<n>\d+|[a-z]+)\s+(?P<unit>working\s+days?|clear\s+days?|days?|calendar\s+days?)\s+"
    r"(?P<dir>before|after)(?:\s+(?P<anchor>.+))?$"
)
_ON = re.compile(r"^on(?:\s+the)?(?:\s+day\s+of)?\s+(?P<anchor>.+)$")


@dataclass(frozen=True)
class Rule:
    """A parsed rule. ``anchor`` None means "whatever this setting is relative to"."""

    text: str
    unit: Unit
    n: int
    direction: int  # -1 before, +1 after, 0 on
    anchor: Anchor | None

    def resolved_anchor(self, default: Anchor) -> Anchor:
        return self.anchor or default

    @property
    def tag(self) -> str:
        """A short stable label, used in reminder keys: "due-5wd", "due+1wd", "due"."""
        unit = {"working": "wd", "clear": "cd", "calendar": "d", "on": ""}[self.unit]
        sign = {-1: "-", 1: "+", 0: ""}[self.direction]
        anchor = self.anchor or "default"
        return f"{anchor}{sign}{self.n if self.n else ''}{unit}"


def _bad(text: str, why: str) -> InvalidInput:
    return InvalidInput(
        f"Cannot read the deadline rule '{text}': {why}.",
        hint=f"write it as one of {ACCEPTED_FORMS}",
    )


def _anchor(text: str, word: str | None) -> Anchor | None:
    if word is None:
        return None
    try:
        return _ANCHOR_WORDS[word.strip()]
    except KeyError:
        raise _bad(
            text, f"'{word.strip()}' is not something a deadline can be relative to"
        ) from None


def parse_rule(text: str) -> Rule:
    """Parse one rule; raises :class:`InvalidInput` naming the accepted forms."""
    if not isinstance(text, str):
        raise _bad(str(text), "it is not text")
    return _parse(text)


@lru_cache(maxsize=1024)
def _parse(text: str) -> Rule:
    if not text.strip():
        raise _bad(text, "it is empty")
    norm = " ".join(text.lower().replace("-", " ").split())
    match = _RELATIVE.match(norm)
    if match:
        raw_n = match["n"]
        n = int(raw_n) if raw_n.isdigit() else _NUMBER_WORDS.get(raw_n, -1)
        if n < 0:
            raise _bad(text, f"'{raw_n}' is not a number")
        if n == 0:
            raise _bad(text, "use 'on …' for the day itself")
        if n > MAX_DAYS:
            raise _bad(text, f"{n} days is more than a year")
        unit_word = match["unit"]
        unit: Unit = (
            "working"
            if unit_word.startswith("working")
            else "clear"
            if unit_word.startswith("clear")
            else "calendar"
        )
        direction = -1 if match["dir"] == "before" else 1
        if unit == "clear" and direction == 1:
            raise _bad(text, "clear days only count back before something")
        return Rule(
            text=text, unit=unit, n=n, direction=direction, anchor=_anchor(text, match["anchor"])
        )
    match = _ON.match(norm)
    if match:
        return Rule(text=text, unit="on", n=0, direction=0, anchor=_anchor(text, match["anchor"]))
    raise _bad(text, "it does not say how many days before or after what")


def apply_rule(rule: Rule, anchor_day: dt.date, calendar: WorkCalendar) -> dt.date:
    """The date a rule gives, counted from ``anchor_day``. Results always fall on a working
    day: a calendar-day rule that lands on a weekend or holiday moves earlier when counting back
    (so nobody is late because of a bank holiday) and later when counting forward."""
    if rule.unit == "on":
        return calendar.previous_working_day(anchor_day)
    if rule.unit == "working":
        if rule.direction < 0:
            return calendar.subtract_working_days(anchor_day, rule.n)
        return calendar.add_working_days(anchor_day, rule.n)
    if rule.unit == "clear":
        return calendar.clear_days_before(anchor_day, rule.n)
    day = anchor_day + dt.timedelta(days=rule.n * rule.direction)
    if rule.direction < 0:
        return calendar.previous_working_day(day)
    return calendar.next_working_day(day)


def validate_rule(text: str, *, allowed_anchors: tuple[Anchor, ...] | None = None) -> Rule:
    """Check a rule (for the configuration loader); returns it parsed."""
    rule = parse_rule(text)
    if allowed_anchors is not None and rule.anchor and rule.anchor not in allowed_anchors:
        raise _bad(text, f"here it can only be relative to {' or '.join(allowed_anchors)}")
    return rule
