"""``boardclerk export BODY DIR``: a body's whole record as a plain folder (see
:mod:`agenda.archive.records` for the layout) that a council can keep, read and move."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session

from agenda.archive import records as fmt
from agenda.board.lookup import get_body
from agenda.board.models import Body
from agenda.errors import InvalidInput
from agenda.filestore import FileStore, sha256_of

Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    rows: dict[str, int]
    files: int
    bytes: int

    def summary(self) -> str:
        counts = ", ".join(f"{n} {t}" for t, n in self.rows.items() if n)
        return (
            f"Exported to {self.folder}: {counts}; {self.files} file(s), "
            f"{self.bytes / 2**20:.1f} MB, each listed with its sha256 in {fmt.MANIFEST}."
        )


def export_body(
    session: Session, store: FileStore, body_key: str, folder: Path, *, now: dt.datetime
) -> ExportReport:
    """Write ``body_key``'s record and every stored file it names into ``folder`` (which must
    be new or empty). Each file is checked against its digest on the way out; the manifest is
    written last, so a folder without one is an export that did not finish."""
    body = get_body(session, body_key)
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInput(f"{folder} is not empty; export into a new folder.")
    rows = body_rows(session, body)
    files: list[dict[str, Any]] = []
    for path, sha in _stored_files(rows):
        data = store.get(sha)  # checked against its digest: a damaged file stops the export
        _write(folder / path, data)
        files.append({"path": path, "sha256": sha, "bytes": len(data)})
    for table, table_rows in rows.items():
        data = fmt.dumps(table_rows)
        _write(folder / "records" / f"{table}.json", data)
        files.append(
            {"path": f"records/{table}.json", "sha256": sha256_of(data), "bytes": len(data)}
        )
    readme = fmt.README.encode()
    _write(folder / "README.txt", readme)
    files.append({"path": "README.txt", "sha256": sha256_of(readme), "bytes": len(readme)})
    counts = {t: len(r) for t, r in rows.items()}
    manifest: dict[str, Any] = {
        "format": fmt.FORMAT,
        "version": fmt.VERSION,
        "record_id": fmt.record_id(rows),
        "organisation": body.organisation.name,
        "body": body.key,
        "body_name": body.name,
        "exported_at": now.isoformat(),
        "rows": counts,
        "files": sorted(files, key=lambda f: f["path"]),
    }
    _write(folder / fmt.MANIFEST, fmt.dumps(manifest))
    return ExportReport(folder, counts, len(files), sum(int(f["bytes"]) for f in files))


def body_rows(session: Session, body: Body) -> Rows:
    """Every row of ``body``'s record, table by table (parents first), as plain JSON values."""
    tables = fmt.record_tables()
    ids: dict[str, set[int]] = {}
    out: Rows = {}
    for table in tables:
        found = [dict(r) for r in session.execute(_select(table, body, ids, out)).mappings()]
        ids[table.name] = {int(r["id"]) for r in found}
        out[table.name] = [fmt.encode(table, r) for r in found]
    return out


def _select(table: Table, body: Body, ids: dict[str, set[int]], out: Rows) -> Any:
    rule = fmt.SCOPE[table.name]
    query = select(table).order_by(table.c.id)
    if rule == "organisation":
        return query.where(table.c.id == body.organisation_id)
    if rule == "body":
        return query.where(table.c.id == body.id)
    if rule == "audit":
        return query.where(
            table.c.organisation_id == body.organisation_id,
            or_(*_audit_subjects(table, body, ids, out)),
        )
    assert isinstance(rule, tuple)
    column, parent = rule
    return query.where(table.c[column].in_(sorted(ids.get(parent, set()))))


def _audit_subjects(table: Table, body: Body, ids: dict[str, set[int]], out: Rows) -> list[Any]:
    """The body's own events (its meetings, items and reminders) and the organisation's
    (configuration imports), not another body's."""
    subject = table.c.subject
    others = [
        b.key for b in body.organisation.bodies if b.id != body.id
    ]  # their meeting refs start with their key
    mine = [f"item:{i}" for i in sorted(ids.get("forward_plan_items", set()))]
    mine += [f"reminder:{i}" for i in sorted(ids.get("reminders", set()))]
    organisation_wide = subject.is_(None) | ~or_(
        subject.like("item:%"),
        subject.like("reminder:%"),
        subject.like(f"{body.key}:%"),
        *(subject.like(f"{key}:%") for key in others),
    )
    return [subject.like(f"{body.key}:%"), subject.in_(mine), organisation_wide]


def _stored_files(rows: Rows) -> Iterable[tuple[str, str]]:
    """(path in the archive, sha256) for every stored file the rows name."""
    dates = {m["id"]: m["date"] for m in rows.get("meetings", [])}
    items = {i["id"]: i for i in rows.get("forward_plan_items", [])}
    seen: set[str] = set()

    def once(path: str, sha: str) -> Iterable[tuple[str, str]]:
        if path not in seen:
            seen.add(path)
            yield path, sha

    for p in rows.get("papers", []):
        date = dates.get(p["meeting_id"]) or dates.get(items[p["item_id"]]["meeting_id"])
        name = f"{p['item_id']}-v{p['version']}-{fmt.safe_name(p['file_name'])}"
        yield from once(f"files/papers/{date or 'unscheduled'}/{name}", p["sha256"])
    for r in rows.get("paper_renditions", []):
        name = f"{r['paper_id']}-{r['format']}-{fmt.safe_name(r['file_name'])}"
        yield from once(f"files/papers/renditions/{name}", r["sha256"])
    for k in rows.get("packs", []):
        name = f"{k['id']}-{fmt.safe_name(k['file_name'])}"
        yield from once(f"files/packs/{dates[k['meeting_id']]}/{name}", k["sha256"])
    for a in rows.get("approved_minutes", []):
        name = f"approved-{a['id']}-{fmt.safe_name(a['file_name'])}"
        yield from once(f"files/minutes/{dates[a['meeting_id']]}/{name}", a["sha256"])
    for e in rows.get("audit_events", []):
        sha = (e.get("detail") or {}).get("sha256")
        if e["action"] == "minutes.build" and sha:
            date = str(e["subject"] or "").partition(":")[2] or "undated"
            yield from once(f"files/minutes/{date}/draft-{e['id']}.docx", str(sha))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
