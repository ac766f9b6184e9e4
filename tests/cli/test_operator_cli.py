"""The operator's commands (``store check``, ``store migrate``, ``export``, ``import-archive``)
run as an operator runs them: real processes, a real database, local files and moto's S3
server on loopback."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.demo.papers import make_report_docx, sample_report_for
from agenda.filestore import LocalFileStore, sha256_of
from tests.support.boards import write_sample_config
from tests.support.s3server import S3

TODAY = dt.datetime.now(ZoneInfo("Europe/London")).date()
TITLES = ("Better Care Fund Plan", "Winter Plan")


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "BOARDCLERK_STORE"}
    base.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/bc.db",
            "BOARDCLERK_DATA_DIR": str(tmp_path / "data"),
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "agenda", *args],
        cwd=tmp_path,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def board_with_papers(tmp_path: Path, **env: str) -> list[bytes]:
    """The sample board with two papers filed by the clerk; the papers' bytes."""
    config = write_sample_config(tmp_path / "boardclerk.yaml", TODAY)
    assert run(tmp_path, "import", str(config), **env).returncode == 0
    ref = run(tmp_path, "meetings", **env).stdout.split()[0]
    plan = run(tmp_path, "forward-plan", **env).stdout
    papers = []
    for n, title in enumerate(TITLES):
        item = next(ln for ln in plan.splitlines() if title in ln).split()[0].lstrip("#")
        data = make_report_docx(
            sample_report_for(title, "HWB", TODAY), "council-appendix", pages=1, seed=n
        )
        (tmp_path / f"{n}.docx").write_bytes(data)
        done = run(tmp_path, "submit", ref, item, str(tmp_path / f"{n}.docx"), **env)
        assert done.returncode == 0, done.stderr
        papers.append(data)
    return papers


def test_store_check_names_every_missing_or_damaged_file(tmp_path: Path) -> None:
    first, second = board_with_papers(tmp_path)
    ok = run(tmp_path, "store", "check")
    assert ok.returncode == 0, ok.stderr
    assert "Checked 2 file(s)" in ok.stdout and "all present and whole" in ok.stdout
    store = LocalFileStore(tmp_path / "data")
    store.path(sha256_of(first)).write_bytes(b"bit rot")
    store.path(sha256_of(second)).unlink()
    bad = run(tmp_path, "store", "check")
    assert bad.returncode == 1
    assert (
        f"damaged (digest does not match): paper #1 v1 '0.docx' ({sha256_of(first)})" in bad.stdout
    )
    assert f"missing: paper #2 v1 '1.docx' ({sha256_of(second)})" in bad.stdout


def test_migrate_copies_the_local_store_to_s3_and_runs_again_safely(tmp_path: Path, s3: S3) -> None:
    papers = board_with_papers(tmp_path)
    aws = {k: v for k, v in s3.env.items() if k != "BOARDCLERK_STORE"}
    moved = run(tmp_path, "store", "migrate", "--to", s3.url, **aws)
    assert moved.returncode == 0, moved.stderr
    assert "Copied 2 file(s)" in moved.stdout and f"Set BOARDCLERK_STORE={s3.url}" in moved.stdout
    assert s3.object_keys() == sorted(
        f"boardclerk/objects/{sha256_of(p)[:2]}/{sha256_of(p)}" for p in papers
    )
    # Interrupted half-way (one object never arrived): running it again finishes the copy.
    s3.client().delete_object(Bucket=s3.bucket, Key=s3.object_keys()[0])
    again = run(tmp_path, "store", "migrate", "--to", s3.url, **aws)
    assert again.returncode == 0, again.stderr
    assert "Copied 1 file(s)" in again.stdout and "1 were already there" in again.stdout
    # The processes switched over: the same records, read from S3, on an empty disk.
    on_s3 = {**s3.env, "BOARDCLERK_DATA_DIR": str(tmp_path / "new-host")}
    check = run(tmp_path, "store", "check", **on_s3)
    assert check.returncode == 0 and "all present and whole" in check.stdout
    assert f"in {s3.url}" in check.stdout


def test_migrate_refuses_to_copy_a_damaged_file(tmp_path: Path, s3: S3) -> None:
    first, _ = board_with_papers(tmp_path)
    LocalFileStore(tmp_path / "data").path(sha256_of(first)).write_bytes(b"bit rot")
    aws = {k: v for k, v in s3.env.items() if k != "BOARDCLERK_STORE"}
    moved = run(tmp_path, "store", "migrate", "--to", s3.url, **aws)
    assert moved.returncode == 1
    assert (
        f"damaged in {tmp_path / 'data' / 'objects'}, not copied: {sha256_of(first)}"
        in moved.stdout
    )
    assert "missing: paper #1 v1 '0.docx'" in moved.stdout  # and the check says what it means
    assert len(s3.object_keys()) == 1


@pytest.mark.parametrize("url", ["ftp://somewhere", "s3://"])
def test_migrate_to_a_store_that_is_not_s3_says_what_it_takes(tmp_path: Path, url: str) -> None:
    bad = run(tmp_path, "store", "migrate", "--to", url)
    assert bad.returncode == 1 and "s3://bucket/prefix" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_export_then_import_archive_moves_a_body_to_a_deployment_on_s3(
    tmp_path: Path, s3: S3
) -> None:
    papers = board_with_papers(tmp_path)
    exported = run(tmp_path, "export", "hwb", str(tmp_path / "hwb-archive"))
    assert exported.returncode == 0, exported.stderr
    assert "2 papers" in exported.stdout and "manifest.json" in exported.stdout
    new = tmp_path / "new"
    new.mkdir()
    there = {**s3.env, "DATABASE_URL": f"sqlite:///{new}/bc.db", "BOARDCLERK_DATA_DIR": str(new)}
    imported = run(new, "import-archive", str(tmp_path / "hwb-archive"), **there)
    assert imported.returncode == 0, imported.stderr
    assert "Imported 'hwb'" in imported.stdout and "2 stored file(s)" in imported.stdout
    ref = run(new, "meetings", **there).stdout.split()[0]
    assert "received v1" in run(new, "status", ref, **there).stdout
    assert run(new, "store", "check", **there).returncode == 0
    assert {k.rsplit("/", 1)[1] for k in s3.object_keys()} == {sha256_of(p) for p in papers}
    again = run(new, "import-archive", str(tmp_path / "hwb-archive"), **there)
    assert again.returncode == 0 and "nothing to change" in again.stdout
