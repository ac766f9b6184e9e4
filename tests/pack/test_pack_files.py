"""Pack files land in the clerk's folder like any other file they save."""

from __future__ import annotations

import stat
from pathlib import Path

from agenda.pack.build import PackOutput, PackResult, write_outputs


def test_pack_files_get_the_same_ordinary_permissions_as_the_minutes(tmp_path: Path) -> None:
    stored = tmp_path / "stored.pdf"
    stored.write_bytes(b"%PDF-1.4 pack")
    result = PackResult(
        "hwb:2027-04-01",
        "public",
        False,
        {"pdf": PackOutput("pdf", "hwb-2027-04-01-agenda-pack.pdf", "0" * 64, stored, 1, 1)},
        {},
        (),
    )
    out = tmp_path / "out"
    [pack] = write_outputs(result, out)
    minutes = out / "minutes.docx"
    minutes.write_bytes(b"minutes")  # how the minutes command writes its file
    assert stat.S_IMODE(pack.stat().st_mode) == stat.S_IMODE(minutes.stat().st_mode)
    assert pack.read_bytes() == b"%PDF-1.4 pack"
