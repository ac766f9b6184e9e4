"""The shared vocabularies: who a member is, where a meeting and an item stand, what kind an
item is, what kind of interest a member declares. Plain enums, so document code can use them without the database."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice-chair"
    MEMBER = "member"
    CLERK = "clerk"


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    HELD = "held"
    CANCELLED = "cancelled"


class ItemKind(enum.StrEnum):
    REPORT = "report"
    PRESENTATION = "presentation"
    VERBAL = "verbal"
    DISCUSSION = "discussion"

    @property
    def expects_paper(self) -> bool:
        """Reports need a paper; presentations may bring slides; verbal items and discussions don't."""
        return self is ItemKind.REPORT


class InterestKind(enum.StrEnum):
    """What a member declares: a disclosable pecuniary (financial) interest, or another one."""

    PECUNIARY = "pecuniary"
    OTHER = "other"


class ItemStatus(enum.StrEnum):
    PLANNED = "planned"
    DEFERRED = "deferred"  # moved off its meeting and not yet given a new one
    WITHDRAWN = "withdrawn"


__all__ = [
    "CONFIDENTIAL_MINUTES_KEY",
    "MINUTES_KEY",
    "AccessibilityPolicy",
    "InterestKind",
    "ItemKind",
    "ItemStatus",
    "MeetingStatus",
    "Role",
]

# ForwardPlanItem.procedural_key of the next meeting's "minutes of the previous meeting" item,
# and of the exempt item carrying the previous meeting's confidential (Part B) minutes.
MINUTES_KEY = "minutes"
CONFIDENTIAL_MINUTES_KEY = "minutes_confidential"


class AccessibilityPolicy(enum.StrEnum):
    """What a body does with a paper that fails the accessibility check at submission."""

    WARN = "warn"  # accept it; the receipt lists what to fix
    REQUIRE = "require"  # refuse it with the list
