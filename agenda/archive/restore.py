"""``boardclerk import-archive DIR``: load a body's record exported by ``boardclerk export``.

Nothing is trusted before it is checked: every file is compared with the manifest's sha256,
and every stored file a row names must be in the archive. Files go into the store first
(each confirmed by the store), then every row in one transaction, so a failure part-way
leaves nothing behind. Rows get new ids in this database; references between them, and the
audit trail's ``item:N``/``reminder:N`` subjects, are carried over (ids inside audit details
are the exporting deployment's). Importing the same archive again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from agenda.archive import records as fmt
from agenda.board import audit
from agenda.board.models import AuditEvent, Body, Meeting, Organisation
from agenda.board.permissions import Actor
from agenda.errors import InvalidInput
from agenda.filestore import FileStore, sha256_of_file
from agenda.reminders.planning import LIVE, replan_meeting

IMPORTED = "archive.imported"


@dataclass
class ImportReport:
    body: str
    already: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def summary(self) -> str:
        if self.already:
            return f"This archive of '{self.body}' was imported before: nothing to change."
        counts = ", ".join(f"{n} {t}" for t, n in self.rows.items() if n)
        return f"Imported '{self.body}': {counts}; {self.files} stored file(s) checked and stored."


def read_archive(folder: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The manifest and the rows, after checking every listed file against its sha256."""
    manifest_path = folder / fmt.MANIFEST
    if not manifest_path.is_file():
        raise InvalidInput(
            f"{folder} has no {fmt.MANIFEST}: it is not an archive, or its export did not finish."
        )
    try:
        manifest = json.loads(manifest_path.read_bytes())
    except ValueError as err:
        raise InvalidInput(f"{manifest_path} is not valid JSON ({err}).") from None
    if manifest.get("format") != fmt.FORMAT or manifest.get("version") != fmt.VERSION:
        raise InvalidInput(f"{folder} is not a boardclerk archive of version {fmt.VERSION}.")
    problems = []
    root = folder.resolve()
    for entry in manifest.get("files", []):
        path = (folder / entry["path"]).resolve()
        if not path.is_relative_to(root):
            problems.append(f"{entry['path']}: outside the archive")
        elif not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif sha256_of_file(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: does not match its sha256 in the manifest")
    if problems:
        raise InvalidInput(
            f"The archive in {folder} is damaged, so nothing was imported: " + "; ".join(problems)
        )
    listed = {e["path"] for e in manifest["files"]}
    rows = {}
    for table in fmt.record_tables():
        name = f"records/{table.name}.json"
        rows[table.name] = json.loads((folder / name).read_bytes()) if name in listed else []
    return manifest, rows


def _named_objects(rows: dict[str, list[dict[str, Any]]]) -> set[str]:
    named = {
        r["sha256"]
        for t in ("papers", "paper_renditions", "packs", "pack_papers", "approved_minutes")
        for r in rows[t]
    }
    named |= {
        str(e["detail"]["sha256"])
        for e in rows["audit_events"]
        if e["action"] == "minutes.build" and (e.get("detail") or {}).get("sha256")
    }
    return named


def import_archive(
    session: Session, store: FileStore, folder: Path, *, actor: Actor, now: dt.datetime
) -> ImportReport:
    manifest, rows = read_archive(folder)
    org_name, key = manifest["organisation"], manifest["body"]
    report = ImportReport(key)
    org = session.scalar(select(Organisation).where(Organisation.name == org_name))
    body = org and session.scalar(
        select(Body).where(Body.organisation_id == org.id, Body.key == key)
    )
    if body is not None:
        if _imported_before(session, org.id, key, manifest["record_id"]):  # type: ignore[union-attr]
            report.already = True
            return report
        raise InvalidInput(
            f"'{key}' already exists in {org_name} here, so the archive was not imported.",
            hint="import into a deployment that does not have this body",
        )
    objects = {e["sha256"]: e["path"] for e in manifest["files"] if e["path"].startswith("files/")}
    missing = sorted(_named_objects(rows) - set(objects))
    if missing:
        raise InvalidInput(
            f"The archive names {len(missing)} stored file(s) it does not contain "
            f"(first: {missing[0]}), so nothing was imported."
        )
    for sha, path in sorted(objects.items()):  # stored and confirmed before any row names them
        if store.put((folder / path).read_bytes(), keep_local=False) != sha:
            raise InvalidInput(f"{path} changed while it was being imported; nothing was imported.")
    report.files = len(objects)
    report.rows, new_ids = _insert_rows(session, rows, existing_org=org, now=now)
    upcoming = select(Meeting).where(
        Meeting.id.in_(new_ids["meetings"].values()), Meeting.starts_at > now
    )
    for meeting in session.scalars(upcoming):
        replan_meeting(session, meeting, now=now)
    audit.record(
        session,
        actor=actor,
        action=IMPORTED,
        at=now,
        organisation_id=_org_id(session, org_name),
        subject=key,
        record_id=manifest["record_id"],
        exported_at=manifest.get("exported_at"),
        rows=report.rows,
    )
    return report


def _imported_before(session: Session, org_id: int, key: str, record_id: str) -> bool:
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.organisation_id == org_id,
            AuditEvent.action == IMPORTED,
            AuditEvent.subject == key,
        )
    )
    return any((e.detail or {}).get("record_id") == record_id for e in events)


def _org_id(session: Session, name: str) -> int:
    return int(session.scalar(select(Organisation.id).where(Organisation.name == name)) or 0)


def _insert_rows(
    session: Session,
    rows: dict[str, list[dict[str, Any]]],
    *,
    existing_org: Organisation | None,
    now: dt.datetime,
) -> tuple[dict[str, int], dict[str, dict[int, int]]]:
    new_ids: dict[str, dict[int, int]] = {}
    counts = {}
    for table in fmt.record_tables():
        mapping = new_ids.setdefault(table.name, {})
        counts[table.name] = 0
        for row in rows[table.name]:
            old_id = int(row["id"])
            if table.name == "organisations" and existing_org is not None:
                mapping[old_id] = existing_org.id  # the body joins its organisation here
                continue
            values = _carried_over(table, fmt.decode(table, row), new_ids, now)
            inserted = session.execute(table.insert().values(**values).returning(table.c.id))
            mapping[old_id] = int(inserted.scalar_one())
            counts[table.name] += 1
    return counts, new_ids


def _carried_over(
    table: Table, values: dict[str, Any], new_ids: dict[str, dict[int, int]], now: dt.datetime
) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if k != "id"}
    for column in table.columns:
        value = values.get(column.name)
        for fk in column.foreign_keys:
            if value is not None:
                values[column.name] = new_ids[fk.column.table.name][int(value)]
    if table.name == "audit_events":
        kind, _, old = str(values.get("subject") or "").partition(":")
        parent = {"item": "forward_plan_items", "reminder": "reminders"}.get(kind)
        if parent and old.isdigit() and int(old) in new_ids[parent]:
            values["subject"] = f"{kind}:{new_ids[parent][int(old)]}"
    if table.name == "organisations":
        values["slack_team_id"] = None  # the workspace is linked again when the app is installed
    if table.name == "reminders":
        # Their keys carry the old ids: kept apart as history; what is still to be sent is
        # planned afresh for the new ids (import_archive replans the upcoming meetings).
        values["dedupe_key"] = f"imported:{int(now.timestamp())}:{values['dedupe_key']}"
        if values.get("supersede_key"):
            values["supersede_key"] = f"imported:{values['supersede_key']}"
        if values.get("status") in LIVE:
            values["status"] = "cancelled"
            values["note"] = "imported from another deployment; planned afresh here"
    return values
