"""A body's whole record exported as a plain folder and imported into another deployment:
every paper version, pack, minutes file and audit event arrives, every file is checked against
the manifest, and importing twice changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agenda.archive import records as fmt
from agenda.archive.export import export_body
from agenda.archive.objects import check_store, referenced_objects
from agenda.archive.restore import import_archive
from agenda.board.models import AuditEvent, Body, ForwardPlanItem, Meeting, Paper
from agenda.board.permissions import Actor
from agenda.clock import FixedClock
from agenda.db.engine import make_engine, transaction
from agenda.demo.papers import make_report_pdf, sample_report_for
from agenda.errors import InvalidInput
from agenda.filestore import FileStore, LocalFileStore, open_store, sha256_of
from agenda.minutes.service import build_minutes
from agenda.pack.build import build_pack
from agenda.pack.tables import Pack
from agenda.plan.papers import submit_paper
from agenda.schema import metadata
from agenda.settings import Settings
from tests.support.boards import ASC_DIRECTOR, CLERK, PUBLIC_HEALTH, load_sample_board, meeting_refs
from tests.support.s3server import S3

STRATEGY = "Joint Health and Wellbeing Strategy Refresh"
BCF = "Better Care Fund Plan"


def file_paper(
    engine: Engine, store: FileStore, title: str, who: str, now: dt.datetime, seed: int
) -> bytes:
    data = make_report_pdf(
        sample_report_for(title, "HWB", now.date()), "council-appendix", pages=1, seed=seed
    )
    with transaction(engine) as s:
        item = s.scalar(select(ForwardPlanItem.id).where(ForwardPlanItem.title == title))
        submit_paper(
            s,
            store,
            actor=Actor.slack(who),
            item_id=item,
            file_name=f"{title}.pdf",
            data=data,
            now=now,
        )
    return data


def snapshot(engine: Engine) -> dict[str, object]:
    """What a clerk would compare: the body's meetings, items, paper versions, packs, audit."""
    with transaction(engine) as s:
        return {
            "meetings": sorted((m.ref, m.status) for m in s.scalars(select(Meeting))),
            "items": sorted(
                (i.title, i.status, i.meeting.ref if i.meeting else None)
                for i in s.scalars(select(ForwardPlanItem))
            ),
            "papers": sorted(
                (p.item.title, p.version, p.sha256, p.submitted_at)
                for p in s.scalars(select(Paper))
            ),
            "packs": sorted((p.file_name, p.sha256, p.built_at) for p in s.scalars(select(Pack))),
            "audit": sorted(
                (e.action, e.at, _subject(s, e.subject))
                for e in s.scalars(
                    select(AuditEvent).where(AuditEvent.action != "archive.imported")
                )
            ),
        }


def _subject(session: Session, subject: str | None) -> str | None:
    """``item:N`` as the item's title: ids differ between deployments, the item does not."""
    if subject and subject.startswith("item:"):
        return session.get_one(ForwardPlanItem, int(subject[5:])).title
    return subject


@pytest.fixture
def other_db(sqlite_template: Path, tmp_path: Path) -> Engine:
    """A second deployment's database (empty, migrated)."""
    shutil.copy(sqlite_template, tmp_path / "other.db")
    return make_engine(f"sqlite:///{tmp_path}/other.db")


