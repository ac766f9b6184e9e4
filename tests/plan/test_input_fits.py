"""Every input fits where it goes (issue 13: on PostgreSQL a 400-character presenter, a
320-character file name, a 1,000-character title or a NUL in a summary made the submission or
plan change vanish). Too long is a clear error before anything is written; a long file name
is shortened; NUL is removed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agenda.board.models import Paper
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.errors import InvalidInput
from agenda.filestore import LocalFileStore
from agenda.plan.items import add_item
from agenda.plan.papers import submit_paper
from tests.plan.test_papers import a_docx, item_of
from tests.support.boards import ASC_DIRECTOR, CLERK, load_sample_board, meeting_refs

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def item(engine: Engine) -> int:
    load_sample_board(engine, NOW)
    return item_of(engine, "Better Care Fund Plan")


def _submit(engine: Engine, data_dir: Path, item: int, **kw: object) -> Paper:
    with transaction(engine) as session:
        receipt = submit_paper(
            session,
            LocalFileStore(data_dir),
            actor=Actor.slack(ASC_DIRECTOR),
            item_id=item,
            data=a_docx(),
            now=NOW,
            **{"file_name": "report.docx", **kw},  # type: ignore[arg-type]
        )
    with transaction(engine) as session:
        paper = session.get(Paper, receipt.paper_id)
        assert paper is not None
        return paper


def test_a_presenter_longer_than_its_column_is_refused_clearly(
    engine: Engine, data_dir: Path, item: int
) -> None:
    with pytest.raises(InvalidInput, match="presenter is 400 characters long; it can be at most"):
        _submit(engine, data_dir, item, presenter="P" * 400)


def test_a_320_character_file_name_is_shortened_and_the_paper_stored(
    engine: Engine, data_dir: Path, item: int
) -> None:
    paper = _submit(engine, data_dir, item, file_name="r" * 315 + ".docx")
    assert len(paper.file_name) == 300 and paper.file_name.endswith(".docx")


def test_a_nul_in_a_summary_is_removed_and_the_paper_stored(
    engine: Engine, data_dir: Path, item: int
) -> None:
    paper = _submit(engine, data_dir, item, executive_summary="Costs\x00 rise", title="T\x00itle")
    assert paper.executive_summary == "Costs rise" and paper.title == "Title"


def test_a_1000_character_item_title_is_refused_clearly(engine: Engine, item: int) -> None:
    with transaction(engine) as session, pytest.raises(InvalidInput, match="1000 characters"):
        add_item(
            session,
            actor=Actor.slack(CLERK),
            meeting_ref=meeting_refs(NOW.date())[0],
            title="T" * 1000,
            lead="L\x00ead",
            now=NOW,
        )
