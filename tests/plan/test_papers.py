"""Submitting papers: versions are never overwritten, late papers are marked, bad files and
failures lose nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from agenda.board.due import item_due_at
from agenda.board.models import ForwardPlanItem, Paper
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.demo.papers import (
    make_encrypted_pdf,
    make_macro_docm,
    make_report_docx,
    make_report_pdf,
    sample_reports,
)
from agenda.errors import DeadlinePassed, PaperRejected, PermissionDenied
from agenda.filestore import sha256_of
from agenda.plan.papers import submit_paper
from tests.support.boards import ASC_DIRECTOR, CLERK, PUBLIC_HEALTH, STRANGER, load_sample_board


@pytest.fixture
def board(engine, clock):  # type: ignore[no-untyped-def]
    load_sample_board(engine, clock.now())


def item_of(engine, title: str) -> int:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        return session.scalar(select(ForwardPlanItem.id).where(ForwardPlanItem.title == title))


def a_docx(seed: int = 0) -> bytes:
    report = sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1, seed=seed)[0]
    return make_report_docx(report, "council-appendix", pages=2, seed=seed)


def submit(
    engine,
    store,
    who: str,
    item: int,
    data: bytes,
    now: dt.datetime,  # type: ignore[no-untyped-def]
    name: str = "report.docx",
    **kw,
):
    with transaction(engine) as session:
        return submit_paper(
            session,
            store,
            actor=Actor.slack(who),
            item_id=item,
            file_name=name,
            data=data,
            now=now,
            **kw,
        )


def test_author_submits_and_gets_a_receipt(engine, clock, board, store) -> None:  # type: ignore[no-untyped-def]
    bcf = item_of(engine, "Better Care Fund Plan")
    data = a_docx()
    receipt = submit(
        engine,
        store,
        ASC_DIRECTOR,
        bcf,
        data,
        clock.now(),
        recommendations="Note the plan\n\n- Approve the pooled budget\n",
    )
    assert receipt.version == 1 and receipt.on_time and receipt.file_kind == "docx"
    assert receipt.item_title == "Better Care Fund Plan" and receipt.due_at is not None
    assert store.get(receipt.sha256) == data and receipt.sha256 == sha256_of(data)
    with transaction(engine) as session:
        paper = session.get(Paper, receipt.paper_id)
        assert paper.recommendations == ["Note the plan", "Approve the pooled budget"]
        assert paper.submitted_by == ASC_DIRECTOR


def test_resubmission_is_a_new_version_and_the_old_one_is_kept(engine, clock, board, store) -> None:  # type: ignore[no-untyped-def]
    bcf = item_of(engine, "Better Care Fund Plan")
    first = submit(engine, store, ASC_DIRECTOR, bcf, a_docx(1), clock.now())
    second = submit(
        engine, store, ASC_DIRECTOR, bcf, a_docx(2), clock.now() + dt.timedelta(hours=1)
    )
    assert (first.version, second.version) == (1, 2)
    with transaction(engine) as session:
        item = session.get(ForwardPlanItem, bcf)
        assert [p.version for p in item.papers] == [1, 2]
        assert item.current_paper.sha256 == second.sha256
    assert store.exists(first.sha256) and store.exists(second.sha256)


def test_paper_after_the_deadline_is_accepted_and_marked_late(engine, clock, board, store) -> None:  # type: ignore[no-untyped-def]
    winter = item_of(engine, "Winter Plan")
    with transaction(engine) as session:
        due = item_due_at(session.get(ForwardPlanItem, winter))
    receipt = submit(
        engine,
        store,
        "U0AUTH002",
        winter,
        a_docx(),
        due + dt.timedelta(minutes=1),
        late_reason="Waiting for the NHS winter data",
    )
    assert not receipt.on_time
    assert receipt.late_reason == "Waiting for the NHS winter data"
    assert receipt.clerk_slack_ids == (CLERK,)
    assert "LATE" in receipt.summary()


def test_pdf_paper_records_its_page_count(engine, clock, board, store) -> None:  # type: ignore[no-untyped-def]
    bcf = item_of(engine, "Better Care Fund Plan")
    report = sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1)[0]
    receipt = submit(
        engine,
        store,
        ASC_DIRECTOR,
        bcf,
        make_report_pdf(report, "council-appendix", pages=5),
        clock.now(),
        name="bcf.pdf",
    )
    with transaction(engine) as session:
        assert session.get(Paper, receipt.paper_id).pages == 5


@pytest.mark.parametrize("who", [PUBLIC_HEALTH, STRANGER])
def test_only_named_authors_and_the_clerk_may_submit(engine, clock, board, store, who) -> None:  # type: ignore[no-untyped-def]
    bcf = item_of(engine, "Better Care Fund Plan")
    with pytest.raises(PermissionDenied, match="not named as an author"):
        submit(engine, store, who, bcf, a_docx(), clock.now())
    assert submit(engine, store, CLERK, bcf, a_docx(), clock.now()).version == 1


@pytest.mark.parametrize(
    "data,name,message",
    [
        (make_macro_docm(), "budget.docm", "macro"),
        (make_encrypted_pdf(), "plan.pdf", "password"),
        (b"", "empty.docx", "empty"),
        (b"GIF89a not a paper", "photo.docx", "not a word document or pdf"),
    ],
)
def test_bad_file_is_refused_and_the_previous_version_stays_current(  # type: ignore[no-untyped-def]
    engine, clock, board, store, data, name, message
) -> None:
    bcf = item_of(engine, "Better Care Fund Plan")
    good = submit(engine, store, ASC_DIRECTOR, bcf, a_docx(), clock.now())
    with pytest.raises(PaperRejected) as info:
        submit(engine, store, ASC_DIRECTOR, bcf, data, clock.now(), name=name)
    assert message in str(info.value).lower()
    with transaction(engine) as session:
        assert session.get(ForwardPlanItem, bcf).current_paper.sha256 == good.sha256
        assert session.scalar(select(func.count()).select_from(Paper)) == 1


def test_failure_after_the_file_is_stored_leaves_the_previous_version_current(  # type: ignore[no-untyped-def]
    engine, clock, board, store
) -> None:
    bcf = item_of(engine, "Better Care Fund Plan")
    good = submit(engine, store, ASC_DIRECTOR, bcf, a_docx(1), clock.now())
    second = a_docx(2)

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction(engine) as session:
        submit_paper(
            session,
            store,
            actor=Actor.slack(ASC_DIRECTOR),
            item_id=bcf,
            file_name="v2.docx",
            data=second,
            now=clock.now(),
        )
        raise Crash  # e.g. the process dies before the commit
    assert store.exists(sha256_of(second))  # the bytes were stored first...
    with transaction(engine) as session:  # ...but the current version is unchanged
        item = session.get(ForwardPlanItem, bcf)
        assert [p.version for p in item.papers] == [1]
        assert item.current_paper.sha256 == good.sha256
    assert submit(engine, store, ASC_DIRECTOR, bcf, second, clock.now()).version == 2


def test_no_papers_for_a_meeting_that_has_happened(engine, clock, board, store) -> None:  # type: ignore[no-untyped-def]
    bcf = item_of(engine, "Better Care Fund Plan")
    with pytest.raises(DeadlinePassed, match="already taken place"):
        submit(engine, store, ASC_DIRECTOR, bcf, a_docx(), clock.now() + dt.timedelta(days=60))


def test_no_papers_for_a_cancelled_meeting(engine, clock, board, store) -> None:  # type: ignore[no-untyped-def]
    bcf = item_of(engine, "Better Care Fund Plan")
    with transaction(engine) as session:
        session.get(ForwardPlanItem, bcf).meeting.status = "cancelled"
    with pytest.raises(DeadlinePassed, match="cancelled"):
        submit(engine, store, ASC_DIRECTOR, bcf, a_docx(), clock.now())


def _untagged_untitled_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 700, "Better Care Fund plan")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_body_that_requires_accessible_papers_refuses_a_failing_one_with_the_list(
    engine, clock, board, store
) -> None:  # type: ignore[no-untyped-def]
    from agenda.board.models import Body

    with transaction(engine) as session:
        for body in session.scalars(select(Body)):
            body.accessibility = "require"
    bcf = item_of(engine, "Better Care Fund Plan")
    with pytest.raises(PaperRejected) as err:
        submit(engine, store, ASC_DIRECTOR, bcf, _untagged_untitled_pdf(), clock.now(), "a.pdf")
    assert "The PDF has no title" in str(err.value) and "not tagged" in str(err.value)
    with transaction(engine) as session:
        assert session.scalar(select(func.count(Paper.id))) == 0


def test_a_failing_paper_is_accepted_under_warn_and_its_result_kept(
    engine, clock, board, store
) -> None:  # type: ignore[no-untyped-def]
    bcf = item_of(engine, "Better Care Fund Plan")
    receipt = submit(
        engine, store, ASC_DIRECTOR, bcf, _untagged_untitled_pdf(), clock.now(), "a.pdf"
    )
    assert receipt.version == 1
    assert "The PDF is not tagged" in receipt.summary()
    with transaction(engine) as session:
        [paper] = session.scalars(select(Paper))
        assert {f["code"] for f in paper.accessibility["findings"]} == {"no-title", "untagged"}
