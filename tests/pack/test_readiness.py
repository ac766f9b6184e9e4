"""A meeting's readiness, as the clerk and the chair see it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from agenda.board.due import item_due_at
from agenda.board.models import ForwardPlanItem
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.demo.papers import make_report_docx, sample_reports
from agenda.filestore import LocalFileStore
from agenda.pack.readiness import (
    EXPECTED,
    LATE,
    NO_PAPER,
    RECEIVED,
    RECEIVED_LATE,
    meeting_readiness,
)
from agenda.plan.papers import submit_paper
from tests.support.boards import ASC_DIRECTOR, CCG, load_sample_board, meeting_refs


def test_readiness_shows_received_late_and_outstanding(engine, clock, data_dir) -> None:  # type: ignore[no-untyped-def]
    load_sample_board(engine, clock.now())
    ref = meeting_refs(clock.now().date())[0]
    store = LocalFileStore(data_dir)
    report = sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1)[0]
    data = make_report_docx(report, "council-appendix", pages=2)
    with transaction(engine) as session:
        items = {i.title: i for i in session.scalars(select(ForwardPlanItem))}
        due = item_due_at(items["Winter Plan"])
        submit_paper(
            session,
            store,
            actor=Actor.slack(ASC_DIRECTOR),
            item_id=items["Better Care Fund Plan"].id,
            file_name="bcf.docx",
            data=data,
            now=due - dt.timedelta(days=2),
        )
        submit_paper(
            session,
            store,
            actor=Actor.slack(CCG),
            item_id=items["Winter Plan"].id,
            file_name="winter.docx",
            data=data,
            now=due + dt.timedelta(hours=3),
        )
    with transaction(engine) as session:
        before = meeting_readiness(session, ref, now=due - dt.timedelta(days=1))
        after = meeting_readiness(session, ref, now=due + dt.timedelta(days=1))
    states = {r.item.title: r.state for r in after.items}
    assert states["Better Care Fund Plan"] == RECEIVED
    assert states["Winter Plan"] == RECEIVED_LATE
    assert states["Pharmaceutical Needs Assessment"] == LATE
    assert states["Peer Challenge Review Feedback"] == NO_PAPER
    assert {r.item.title: r.state for r in before.items}[
        "Pharmaceutical Needs Assessment"
    ] == EXPECTED
    assert after.expected == 5 and after.received == 2
    assert after.headline() == "2 of 5 papers received, 3 outstanding, 4 late"
    assert after.papers_due == due and after.publication < dt.date(2027, 4, 8)
