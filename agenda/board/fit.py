"""Every value fits where it goes: text is cleaned (NUL removed: PostgreSQL refuses it) and
checked against its column's length before it is written, so the user gets a clear error
instead of a submission that vanishes on a database error."""

from __future__ import annotations

from typing import Any

from agenda.errors import InvalidInput


def clean(value: str | None) -> str | None:
    """Text without NUL characters and outer whitespace; None when nothing is left."""
    text = (value or "").replace("\x00", "").strip()
    return text or None


def column_length(column: Any) -> int | None:
    """The ``String(n)`` length of a mapped column (None for Text)."""
    return getattr(column.property.columns[0].type, "length", None)


def fit(value: str | None, column: Any, what: str) -> str | None:
    """``value`` cleaned, or :class:`InvalidInput` naming ``what`` if it is longer than
    ``column`` holds."""
    text = clean(value)
    limit = column_length(column)
    if text is not None and limit is not None and len(text) > limit:
        raise InvalidInput(
            f"The {what} is {len(text)} characters long; it can be at most {limit}.",
            hint="shorten it and try again",
        )
    return text


def shortened_file_name(name: str, limit: int | None) -> str:
    """A file name that fits ``limit`` characters: the end of the stem is cut, the extension
    kept (a file name is a label; refusing the paper for it would lose the paper)."""
    if limit is None or len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        return name[:limit]
    return stem[: limit - len(ext) - 2] + "…." + ext


def _limits() -> dict[str, int | None]:
    from agenda.board.models import ForwardPlanItem, Paper

    return {
        "paper.title": column_length(Paper.title),
        "paper.presenter": column_length(Paper.presenter),
        "item.title": column_length(ForwardPlanItem.title),
        "item.lead": column_length(ForwardPlanItem.lead),
    }


# What forms may accept, by field (Slack's inputs take at most 3000 characters).
LIMITS = _limits()
INPUT_MAX = 3000
