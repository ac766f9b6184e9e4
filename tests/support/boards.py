"""The sample board used across the tests: the demo's configuration, dated from the test clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from agenda.board.config import BoardConfig, parse_config
from agenda.db.engine import transaction
from agenda.demo.run import sample_config, sample_meeting_dates
from agenda.documents.house_style import style_names
from agenda.plan.importer import ImportReport, import_config

CLERK = "U0CLERK01"
CHAIR = "U0CHAIR01"
PUBLIC_HEALTH = "U0AUTH001"  # author of the strategy refresh and the needs assessment
ASC_DIRECTOR = "U0OFFI001"  # author of the Better Care Fund plan and the exempt contract award
CCG = "U0AUTH002"  # author of the Winter Plan
STRANGER = "U0NOBODY9"


def sample_text(today: dt.date) -> str:
    return sample_config(today)


def sample_board(today: dt.date) -> BoardConfig:
    return parse_config(sample_config(today), "boardclerk.yaml", styles=style_names())


def meeting_refs(today: dt.date) -> list[str]:
    return [f"hwb:{d.isoformat()}" for d in sample_meeting_dates(today)]


def load_sample_board(engine: Engine, now: dt.datetime) -> ImportReport:
    with transaction(engine) as session:
        return import_config(session, sample_board(now.date()), now=now)


def write_sample_config(path: Path, today: dt.date) -> Path:
    path.write_text(sample_config(today), encoding="utf-8")
    return path
