"""Which rows name which stored files, and the two operator tasks over them: checking that
every named file is in the store and whole, and copying a store to another (local files to
S3) so a deployment can move without stopping."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.models import AuditEvent, Meeting, Paper
from agenda.errors import StoreCorrupt
from agenda.filestore import FileStore
from agenda.minutes.tables import ApprovedMinutes
from agenda.pack.tables import Pack
from agenda.schema import metadata


@dataclass(frozen=True)
class ObjectRef:
    """A row that names a stored file, described for an operator."""

    sha256: str
    what: str


def referenced_objects(
    session: Session, meeting_ids: Iterable[int] | None = None
) -> list[ObjectRef]:
    """Every stored file a row names: paper versions, built packs, approved minutes, and the
    draft minutes recorded in the audit trail. ``meeting_ids`` narrows it to those meetings."""
    only = list(meeting_ids) if meeting_ids is not None else None
    refs: list[ObjectRef] = []
    papers = select(Paper).order_by(Paper.id)
    packs = select(Pack).order_by(Pack.id)
    approved = select(ApprovedMinutes).order_by(ApprovedMinutes.id)
    if only is not None:
        papers = papers.where(Paper.meeting_id.in_(only))
        packs = packs.where(Pack.meeting_id.in_(only))
        approved = approved.where(ApprovedMinutes.meeting_id.in_(only))
    for paper in session.scalars(papers):
        refs.append(
            ObjectRef(paper.sha256, f"paper #{paper.id} v{paper.version} '{paper.file_name}'")
        )
    renditions = metadata.tables.get("paper_renditions")  # derived files (e.g. accessible PDF)
    if renditions is not None:
        query = select(renditions).order_by(renditions.c.id)
        if only is not None:
            query = query.where(
                renditions.c.paper_id.in_(select(Paper.id).where(Paper.meeting_id.in_(only)))
            )
        for r in session.execute(query).mappings():
            refs.append(ObjectRef(r["sha256"], f"rendition #{r['id']} of paper #{r['paper_id']}"))
    for pack in session.scalars(packs):
        refs.append(ObjectRef(pack.sha256, f"pack #{pack.id} '{pack.file_name}'"))
    for minutes in session.scalars(approved):
        refs.append(
            ObjectRef(minutes.sha256, f"approved minutes #{minutes.id} '{minutes.file_name}'")
        )
    refs.extend(_draft_minutes(session, only))
    return refs


def _draft_minutes(session: Session, meeting_ids: list[int] | None) -> list[ObjectRef]:
    subjects = None
    if meeting_ids is not None:
        subjects = {
            m.ref for m in session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids)))
        }
    refs = []
    events = select(AuditEvent).where(AuditEvent.action == "minutes.build").order_by(AuditEvent.id)
    for event in session.scalars(events):
        sha = (event.detail or {}).get("sha256")
        if sha and (subjects is None or event.subject in subjects):
            refs.append(
                ObjectRef(str(sha), f"draft minutes for {event.subject} (audit #{event.id})")
            )
    return refs


@dataclass
class CheckReport:
    store: str
    checked: int = 0
    missing: list[ObjectRef] = field(default_factory=list)
    damaged: list[ObjectRef] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.damaged

    def lines(self) -> list[str]:
        out = [f"missing: {r.what} ({r.sha256})" for r in self.missing]
        out += [f"damaged (digest does not match): {r.what} ({r.sha256})" for r in self.damaged]
        verdict = "all present and whole" if self.ok else f"{len(out)} problem(s)"
        out.append(
            f"Checked {self.checked} file(s) named in the database, in {self.store}: {verdict}."
        )
        return out


def check_store(
    session: Session, store: FileStore, progress: Callable[[int, int], None] | None = None
) -> CheckReport:
    """Fetch every file a row names from the store itself (not a cache) and check its digest."""
    refs = referenced_objects(session)
    report = CheckReport(store.describe())
    by_digest: dict[str, list[ObjectRef]] = {}
    for ref in refs:
        by_digest.setdefault(ref.sha256, []).append(ref)
    for n, (sha, named) in enumerate(sorted(by_digest.items()), start=1):
        state = store.verify(sha)
        report.checked += 1
        if state is None:
            report.missing.extend(named)
        elif state is False:
            report.damaged.extend(named)
        if progress:
            progress(n, len(by_digest))
    return report


@dataclass
class MigrateReport:
    source: str
    target: str
    copied: int = 0
    already: int = 0
    damaged: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.unreadable

    def lines(self) -> list[str]:
        out = [f"damaged in {self.source}, not copied: {sha}" for sha in self.damaged]
        out += [f"could not be read from {self.source}: {sha}" for sha in self.unreadable]
        out.append(
            f"Copied {self.copied} file(s) from {self.source} to {self.target}; "
            f"{self.already} were already there."
        )
        return out


def migrate_store(
    source: FileStore,
    target: FileStore,
    progress: Callable[[int, str], None] | None = None,
) -> MigrateReport:
    """Copy every file of ``source`` into ``target``, each read back against its digest on the
    way out and confirmed by the target on the way in. Files already in the target are skipped,
    so running it again finishes an interrupted copy and picks up files stored since."""
    report = MigrateReport(source.describe(), target.describe())
    for n, sha in enumerate(source.digests(), start=1):
        if target.exists(sha):
            report.already += 1
        else:
            try:
                data = source.get(sha)
            except StoreCorrupt:
                report.damaged.append(sha)
                continue
            except FileNotFoundError:  # removed while we were copying
                report.unreadable.append(sha)
                continue
            target.put(data, keep_local=False)
            report.copied += 1
        if progress:
            progress(n, sha)
    return report
