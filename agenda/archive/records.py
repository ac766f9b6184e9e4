"""The archive format: which tables make up a body's record, how rows become plain JSON and
back, and the manifest that lists every file with its sha256.

An archive is a folder::

    manifest.json                      what is here, each file with its sha256 and size
    README.txt                         the layout, for a person opening the folder
    records/<table>.json               the body's rows, one JSON list per table
    files/papers/<date>/…              every paper version as submitted
    files/packs/<date>/…               every built pack (PDF and Word)
    files/minutes/<date>/…             draft minutes as built, approved minutes as filed

Rows are written generically from the schema, so a column added later is exported too; a
table added later must be placed in :data:`SCOPE` or :data:`NOT_RECORD` (a test checks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import Table
from sqlalchemy.types import TypeDecorator

from agenda.schema import metadata

FORMAT = "boardclerk-archive"
VERSION = 1
MANIFEST = "manifest.json"

# Tables of a body's record, each with how its rows are found: by the body, or by a parent
# table whose exported ids they point at (column, parent table).
SCOPE: dict[str, tuple[str, str] | str] = {
    "organisations": "organisation",
    "bodies": "body",
    "members": ("body_id", "bodies"),
    "meetings": ("body_id", "bodies"),
    "forward_plan_items": ("body_id", "bodies"),
    "item_authors": ("item_id", "forward_plan_items"),
    "item_moves": ("item_id", "forward_plan_items"),
    "papers": ("item_id", "forward_plan_items"),
    "paper_renditions": ("paper_id", "papers"),
    "packs": ("meeting_id", "meetings"),
    "pack_papers": ("pack_id", "packs"),
    "apologies": ("meeting_id", "meetings"),
    "declarations": ("meeting_id", "meetings"),
    "minute_allocations": ("body_id", "bodies"),
    "approved_minutes": ("meeting_id", "meetings"),
    "reminders": ("body_id", "bodies"),
    "extension_requests": ("item_id", "forward_plan_items"),
    "audit_events": "audit",
}
# Operational state of a running deployment, not the body's record.
NOT_RECORD = {"jobs", "processed_events", "slack_bots", "slack_installations", "slack_oauth_states"}


def record_tables() -> list[Table]:
    """The record's tables, parents before children; the audit trail last, as its subjects
    name items and reminders (``item:12``)."""
    tables = [t for t in metadata.sorted_tables if t.name in SCOPE]
    return sorted(tables, key=lambda t: t.name == "audit_events")


def encode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        value = row.get(column.name)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        out[column.name] = value
    return out


def decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        if column.name not in row:
            continue  # an archive from before the column existed: the default applies
        value = row[column.name]
        if isinstance(value, str):
            kind = _python_type(column.type)
            if kind is dt.datetime:
                value = dt.datetime.fromisoformat(value)
            elif kind is dt.date:
                value = dt.date.fromisoformat(value)
        out[column.name] = value
    return out


def _python_type(type_: Any) -> type | None:
    if isinstance(type_, TypeDecorator):  # e.g. UTCDateTime: what it stores is its impl's
        type_ = type_.impl_instance
    try:
        return type_.python_type
    except NotImplementedError:
        return None


def dumps(value: Any) -> bytes:
    """Stable, readable JSON (sorted keys), so the same record gives the same bytes."""
    return (json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def record_id(records: dict[str, list[dict[str, Any]]]) -> str:
    """The archive's identity: the digest of its rows (not of when it was written)."""
    return hashlib.sha256(dumps(records)).hexdigest()


def safe_name(name: str) -> str:
    """A file name safe on any disk: no folders, no control characters."""
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in name).strip(" .")
    return cleaned[:120] or "file"


README = """This folder is the complete record of one board or committee, exported by boardclerk.

manifest.json      every file in this folder with its sha256 fingerprint and size
records/*.json     the body, its members, meetings, forward plan items, paper versions,
                   packs, apologies, declarations, minutes numbering, reminders and the
                   audit trail, one JSON list per table
files/papers/      every version of every paper, as submitted
files/packs/       every agenda pack built (PDF) and its Word working copy
files/minutes/     draft minutes as built and approved minutes as filed

'boardclerk import-archive FOLDER' loads it into another deployment; it checks every file
against the manifest first and changes nothing if one does not match.
"""
