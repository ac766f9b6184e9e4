"""Apologies, declarations of interest and approved minutes: the meeting notice's buttons and
the modals they open."""

from __future__ import annotations

from typing import Any

from bot import messages
from bot.blocks.common import (
    Block,
    View,
    button,
    file_input,
    modal,
    option,
    section,
    state_values,
    static_select,
    text_input,
)

APOLOGIES_ACTION = "minutes_send_apologies"  # value: meeting ref
DECLARE_ACTION = "minutes_declare_interest"  # value: meeting ref
APOLOGIES_CALLBACK = "minutes_apologies_modal"
DECLARATION_CALLBACK = "minutes_declaration_modal"
APPROVED_ACTION = "minutes_file_approved"  # value: the held meeting's ref
APPROVED_CALLBACK = "minutes_approved_modal"


def meeting_notice_buttons(meeting_ref: str) -> list[Block]:
    """The two buttons for a meeting notice (an ``actions`` block's elements)."""
    return [
        button("Send apologies", APOLOGIES_ACTION, meeting_ref),
        button("Declare an interest", DECLARE_ACTION, meeting_ref),
    ]


def apologies_modal(meeting_ref: str, label: str) -> View:
    return modal(
        APOLOGIES_CALLBACK,
        "Send apologies",
        [
            section(messages.apologies_intro(label)),
            text_input(
                "reason",
                "reason",
                "Reason (optional; not printed in the minutes)",
                optional=True,
                max_length=500,
            ),
        ],
        submit="Send",
        metadata={"meeting": meeting_ref},
    )


def declaration_modal(meeting_ref: str, label: str, items: list[tuple[str, str]]) -> View:
    return modal(
        DECLARATION_CALLBACK,
        "Declare an interest",
        [
            section(messages.declaration_intro(label)),
            {
                "type": "input",
                "block_id": "item",
                "label": {"type": "plain_text", "text": "Item"},
                "element": static_select("item", [option(title, value) for value, title in items]),
            },
            {
                "type": "input",
                "block_id": "kind",
                "label": {"type": "plain_text", "text": "Kind"},
                "element": static_select(
                    "kind",
                    [
                        option("Other interest", "other"),
                        option("Pecuniary (financial) interest", "pecuniary"),
                    ],
                    initial="other",
                ),
            },
            text_input(
                "interest",
                "interest",
                "The interest",
                hint="e.g. as a trustee of the hospice named in the report",
                max_length=1000,
            ),
        ],
        submit="Declare",
        metadata={"meeting": meeting_ref},
    )


def approved_minutes_modal(meeting_ref: str, label: str) -> View:
    file = file_input("The minutes (Word or PDF)")
    file["label"] = {"type": "plain_text", "text": "The minutes (Word or PDF)"}
    return modal(
        APPROVED_CALLBACK,
        "Approved minutes",
        [
            section(messages.approved_minutes_intro(label)),
            file,
            {
                "type": "input",
                "block_id": "confidential",
                "optional": True,
                "label": {"type": "plain_text", "text": messages.CONFIDENTIAL_MINUTES_LABEL},
                "element": {
                    "type": "file_input",
                    "action_id": "confidential",
                    "filetypes": ["docx", "pdf"],
                    "max_files": 1,
                },
            },
        ],
        submit="File",
        metadata={"meeting": meeting_ref},
    )


def approved_file(view: View, block: str = "file") -> dict[str, Any] | None:
    """The file attached to the approved minutes form (``block="confidential"``: the Part B
    minutes), if any."""
    files = state_values(view).get(block, (block, []))[1] or []
    return files[0] if files else None
