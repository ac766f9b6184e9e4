"""Addresses on the public site, for messages that link to it (the Slack meeting notice)."""

from __future__ import annotations

from agenda import settings
from agenda.board.lookup import parse_meeting_ref


def meeting_url(meeting_ref: str, env: settings.Settings | None = None) -> str | None:
    """The public page of ``meeting_ref`` ("hwb:2027-03-04"), or None when no
    BOARDCLERK_PUBLIC_URL is set (the site's outside address is not known)."""
    env = env or settings.current()
    if not env.public_url:
        return None
    key, date = parse_meeting_ref(meeting_ref)
    root = env.public_url.rstrip("/") + env.site_path
    return f"{root}{key}/{date.isoformat()}/"


__all__ = ["meeting_url"]
