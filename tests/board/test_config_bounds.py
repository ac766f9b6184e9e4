"""Hostile configuration and ids: the loader refuses billion-laughs files, deep nesting and
unhashable keys quickly, naming the file and line; an id no database can hold is 'no such
item' rather than an overflow."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agenda.board.config import load_config
from agenda.board.lookup import get_item
from agenda.db.engine import transaction
from agenda.errors import ConfigError, NotFound


def _billion_laughs() -> str:
    """closure_days built from nine levels of nine-fold aliases: 9**9 dates once expanded."""
    lines = ["organisation: Hostile Council", "anchors:"]
    lines.append("  - &a0 [" + ", ".join(["2027-01-01"] * 9) + "]")
    for level in range(1, 9):
        lines.append(f"  - &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    lines.append("closure_days: [" + ", ".join(["*a8"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _refusal(tmp_path: Path, text: str) -> tuple[ConfigError, float]:
    path = tmp_path / "boardclerk.yaml"
    path.write_text(text)
    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value, time.monotonic() - started


def test_a_billion_laughs_file_is_refused_quickly_with_file_and_line(tmp_path: Path) -> None:
    err, took = _refusal(tmp_path, _billion_laughs())
    assert took < 5  # the unguarded loader ran for 93 s and out of memory
    assert "expands to more than" in str(err)
    assert str(err).startswith(f"{tmp_path / 'boardclerk.yaml'}:")
    assert err.line is not None and 3 <= err.line <= 12


def test_deep_nesting_is_refused_with_a_clean_error(tmp_path: Path) -> None:
    err, _ = _refusal(tmp_path, "organisation: X\nclosure_days: " + "[" * 5000 + "]" * 5000)
    assert "nested more than" in str(err) and err.line == 2


def test_a_list_used_as_a_key_is_refused_with_its_line(tmp_path: Path) -> None:
    err, _ = _refusal(tmp_path, "organisation: X\n? [1, 2]\n: oops\n")
    assert "must be plain text" in str(err) and err.line == 2


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    err, _ = _refusal(tmp_path, "organisation: X\n" + "# padding\n" * 300_000)
    assert "larger than" in str(err)


@pytest.mark.parametrize("item_id", [2**31, 10**30, -1, 0])
def test_an_item_id_out_of_range_is_no_such_item(engine: Engine, item_id: int) -> None:
    with transaction(engine) as session, pytest.raises(NotFound, match="no forward plan item"):
        get_item(session, item_id)