@pytest.mark.soffice
def test_a_body_moves_to_another_deployment_whole_and_importing_twice_changes_nothing(
    sqlite_engine: Engine,
    other_db: Engine,
    clock: FixedClock,
    data_dir: Path,
    tmp_path: Path,
    s3: S3,
) -> None:
    # A record with two versions of one paper, another paper, a pack and draft minutes.
    store = LocalFileStore(data_dir)
    now = clock.now()
    load_sample_board(sqlite_engine, now)
    v1 = file_paper(sqlite_engine, store, STRATEGY, PUBLIC_HEALTH, now, 1)
    v2 = file_paper(sqlite_engine, store, STRATEGY, PUBLIC_HEALTH, now + dt.timedelta(hours=1), 2)
    bcf = file_paper(sqlite_engine, store, BCF, ASC_DIRECTOR, now, 3)
    ref = meeting_refs(now.date())[0]
    with transaction(sqlite_engine) as s:
        pack = build_pack(s, store, ref, private=False, now=now, actor=Actor.slack(CLERK))
        minutes = build_minutes(s, store, ref, actor=Actor.slack(CLERK), now=now)

    folder = tmp_path / "archive"
    with transaction(sqlite_engine) as s:
        report = export_body(s, store, "hwb", folder, now=now)
    assert "3 papers" in report.summary() and "2 packs" in report.summary()

    # A plain folder: every file listed with its digest, every paper version as it came in.
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = {e["path"]: e["sha256"] for e in manifest["files"]}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert on_disk == set(listed) | {"manifest.json"}
    assert all(sha256_of((folder / p).read_bytes()) == sha for p, sha in listed.items())
    for data in (v1, v2, bcf, pack.outputs["pdf"].path.read_bytes(), store.get(minutes.sha256)):
        assert sha256_of(data) in listed.values()
    assert any(p.startswith("files/papers/") and "-v2-" in p for p in listed)
    assert any(p.startswith("files/minutes/") and "draft" in p for p in listed)
    papers = json.loads((folder / "records/papers.json").read_text())
    assert sorted(p["version"] for p in papers) == [1, 1, 2]

    # Into another deployment, whose papers live in S3.
    target = open_store(Settings.from_env({"BOARDCLERK_DATA_DIR": str(tmp_path / "new"), **s3.env}))
    with transaction(other_db) as s:
        first = import_archive(s, target, folder, actor=Actor.cli("ops"), now=now)
    assert not first.already and first.rows["papers"] == 3
    assert snapshot(other_db) == snapshot(sqlite_engine)
    with transaction(other_db) as s:
        assert check_store(s, target).ok and len(referenced_objects(s)) >= 6
        imported = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "archive.imported")
        ).all()
        assert [e.subject for e in imported] == ["hwb"]

    with transaction(other_db) as s:
        again = import_archive(s, target, folder, actor=Actor.cli("ops"), now=now)
    assert again.already and "nothing to change" in again.summary()
    assert snapshot(other_db) == snapshot(sqlite_engine)


def quick_record(engine: Engine, store: FileStore, clock: FixedClock) -> None:
    load_sample_board(engine, clock.now())
    file_paper(engine, store, STRATEGY, PUBLIC_HEALTH, clock.now(), 1)


def test_a_damaged_archive_is_refused_and_nothing_is_imported(
    sqlite_engine: Engine, other_db: Engine, clock: FixedClock, data_dir: Path, tmp_path: Path
) -> None:
    store = LocalFileStore(data_dir)
    quick_record(sqlite_engine, store, clock)
    folder = tmp_path / "archive"
    with transaction(sqlite_engine) as s:
        export_body(s, store, "hwb", folder, now=clock.now())
    paper = next((folder / "files" / "papers").rglob("*.pdf"))
    paper.write_bytes(paper.read_bytes() + b"tampered")
    target = LocalFileStore(tmp_path / "new")
    with (
        pytest.raises(InvalidInput, match="does not match its sha256") as err,
        transaction(other_db) as s,
    ):
        import_archive(s, target, folder, actor=Actor.cli("ops"), now=clock.now())
    assert str(paper.relative_to(folder)) in str(err.value)
    with transaction(other_db) as s:
        assert s.scalar(select(func.count(Body.id))) == 0
    assert list(target.digests()) == []


def test_an_archive_whose_body_is_already_here_is_not_merged(
    sqlite_engine: Engine, clock: FixedClock, data_dir: Path, tmp_path: Path
) -> None:
    store = LocalFileStore(data_dir)
    quick_record(sqlite_engine, store, clock)
    with transaction(sqlite_engine) as s:
        export_body(s, store, "hwb", tmp_path / "archive", now=clock.now())
    with pytest.raises(InvalidInput, match="'hwb' already exists"), transaction(sqlite_engine) as s:
        import_archive(s, store, tmp_path / "archive", actor=Actor.cli("ops"), now=clock.now())


def test_export_refuses_a_folder_that_is_not_empty(
    sqlite_engine: Engine, clock: FixedClock, data_dir: Path, tmp_path: Path
) -> None:
    store = LocalFileStore(data_dir)
    quick_record(sqlite_engine, store, clock)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not empty"), transaction(sqlite_engine) as s:
        export_body(s, store, "hwb", tmp_path / "full", now=clock.now())


def test_every_table_is_either_part_of_the_record_or_named_as_operational() -> None:
    tables = {t.name for t in metadata.sorted_tables}
    assert tables == set(fmt.SCOPE) | fmt.NOT_RECORD, (
        "a new table: add it to agenda/archive/records.py SCOPE (exported) or NOT_RECORD"
    )
