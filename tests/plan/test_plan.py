"""The forward plan: only the clerk changes it; every move is kept; exempt details stay private."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agenda.board.models import AuditEvent, ForwardPlanItem
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.errors import DeadlinePassed, InvalidInput, NotFound, PermissionDenied
from agenda.plan.items import AuthorRef, add_item, forward_plan, move_item, withdraw_item
from tests.support.boards import (
    ASC_DIRECTOR,
    CHAIR,
    CLERK,
    PUBLIC_HEALTH,
    load_sample_board,
    meeting_refs,
)


@pytest.fixture
def board(engine, clock):  # type: ignore[no-untyped-def]
    load_sample_board(engine, clock.now())
    return meeting_refs(clock.now().date())


def item_id(engine, title: str) -> int:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        return session.scalar(select(ForwardPlanItem.id).where(ForwardPlanItem.title == title))


def test_clerk_adds_an_item_with_authors(engine, clock, board) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        view = add_item(
            session,
            actor=Actor.slack(CLERK),
            meeting_ref=board[0],
            title="  Child   Poverty Commission ",
            kind="report",
            lead="Director of Public Health",
            authors=[AuthorRef(slack_id=PUBLIC_HEALTH)],
            now=clock.now(),
        )
    assert view.title == "Child Poverty Commission"
    assert view.author_slack_ids == (PUBLIC_HEALTH,)
    assert view.meeting_ref == board[0] and view.due_at is not None
    with transaction(engine) as session:
        plan = forward_plan(session, body_key="hwb", now=clock.now())
        assert plan[0].items[-1].title == "Child Poverty Commission"
        assert (
            session.scalar(select(AuditEvent).where(AuditEvent.action == "item.add")).actor == CLERK
        )


@pytest.mark.parametrize("who", [CHAIR, PUBLIC_HEALTH, "U0NOBODY9"])
def test_only_the_clerk_changes_the_forward_plan(engine, clock, board, who) -> None:  # type: ignore[no-untyped-def]
    winter = item_id(engine, "Winter Plan")
    with transaction(engine) as session, pytest.raises(PermissionDenied, match="Only the clerk"):
        add_item(session, actor=Actor.slack(who), meeting_ref=board[0], title="X", now=clock.now())
    with transaction(engine) as session, pytest.raises(PermissionDenied):
        move_item(
            session,
            actor=Actor.slack(who),
            item_id=winter,
            to_meeting_ref=board[1],
            now=clock.now(),
        )
    with transaction(engine) as session, pytest.raises(PermissionDenied):
        withdraw_item(session, actor=Actor.slack(who), item_id=winter, now=clock.now())
    with transaction(engine) as session:
        assert session.get(ForwardPlanItem, winter).meeting.ref == board[0]


def test_deferring_an_item_keeps_its_history(engine, clock, board) -> None:  # type: ignore[no-untyped-def]
    winter = item_id(engine, "Winter Plan")
    with transaction(engine) as session:
        view = move_item(
            session,
            actor=Actor.slack(CLERK),
            item_id=winter,
            to_meeting_ref=board[1],
            reason="awaiting NHS data",
            now=clock.now(),
        )
    assert view.meeting_ref == board[1]
    with transaction(engine) as session:
        item = session.get(ForwardPlanItem, winter)
        moves = [(m.action, m.reason, m.actor) for m in item.moves]
        assert moves == [("planned", None, "config-import"), ("moved", "awaiting NHS data", CLERK)]
        first = forward_plan(session, body_key="hwb", now=clock.now())[0]
        assert "Winter Plan" not in [i.title for i in first.items]


def test_withdrawn_item_is_kept_but_leaves_the_plan(engine, clock, board) -> None:  # type: ignore[no-untyped-def]
    pna = item_id(engine, "Pharmaceutical Needs Assessment")
    with transaction(engine) as session:
        withdraw_item(
            session, actor=Actor.slack(CLERK), item_id=pna, reason="superseded", now=clock.now()
        )
    with transaction(engine) as session:
        assert session.get(ForwardPlanItem, pna).status == "withdrawn"
        titles = [i.title for i in forward_plan(session, body_key="hwb", now=clock.now())[0].items]
        assert "Pharmaceutical Needs Assessment" not in titles
        with pytest.raises(InvalidInput, match="withdrawn"):
            move_item(
                session,
                actor=Actor.slack(CLERK),
                item_id=pna,
                to_meeting_ref=board[1],
                now=clock.now(),
            )


def test_unknown_meeting_names_the_meetings_that_exist(engine, clock, board) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session, pytest.raises(NotFound) as info:
        add_item(
            session,
            actor=Actor.slack(CLERK),
            meeting_ref="hwb:2031-01-01",
            title="X",
            now=clock.now(),
        )
    assert board[0] in str(info.value) and board[1] in str(info.value)
    with transaction(engine) as session, pytest.raises(NotFound, match="Bodies: hwb"):
        add_item(
            session,
            actor=Actor.slack(CLERK),
            meeting_ref="cabinet:2027-04-01",
            title="X",
            now=clock.now(),
        )


def test_exempt_item_needs_a_reason(engine, clock, board) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session, pytest.raises(InvalidInput, match="Schedule 12A"):
        add_item(
            session,
            actor=Actor.slack(CLERK),
            meeting_ref=board[0],
            title="Land sale",
            exempt=True,
            now=clock.now(),
        )


def test_exempt_reason_is_hidden_from_people_who_are_not_clerk_or_author(
    engine, clock, board
) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        for who, sees in (
            (CLERK, True),
            (ASC_DIRECTOR, True),
            (CHAIR, False),
            (PUBLIC_HEALTH, False),
        ):
            items = forward_plan(session, body_key="hwb", now=clock.now(), viewer=Actor.slack(who))[
                0
            ].items
            award = [i for i in items if i.title == "Care Home Contract Award"][0]
            assert award.exempt
            assert (award.exempt_reason is not None) is sees, who


def test_cannot_move_an_item_to_a_past_meeting(engine, clock, board) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    winter = item_id(engine, "Winter Plan")
    clock.advance(dt.timedelta(days=100))  # past the first two meetings
    with transaction(engine) as session, pytest.raises(DeadlinePassed, match="already taken place"):
        move_item(
            session,
            actor=Actor.slack(CLERK),
            item_id=winter,
            to_meeting_ref=board[1],
            now=clock.now(),
        )
