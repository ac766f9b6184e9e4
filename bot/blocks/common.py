"""The small pieces every view is built from, and reading a submitted view back.

Block ids that carry pre-filled values end in ``:<item id>``: Slack keeps what a user typed
in a block across ``views.update`` unless its block id changes, so a new item gets new ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from agenda.board.fit import INPUT_MAX

Block = dict[str, Any]
View = dict[str, Any]

MESSAGE_BLOCK_LIMIT = 50  # Slack's limit for a message
MODAL_BLOCK_LIMIT = 100  # and for a modal or App Home
SECTION_CHARS = 2800  # Slack allows 3000 characters in a section; leave room
INFO_CALLBACK = "boardclerk_info"


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _cut(text, 3000)}


def section(text: str, accessory: Block | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text)}


def divider() -> Block:
    return {"type": "divider"}


def actions(block_id: str, elements: list[Block]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": elements}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, 75), "value": value}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    b: Block = {"type": "button", "text": plain(text, 75), "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack's mrkdwn needs only these three escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def when(value: dt.datetime | None, tz: str) -> str:
    if value is None:
        return "no deadline"
    return f"{value.astimezone(ZoneInfo(tz)):%a %-d %b %Y %H:%M}"


def day(value: dt.date | dt.datetime | None, tz: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.astimezone(ZoneInfo(tz)).date()
    return f"{value:%a %-d %b %Y}"


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None = "Submit",
    metadata: dict[str, Any] | None = None,
) -> View:
    view: View = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "close": plain("Cancel" if submit else "Close"),
        "blocks": blocks,
    }
    if submit:
        view["submit"] = plain(submit, 24)
    if metadata is not None:
        view["private_metadata"] = json.dumps(metadata)
    return view


def loading_modal(title: str, text: str) -> dict[str, Any]:
    """What opens at once while the real form is built (its own callback id)."""
    return modal("boardclerk_loading", title, [section(text)], submit=None)


def info_modal(title: str, text: str) -> View:
    return modal(INFO_CALLBACK, title, [section(text)], submit=None)


def text_input(
    block_id: str,
    action_id: str,
    label: str,
    *,
    initial: str | None = None,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
    max_length: int | None = INPUT_MAX,
) -> Block:
    """A text input. ``max_length`` matches the column the value goes into, so Slack stops
    the user at the limit instead of the database refusing the value later."""
    element: Block = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline}
    if initial:
        element["initial_value"] = initial[:max_length] if max_length else initial
    if max_length:
        element["max_length"] = max_length
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def static_select(
    action_id: str,
    options: Sequence[dict[str, Any]],
    *,
    initial: str | None = None,
    placeholder: str = "Choose…",
) -> Block:
    element: Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder),
        "options": list(options)[:100],
    }
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def file_input(label: str, hint: str | None = None) -> Block:
    """One Word or PDF file."""
    block: Block = {
        "type": "input",
        "block_id": "file",
        "label": plain(label),
        "element": {
            "type": "file_input",
            "action_id": "file",
            "filetypes": ["docx", "pdf"],
            "max_files": 1,
        },
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def chunked(lines: Sequence[str], limit: int = SECTION_CHARS) -> list[Block]:
    """Sections of at most ``limit`` characters (Slack allows 3000 per section)."""
    blocks: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(s) + 1 for s in chunk) + len(line) > limit:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def capped(blocks: list[Block], more: str, limit: int = MESSAGE_BLOCK_LIMIT) -> list[Block]:
    if len(blocks) <= limit:
        return blocks
    return blocks[: limit - 1] + [context(f"…and more. {more}")]


# -- reading a submitted view back -----------------------------------------------------------


def state_values(view: View) -> dict[str, tuple[str, Any]]:
    """The submitted values by action id: ``{action_id: (block_id, value)}``, with value the
    text, the selected option's value, the list of checked values, users or files."""
    out: dict[str, tuple[str, Any]] = {}
    for block_id, acts in ((view.get("state") or {}).get("values") or {}).items():
        for action_id, state in acts.items():
            kind = state.get("type")
            if kind in ("static_select", "external_select"):
                value = (state.get("selected_option") or {}).get("value")
            elif kind == "checkboxes":
                value = [o["value"] for o in state.get("selected_options") or []]
            elif kind == "multi_users_select":
                value = list(state.get("selected_users") or [])
            elif kind == "file_input":
                value = list(state.get("files") or [])
            else:
                value = state.get("value")
            out[action_id] = (block_id, value)
    return out


def metadata_of(view: View) -> dict[str, Any]:
    try:
        metadata: dict[str, Any] = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return metadata


def metadata_item(view: View) -> int | str:
    """The id of the item a form was opened for ("" if it carries none)."""
    item = metadata_of(view).get("item")
    return item if isinstance(item, int | str) else ""
