"""The deadlines of a meeting: when papers are due and when the pack must be published.

Rules come from the body's ``deadlines`` setting (see DESIGN.md), counted in the organisation's
timezone over its working days (:mod:`agenda.deadlines.workdays`).

Convention: papers are due at **17:00 local time** on the due working day (the "by 5pm on"
that councils' report timetables use), so a paper filed that evening is late. Publication is a
date: the pack must be out by the end of that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from agenda.board.models import ForwardPlanItem, Meeting
from agenda.clock import UTC, as_utc
from agenda.deadlines.rules import Anchor, Rule, apply_rule, parse_rule
from agenda.deadlines.rules import validate_rule as _validate
from agenda.deadlines.workdays import WorkCalendar, calendar_for
from agenda.documents.words import full_date
from agenda.errors import InvalidInput

DUE_TIME = dt.time(17, 0)

DEFAULT_RULES: dict[str, Any] = {
    "papers_due": "10 working days before",
    "publication": "5 clear days before",
    "remind_authors": [
        "5 working days before due",
        "1 working day before due",
        "on due",
        "1 working day after due",
    ],
    # Not in the published config example, but accepted: when the lead officer and the clerk
    # hear that a paper is still missing, and when the chair gets the readiness digest.
    "escalate": "2 working days after due",
    "remind_chair": ["2 working days before due", "on publication"],
}
LIST_KEYS = ("remind_authors", "remind_chair", "escalate")  # one rule or a list of rules

# What each setting is counted from when the rule names no anchor, and what it may name.
DEFAULT_ANCHOR: dict[str, Anchor] = {
    "papers_due": "meeting",
    "publication": "meeting",
    "remind_authors": "due",
    "escalate": "due",
    "remind_chair": "due",
}
ALLOWED_ANCHORS: dict[str, tuple[Anchor, ...]] = {
    "publication": ("meeting",),  # publication is fixed by law off the meeting
    "papers_due": ("meeting", "publication"),
    "remind_authors": ("meeting", "due", "publication"),
    "escalate": ("meeting", "due", "publication"),
    "remind_chair": ("meeting", "due", "publication"),
}


@dataclass(frozen=True)
class MeetingDeadlines:
    """``papers_due``: aware UTC datetime, 17:00 local on the due working day.
    ``publication``: the latest local date on which the pack must be published.
    ``warnings``: things the clerk should know (a meeting on a bank holiday, ...)."""

    papers_due: dt.datetime
    publication: dt.date
    warnings: tuple[str, ...] = ()


def validate_rule(text: str, *, key: str | None = None) -> None:
    """Raise :class:`InvalidInput` (message names the accepted forms) if ``text`` is not a rule.
    With ``key`` (``papers_due``, ``publication``, ``remind_authors``...) also check what the
    rule may be relative to."""
    if key is not None and key not in DEFAULT_ANCHOR:
        raise InvalidInput(
            f"'{key}' is not a deadline setting.", hint=f"use one of {', '.join(DEFAULT_ANCHOR)}"
        )
    _validate(text, allowed_anchors=ALLOWED_ANCHORS.get(key) if key else None)


def validate_deadlines(rules: dict[str, Any]) -> None:
    """Check a body's whole ``deadlines`` mapping."""
    for key, value in (rules or {}).items():
        if key in LIST_KEYS:
            for text in as_rule_list(value):
                validate_rule(text, key=key)
        else:
            validate_rule(value, key=key)


def as_rule_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def rules_of(body_rules: dict[str, Any] | None) -> dict[str, Any]:
    merged = dict(DEFAULT_RULES)
    merged.update({k: v for k, v in (body_rules or {}).items() if v not in (None, "", [])})
    return merged


def due_at_local_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """17:00 local on ``day``, as aware UTC."""
    return dt.datetime.combine(day, DUE_TIME, tzinfo=tz).astimezone(UTC)


@lru_cache(maxsize=4096)
def _compute(
    meeting_day: dt.date,
    papers_rule: str,
    publication_rule: str,
    calendar: WorkCalendar,
    tz: ZoneInfo,
) -> MeetingDeadlines:
    warnings: list[str] = []
    why = calendar.why_not_working(meeting_day)
    if why:
        warnings.append(
            f"The meeting on {full_date(meeting_day)} falls on {why}; "
            "deadlines are counted back from it all the same."
        )
    publication = apply_rule(parse_rule(publication_rule), meeting_day, calendar)
    papers = parse_rule(papers_rule)
    anchor_day = publication if papers.resolved_anchor("meeting") == "publication" else meeting_day
    due_day = apply_rule(papers, anchor_day, calendar)
    if due_day > publication:
        warnings.append(
            f"Papers are due on {due_day:%-d %B}, after the pack must be published "
            f"({publication:%-d %B}); check the deadline rules."
        )
    return MeetingDeadlines(
        papers_due=due_at_local_day(due_day, tz), publication=publication, warnings=tuple(warnings)
    )


def meeting_deadlines(meeting: Meeting) -> MeetingDeadlines:
    """Papers-due and publication deadlines of ``meeting`` under its body's rules."""
    body = meeting.body
    rules = rules_of(body.deadlines)
    org = body.organisation
    return _compute(
        meeting.date,
        rules["papers_due"],
        rules["publication"],
        calendar_for(org),
        org.zone,
    )


def item_due_at(item: ForwardPlanItem) -> dt.datetime | None:
    """When the item's paper is due: its extension if the clerk granted one, else its meeting's
    papers-due time; None when it has no meeting."""
    if item.due_override is not None:
        return as_utc(item.due_override)
    if item.meeting is None:
        return None
    return meeting_deadlines(item.meeting).papers_due


def local_date(value: dt.datetime, tz: ZoneInfo) -> dt.date:
    return as_utc(value).astimezone(tz).date()


def rule_day(
    rule: Rule,
    *,
    default_anchor: Anchor,
    meeting_day: dt.date,
    due_day: dt.date,
    publication: dt.date,
    calendar: WorkCalendar,
) -> dt.date:
    """Apply ``rule`` with the three anchors of one meeting/item."""
    anchors = {"meeting": meeting_day, "due": due_day, "publication": publication}
    return apply_rule(rule, anchors[rule.resolved_anchor(default_anchor)], calendar)
