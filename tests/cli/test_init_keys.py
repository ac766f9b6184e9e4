"""`boardclerk init` writes a key for every forward plan item, so renaming an item's title in
the file later keeps it the same item instead of creating a silent duplicate."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, select

from agenda.board.config import load_config
from agenda.board.models import ForwardPlanItem
from agenda.cli.main import main
from agenda.clock import utcnow
from agenda.db.engine import transaction
from agenda.plan.importer import import_config


def test_init_writes_a_key_for_every_item_and_a_renamed_title_stays_one_item(
    tmp_path: Path, sqlite_engine: Engine
) -> None:
    path = tmp_path / "boardclerk.yaml"
    result = CliRunner().invoke(main, ["init", str(path)])
    assert result.exit_code == 0, result.output
    config = load_config(path)
    assert config.forward_plan and all(
        item.key and item.key != item.title for item in config.forward_plan
    )
    with transaction(sqlite_engine) as s:
        import_config(s, config, now=utcnow())
    path.write_text(path.read_text().replace("title: Winter Plan,", "title: Winter Plan 2027/28,"))
    with transaction(sqlite_engine) as s:
        import_config(s, load_config(path), now=utcnow())
        titles = [i.title for i in s.scalars(select(ForwardPlanItem))]
    assert "Winter Plan 2027/28" in titles and "Winter Plan" not in titles
