"""LibreOffice runs confined: even a Word file that was *not* neutralised cannot make it fetch a
URL or read a linked server file (no network namespace, profile settings that refuse linked
content). These tests call the converter directly on raw hostile files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from agenda.documents import render
from tests.support import hostile
from tests.support.hostile import Secrets

pytestmark = pytest.mark.soffice


def test_libreoffice_fetches_nothing_even_from_an_unneutralised_linked_picture(
    tmp_path: Path,
) -> None:
    with hostile.listening() as listener:
        source = tmp_path / "linked.docx"
        source.write_bytes(hostile.linked_url_picture(listener))
        [out] = render.convert_to_pdf([source], tmp_path / "out")
    assert out.exists()
    assert listener.connections == []


def test_libreoffice_reads_no_linked_server_file_even_unneutralised(tmp_path: Path) -> None:
    secrets = Secrets.create(tmp_path / "secrets")
    source = tmp_path / "linked.docx"
    source.write_bytes(hostile.linked_local_picture(secrets))
    [out] = render.convert_to_pdf([source], tmp_path / "out")
    assert hostile.secret_pixels_in(out.read_bytes()) == 0


def test_without_unshare_rendering_falls_back_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("BOARDCLERK_RENDER_NETWORK", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no unshare to be found
    with caplog.at_level(logging.WARNING, logger="agenda.documents.render"):
        assert render._probe_isolation() == []
    assert "without network access" in caplog.text


def test_a_render_over_the_memory_limit_fails_cleanly_naming_the_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDCLERK_RENDER_MEMORY_MB", "64")  # far below what LibreOffice needs
    source = tmp_path / "plan.docx"
    source.write_bytes(hostile._base_docx())
    with pytest.raises(render.RenderFailed, match="Item 4 'Plan'"):
        render.convert_to_pdf([source], tmp_path / "out", labels=["Item 4 'Plan'"], timeout=30)
