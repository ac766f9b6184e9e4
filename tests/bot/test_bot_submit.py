"""Authors submit papers from Slack: the modal, the receipt, late papers, bad files, refusals."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sqlalchemy import update

from agenda.board.models import ForwardPlanItem, Meeting
from agenda.demo.papers import (
    make_encrypted_pdf,
    make_macro_docm,
    make_report_docx,
    make_report_pdf,
    make_zip_bomb_docx,
    sample_reports,
)
from agenda.documents.filecheck import max_paper_bytes
from tests.support.boards import ASC_DIRECTOR, CCG, CLERK, PUBLIC_HEALTH, STRANGER
from tests.support.bot_harness import Bot, running_bot, submit_values
from tests.support.fakeslack import dm_channel, wait_for

STRATEGY = "Joint Health and Wellbeing Strategy Refresh"
CONTRACT = "Care Home Contract Award"
EXEMPT_REASON = "Paragraph 3 of Part 1 of Schedule 12A"


@pytest.fixture(scope="module")
def docx() -> bytes:
    return make_report_docx(
        sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1)[0],
        "council-appendix",
        pages=1,
    )


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make_report_pdf(
        sample_reports("Health and Wellbeing Board", dt.date(2027, 4, 8), 1)[0],
        "council-appendix",
        pages=1,
    )


@pytest.fixture
def bot(sqlite_engine, clock, data_dir):  # type: ignore[no-untyped-def]
    with running_bot(sqlite_engine, clock, data_dir) as b:
        yield b


def open_submit(bot: Bot, user: str) -> dict:
    mark = len(bot.fake.calls)
    resp = bot.slack.command(user, "submit")
    assert resp.status == 200
    return bot.opened_view("submit_paper", after=mark)


def submit(
    bot: Bot, user: str, title: str, data: bytes, name: str, **fields
) -> tuple[dict, object]:
    """Open the modal, pick the item, attach the file and submit; return (view, response)."""
    view = open_submit(bot, user)
    item = str(bot.item_id(title))
    if view["private_metadata"] and f'"item": {item}' not in view["private_metadata"]:
        mark = len(bot.fake.calls)
        bot.slack.select(user, "submit_item", item, view=view, block_id="item")
        view = bot.opened_view("submit_paper", after=mark)
    file = bot.fake.add_file(data, name, user=user)
    state = submit_values(
        view, item=("select", item), title=fields.pop("title", title), file=[file], **fields
    )
    return view, bot.slack.submit_view(user, view, state)


def test_submit_opens_a_modal_listing_only_the_authors_items(bot: Bot) -> None:
    view = open_submit(bot, PUBLIC_HEALTH)
    text = str(view)
    assert "Pharmaceutical Needs Assessment" in text and STRATEGY in text
    assert "Winter Plan" not in text and CONTRACT not in text
    file_blocks = [b for b in view["blocks"] if b.get("element", {}).get("type") == "file_input"]
    assert file_blocks[0]["element"]["filetypes"] == ["docx", "pdf"]
    # The author is told the limits before uploading.
    assert "at most 25 MB and 500 pages" in file_blocks[0]["hint"]["text"]


def test_a_paper_submitted_in_the_modal_is_stored_and_the_author_gets_a_receipt(
    bot: Bot, docx: bytes
) -> None:
    _, resp = submit(
        bot,
        PUBLIC_HEALTH,
        STRATEGY,
        docx,
        "strategy.docx",
        recommendations="Approve the refresh\nNote the consultation",
        summary="Short.",
    )
    assert resp.status == 200 and not resp.body  # an empty 200 closes the modal
    receipt = bot.dm_to(PUBLIC_HEALTH, "Version 1")
    assert STRATEGY in receipt and "on time" in receipt and "Deadline:" in receipt
    [paper] = bot.papers(STRATEGY)
    assert paper.recommendations == ["Approve the refresh", "Note the consultation"]
    assert paper.executive_summary == "Short." and paper.file_kind == "docx"
    assert bot.store.get(paper.sha256) == docx
    # The download used the bot token.
    [download] = bot.fake.calls_to("download")
    assert download.token == "xoxb-test"


def test_a_second_submission_becomes_version_two(bot: Bot, docx: bytes, pdf: bytes) -> None:
    submit(bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx")
    bot.dm_to(PUBLIC_HEALTH, "Version 1")
    submit(bot, PUBLIC_HEALTH, STRATEGY, pdf, "strategy.pdf")
    bot.dm_to(PUBLIC_HEALTH, "Version 2")
    assert [p.version for p in bot.papers(STRATEGY)] == [1, 2]


def test_a_late_paper_is_flagged_to_the_clerk(bot: Bot, docx: bytes) -> None:
    bot.clock.set(dt.datetime(2027, 4, 1, 10, 0, tzinfo=dt.UTC))  # after the papers-due date
    submit(bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx")
    receipt = bot.dm_to(PUBLIC_HEALTH, "Version 1")
    assert "late" in receipt and "clerk has been told" in receipt
    flag = bot.dm_to(CLERK, "Late paper")
    assert STRATEGY in flag and f"<@{PUBLIC_HEALTH}>" in flag
    assert bot.papers(STRATEGY)[0].on_time is False


BAD_FILES = {
    "macro-enabled": (make_macro_docm, "strategy.docx"),
    "encrypted pdf": (make_encrypted_pdf, "strategy.pdf"),
    "zip bomb": (make_zip_bomb_docx, "strategy.docx"),
    "not really docx": (lambda: b"Dear clerk, here are my notes.\n" * 50, "strategy.docx"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    bot: Bot, docx: bytes, kind: str
) -> None:
    submit(bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx")
    bot.dm_to(PUBLIC_HEALTH, "Version 1")
    make, name = BAD_FILES[kind]
    _, resp = submit(bot, PUBLIC_HEALTH, STRATEGY, make(), name)
    assert resp.status == 200
    message = bot.dm_to(PUBLIC_HEALTH, "could not accept")
    assert name in message and "Nothing was stored" in message
    assert "Version 1 is still the current paper" in message
    assert [p.version for p in bot.papers(STRATEGY)] == [1]


def test_an_oversized_file_is_refused_in_the_modal(bot: Bot, docx: bytes) -> None:
    huge = docx + b"\0" * (max_paper_bytes() - len(docx) + 1)
    view, resp = submit(bot, PUBLIC_HEALTH, STRATEGY, huge, "strategy.docx")
    assert "papers can be at most 25 MB" in str(resp.json()["errors"])
    time.sleep(0.3)
    assert bot.papers(STRATEGY) == [] and bot.fake.calls_to("download") == []


def test_an_oversized_file_sent_by_dm_is_refused_after_download(bot: Bot, docx: bytes) -> None:
    huge = docx + b"\0" * (max_paper_bytes() - len(docx) + 1)
    file = bot.fake.add_file(huge, "strategy.docx")
    file["size"] = 1000  # Slack's size said nothing; the bytes themselves are too many
    view = open_submit(bot, PUBLIC_HEALTH)
    bot.slack.submit_view(
        PUBLIC_HEALTH,
        view,
        submit_values(
            view, item=("select", str(bot.item_id(STRATEGY))), title=STRATEGY, file=[file]
        ),
    )
    message = bot.dm_to(PUBLIC_HEALTH, "could not accept")
    assert "Nothing was stored" in message and "MB" in message
    assert bot.papers(STRATEGY) == []


def test_a_file_that_slack_will_not_hand_over_is_reported_not_stored(bot: Bot, docx: bytes) -> None:
    bot.fake.files_read_granted = False  # Slack answers with its HTML sign-in page
    submit(bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx")
    message = bot.dm_to(PUBLIC_HEALTH, "could not accept")
    assert "files:read" in message
    assert bot.papers(STRATEGY) == []


def test_an_author_not_named_on_the_item_is_refused_in_the_modal(bot: Bot, docx: bytes) -> None:
    view = open_submit(bot, PUBLIC_HEALTH)  # a form for someone else's item, sent by CCG
    file = bot.fake.add_file(docx, "strategy.docx", user=CCG)
    state = submit_values(
        view, item=("select", str(bot.item_id(STRATEGY))), title=STRATEGY, file=[file]
    )
    resp = bot.slack.submit_view(CCG, view, state)
    answer = resp.json()
    assert answer["response_action"] == "errors"
    assert "not named as an author" in next(iter(answer["errors"].values()))
    time.sleep(0.3)
    assert bot.papers(STRATEGY) == [] and bot.fake.calls_to("download") == []


def test_someone_with_no_items_is_told_there_is_nothing_to_submit(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    bot.slack.command(STRANGER, "submit")

    # The modal opens at once ("Loading…") and is then filled in.
    def filled() -> dict | None:
        view = bot.opened_view(after=mark)
        return view if "not named" in str(view) else None

    view = wait_for(filled)
    assert "not named as an author" in str(view)
    assert "submit" not in view


def test_missing_file_and_wrong_file_type_are_shown_inline(bot: Bot) -> None:
    view = open_submit(bot, PUBLIC_HEALTH)
    item = str(bot.item_id("Pharmaceutical Needs Assessment"))
    resp = bot.slack.submit_view(
        PUBLIC_HEALTH, view, submit_values(view, item=("select", item), title="PNA", file=[])
    )
    assert "Attach the paper" in str(resp.json()["errors"])
    xlsx = bot.fake.add_file(b"PK\x03\x04", "figures.xlsx")
    resp = bot.slack.submit_view(
        PUBLIC_HEALTH, view, submit_values(view, item=("select", item), title="PNA", file=[xlsx])
    )
    assert "not a Word (.docx) or PDF file" in str(resp.json()["errors"])


def test_a_paper_for_a_cancelled_meeting_is_refused(bot: Bot, docx: bytes) -> None:
    view = open_submit(bot, PUBLIC_HEALTH)
    with bot.session() as s:
        s.execute(update(Meeting).values(status="cancelled"))
    file = bot.fake.add_file(docx, "strategy.docx")
    bot.slack.submit_view(
        PUBLIC_HEALTH,
        view,
        submit_values(
            view, item=("select", str(bot.item_id(STRATEGY))), title=STRATEGY, file=[file]
        ),
    )
    message = bot.dm_to(PUBLIC_HEALTH, "could not accept")
    assert "cancelled" in message
    assert bot.papers(STRATEGY) == []


def test_choosing_another_meeting_shows_its_items(bot: Bot) -> None:
    view = open_submit(bot, PUBLIC_HEALTH)
    later = bot.meetings[1]
    mark = len(bot.fake.calls)
    bot.slack.select(PUBLIC_HEALTH, "submit_meeting", later, view=view, block_id="meeting_pick")
    updated = bot.opened_view("submit_paper", after=mark)
    assert "Suicide Prevention Strategy" in str(updated) and STRATEGY not in str(updated)


def test_a_file_sent_by_direct_message_starts_a_submission(bot: Bot, pdf: bytes) -> None:
    file = bot.fake.add_file(pdf, "needs-assessment.pdf", user=PUBLIC_HEALTH)
    dm = dm_channel(PUBLIC_HEALTH)
    bot.slack.event(
        {
            "type": "file_shared",
            "file_id": file["id"],
            "user_id": PUBLIC_HEALTH,
            "channel_id": dm,
            "event_ts": "1.2",
        }
    )
    offer = wait_for(lambda: bot.fake.messages(dm))[0]
    assert "needs-assessment.pdf" in offer.text
    mark = len(bot.fake.calls)
    bot.slack.click(PUBLIC_HEALTH, "submit_file", file["id"], channel=dm)
    view = bot.opened_view("submit_paper", after=mark)
    assert "needs-assessment.pdf" in str(view)
    assert not [b for b in view["blocks"] if b.get("block_id") == "file"]
    item = str(bot.item_id("Pharmaceutical Needs Assessment"))
    resp = bot.slack.submit_view(
        PUBLIC_HEALTH,
        view,
        submit_values(view, item=("select", item), title="Pharmaceutical Needs Assessment"),
    )
    assert resp.status == 200 and not resp.body
    bot.dm_to(PUBLIC_HEALTH, "Version 1")
    [paper] = bot.papers("Pharmaceutical Needs Assessment")
    assert paper.file_name == "needs-assessment.pdf" and paper.file_kind == "pdf"


def test_files_the_bot_itself_shares_or_files_in_channels_are_ignored(bot: Bot, pdf: bytes) -> None:
    file = bot.fake.add_file(pdf, "pack.pdf")
    bot.slack.event(
        {
            "type": "file_shared",
            "file_id": file["id"],
            "user_id": "UBOTUSER",
            "channel_id": "D0BOT",
            "event_ts": "1.2",
        }
    )
    bot.slack.event(
        {
            "type": "file_shared",
            "file_id": file["id"],
            "user_id": PUBLIC_HEALTH,
            "channel_id": "C0GENERAL",
            "event_ts": "1.3",
        }
    )
    time.sleep(0.3)
    assert bot.fake.calls_to("chat.postMessage") == []


def test_the_message_shortcut_submits_that_messages_file(bot: Bot, docx: bytes) -> None:
    file = bot.fake.add_file(docx, "winter.docx", user=CCG)
    mark = len(bot.fake.calls)
    bot.slack.interact(
        {
            "type": "message_action",
            "callback_id": "submit_file_as_paper",
            "user": {"id": CCG},
            "channel": {"id": "C0GENERAL"},
            "message": {"ts": "1.1", "text": "here it is", "files": [file]},
            "response_url": "https://hooks.slack.test/x",
        }
    )
    view = bot.opened_view("submit_paper", after=mark)
    assert "winter.docx" in str(view) and "Winter Plan" in str(view)
    bot.slack.submit_view(
        CCG,
        view,
        submit_values(view, item=("select", str(bot.item_id("Winter Plan"))), title="Winter Plan"),
    )
    bot.dm_to(CCG, "Version 1")


def test_the_global_shortcut_opens_the_submit_modal(bot: Bot) -> None:
    mark = len(bot.fake.calls)
    bot.slack.interact({"type": "shortcut", "callback_id": "submit_paper", "user": {"id": CCG}})
    assert "Winter Plan" in str(bot.opened_view("submit_paper", after=mark))


def test_exempt_paper_details_go_only_to_the_author_never_to_a_channel(
    bot: Bot, docx: bytes
) -> None:
    view, resp = submit(bot, ASC_DIRECTOR, CONTRACT, docx, "contract.docx", exempt=["exempt"])
    assert EXEMPT_REASON in str(view)  # the author sees the reason in their own form
    receipt = bot.dm_to(ASC_DIRECTOR, "Version 1")
    assert "Exempt (Part B)" in receipt
    assert bot.papers(CONTRACT)[0].exempt_reason.startswith(EXEMPT_REASON)
    assert not [t for t in bot.fake.channel_texts() if EXEMPT_REASON in t or CONTRACT in t]


def _docx_with_image_lacking_alt_text() -> bytes:
    import io

    import docx as python_docx
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 160)).save(picture, "PNG")
    document = python_docx.Document()
    document.core_properties.title = STRATEGY
    document.add_heading(STRATEGY, 1)
    document.add_paragraph("The refreshed strategy has four priorities. " * 10)
    document.add_picture(io.BytesIO(picture.getvalue()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_image_lacking_alt_text_is_named_on_the_receipt_and_the_paper_is_accepted(
    bot: Bot,
) -> None:
    _, resp = submit(
        bot, PUBLIC_HEALTH, STRATEGY, _docx_with_image_lacking_alt_text(), "strategy.docx"
    )
    assert resp.status == 200 and not resp.body
    receipt = bot.dm_to(PUBLIC_HEALTH, "Version 1")
    assert "1 image has no alternative text" in receipt
    assert "View Alt Text" in receipt  # the one-line way to fix it in Word
    [paper] = bot.papers(STRATEGY)
    assert [f["code"] for f in paper.accessibility["findings"]] == ["image-alt"]


def test_an_authors_exempt_request_asks_the_clerk_who_can_accept_it(bot: Bot, docx: bytes) -> None:
    reason = "Paragraph 1: information about an individual"
    submit(
        bot, PUBLIC_HEALTH, STRATEGY, docx, "strategy.docx", exempt=["exempt"], exempt_reason=reason
    )
    receipt = bot.dm_to(PUBLIC_HEALTH, "Version 1")
    assert "held out of the public pack until the clerk decides" in receipt
    ask = bot.dm_to(CLERK, "marked their paper")
    assert reason in ask and f"<@{PUBLIC_HEALTH}>" in ask
    meeting = next(m for m in bot.meetings if STRATEGY in bot.ask(CLERK, f"status {m}"))
    status = json.dumps(json.loads(bot.ask(CLERK, f"status {meeting}")), ensure_ascii=False)
    assert f"{STRATEGY}: received v1 · exempt requested" in status
    [message] = [c for c in bot.fake.messages() if "marked their paper" in str(c.body.get("text"))]
    blocks = message.body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    buttons = [e for b in blocks for e in b.get("elements", [])]
    accept = next(b for b in buttons if b["action_id"] == "exempt_request_accept")
    bot.slack.click(CLERK, accept["action_id"], accept["value"], channel=dm_channel(CLERK))
    assert "agreed" in bot.dm_to(PUBLIC_HEALTH, "agreed")
    with bot.session() as session:
        item = session.get(ForwardPlanItem, bot.item_id(STRATEGY))
        assert item is not None and item.exempt and item.exempt_reason == reason
