"""`boardclerk demo`: the one command that shows the whole product working."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the whole demo, in a process of its own


def test_demo_prints_the_readiness_of_the_sample_meeting(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "agenda", "demo", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Forward plan:" in text and "Better Care Fund Plan" in text
    assert "Readiness:" in text
    assert "4 of 5 papers received, 1 outstanding" in text
    assert "LATE" in text  # the Winter Plan comes in a day late
    assert (out / "boardclerk.yaml").exists() and (out / "boardclerk-demo.db").exists()
    # The minutes loop: approved minutes become Appendix A of the next meeting, numbering runs on.
    assert "MINUTES OF THE PREVIOUS MEETING' is Appendix A" in text
    assert "Minutes of the next meeting start at 75" in text and "(minutes 75-" in text
    _check_public_pdfs(out)


def _check_public_pdfs(out: Path) -> None:
    """Every public PDF the demo writes has a language, a title shown in the title bar and
    embedded fonts; each Word paper's own PDF (the one with a web page beside it) is tagged.
    The merged pack is tagged too (the papers' trees grafted back after merging)."""
    from agenda.documents.tagging import pdf_facts

    public = [
        p
        for p in out.rglob("*.pdf")
        if "private" not in p.name
        # not the store, nor the public site's copies of the papers as their authors sent them
        and not {"data", "site"} & set(p.relative_to(out).parts)
    ]
    assert any("agenda-pack" in p.name for p in public) and any("-item-" in p.name for p in public)
    for path in public:
        facts = pdf_facts(path)
        assert facts.language == "en-GB" and facts.title and facts.display_doc_title, path
        if path.with_suffix(".html").exists():
            assert facts.accessible, (path, facts)
        if "agenda-pack" in path.name:
            assert facts.unembedded_fonts == () and facts.tagged and facts.marked, (path, facts)


def test_demo_is_the_same_whatever_the_day(tmp_path: Path) -> None:
    from agenda.demo.run import run_demo

    lines: list[str] = []
    run_demo(tmp_path / "a", echo=lines.append, today=dt.date(2027, 12, 20))  # over Christmas
    assert any("4 of 5 papers received" in line for line in lines)


def test_demo_without_libreoffice_skips_the_pack_and_says_why(tmp_path: Path) -> None:
    empty = tmp_path / "bin"  # a PATH on which there is no soffice
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "agenda", "demo", "--out", str(tmp_path / "demo")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": str(empty)},
    )
    assert result.returncode == 0, result.stderr
    assert "Agenda pack: skipped. LibreOffice is not installed" in result.stdout
    assert "Minutes skeleton" in result.stdout and "Traceback" not in result.stderr
