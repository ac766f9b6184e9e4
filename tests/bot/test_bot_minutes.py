"""Apologies and declarations from Slack: the real app on loopback against the fake Slack,
with the minutes listeners registered as the bot registers them (``create_app``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from agenda.board.models import ForwardPlanItem
from agenda.db.engine import transaction
from agenda.filestore import LocalFileStore
from agenda.minutes.tables import Apology, Declaration
from bot.app import create_app
from bot.blocks.minutes import (
    APOLOGIES_ACTION,
    APOLOGIES_CALLBACK,
    APPROVED_ACTION,
    APPROVED_CALLBACK,
    DECLARATION_CALLBACK,
    DECLARE_ACTION,
)
from bot.deps import Deps
from bot.listeners.minutes import apologies_command
from bot.settings import Settings
from tests.support.boards import load_sample_board, meeting_refs
from tests.support.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, SlackSide, wait_for

MEMBER = "U0CLLR002"  # Councillor Adam Clarke on the sample board


class MinutesBot:
    def __init__(self, fake: FakeSlack, slack: SlackSide, deps: Deps) -> None:
        self.fake, self.slack, self.deps = fake, slack, deps

    def opened(self, callback_id: str, after: int) -> dict:
        def find() -> dict | None:
            for call in reversed(self.fake.calls[after:]):
                if call.method in ("views.open", "views.push"):
                    view = dict(call.body["view"])
                    if view.get("callback_id") == callback_id:
                        return view
            return None

        return wait_for(find)

    def count(self, model: type) -> int:
        with transaction(self.deps.engine) as s:
            return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def bot(sqlite_engine, clock, data_dir) -> Iterator[MinutesBot]:
    fake = FakeSlack().start()
    load_sample_board(sqlite_engine, clock.now())
    settings = Settings(signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN, api_url=fake.base_url)
    store = LocalFileStore(data_dir)
    bolt, flask_app = create_app(settings, sqlite_engine, store, clock=clock)
    deps = Deps(settings=settings, engine=sqlite_engine, store=store, clock=clock)
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield MinutesBot(
            fake, SlackSide(f"http://127.0.0.1:{server.server_port}/slack/events"), deps
        )
    finally:
        server.shutdown()
        server.server_close()
        fake.stop()


def text_state(value: str) -> dict:
    return {"type": "plain_text_input", "value": value}


def select_state(value: str) -> dict:
    return {"type": "static_select", "selected_option": {"value": value}}


def test_a_member_sends_apologies_from_the_meeting_notice_button(bot, clock):
    meeting = meeting_refs(clock.now().date())[0]
    mark = len(bot.fake.calls)
    assert bot.slack.click(MEMBER, APOLOGIES_ACTION, meeting).status == 200
    view = bot.opened(APOLOGIES_CALLBACK, mark)
    response = bot.slack.submit_view(MEMBER, view, {"reason": {"reason": text_state("on leave")}})
    assert response.status == 200
    assert "Apologies from Councillor Adam Clarke" in response.body.decode()
    assert bot.count(Apology) == 1


def test_someone_not_on_the_board_is_refused_inline(bot, clock):
    meeting = meeting_refs(clock.now().date())[0]
    mark = len(bot.fake.calls)
    bot.slack.click("U0STRANGER", APOLOGIES_ACTION, meeting)
    view = bot.opened(APOLOGIES_CALLBACK, mark)
    response = bot.slack.submit_view("U0STRANGER", view, {"reason": {"reason": text_state("")}})
    assert response.json()["response_action"] == "errors"
    assert "not a member of the Health and Wellbeing Board" in response.json()["errors"]["reason"]
    assert bot.count(Apology) == 0


def test_a_declaration_modal_names_the_items_on_the_agenda(bot, clock):
    meeting = meeting_refs(clock.now().date())[0]
    with transaction(bot.deps.engine) as s:
        item_id = s.scalar(
            select(ForwardPlanItem.id).where(ForwardPlanItem.title == "Better Care Fund Plan")
        )
    mark = len(bot.fake.calls)
    bot.slack.click(MEMBER, DECLARE_ACTION, meeting)
    view = bot.opened(DECLARATION_CALLBACK, mark)
    options = [
        o["value"]
        for b in view["blocks"]
        if b.get("block_id") == "item"
        for o in b["element"]["options"]
    ]
    assert str(item_id) in options
    response = bot.slack.submit_view(
        MEMBER,
        view,
        {
            "item": {"item": select_state(str(item_id))},
            "kind": {"kind": select_state("pecuniary")},
            "interest": {"interest": text_state("my spouse works for a care provider")},
        },
    )
    assert (
        "interest in" in response.body.decode()
        and "Better Care Fund Plan" in response.body.decode()
    )
    assert bot.count(Declaration) == 1


def test_slash_command_apologies_reply(bot, clock):
    meeting = meeting_refs(clock.now().date())[0]
    reply = apologies_command(bot.deps, MEMBER, [meeting, "on", "leave"])
    assert reply.startswith(":white_check_mark: Apologies from Councillor Adam Clarke")
    refused = apologies_command(bot.deps, MEMBER, ["hwb:2000-01-01"])
    assert refused.startswith(":x: The Health and Wellbeing Board has no meeting on 1 January 2000")


def approved_docx(day, *more: str) -> bytes:
    import io

    from docx import Document

    doc = Document()
    doc.add_paragraph(
        f"Minutes of the Meeting of the HEALTH AND WELLBEING BOARD held on {day.day} {day:%B %Y}"
    )
    for line in more:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def file_approved(
    bot, meeting: str, data: bytes, name: str = "approved.docx", confidential: bytes | None = None
) -> None:
    mark = len(bot.fake.calls)
    bot.slack.click("U0CLERK01", APPROVED_ACTION, meeting)
    view = bot.opened(APPROVED_CALLBACK, mark)
    file = bot.fake.add_file(data, name, user="U0CLERK01")
    values = {"file": {"file": {"type": "file_input", "files": [file]}}}
    if confidential is not None:  # the optional second file: the Part B minutes
        secret = bot.fake.add_file(confidential, "approved-part-b.docx", user="U0CLERK01")
        values["confidential"] = {"confidential": {"type": "file_input", "files": [secret]}}
    response = bot.slack.submit_view("U0CLERK01", view, values)
    assert response.status == 200


def test_the_clerk_files_approved_minutes_from_slack_into_the_next_meetings_papers(bot, clock):
    import datetime as dt

    from agenda.board.lookup import get_meeting

    first, second = meeting_refs(clock.now().date())[:2]
    with transaction(bot.deps.engine) as s:
        get_meeting(s, first).status = "held"
    day = dt.date.fromisoformat(first.split(":")[1])
    # The first meeting took exempt business (the care home contract award): both parts.
    file_approved(
        bot,
        first,
        approved_docx(day),
        confidential=approved_docx(day, "CARE HOME CONTRACT AWARD", "RESOLVED: that ..."),
    )
    text = wait_for(
        lambda: next((t for t in bot.fake.dm_texts("U0CLERK01") if "Approved minutes" in t), None)
    )
    assert "filed as version 1 of the minutes paper" in text and second in text
    assert "only in the private pack" in text
    with transaction(bot.deps.engine) as s:
        item = s.scalars(
            select(ForwardPlanItem).where(ForwardPlanItem.procedural_key == "minutes")
        ).one()
        assert item.meeting.ref == second and item.current_paper is not None
        secret = s.scalars(
            select(ForwardPlanItem).where(ForwardPlanItem.procedural_key == "minutes_confidential")
        ).one()
        assert secret.exempt and secret.meeting.ref == second


def test_exempt_business_filed_from_slack_without_its_part_b_is_refused(bot, clock):
    import datetime as dt

    from agenda.board.lookup import get_meeting

    first = meeting_refs(clock.now().date())[0]
    with transaction(bot.deps.engine) as s:
        get_meeting(s, first).status = "held"
    file_approved(bot, first, approved_docx(dt.date.fromisoformat(first.split(":")[1])))
    text = wait_for(
        lambda: next((t for t in bot.fake.dm_texts("U0CLERK01") if "did not file" in t), None)
    )
    assert "took exempt business" in text and "Care Home Contract Award" in text


def test_approved_minutes_for_a_meeting_not_yet_held_are_refused_by_direct_message(bot, clock):
    import datetime as dt

    first = meeting_refs(clock.now().date())[0]
    file_approved(bot, first, approved_docx(dt.date.fromisoformat(first.split(":")[1])))
    text = wait_for(
        lambda: next((t for t in bot.fake.dm_texts("U0CLERK01") if "did not file" in t), None)
    )
    assert "has not taken place yet" in text
    with transaction(bot.deps.engine) as s:
        assert (
            s.scalars(
                select(ForwardPlanItem).where(ForwardPlanItem.procedural_key == "minutes")
            ).all()
            == []
        )
