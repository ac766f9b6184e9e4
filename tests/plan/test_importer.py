"""Importing the configuration: everything lands, and a second import changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from agenda.board.models import (
    AuditEvent,
    Body,
    ForwardPlanItem,
    ItemMove,
    Meeting,
    Member,
    Organisation,
)
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.plan.importer import import_config
from agenda.plan.items import move_item
from tests.support.boards import load_sample_board, meeting_refs, sample_board

TABLES = (Organisation, Body, Member, Meeting, ForwardPlanItem, ItemMove, AuditEvent)


def counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {t.__tablename__: conn.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_import_loads_the_board(engine, clock) -> None:  # type: ignore[no-untyped-def]
    report = load_sample_board(engine, clock.now())
    assert report.changed
    with transaction(engine) as session:
        body = session.scalar(select(Body).where(Body.key == "hwb"))
        assert body.organisation.name == "Leicester City Council"
        assert body.next_minute_number == 61
        clerk = [m for m in body.members if m.role == "clerk"]
        assert [c.name for c in clerk] == ["Graham Carey"]
        chair = [m for m in body.members if m.role == "chair"][0]
        assert chair.group == "Councillors" and chair.title == "Deputy City Mayor"
        first = body.meetings[0]
        assert first.starts_at.tzinfo is not None
        # 14:00 London time, whatever the season.
        assert (
            first.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).hour == 14
        )
        titles = [i.title for i in first.items]
        assert titles[0] == "Better Care Fund Plan" and "Care Home Contract Award" in titles
        exempt = [i for i in first.items if i.exempt][0]
        assert "Schedule 12A" in (exempt.exempt_reason or "")


def test_second_import_changes_nothing(engine, clock) -> None:  # type: ignore[no-untyped-def]
    load_sample_board(engine, clock.now())
    before = counts(engine)
    report = load_sample_board(engine, clock.now())
    assert not report.changed, report.updated
    assert counts(engine) == before


def test_import_keeps_an_item_where_the_clerk_moved_it(engine, clock) -> None:  # type: ignore[no-untyped-def]
    load_sample_board(engine, clock.now())
    first, second, _ = meeting_refs(clock.now().date())
    with transaction(engine) as session:
        item = session.scalar(select(ForwardPlanItem).where(ForwardPlanItem.title == "Winter Plan"))
        move_item(
            session,
            actor=Actor.slack("U0CLERK01"),
            item_id=item.id,
            to_meeting_ref=second,
            reason="data not ready",
            now=clock.now(),
        )
    report = load_sample_board(engine, clock.now())
    assert not report.changed
    assert any("Winter Plan" in k for k in report.kept)
    with transaction(engine) as session:
        item = session.scalar(select(ForwardPlanItem).where(ForwardPlanItem.title == "Winter Plan"))
        assert item.meeting.ref == second
        assert [m.action for m in item.moves] == ["planned", "moved"]


def test_member_dropped_from_the_file_is_marked_as_left_not_deleted(engine, clock) -> None:  # type: ignore[no-untyped-def]
    load_sample_board(engine, clock.now())
    config = sample_board(clock.now().date())
    body = config.bodies[0]
    fewer = body.__class__(**{**body.__dict__, "members": body.members[:-1]})
    with transaction(engine) as session:
        report = import_config(
            session, config.__class__(**{**config.__dict__, "bodies": (fewer,)}), now=clock.now()
        )
    assert any("Karen Chouhan of hwb (left)" in u for u in report.updated)
    with transaction(engine) as session:
        gone = session.scalar(select(Member).where(Member.name == "Karen Chouhan"))
        assert gone is not None and gone.active is False


def test_meeting_on_a_bank_holiday_or_added_late_is_reported(engine, clock) -> None:  # type: ignore[no-untyped-def]
    from agenda.board.config import parse_config
    from agenda.documents.house_style import style_names
    from tests.support.boards import sample_text

    today = clock.now().date()
    first, second, _ = [r.split(":")[1] for r in meeting_refs(today)]
    text = sample_text(today).replace(first, "2027-12-28").replace(second, "2027-03-04")
    config = parse_config(text, "board.yaml", styles=style_names())
    with transaction(engine) as session:
        report = import_config(session, config, now=clock.now())
    joined = "\n".join(report.warnings)
    assert "hwb:2027-12-28" in joined and "holiday" in joined.lower(), joined
    assert "hwb:2027-03-04" in joined and "before today" in joined


def test_language_and_accessibility_policy_land_on_organisation_and_body(engine, clock) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    config = sample_board(clock.now().date())
    config = dataclasses.replace(
        config,
        language="cy-GB",
        bodies=tuple(dataclasses.replace(b, accessibility="require") for b in config.bodies),
    )
    with transaction(engine) as session:
        import_config(session, config, now=clock.now())
    with transaction(engine) as session:
        body = session.scalar(select(Body).where(Body.key == "hwb"))
        assert body.organisation.language == "cy-GB" and body.accessibility == "require"
