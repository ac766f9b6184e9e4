"""Block Kit for exempt requests: the clerk's Accept / Reject message."""

from __future__ import annotations

from bot import messages
from bot.blocks.common import Block, actions, button, section

ACCEPT_EXEMPT = "exempt_request_accept"  # value: item id
REJECT_EXEMPT = "exempt_request_reject"  # value: item id


def exempt_request_blocks(text: str, item_id: int) -> list[Block]:
    value = str(item_id)
    return [
        section(text),
        actions(
            "exempt_request",
            [
                button(messages.EXEMPT_ACCEPT_LABEL, ACCEPT_EXEMPT, value, style="primary"),
                button(messages.EXEMPT_REJECT_LABEL, REJECT_EXEMPT, value, style="danger"),
            ],
        ),
    ]
