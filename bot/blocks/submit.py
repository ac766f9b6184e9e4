"""Submitting a paper: the form (meeting, item, pre-filled details, the file) and the offer
made when someone sends the bot a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agenda.board.fit import LIMITS
from agenda.documents.filecheck import limits_text
from agenda.pack.overview import SubmitChoice
from agenda.plan.items import ItemView
from bot import messages
from bot.blocks.common import (
    Block,
    View,
    button,
    day,
    escape,
    file_input,
    info_modal,
    modal,
    option,
    plain,
    section,
    static_select,
    text_input,
)

SUBMIT_CALLBACK = "submit_paper"  # the modal, and the global shortcut
MESSAGE_SHORTCUT = "submit_file_as_paper"
SUBMIT_FILE = "submit_file"  # the button on a file sent by DM; value: file id
HOME_SUBMIT = "home_submit"  # App Home's button; value: item id
PICK_MEETING = "submit_meeting"
PICK_ITEM = "submit_item"


@dataclass(frozen=True)
class MeetingChoice:
    """An upcoming meeting and the items on it the user may submit for."""

    ref: str
    label: str
    items: tuple[ItemView, ...]


def meeting_label(body_name: str, starts_at: dt.datetime, tz: str) -> str:
    return f"{body_name}, {day(starts_at, tz)}"


def choices_of(choices: Sequence[SubmitChoice], tz: str) -> list[MeetingChoice]:
    return [
        MeetingChoice(
            c.meeting.ref, meeting_label(c.meeting.body_name, c.meeting.starts_at, tz), c.items
        )
        for c in choices
    ]


def submit_modal(
    choices: Sequence[MeetingChoice],
    *,
    meeting_ref: str | None = None,
    item_id: int | None = None,
    file: dict[str, Any] | None = None,
) -> View:
    """The submission form: meeting, item, pre-filled details, the file."""
    if not choices:
        return info_modal("Submit a paper", messages.NOTHING_TO_SUBMIT)
    meeting = next((c for c in choices if c.ref == meeting_ref), choices[0])
    item = next(
        (i for i in meeting.items if i.id == item_id), meeting.items[0] if meeting.items else None
    )
    blocks: list[Block] = [
        {
            "type": "actions",
            "block_id": "meeting_pick",
            "elements": [
                static_select(
                    PICK_MEETING,
                    [option(c.label, c.ref) for c in choices],
                    initial=meeting.ref,
                    placeholder="Meeting",
                )
            ],
        }
    ]
    if item is None:
        blocks.append(section(messages.NO_ITEMS_ON_MEETING))
        return modal(
            SUBMIT_CALLBACK,
            "Submit a paper",
            blocks,
            submit=None,
            metadata={"meeting": meeting.ref, "file": file},
        )
    blocks.append(
        {
            "type": "input",
            "block_id": "item",
            "dispatch_action": True,
            "label": plain("Agenda item"),
            "element": static_select(
                PICK_ITEM,
                [option(i.title, str(i.id)) for i in meeting.items],
                initial=str(item.id),
                placeholder="Item",
            ),
        }
    )
    names = [a for a in item.authors if not a.startswith("<@")]
    k = f":{item.id}"
    blocks += [
        text_input(
            "title" + k,
            "title",
            "Title of the paper",
            initial=item.title,
            max_length=LIMITS["paper.title"],
        ),
        text_input(
            "presenter" + k,
            "presenter",
            "Presented by",
            initial=item.lead,
            optional=True,
            max_length=LIMITS["paper.presenter"],
        ),
        text_input(
            "authors" + k, "authors", "Report author(s)", initial=", ".join(names), optional=True
        ),
        text_input("summary" + k, "summary", "Executive summary", multiline=True, optional=True),
        text_input(
            "recommendations" + k,
            "recommendations",
            "Recommendations",
            multiline=True,
            optional=True,
            hint="One recommendation per line; they seed the draft minutes.",
        ),
    ]
    exempt_box: Block = {
        "type": "checkboxes",
        "action_id": "exempt",
        "options": [option("Exempt: Part B, not for publication", "exempt")],
    }
    if item.exempt:
        exempt_box["initial_options"] = exempt_box["options"]
    blocks += [
        {
            "type": "input",
            "block_id": "exempt" + k,
            "optional": True,
            "label": plain("Exempt information"),
            "element": exempt_box,
        },
        text_input(
            "exempt_reason" + k,
            "exempt_reason",
            "Reason it is exempt",
            initial=item.exempt_reason,
            optional=True,
            hint="e.g. Paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972",
        ),
    ]
    if file:
        blocks.append(
            section(
                f":page_facing_up: File: *{escape(file.get('name') or 'your file')}*",
                block_id="file_chosen",
            )
        )
    else:
        # The limits, told before the upload rather than after a refusal.
        blocks.append(file_input("The paper (Word or PDF)", messages.paper_limits(limits_text())))
    return modal(
        SUBMIT_CALLBACK,
        "Submit a paper",
        blocks,
        metadata={"meeting": meeting.ref, "item": item.id, "file": file},
    )


def file_offer(file: dict[str, Any]) -> tuple[str, list[Block]]:
    text = messages.file_offer(file.get("name") or "this file")
    return text, [
        section(
            text,
            accessory=button("Submit as a paper", SUBMIT_FILE, str(file["id"]), style="primary"),
        )
    ]
