"""The command line, run as a clerk would run it: a real process on a real database."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.boards import write_sample_config

pytestmark = pytest.mark.slow  # each test starts `python -m agenda` processes

TODAY = dt.datetime.now(ZoneInfo("Europe/London")).date()


def run(tmp_path: Path, *args: str, db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": db or f"sqlite:///{tmp_path}/bc.db",
        "BOARDCLERK_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "agenda", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_sample_config(tmp_path / "boardclerk.yaml", TODAY)


def test_import_twice_reports_nothing_to_change(tmp_path, config, db_url) -> None:  # type: ignore[no-untyped-def]
    first = run(tmp_path, "import", str(config), db=db_url)
    assert first.returncode == 0, first.stderr
    assert "Imported:" in first.stdout and "meeting hwb:" in first.stdout
    second = run(tmp_path, "import", str(config), db=db_url)
    assert second.returncode == 0, second.stderr
    assert "Nothing to change" in second.stdout


def test_meetings_forward_plan_and_status(tmp_path, config) -> None:  # type: ignore[no-untyped-def]
    assert run(tmp_path, "import", str(config)).returncode == 0
    meetings = run(tmp_path, "meetings")
    assert meetings.returncode == 0, meetings.stderr
    ref = meetings.stdout.split()[0]
    assert ref.startswith("hwb:") and "papers due" in meetings.stdout
    plan = run(tmp_path, "forward-plan")
    assert "Better Care Fund Plan" in plan.stdout and "[EXEMPT]" in plan.stdout
    status = run(tmp_path, "status", ref)
    assert status.returncode == 0 and "0 of 5 papers received" in status.stdout


def test_clerk_files_a_paper_from_the_command_line(tmp_path, config) -> None:  # type: ignore[no-untyped-def]
    from agenda.demo.papers import make_report_docx, sample_reports

    assert run(tmp_path, "import", str(config)).returncode == 0
    ref = run(tmp_path, "meetings").stdout.split()[0]
    plan = run(tmp_path, "forward-plan").stdout
    line = next(ln for ln in plan.splitlines() if "Better Care Fund Plan" in ln)
    item = line.split()[0].lstrip("#")
    paper = tmp_path / "bcf.docx"
    paper.write_bytes(
        make_report_docx(sample_reports("HWB", TODAY, 1)[0], "council-appendix", pages=2)
    )
    result = run(tmp_path, "submit", ref, item, str(paper))
    assert result.returncode == 0, result.stderr
    assert "as version 1" in result.stdout and "on time" in result.stdout
    # The sample paper's tables have no header row: the clerk is told what to fix ...
    assert "3 tables have no header row" in result.stdout and "Repeat Header Rows" in result.stdout
    status = run(tmp_path, "status", ref).stdout
    assert "received v1" in status
    # ... and status shows the paper's result.
    assert "1 accessibility issue: table-header" in status


def test_unknown_meeting_and_item_name_what_exists(tmp_path, config) -> None:  # type: ignore[no-untyped-def]
    assert run(tmp_path, "import", str(config)).returncode == 0
    bad = run(tmp_path, "status", "hwb:2031-01-01")
    assert bad.returncode == 1
    assert "no meeting on 1 January 2031" in bad.stderr and "Its meetings: hwb:" in bad.stderr
    body = run(tmp_path, "status", "cabinet:2031-01-01")
    assert "no body called 'cabinet'. Bodies: hwb" in body.stderr
    item = run(tmp_path, "move-item", "9999", "hwb:2031-01-01")
    assert item.returncode == 1 and "no forward plan item 9999" in item.stderr
    assert "Traceback" not in bad.stderr + body.stderr + item.stderr


def test_init_writes_a_config_that_imports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run(tmp_path, "init").returncode == 0
    assert run(tmp_path, "init").returncode == 1  # never overwrites by accident
    result = run(tmp_path, "import", "boardclerk.yaml")
    assert result.returncode == 0, result.stderr


def test_db_upgrade_on_postgres_then_commands_work(tmp_path, config, db_url) -> None:  # type: ignore[no-untyped-def]
    result = run(tmp_path, "db", "upgrade", db=db_url)
    assert result.returncode == 0 and "up to date" in result.stdout
    assert run(tmp_path, "import", str(config), db=db_url).returncode == 0


@pytest.mark.soffice
def test_supplementary_pack_from_the_command_line_has_only_the_changed_paper(
    tmp_path, config
) -> None:  # type: ignore[no-untyped-def]
    from agenda.demo.papers import make_report_docx, sample_report_for

    assert run(tmp_path, "import", str(config)).returncode == 0
    ref = run(tmp_path, "meetings").stdout.split()[0]
    plan = run(tmp_path, "forward-plan").stdout
    ids = {
        title: next(ln for ln in plan.splitlines() if title in ln).split()[0].lstrip("#")
        for title in ("Better Care Fund Plan", "Winter Plan")
    }
    for n, (title, item) in enumerate(ids.items()):
        paper = tmp_path / f"{item}.docx"
        paper.write_bytes(
            make_report_docx(
                sample_report_for(title, "HWB", TODAY), "council-appendix", pages=2, seed=n
            )
        )
        assert run(tmp_path, "submit", ref, item, str(paper)).returncode == 0
    first = run(tmp_path, "pack", ref, "--format", "pdf", "--out", "pack1")
    assert first.returncode == 0, first.stderr
    assert "Appendix A" in first.stdout and "Appendix B" in first.stdout
    winter = tmp_path / "winter-v2.docx"
    winter.write_bytes(
        make_report_docx(
            sample_report_for("Winter Plan", "HWB", TODAY), "council-appendix", pages=3, seed=9
        )
    )
    assert run(tmp_path, "submit", ref, ids["Winter Plan"], str(winter)).returncode == 0
    supplement = run(tmp_path, "pack", ref, "--supplementary", "--format", "pdf", "--out", "pack2")
    assert supplement.returncode == 0, supplement.stderr
    assert "paper v2" in supplement.stdout and "v1" not in supplement.stdout
    pdf = next((tmp_path / "pack2").glob("*supplementary-pack.pdf"))  # not the papers' own
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "SUPPLEMENTARY" in text.upper() and "WINTER PLAN" in text.upper()
    assert "BETTER CARE FUND PLAN" not in text.upper()
